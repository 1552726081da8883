"""COMM-6: a non-member states their choice through a public form, identified by their e-mail address or
phone number, of which only a keyed hash is kept; the choice is propagated like a member's (COMM-7)."""

import hashlib
import hmac
import json

import pytest
from django.urls import reverse

from guichet.communication.models import NonMemberChoice, PreferenceChange
from guichet.communication.services import (
    PREFERENCES_CHANGED,
    CommunicationError,
    non_member_accepts_offers,
    state_non_member_choice,
)
from guichet.events.models import OutboxEvent

pytestmark = [pytest.mark.django_db, pytest.mark.rule("COMM-6")]
CHOICE = reverse("communication:choice")


def test_a_visitor_refuses_offers_by_e_mail_address_and_only_a_hash_is_kept(client):
    response = client.post(CHOICE, {"email": "Someone@Example.org", "accepts_offers": "no"})
    assert response.url == reverse("communication:choice-recorded")
    choice = NonMemberChoice.objects.get()
    assert choice.accepts_offers is False and choice.identifier_kind == "email"
    assert "example" not in choice.subject_key.lower() and len(choice.subject_key) == 64
    assert not non_member_accepts_offers(email="someone@example.org")
    assert non_member_accepts_offers(email="other@example.org")
    event = OutboxEvent.objects.get(kind=PREFERENCES_CHANGED)
    assert event.subject == choice.public_id
    assert "Your choice is recorded" in client.get(response.url).content.decode()


def test_a_phone_number_is_recognised_whatever_its_format_and_a_new_choice_replaces_the_old(db):
    state_non_member_choice(phone="0470 12 34 56", accepts_offers=False)
    assert not non_member_accepts_offers(phone="+32470123456")
    state_non_member_choice(phone="0032 470 12 34 56", accepts_offers=True)
    assert non_member_accepts_offers(phone="0470123456")
    assert NonMemberChoice.objects.count() == 1 and PreferenceChange.objects.count() == 2


@pytest.mark.parametrize("data, message", [
    ({"accepts_offers": "no"}, "Give either your e-mail address or your phone number."),
    ({"email": "a@example.org", "phone": "0470123456", "accepts_offers": "no"}, "Give either"),
    ({"email": "not an address", "accepts_offers": "no"}, "This is not a valid e-mail address"),
    ({"phone": "12", "accepts_offers": "no"}, "This is not a valid phone number"),
    ({"email": "a@example.org", "accepts_offers": "perhaps"}, "Select a valid choice"),
])
def test_bad_input_gets_a_clear_message_and_records_nothing(client, data, message):
    response = client.post(CHOICE, data)
    assert response.status_code == 200 and message in response.content.decode()
    assert not NonMemberChoice.objects.exists() and not OutboxEvent.objects.exists()


def test_the_service_refuses_a_choice_that_is_not_a_yes_or_no(db):
    with pytest.raises(CommunicationError):
        state_non_member_choice(email="a@example.org", accepts_offers="no")
    assert not NonMemberChoice.objects.exists()


def test_the_form_is_throttled_per_connection(client):
    for index in range(3):
        client.post(CHOICE, {"email": f"person{index}@example.org", "accepts_offers": "no"})
    recorded = NonMemberChoice.objects.count()
    for index in range(3, 6):
        client.post(CHOICE, {"email": f"person{index}@example.org", "accepts_offers": "no"})
    assert NonMemberChoice.objects.count() < recorded + 3


@pytest.mark.rule("COMM-7")
def test_group_subscribers_can_match_the_choice_with_the_shared_key_but_never_see_the_address(db, settings):
    settings.GROUP_MATCHING_KEY = "shared with the group"
    change = state_non_member_choice(email="Someone@Example.org", accepts_offers=False)
    expected = hmac.new(b"shared with the group", b"email:someone@example.org", hashlib.sha256).hexdigest()
    assert change.snapshot == {"matching_key": expected, "identifier_kind": "email", "accepts_offers": False}
    assert "example" not in json.dumps(change.snapshot)
