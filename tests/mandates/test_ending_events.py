"""Ending events (MAND-9): death, legal incapacity or bankruptcy of either side ends the mandates as soon
as the mutual records it; the policy refuses at once, before any event is delivered."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.models import StaffRole
from guichet.events.models import OutboxEvent
from guichet.mandates.models import EndReason, MandateStatus
from guichet.mandates.policy import Action, decide
from guichet.members import services as registry
from tests.mandates.helpers import give

pytestmark = pytest.mark.django_db

RECORDERS = {
    "death": (registry.record_death, EndReason.DEATH),
    "legal_incapacity": (registry.record_legal_incapacity, EndReason.LEGAL_INCAPACITY),
    "bankruptcy": (registry.record_bankruptcy, EndReason.BANKRUPTCY),
}


@pytest.mark.rule("MAND-9")
@pytest.mark.parametrize("event", sorted(RECORDERS))
@pytest.mark.parametrize("side", ["grantor", "agent"])
def test_the_policy_refuses_at_once_even_before_the_event_is_delivered(
    member, other_member, stranger, event, side
):
    marie, jan = member.person, other_member.person
    give(marie, jan)
    record, _reason = RECORDERS[event]
    with pytest.MonkeyPatch.context() as patch:  # the outbox is not delivered in this test
        patch.setattr("guichet.events.services._enqueue_delivery", lambda: None)
        record(marie if side == "grantor" else jan, timezone.localdate(), by=stranger)
    assert OutboxEvent.objects.filter(delivered_at__isnull=True).exists()
    decision = decide(jan, marie, Action.OPEN_FILE)
    assert not decision.allowed and decision.reason == "life_event"


@pytest.mark.rule("MAND-9")
@pytest.mark.parametrize("event", sorted(RECORDERS))
def test_the_subscriber_ends_the_mandates_given_and_received(
    member, other_member, stranger, event, django_capture_on_commit_callbacks
):
    marie, jan, tom = member.person, other_member.person, stranger.person
    given = give(marie, jan)
    received = give(tom, marie)
    record, reason = RECORDERS[event]
    with django_capture_on_commit_callbacks(execute=True):
        record(marie, timezone.localdate(), by=None)
    from guichet.events.services import deliver_pending

    deliver_pending()
    for mandate in (given, received):
        mandate.refresh_from_db()
        assert mandate.status == MandateStatus.ENDED and mandate.end_reason == reason


@pytest.mark.rule("MAND-9")
def test_staff_record_a_legal_incapacity_from_the_person_page(client, log_in, staff, member, other_member):
    give(member.person, other_member.person)
    log_in(client, staff(StaffRole.AGENT))
    response = client.post(
        reverse("mandates:staff-life-event", args=[member.person.public_id]),
        {"event": "legal_incapacity", "date": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    member.person.refresh_from_db()
    assert member.person.legal_incapacity_on == timezone.localdate()
    assert not decide(other_member.person, member.person, Action.OPEN_FILE).allowed


@pytest.mark.rule("MAND-9")
def test_a_future_or_repeated_event_is_refused_with_a_message(member, other_member):
    with pytest.raises(registry.RegistryError):
        registry.record_bankruptcy(member.person, timezone.localdate() + datetime.timedelta(days=1), by=None)
    registry.record_bankruptcy(member.person, timezone.localdate(), by=None)
    with pytest.raises(registry.RegistryError):
        registry.record_bankruptcy(member.person, timezone.localdate(), by=None)


@pytest.mark.rule("MAND-9")
def test_a_member_cannot_record_a_life_event(client, log_in, member):
    log_in(client, member)
    response = client.post(
        reverse("mandates:staff-life-event", args=[member.person.public_id]),
        {"event": "death", "date": timezone.localdate().isoformat()},
    )
    assert response.status_code == 404
