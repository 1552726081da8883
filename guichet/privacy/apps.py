"""Django configuration of the privacy app: registers the register and data-map system checks."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "guichet.privacy"
    label = "privacy"
    verbose_name = _("Privacy")

    def ready(self):
        from guichet.privacy import checks  # noqa: F401 - registers the system checks
