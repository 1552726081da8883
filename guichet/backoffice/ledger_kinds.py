"""The kinds of ledger entries the back office writes, registered with the ledger at start-up, with the
words a member reads in their account (ACL-6)."""

from django.utils.translation import gettext_lazy as _

CONFIDENTIALITY_ACKNOWLEDGED = "backoffice.confidentiality_acknowledged"
FILE_OPENED = "backoffice.file_opened"
FILE_ACCESS_REFUSED = "backoffice.file_access_refused"
DELEGATION_GRANTED = "backoffice.delegation_granted"
DELEGATION_REVOKED = "backoffice.delegation_revoked"
DISCLOSURE_RECEIVED = "backoffice.disclosure_received"
DISCLOSURE_REFUSED = "backoffice.disclosure_refused"
DISCLOSURE_GRANTED = "backoffice.disclosure_granted"

KINDS = {
    CONFIDENTIALITY_ACKNOWLEDGED: _("A staff member acknowledged the confidentiality undertaking"),
    FILE_OPENED: _("Your file was opened by staff"),
    FILE_ACCESS_REFUSED: _("A staff member was refused access to a file"),
    DELEGATION_GRANTED: _("An advising physician delegated the processing of health data"),
    DELEGATION_REVOKED: _("An advising physician revoked a delegation"),
    DISCLOSURE_RECEIVED: _("A third party asked for data about you"),
    DISCLOSURE_REFUSED: _("A third party's request for data about you was refused"),
    DISCLOSURE_GRANTED: _("Data about you were disclosed to a third party"),
}


def register_ledger_kinds() -> None:
    from guichet.ledger.kinds import register_kind

    for kind, label in KINDS.items():
        register_kind(kind, label)
