"""Publishing domain events and delivering them: `publish` inside the caller's transaction,
`subscribe(kind)` to register a handler, `deliver_pending` (run by the `deliver_outbox` task).

Guarantees: an event exists only if the transaction that published it committed; events are taken
in id order, and a person's later events wait while an earlier one of theirs is failing; a handler
that succeeded is never called again for the same event (the outbox keeps `handled_by`), a failing
one is retried with a growing delay. Handlers must still be idempotent (a worker can die between a
handler's success and its recording): they receive the event, whose `id` identifies it.
"""

import logging
import traceback
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone

from guichet.events.models import OutboxEvent

logger = logging.getLogger(__name__)

Handler = Callable[[OutboxEvent], None]
_subscribers: dict[str, list[Handler]] = defaultdict(list)

BASE_RETRY_SECONDS = 30
MAX_RETRY_SECONDS = 3600
BATCH = 200


class NotInTransaction(RuntimeError):
    """publish() was called outside a transaction: the event could outlive a rolled-back change."""


def handler_name(handler: Handler) -> str:
    return f"{handler.__module__}.{handler.__qualname__}"


def subscribe(kind: str) -> Callable[[Handler], Handler]:
    """Decorator: call `handler(event)` for each event of `kind`. Apps subscribe in AppConfig.ready."""

    def register(handler: Handler) -> Handler:
        if handler_name(handler) not in {handler_name(known) for known in _subscribers[kind]}:
            _subscribers[kind].append(handler)
        return handler

    return register


def unsubscribe(kind: str, handler: Handler) -> None:
    _subscribers[kind] = [
        known for known in _subscribers[kind] if handler_name(known) != handler_name(handler)
    ]


def subscribers_of(kind: str) -> list[Handler]:
    return list(_subscribers.get(kind, []))


def publish(kind: str, *, person, payload: dict | None = None) -> OutboxEvent:
    """Write the event to the outbox in the caller's transaction; delivery is queued once it commits."""
    if not transaction.get_connection().in_atomic_block:
        raise NotInTransaction(f"publish({kind!r}) must be called inside the transaction of the change")
    event = OutboxEvent.objects.create(kind=kind, subject=person.public_id, payload=payload or {})
    transaction.on_commit(_enqueue_delivery, robust=True)
    return event


def _enqueue_delivery() -> None:
    from guichet.events.tasks import deliver_outbox

    deliver_outbox.delay()


def retry_delay(attempts: int) -> timedelta:
    return timedelta(seconds=min(BASE_RETRY_SECONDS * 2 ** max(attempts - 1, 0), MAX_RETRY_SECONDS))


@dataclass
class DeliveryReport:
    delivered: int = 0
    failed: int = 0
    held_back: int = 0


def _locked(queryset):
    """Row locks that other workers skip, where the database has them (PostgreSQL; not SQLite)."""
    if connection.features.has_select_for_update_skip_locked:
        return queryset.select_for_update(skip_locked=True)
    return queryset


def deliver_pending(now: datetime | None = None, *, limit: int = 10_000) -> DeliveryReport:
    """Deliver the undelivered events in order, each in its own transaction, up to `limit` events."""
    now = now or timezone.now()
    report = DeliveryReport()
    blocked: set = set()  # subjects with an earlier event still undelivered: theirs wait (order per person)
    last_id = 0
    seen = 0
    while seen < limit:
        candidates = list(
            OutboxEvent.objects.filter(delivered_at__isnull=True, id__gt=last_id)
            .order_by("id")
            .values_list("id", "subject", "next_attempt_at")[:BATCH]
        )
        if not candidates:
            break
        for event_id, subject, next_attempt_at in candidates:
            last_id = event_id
            seen += 1
            if subject in blocked or next_attempt_at > now:
                blocked.add(subject)
                report.held_back += 1
                continue
            outcome = _deliver_one(event_id, now)
            if outcome == "delivered":
                report.delivered += 1
            elif outcome == "failed":
                report.failed += 1
                blocked.add(subject)
            else:  # taken by another worker, or delivered meanwhile
                blocked.add(subject)
    return report


def _deliver_one(event_id: int, now: datetime) -> str:
    with transaction.atomic():
        event = _locked(OutboxEvent.objects.filter(pk=event_id, delivered_at__isnull=True)).first()
        if event is None:
            return "skipped"
        done = list(event.handled_by)
        error = ""
        for handler in subscribers_of(event.kind):
            name = handler_name(handler)
            if name in done:
                continue
            try:
                with transaction.atomic():  # a failing handler's writes are undone, the others' kept
                    handler(event)
            except Exception as problem:  # noqa: BLE001 - any failure is recorded and retried
                error = f"{name}: {type(problem).__name__}: {problem}\n{traceback.format_exc(limit=5)}"
                logger.warning(
                    "outbox event %s: subscriber %s failed: %s", event.pk, name, type(problem).__name__
                )
                break
            done.append(name)
        event.handled_by = done
        event.attempts += 1
        if error:
            event.last_error = error[:4000]
            event.next_attempt_at = now + retry_delay(event.attempts)
        else:
            event.delivered_at = now
            event.last_error = ""
        event.save(update_fields=["handled_by", "attempts", "last_error", "next_attempt_at", "delivered_at"])
        return "failed" if error else "delivered"
