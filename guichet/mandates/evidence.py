"""Evidence of this app in the ledger (MAND-2: both identities on every entry) and the notices sent to
the people concerned (an SMS or e-mail announces; it never carries the content)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

KINDS = {
    "mandates.granted": gettext_lazy("Mandate granted"),
    "mandates.accepted": gettext_lazy("Mandate accepted"),
    "mandates.refused": gettext_lazy("Mandate refused by the agent"),
    "mandates.revoked": gettext_lazy("Mandate revoked"),
    "mandates.ended": gettext_lazy("Mandate ended"),
    "mandates.suspended": gettext_lazy("Mandate suspended by the mutual"),
    "mandates.resumed": gettext_lazy("Mandate resumed by the mutual"),
    "mandates.act": gettext_lazy("Act under a mandate or parental authority"),
    "mandates.joint_act_proposed": gettext_lazy("Joint act proposed"),
    "mandates.joint_act_approved": gettext_lazy("Joint act approved"),
    "mandates.joint_act_done": gettext_lazy("Joint act done"),
    "mandates.switched": gettext_lazy("File opened for another person"),
    "mandates.parental_authority": gettext_lazy("Parental authority recorded"),
    "mandates.court_decision": gettext_lazy("Court decision on parental authority recorded"),
}


def register_kinds() -> None:
    from guichet.ledger.kinds import register_kind

    for kind, label in KINDS.items():
        register_kind(kind, label)


def record(kind: str, *, actor, subject, payload: dict | None = None, visible_to_subject: bool = True):
    """Append the evidence in the caller's transaction; `actor` is the Person (or staff User) acting,
    `subject` the person whose file it is; the payload names the other identity when it differs."""
    from guichet.ledger.services import append

    return append(
        kind,
        actor=actor,
        subject=subject,
        context="operations",
        payload=payload or {},
        visible_to_subject=visible_to_subject,
    )


def notify(person, message_in_language) -> None:
    """Tell the person something about a mandate by SMS (or e-mail when they have no mobile); the text
    only announces and sends them to their account."""
    from guichet.messaging.services import email_to, sms_to_person

    if person.mobile:
        sms_to_person(person, message_in_language)
    elif person.email:
        email_to(person.email, person.language, lambda: (_("News about a mandate"), message_in_language()))
