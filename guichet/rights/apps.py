"""Django configuration of the rights app: ledger kinds, e-Box document types, staff rights."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RightsConfig(AppConfig):
    name = "guichet.rights"
    label = "rights"
    verbose_name = _("Rights of the person")

    def ready(self) -> None:
        from guichet.accounts.policy import STAFF_ACTIONS
        from guichet.ebox.types import register_document_type
        from guichet.ledger.kinds import register_kind
        from guichet.rights.policy import RIGHTS_STAFF_ACTIONS

        labels = {
            "rights.received": _("Request about your data received"),
            "rights.identity_verified": _("Identity of the requester verified"),
            "rights.extended": _("Deadline of your request extended"),
            "rights.answered": _("Request about your data answered"),
            "rights.refused": _("Request about your data refused"),
        }
        for kind, label in labels.items():
            register_kind(kind, label)
        register_document_type("access_answer", _("Copy of your data (access request)"))
        register_document_type("rights_answer", _("Answer to your request about your data"))
        STAFF_ACTIONS.update(RIGHTS_STAFF_ACTIONS)
