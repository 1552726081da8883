"""Django configuration of the retention app: ledger kinds, the staff action, and the retention targets of
the existing apps, registered when it is ready."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetentionConfig(AppConfig):
    name = "guichet.retention"
    label = "retention"
    verbose_name = _("Retention")

    def ready(self) -> None:
        from guichet.accounts.models import StaffRole
        from guichet.accounts.policy import STAFF_ACTIONS
        from guichet.ledger.kinds import register_kind
        from guichet.retention import targets

        register_kind("retention.hold_placed", _("Data kept as evidence (legal hold)"))
        register_kind("retention.hold_lifted", _("Legal hold lifted"))
        register_kind("retention.run_finished", _("Expired data erased or anonymised"))
        # RET-4, RET-9: the data protection office decides holds and watches the runs.
        STAFF_ACTIONS.setdefault("manage_retention", frozenset({StaffRole.DPO_OFFICE}))
        targets.register_all()
