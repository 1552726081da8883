"""Django configuration of the decisions app: decision kinds, ledger kinds, document types, staff rights
and event subscribers."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    name = "guichet.decisions"
    label = "decisions"
    verbose_name = _("Automated decisions")

    def ready(self) -> None:
        # pyHanko adds CMS attribute types (signing_certificate_v2...) to asn1crypto's tables when it is imported;
        # asn1crypto caches its reverse table at first use. If the signing app builds a CMS before pyHanko was
        # imported, every e-Box seal afterwards fails in that process (our decisions both sign and seal): load
        # pyHanko's tables at start-up. (Reported for the signing/e-Box apps, where this belongs.)
        import pyhanko.sign.general  # noqa: F401

        from guichet.accounts.policy import STAFF_ACTIONS
        from guichet.decisions import documents, kinds, subscribers  # noqa: F401 - registers the subscribers
        from guichet.decisions.policy import DECISIONS_STAFF_ACTIONS
        from guichet.ledger.kinds import register_kind

        STAFF_ACTIONS.update(DECISIONS_STAFF_ACTIONS)
        kinds.register_own_kinds()
        documents.register_types()
        register_kind("decisions.decided", _("Automated decision"))
        register_kind("decisions.review_requested", _("Human review of a decision requested"))
        register_kind("decisions.review_answered", _("Review of a decision answered"))
        register_kind("decisions.situation_recorded", _("Allowance or situation recorded"))
        register_kind("decisions.bim_requested", _("Increased reimbursement requested"))
