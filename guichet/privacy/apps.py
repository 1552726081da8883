"""Django configuration of the privacy app: loads the register at start-up and registers the register and
data-map system checks."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "guichet.privacy"
    label = "privacy"
    verbose_name = _("Privacy")

    def ready(self):
        from guichet.privacy import checks  # noqa: F401 - registers the system checks
        from guichet.privacy.register import load_register

        # Every process (gunicorn, Celery, manage.py) refuses to start on a broken register, naming the
        # file and the line, rather than answering a 500 on the first page that reads it.
        load_register()
