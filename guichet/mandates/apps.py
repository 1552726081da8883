"""Django configuration of the mandates app: ledger kinds, staff rights and life-event subscribers."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MandatesConfig(AppConfig):
    name = "guichet.mandates"
    label = "mandates"
    verbose_name = _("Mandates and parental authority")

    def ready(self) -> None:
        from guichet.accounts.policy import STAFF_ACTIONS
        from guichet.mandates import evidence, subscribers  # noqa: F401 - registers the subscribers
        from guichet.mandates.policy import MANDATES_STAFF_ACTIONS

        # The staff rights of this app join the one staff policy (staff_required asks it).
        STAFF_ACTIONS.update(MANDATES_STAFF_ACTIONS)
        evidence.register_kinds()
