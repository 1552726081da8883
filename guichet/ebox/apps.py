"""Django configuration of the ebox app: ledger kinds and the e-Box's own document types."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EboxConfig(AppConfig):
    name = "guichet.ebox"
    label = "ebox"
    verbose_name = _("The e-Box")

    def ready(self) -> None:
        from guichet.accounts.policy import STAFF_ACTIONS
        from guichet.ebox import services, types
        from guichet.ebox.policy import EBOX_STAFF_ACTIONS

        STAFF_ACTIONS.update(EBOX_STAFF_ACTIONS)
        services.register_kinds()
        types.register_own_types()
