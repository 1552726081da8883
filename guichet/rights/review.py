"""A human review of an automated decision (DSR-9, AUTO-9): the request goes to the decisions app's review
queue with the person's reasons."""

from __future__ import annotations

from django.utils.translation import gettext as _


def decision_of(person, reference: str):
    """The automated decision `reference` (its public id) about `person`, or None."""
    import uuid

    from guichet.decisions.models import Decision

    try:
        public_id = uuid.UUID(str(reference))
    except ValueError:
        return None
    return Decision.objects.filter(subject=person, public_id=public_id).first()


def decision_choices(person) -> list[tuple[str, str]]:
    from guichet.decisions.kinds import label_of
    from guichet.decisions.services import decisions_of

    return [(str(d.public_id), f"{label_of(d.kind)} ({d.decided_at:%d/%m/%Y})") for d in decisions_of(person)[:50]]


def send_to_review(request, *, staff=None):
    """Ask for the review in the name of the person who filed the request (or the subject)."""
    from guichet.decisions.errors import DecisionError
    from guichet.decisions.services import request_review
    from guichet.rights.services import RightsError

    decision = decision_of(request.person, request.target)
    if decision is None:
        raise RightsError(_("There is no such automated decision about this person."), "target")
    try:
        return request_review(decision, actor=request.filed_by or request.person, reasons=request.details)
    except DecisionError as error:
        raise RightsError(str(error)) from None
