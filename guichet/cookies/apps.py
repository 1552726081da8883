"""Django configuration of the cookies app; loading it registers the cookie register's system check."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CookiesConfig(AppConfig):
    name = "guichet.cookies"
    label = "cookies"
    verbose_name = _("Cookies and analytics")

    def ready(self):
        from guichet.cookies import checks  # noqa: F401 - registers the check of the cookie register
