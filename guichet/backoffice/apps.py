"""Django configuration of the back office: installs its staff rights into the one staff policy,
registers its ledger kinds and its system checks."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    name = "guichet.backoffice"
    label = "backoffice"
    verbose_name = _("Back office")

    def ready(self):
        from guichet.backoffice import checks, policy  # noqa: F401 - checks register themselves
        from guichet.backoffice.ledger_kinds import register_ledger_kinds

        policy.install()
        register_ledger_kinds()
