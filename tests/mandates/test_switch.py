"""The "acting for" switcher: it lists the files the actor may open, says whose file is open and in
whose name the actor acts, refuses a file the policy does not allow, and every switch is in the ledger."""

import json

import pytest
from django.urls import reverse

from guichet.mandates.policy import Action
from tests.conftest import english_client
from tests.mandates.helpers import give, ledger_entries

pytestmark = pytest.mark.django_db


@pytest.mark.rule("MAND-1")
@pytest.mark.rule("MAND-2")
def test_the_agent_switches_acts_and_both_identities_are_recorded(log_in, member, other_member):
    give(member.person, other_member.person, scopes=["consult", "contact"])
    client = log_in(english_client(), other_member)
    home = client.get(reverse("pages:private-home")).content.decode()
    assert '<label for="acting-for">Open the file of</label>' in home and "Marie Dubois (mandate)" in home
    client.post(reverse("mandates:switch"), {"file": str(member.person.public_id)})
    switched = ledger_entries("mandates.switched")[-1]
    assert switched.subject == member.person and switched.actor_ref == str(other_member.person.public_id)

    session = client.session
    session["reauthenticated_at"] = __import__("time").time()
    session.save()
    response = client.post(
        reverse("members:change-address"),
        {"street": "Rue Neuve", "number": "1", "postcode": "1000", "city": "Bruxelles", "country": "BE"},
    )
    assert response.status_code == 302
    assert member.person.addresses.filter(street="Rue Neuve").exists()
    act = ledger_entries("mandates.act")[-1]
    payload = json.loads(act.payload)
    assert act.subject == member.person and act.actor_ref == str(other_member.person.public_id)
    assert payload["action"] == Action.CHANGE_CONTACT_DATA and payload["basis"] == "mandate"
    assert member.person.mandates_given.get().log.filter(kind="act").exists()  # both sides see it


def test_it_answers_404_for_a_file_the_actor_may_not_open(log_in, member, stranger):
    client = log_in(english_client(), stranger)
    assert client.post(reverse("mandates:switch"), {"file": str(member.person.public_id)}).status_code == 404
    assert client.post(reverse("mandates:switch"), {"file": "not a uuid"}).status_code == 404
    assert client.get(reverse("members:my-data")).wsgi_request.subject == stranger.person
    assert not ledger_entries("mandates.switched")


def test_a_forged_session_choice_is_checked_on_every_request(log_in, member, stranger):
    client = log_in(english_client(), stranger)
    session = client.session
    session["acting_for"] = str(member.person.public_id)
    session.save()
    response = client.get(reverse("members:my-data"))
    assert response.wsgi_request.subject == stranger.person
    assert member.person.last_name not in response.content.decode().split("<main")[1]


def test_the_agent_goes_back_to_their_own_file(log_in, member, other_member):
    give(member.person, other_member.person)
    client = log_in(english_client(), other_member)
    client.post(reverse("mandates:switch"), {"file": str(member.person.public_id)})
    client.post(reverse("mandates:switch"), {"file": str(other_member.person.public_id)})
    assert client.get(reverse("pages:private-home")).wsgi_request.subject == other_member.person


@pytest.mark.rule("MAND-4")
def test_acting_for_someone_never_accepts_terms_or_grants_in_their_name(
    log_in, member, other_member, stranger
):
    give(member.person, other_member.person, scopes=["consult"])
    client = log_in(english_client(), other_member)
    client.post(reverse("mandates:switch"), {"file": str(member.person.public_id)})
    session = client.session
    session["reauthenticated_at"] = __import__("time").time()
    session.save()
    client.post(
        reverse("mandates:grant"),
        {
            "agent_national_number": stranger.person.national_number,
            "agent_first_name": stranger.person.first_name,
            "agent_last_name": stranger.person.last_name,
            "scopes": ["consult"],
            "starts_on": __import__("datetime").date.today().isoformat(),
        },
    )
    from guichet.mandates.models import Mandate

    made = Mandate.objects.get(agent=stranger.person)
    assert made.grantor == other_member.person  # on Jan's own file, never on Marie's


@pytest.mark.rule("MAND-4")
@pytest.mark.rule("MAND-2")
def test_an_agent_can_never_change_the_grantors_e_mail_or_mobile(log_in, member, other_member):
    """The e-mail and mobile receive the codes and the password reset: an agent who changed them could take
    the grantor's account over (and act without the mandate). Even with the contact scope: 404, nothing asked."""
    give(member.person, other_member.person, scopes=["consult", "contact"])
    client = log_in(english_client(), other_member)
    client.post(reverse("mandates:switch"), {"file": str(member.person.public_id)})
    session = client.session
    session["reauthenticated_at"] = __import__("time").time()
    session.save()
    mobile_before, email_before = member.person.mobile, member.person.email
    for kind, value in (("mobile", "+32470999888"), ("email", "agent@example.org")):
        assert client.get(reverse(f"members:change-{kind}")).status_code == 404
        assert client.post(reverse(f"members:change-{kind}"), {"value": value}).status_code == 404
    page = client.get(reverse("members:my-data")).content.decode()
    assert reverse("members:change-mobile") not in page and reverse("members:change-email") not in page
    member.person.refresh_from_db()
    assert (member.person.mobile, member.person.email) == (mobile_before, email_before)
    assert not member.person.contact_changes.exists()
