"""Guards of the back-office pages: staff whose role allows the action (everyone else: 404; staff of
another role also get a clear message, and the attempt is logged and recorded), who have acknowledged the
current confidentiality undertaking (ACL-2; otherwise sent to it first)."""

from functools import wraps
from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from guichet.backoffice import policy
from guichet.backoffice.access import record_refusal
from guichet.backoffice.confidentiality import has_acknowledged_current


def staff_page(action: str | None = None):
    """Only staff (with the right to `action` when given); the confidentiality undertaking comes first."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not policy.is_staff(request.user):
                raise Http404
            if action and not policy.staff_may(request.user, action):
                record_refusal(request.user, "role_lacks_right", purpose_key=action, reference=request.path)
                message = _("Your role does not give access to this page.")
                return render(request, "backoffice/refused.html", {"message": message}, status=404)
            if not has_acknowledged_current(request.user, request.session):
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse('backoffice:confidentiality')}?{query}")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def any_staff(view):
    """Staff of any role, before the undertaking (the page where they acknowledge it)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not policy.is_staff(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper
