"""The bare baseline of the benchmarks: the cheapest useful Django page, served by the same gunicorn
through the same middleware stack as the real pages, anonymous (mounted under /_bench/ only when
GUICHET_BENCH_ENDPOINTS is true; the connection log skips /_bench/)."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse

from guichet.members.models import Person


@login_not_required
def person(request, pk: int):
    """One indexed query (a person by primary key) and a tiny response."""
    found = Person.objects.filter(pk=pk).first()
    if found is None:
        raise Http404
    return HttpResponse(f"person {found.member_number}", content_type="text/plain")


@login_not_required
def ping(request):
    """No query: the harness polls it to know that gunicorn is up."""
    return HttpResponse("ok", content_type="text/plain")
