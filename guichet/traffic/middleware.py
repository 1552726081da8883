"""Writes one connection row for each HTML page served (ACC-9); assets and errors are not pages."""

from django.conf import settings

from guichet.traffic.ip import client_ip
from guichet.traffic.services import record_connection

SKIPPED_PREFIXES = ("/static/", "/_bench/", "/favicon")


class ConnectionLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if self._is_page_view(request, response):
            record_connection(
                ip=client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", ""),
                path=request.path,
                language=getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE),
                authenticated=request.user.is_authenticated,
            )
        return response

    @staticmethod
    def _is_page_view(request, response) -> bool:
        return (
            request.method == "GET"
            and response.status_code == 200
            and response.get("Content-Type", "").startswith("text/html")
            and not request.path.startswith(SKIPPED_PREFIXES)
        )
