"""Asks a logged-in member to accept the current general terms before anything else (ACC-10).

The accepted version is remembered in the session, so the usual request costs no query."""

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from guichet.terms.services import current_version, has_accepted_current

ACCEPTED_TERMS = "accepted_terms"
ALWAYS_ALLOWED = ("/terms/", "/accounts/logout/", "/i18n/", "/static/", "/contact/")


class CurrentTermsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._must_accept(request):
            query = urlencode({"next": request.get_full_path()})  # a "&" in the page's own query must survive
            return redirect(f"{reverse('terms:accept', args=['general'])}?{query}")
        return self.get_response(request)

    @staticmethod
    def _must_accept(request) -> bool:
        person = request.actor
        if person is None or request.path.startswith(ALWAYS_ALLOWED):
            return False
        terms = current_version()
        if terms is None or request.session.get(ACCEPTED_TERMS) == terms.pk:
            return False
        if has_accepted_current(person):
            request.session[ACCEPTED_TERMS] = terms.pk
            return False
        return True
