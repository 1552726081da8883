"""'My communication settings' (COMM-3, COMM-4, COMM-5): per channel yes or no for information and offers,
sharing with the group's other entities, objections to tracking and profiling; each change recorded
and published through the outbox. Only the member's own file; staff get a 404."""

import pytest
from django.urls import reverse

from guichet.accounts.models import StaffRole
from guichet.communication import policy
from guichet.communication.models import PreferenceChange, Preferences
from guichet.communication.services import PREFERENCES_CHANGED, CommunicationError, change_preferences
from guichet.events.models import OutboxEvent

pytestmark = pytest.mark.django_db
SETTINGS = reverse("communication:my-settings")
ALL_YES = {name: "yes" for name in ("email_offers", "post_offers", "phone_offers", "sms_offers", "app_offers",
                                    "share_with_group", "measure_campaigns", "use_for_profiling")}


@pytest.mark.rule("COMM-3", "COMM-1")
def test_it_shows_every_channel_accepted_until_the_member_objects(member_client, member):
    response = member_client.get(SETTINGS)
    assert response.status_code == 200
    for label in ("by e-mail", "by post", "by phone", "by SMS", "in the app"):
        assert f"Information and offers {label}" in response.content.decode()
    assert response.context["form"].initial["email_offers"] == "yes"
    assert policy.receives_offers(member.person, "email")


@pytest.mark.rule("COMM-3", "COMM-4")
def test_it_records_a_choice_per_channel_and_the_refusal_to_share(member_client, member):
    response = member_client.post(SETTINGS, {**ALL_YES, "sms_offers": "no", "share_with_group": "no"})
    assert response.status_code == 302
    preferences = Preferences.objects.get(person=member.person)
    assert (preferences.sms_offers, preferences.email_offers, preferences.share_with_group) == (False, True, False)
    assert not policy.receives_offers(member.person, "sms")
    assert policy.receives_offers(member.person, "email")
    change = PreferenceChange.objects.get(person=member.person)
    assert change.snapshot["offers"]["sms"] is False and change.snapshot["share_with_group"] is False
    event = OutboxEvent.objects.get(kind=PREFERENCES_CHANGED)
    assert event.subject == member.person.public_id and event.payload == {"change": str(change.public_id)}


@pytest.mark.rule("COMM-5")
def test_declining_every_channel_stops_all_offers_and_personalisation(member_client, member):
    member_client.post(SETTINGS, {**ALL_YES, **{f"{c}_offers": "no" for c in ("email", "post", "phone", "sms", "app")}})
    person = member.person
    assert policy.declines_everything(person)
    assert not any(policy.receives_offers(person, channel) for channel in ("email", "post", "phone", "sms", "app"))
    assert not policy.may_personalise(person)
    assert "you receive no commercial message" in member_client.get(SETTINGS).content.decode()


@pytest.mark.rule("COMM-3")
def test_it_changes_nothing_on_bad_input(member_client, member):
    response = member_client.post(SETTINGS, {**ALL_YES, "email_offers": "maybe"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Preferences.objects.exists() and not OutboxEvent.objects.exists()
    with pytest.raises(CommunicationError):
        change_preferences(member.person, {"email_offers": "no"})
    with pytest.raises(CommunicationError):
        change_preferences(member.person, {"person_id": 3})
    assert not Preferences.objects.exists()


@pytest.mark.rule("COMM-3")
def test_it_records_nothing_when_nothing_changed(member):
    assert change_preferences(member.person, {"email_offers": True}) is None
    assert not PreferenceChange.objects.exists() and not OutboxEvent.objects.exists()


@pytest.mark.rule("COMM-3")
def test_it_only_ever_changes_the_logged_in_members_own_settings(client, log_in, member, stranger):
    log_in(client, stranger)
    client.post(SETTINGS, {**ALL_YES, "email_offers": "no"})
    assert not Preferences.objects.filter(person=member.person).exists()
    assert Preferences.objects.get(person=stranger.person).email_offers is False


@pytest.mark.rule("COMM-3")
def test_it_answers_404_to_staff(client, log_in, staff):
    log_in(client, staff(StaffRole.ADMINISTRATOR))
    assert client.get(SETTINGS).status_code == 404
