"""The project's URL map: one include per app. Every page is private unless its view says
login_not_required (Django's LoginRequiredMiddleware, ACC-1)."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from guichet.pages.views import set_language

urlpatterns = [
    path("", include("guichet.pages.urls")),
    path("accounts/", include("guichet.accounts.urls")),
    path("my/data/", include("guichet.members.urls")),
    path("terms/", include("guichet.terms.urls")),
    path("privacy/", include("guichet.privacy.urls")),
    path("staff/connections/", include("guichet.traffic.urls")),
    path("my/record/", include("guichet.ledger.urls")),
    path("", include("guichet.mandates.urls")),
    path("", include("guichet.backoffice.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("", include("guichet.messaging.urls")),
    path("", include("guichet.communication.urls")),
    path("", include("guichet.cookies.urls")),
    path("", include("guichet.ebox.urls")),
    path("", include("guichet.signing.urls")),
    path("", include("guichet.rights.urls")),
    path("", include("guichet.retention.urls")),
    path("", include("guichet.decisions.urls")),
    # The admin must not offer a login of its own that would skip the second factor.
    path("admin/login/", RedirectView.as_view(pattern_name="accounts:login", query_string=True)),
    path("admin/", admin.site.urls),
]

if settings.BENCH_ENDPOINTS:
    urlpatterns.append(path("_bench/", include("bench.urls")))

handler404 = "guichet.pages.errors.not_found"
handler500 = "guichet.pages.errors.server_error"
