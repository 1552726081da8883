"""What the rights of the person change elsewhere: the objection and restriction flags the processing code reads
(DSR-8, DSR-11), and the staff rights of this app in the one staff policy."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from guichet.accounts.models import StaffRole
from guichet.rights.models import Processing, ProcessingFlag

# The one staff policy (accounts.policy.STAFF_ACTIONS), extended at start-up by RightsConfig.ready.
RIGHTS_STAFF_ACTIONS: dict[str, frozenset[str]] = {
    # The DPO office handles the requests: verify, extend, answer, refuse, record compelling grounds.
    "handle_rights_requests": frozenset({StaffRole.DPO_OFFICE}),
    # Agencies register the requests made at the counter or received by post (DSR-12, DSR-16).
    "register_rights_request": frozenset({StaffRole.AGENT, StaffRole.DPO_OFFICE}),
}


def _standing(processing: str) -> Q:
    # An objection or restriction of "every processing" covers each of them.
    return Q(lifted_at__isnull=True, processing__in=(processing, Processing.ALL))


def objects_to(person, processing: str) -> bool:
    """DSR-8 / DSR-11: an objection or a restriction stands against `processing` for the person."""
    if person is None or person.pk is None:
        return False
    return ProcessingFlag.objects.filter(_standing(processing), person=person).exists()


def flagged(processing: str, outer: str = "pk") -> Exists:
    """The same question in SQL for many people at once (the campaign audience, reports)."""
    return Exists(ProcessingFlag.objects.filter(_standing(processing), person=OuterRef(outer)))
