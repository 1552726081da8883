"""Keeps the cookies in line with the visitor's choice on every response (COOK-3, COOK-5, COOK-8).

It reads the consent cookie once; a member without one gets their recorded choice back (checked once
per session). On the way out: the analytics cookie is set only while analytics is accepted and removed
otherwise, and a consent cookie that no longer reads as a choice (forged, expired, other categories) is
removed so that the banner asks again.
"""

from guichet.cookies.consent import (
    CONSENT_COOKIE,
    apply_choice_to_cookies,
    read_choice,
    remember_choice,
    write_consent_cookie,
)
from guichet.cookies.services import recorded_choice

RECORD_CHECKED = "cookie_choice_record_checked"
SKIPPED_PREFIXES = ("/static/", "/_bench/", "/favicon")


class CookieConsentMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(SKIPPED_PREFIXES):
            return self.get_response(request)
        restored = self._restore_recorded_choice(request)
        response = self.get_response(request)
        choice = read_choice(request)  # the view may have saved a new choice
        if CONSENT_COOKIE not in response.cookies:
            if restored is not None and choice is restored:
                write_consent_cookie(response, restored)
            elif choice is None and CONSENT_COOKIE in request.COOKIES:
                response.delete_cookie(CONSENT_COOKIE, samesite="Lax")
        apply_choice_to_cookies(request, response, choice)
        return response

    @staticmethod
    def _restore_recorded_choice(request):
        person = getattr(request, "actor", None)
        session = getattr(request, "session", None)
        if person is None or session is None or session.get(RECORD_CHECKED):
            return None
        if read_choice(request) is not None:
            return None
        session[RECORD_CHECKED] = True
        restored = recorded_choice(person)
        if restored is not None:
            remember_choice(request, restored)
        return restored
