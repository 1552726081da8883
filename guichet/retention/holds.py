"""Legal holds (RET-4): staff keep a person's data (or one context/category of it) as evidence in a dispute;
held data are never erased by the retention run and are not used actively. Placing and lifting are
recorded in the ledger."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.ledger.services import append
from guichet.privacy.register import load_register
from guichet.retention.models import LegalHold


class RetentionError(Exception):
    """A request the retention app refuses; `message` is for the person, already translated."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message, self.field = message, field


def is_held(person, *, category: str | None = None, context: str | None = None,
            at: datetime.datetime | None = None) -> bool:
    """Whether a legal hold stands on `person` (at `at`, default now) covering `category` in `context`.
    A hold without context/category covers them all; a question without them asks about any hold."""
    holds = LegalHold.objects.active(at).filter(person=person)
    if context:
        holds = holds.filter(Q(context="") | Q(context=context))
    if category:
        holds = holds.filter(Q(category="") | Q(category=category))
    return holds.exists()


def not_used_actively(person) -> bool:
    """RET-4: data under a hold are kept as evidence only; pages and jobs that would use them ask this."""
    return is_held(person)


def holds_covering(person_ref: OuterRef | str, contexts, categories, at=None) -> Exists:
    """An EXISTS over the active holds of the person `person_ref` covering any of these contexts/categories:
    the engine excludes the records it matches."""
    if isinstance(person_ref, str):
        person_ref = OuterRef(person_ref)
    return Exists(LegalHold.objects.active(at).filter(person=person_ref)
                  .filter(Q(context="") | Q(context__in=list(contexts)))
                  .filter(Q(category="") | Q(category__in=list(categories))))


def place_hold(person, *, by, reason: str, case_reference: str, context: str = "", category: str = "") -> LegalHold:
    """Put `person`'s data (or one context / category) on hold, with the reason and the case reference."""
    reason, case_reference = (reason or "").strip(), (case_reference or "").strip()
    context, category = (context or "").strip(), (category or "").strip()
    if not reason or len(reason) > 300:
        raise RetentionError(_("Give the reason for the hold (300 characters at most)."), "reason")
    if not case_reference or len(case_reference) > 60:
        raise RetentionError(_("Give the reference of the case (60 characters at most)."), "case_reference")
    register = load_register()
    if context and not register.has_context(context):
        raise RetentionError(_("Unknown context."), "context")
    if category and category not in register.categories():
        raise RetentionError(_("Unknown data category."), "category")
    with transaction.atomic():
        hold = LegalHold.objects.create(person=person, context=context, category=category, reason=reason,
                                        case_reference=case_reference, placed_by=by, placed_at=timezone.now())
        append("retention.hold_placed", actor=by, subject=person, context=context or "operations",
               payload={"hold": hold.pk, "context": context, "category": category, "reason": reason,
                        "case_reference": case_reference})
    return hold


def lift_hold(hold: LegalHold, *, by, reason: str) -> LegalHold:
    """End a hold: from now on the retention rules apply to the data again."""
    reason = (reason or "").strip()
    if not reason or len(reason) > 300:
        raise RetentionError(_("Give the reason for lifting the hold (300 characters at most)."), "lift_reason")
    with transaction.atomic():
        hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
        if hold.lifted_at is not None:
            raise RetentionError(_("This hold was already lifted."))
        hold.lifted_at, hold.lifted_by, hold.lift_reason = timezone.now(), by, reason
        hold.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
        append("retention.hold_lifted", actor=by, subject=hold.person, context=hold.context or "operations",
               payload={"hold": hold.pk, "case_reference": hold.case_reference, "reason": reason})
    return hold
