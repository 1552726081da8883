"""Django configuration of the evidence ledger."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "guichet.ledger"
    label = "ledger"
    verbose_name = _("Evidence ledger")
