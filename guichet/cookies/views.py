"""Cookie pages: the public cookie policy, the choice sent by the banner or that page, the analytics
beacon, and the staff statistics of visits (REP-1, aggregates only)."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from guichet.accounts.decorators import staff_required
from guichet.cookies import charts
from guichet.cookies.consent import ANALYTICS_COOKIE, read_choice, remember_choice, write_consent_cookie
from guichet.cookies.forms import CookieChoiceForm
from guichet.cookies.register import load_cookie_register
from guichet.cookies.services import CookieError, record_page_view, save_cookie_choice, visit_statistics
from guichet.traffic.ip import client_ip

PERIODS = {"7": 7, "30": 30, "90": 90}


def _policy(request, form=None, status=200):
    register = load_cookie_register()
    choice = read_choice(request)
    return render(request, "cookies/policy.html", {
        "register": register, "choice": choice, "form": form, "next": reverse("cookies:policy"),
        "sections": [(category, register.cookies_of(category.key)) for category in register.categories],
        "optional": [category for category in register.categories if not category.always_on],
    }, status=status)


@login_not_required
@require_GET
def cookie_policy(request):
    """The cookie policy (COOK-4, COOK-7, COOK-9) rendered from the register, with the choice form."""
    return _policy(request)


@login_not_required
@require_POST
def choose(request):
    """Save the visitor's choice in the consent cookie (and, for a member, as consent records), then go
    back where they were. Bad input changes nothing and says why."""
    form = CookieChoiceForm(request.POST)
    if not form.is_valid():
        return _policy(request, form=form, status=400)
    try:
        choice = save_cookie_choice(form.accepted(), person=getattr(request, "actor", None))
    except CookieError as error:
        form.add_error(None, error.message)
        return _policy(request, form=form, status=400)
    target = form.cleaned_data["next"]
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = reverse("cookies:policy")
    response = redirect(target)
    write_consent_cookie(response, choice)
    remember_choice(request, choice)  # the middleware sets or removes the optional cookies accordingly
    messages.success(request, _("Your cookie choices are saved."))
    return response


@csrf_exempt  # sent by navigator.sendBeacon; it only counts a page for the cookie that sends it
@login_not_required
@require_POST
def beacon(request):
    """The analytics beacon: counts the page in the visitor's visit, only with consent to analytics. It
    answers an empty 200 either way (not a 204: the benchmark harness reads a Content-Length)."""
    choice = read_choice(request)
    token = request.COOKIES.get(ANALYTICS_COOKIE, "")
    if choice is None or not choice.allows("analytics") or not token:
        return HttpResponse(b"", content_type="text/plain")  # nothing is recorded without consent (COOK-5)
    try:
        record_page_view(token=token, path=request.POST.get("path", ""),
                         user_agent=request.META.get("HTTP_USER_AGENT", ""),
                         language=getattr(request, "LANGUAGE_CODE", ""), ip=client_ip(request))
    except CookieError as error:
        return HttpResponse(error.message, status=400, content_type="text/plain; charset=utf-8")
    return HttpResponse(b"", content_type="text/plain")


@staff_required("view_connection_statistics")
def visit_statistics_page(request):
    """Visits, pages, devices and languages per day as charts, from consented analytics (REP-1)."""
    days = PERIODS.get(request.GET.get("days", "30"), 30)
    today = timezone.localdate()
    first = today - timedelta(days=days - 1)
    since = timezone.make_aware(timezone.datetime.combine(first, timezone.datetime.min.time()))
    stats = visit_statistics(since)
    day_list = charts.days_between(first, today)
    per_day = stats["per_day"]
    context = {
        "stats": stats, "days": days, "periods": PERIODS,
        "visits_chart": charts.single_columns(day_list, {r["day"]: r["visits"] for r in per_day}, "visits"),
        "pages_chart": charts.single_columns(day_list, {r["day"]: r["pages"] for r in per_day}, "pages"),
        "devices_chart": charts.stacked_columns(day_list, stats["devices_per_day"]),
        "languages_chart": charts.stacked_columns(day_list, stats["languages_per_day"]),
    }
    return render(request, "cookies/statistics.html", context)
