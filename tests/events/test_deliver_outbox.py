"""Delivering the outbox: in order, retried with a growing delay, never twice to a subscriber."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from guichet.events import services
from guichet.events.models import OutboxEvent
from guichet.events.services import deliver_pending, publish
from guichet.events.tasks import deliver_outbox
from tests.events.conftest import KIND

pytestmark = pytest.mark.django_db


def publish_now(person, **payload):
    with transaction.atomic():  # inside the test's transaction: on_commit never fires, delivery is ours
        return publish(KIND, person=person, payload=payload)


def test_it_delivers_in_order(personas, recorder):
    events = [publish_now(personas["marie"], n=n) for n in range(3)] + [publish_now(personas["jan"], n=3)]
    report = deliver_pending()
    assert report.delivered == 4
    assert recorder.seen == [event.id for event in events]
    assert not OutboxEvent.objects.filter(delivered_at__isnull=True).exists()


@pytest.mark.rule("SEC-3")
def test_it_leaves_a_failed_event_undelivered_with_the_error_and_delivers_it_on_the_next_run(
    personas, recorder
):
    event = publish_now(personas["marie"])
    recorder.failing = True
    report = deliver_pending()
    event.refresh_from_db()
    assert report.failed == 1 and event.delivered_at is None and event.attempts == 1
    assert "the print house is down" in event.last_error
    assert event.next_attempt_at > timezone.now()

    recorder.failing = False
    assert deliver_pending().delivered == 0  # not before its retry time
    report = deliver_pending(now=event.next_attempt_at + timedelta(seconds=1))
    event.refresh_from_db()
    assert report.delivered == 1 and event.delivered_at is not None and event.last_error == ""
    assert recorder.seen == [event.id]


def test_it_waits_longer_after_each_failure(personas, recorder):
    event = publish_now(personas["marie"])
    recorder.failing = True
    now = timezone.now()
    waits = []
    for _ in range(4):
        deliver_pending(now=now)
        event.refresh_from_db()
        waits.append(event.next_attempt_at - now)
        now = event.next_attempt_at
    assert waits == sorted(waits) and waits[0] < waits[-1]


def test_it_holds_back_a_persons_later_events_while_an_earlier_one_fails(personas, recorder):
    first = publish_now(personas["marie"], n=1)
    second = publish_now(personas["marie"], n=2)
    other = publish_now(personas["jan"], n=3)
    recorder.failing = personas["marie"].public_id
    report = deliver_pending()
    assert recorder.seen == [other.id]  # jan's event is not held up by marie's
    assert (report.failed, report.held_back, report.delivered) == (1, 1, 1)
    recorder.failing = False
    report = deliver_pending()  # marie's first waits for its retry: her second waits behind it
    assert report.held_back == 2 and recorder.seen == [other.id]
    deliver_pending(now=timezone.now() + timedelta(hours=2))
    assert recorder.seen == [other.id, first.id, second.id]


@pytest.mark.rule("SEC-3")
def test_it_does_not_deliver_twice_when_run_twice(personas, recorder):
    events = [publish_now(personas["marie"], n=n) for n in range(2)]
    deliver_pending()
    deliver_pending()
    deliver_outbox.apply()
    assert recorder.seen == [event.id for event in events]


def test_it_does_not_call_again_a_subscriber_that_succeeded_when_another_one_failed(personas, recorder):
    calls = []

    def flaky(event):
        calls.append(event.id)
        if len(calls) == 1:
            raise ValueError("first try fails")

    services.subscribe(KIND)(flaky)
    try:
        event = publish_now(personas["marie"])
        deliver_pending()
        deliver_pending(now=timezone.now() + timedelta(hours=2))
    finally:
        services.unsubscribe(KIND, flaky)
    event.refresh_from_db()
    assert recorder.seen == [event.id]  # the first subscriber ran once
    assert calls == [event.id, event.id]  # the failing one was retried
    assert event.delivered_at is not None and event.attempts == 2


def test_it_undoes_the_writes_of_a_failing_subscriber(personas, recorder):
    marie = personas["marie"]

    def half_done(event):
        marie.__class__.objects.filter(pk=marie.pk).update(first_name="Changed")
        raise RuntimeError("fails after writing")

    services.subscribe(KIND)(half_done)
    try:
        publish_now(marie)
        deliver_pending()
    finally:
        services.unsubscribe(KIND, half_done)
    marie.refresh_from_db()
    assert marie.first_name == "Marie"
