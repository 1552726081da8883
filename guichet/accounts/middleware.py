"""Per-request account rules: the session's idle and absolute limits (ACC-7), and who acts on whose file."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.shortcuts import redirect
from django.urls import reverse

LAST_ACTIVITY = "last_activity"
STARTED = "auth_started"


def start_session_clock(request) -> None:
    now = time.time()
    request.session[STARTED] = now
    request.session[LAST_ACTIVITY] = now


class SessionLifetimeMiddleware:
    """Ends a session 30 minutes after its last request, and 12 hours after login whatever happens.

    Enforced on the server from timestamps in the session, so no cookie trick keeps a session alive.
    The last-activity time is written at most every SESSION_TOUCH_SECONDS (a write per click costs
    more than the page): a session may so end up to that much early, never late."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated:
            # A session cookie whose row is still there but past its expiry: it ran out while the page
            # was idle. A deleted row was ended on purpose (logout, new password, restriction): not idle.
            request.session_expired = (
                settings.SESSION_COOKIE_NAME in request.COOKIES and request.session.is_empty()
                and _session_row_exists(request.COOKIES[settings.SESSION_COOKIE_NAME])
            )
        else:
            now = time.time()
            last = request.session.get(LAST_ACTIVITY)
            started = request.session.get(STARTED)
            if last is None or started is None:
                return self._end(request, "idle")
            if now - started > settings.SESSION_ABSOLUTE_SECONDS:
                return self._end(request, "max")
            if now - last > settings.SESSION_IDLE_SECONDS:
                return self._end(request, "idle")
            if now - last >= settings.SESSION_TOUCH_SECONDS:
                request.session[LAST_ACTIVITY] = now
        return self.get_response(request)

    @staticmethod
    def _end(request, why: str):
        logout(request)
        query = {"expired": why}
        if request.method == "GET":
            query["next"] = request.get_full_path()
        return redirect(f"{reverse(settings.LOGIN_URL)}?{urlencode(query)}")


class ActorMiddleware:
    """Sets request.actor (the logged-in member's person, or None). Whose file is open
    (request.subject) is decided next, by guichet.mandates.middleware.SubjectMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.actor = _person_of(request.user)
        return self.get_response(request)


def _session_row_exists(session_key: str) -> bool:
    from guichet.accounts.models import UserSession

    return UserSession.objects.filter(session_key=session_key).exists()


def _person_of(user):
    return user.person if user.is_authenticated and user.person_id else None


class PrivateByDefaultMiddleware(LoginRequiredMiddleware):
    """Django's LoginRequiredMiddleware (every view is private unless marked login_not_required, ACC-1),
    telling the login page when the visitor is there because their session ran out."""

    def handle_no_permission(self, request, view_func):
        response = super().handle_no_permission(request, view_func)
        if getattr(request, "session_expired", False):
            response["Location"] += "&expired=idle"
        return response
