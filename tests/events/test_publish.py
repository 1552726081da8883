"""Publishing a domain event: written in the caller's transaction, never outside one."""

import pytest
from django.db import transaction

from guichet.events.models import OutboxEvent
from guichet.events.services import NotInTransaction, publish
from tests.events.conftest import KIND

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_never_keeps_the_event_of_a_rolled_back_transaction(personas, recorder):
    marie = personas["marie"]
    with pytest.raises(RuntimeError), transaction.atomic():
        publish(KIND, person=marie, payload={"n": 1})
        raise RuntimeError("the change failed")
    assert not OutboxEvent.objects.exists()
    assert recorder.seen == []


def test_it_keeps_and_delivers_the_event_of_a_committed_transaction(personas, recorder):
    marie = personas["marie"]
    with transaction.atomic():
        event = publish(KIND, person=marie, payload={"n": 1})
    event.refresh_from_db()
    assert event.subject == marie.public_id and event.payload == {"n": 1}
    assert event.delivered_at is not None  # eager: delivered once the transaction committed
    assert recorder.seen == [event.id]


def test_it_refuses_to_publish_outside_a_transaction(personas):
    with pytest.raises(NotInTransaction):
        publish(KIND, person=personas["marie"])
    assert not OutboxEvent.objects.exists()
