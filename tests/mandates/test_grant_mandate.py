"""Granting a mandate: a structured form (MAND-10), confirmed by re-authentication, recorded in the
ledger with both identities (MAND-2); the agent accepts in their own account (MAND-1)."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.decorators import REAUTHENTICATED_AT
from guichet.mandates import services
from guichet.mandates.models import Mandate, MandateStatus
from guichet.mandates.policy import Action, decide
from guichet.messaging.models import OutboxMessage
from tests.mandates.helpers import agent_input, give, ledger_entries

pytestmark = pytest.mark.django_db


def sudo(client):
    import time

    session = client.session
    session[REAUTHENTICATED_AT] = time.time()
    session.save()


def form_data(agent, **extra):
    data = {
        "agent_national_number": agent.national_number,
        "agent_first_name": agent.first_name,
        "agent_last_name": agent.last_name,
        "scopes": ["consult", "contact"],
        "starts_on": timezone.localdate().isoformat(),
    }
    data.update(extra)
    return data


@pytest.mark.rule("MAND-1")
def test_it_asks_to_confirm_the_password_before_the_grant_form(client, log_in, member):
    log_in(client, member)
    response = client.get(reverse("mandates:grant"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:reauthenticate"))


@pytest.mark.rule("MAND-1")
@pytest.mark.rule("MAND-2")
def test_it_records_the_grant_and_the_agent_accepts_in_their_account(
    client, log_in, member, other_member, django_capture_on_commit_callbacks
):
    log_in(client, member)
    sudo(client)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mandates:grant"), form_data(other_member.person))
    assert response.status_code == 302
    mandate = Mandate.objects.get()
    assert mandate.grantor == member.person and mandate.agent == other_member.person
    assert mandate.status == MandateStatus.PENDING and mandate.scopes == ["consult", "contact"]
    assert OutboxMessage.objects.filter(recipient=other_member.person.mobile).exists()  # the agent is told
    granted = ledger_entries("mandates.granted")[-1]
    assert granted.subject == member.person
    assert json.loads(granted.payload)["agent"] == str(other_member.person.public_id)

    agent = type(client)()
    log_in(agent, other_member)
    assert agent.post(reverse("mandates:accept", args=[mandate.public_id])).status_code == 302
    mandate.refresh_from_db()
    assert mandate.status == MandateStatus.ACTIVE
    accepted = ledger_entries("mandates.accepted")[-1]
    assert accepted.actor_ref == str(other_member.person.public_id) and accepted.subject == member.person


@pytest.mark.rule("MAND-1")
def test_it_does_not_let_the_grantor_accept_in_the_agents_place(client, log_in, member, other_member):
    mandate = give(member.person, other_member.person, accept=False)
    log_in(client, member)
    client.post(reverse("mandates:accept", args=[mandate.public_id]))
    mandate.refresh_from_db()
    assert mandate.status == MandateStatus.PENDING


@pytest.mark.rule("MAND-1")
def test_it_lets_the_agent_refuse(member, other_member):
    mandate = give(member.person, other_member.person, accept=False)
    services.refuse_mandate(other_member.person, mandate)
    mandate.refresh_from_db()
    assert mandate.status == MandateStatus.REFUSED
    assert not decide(other_member.person, member.person, Action.OPEN_FILE).allowed


@pytest.mark.rule("MAND-10")
@pytest.mark.parametrize(
    "change, field",
    [
        ({"agent_first_name": "Someone"}, "agent_national_number"),  # number and name disagree
        ({"agent_national_number": "123"}, "agent_national_number"),
        ({"scopes": []}, "scopes"),
        ({"scopes": ["everything"]}, "scopes"),
        ({"amount_limit": "-5", "scopes": ["reimbursements"]}, "amount_limit"),
        ({"amount_limit": "lots", "scopes": ["reimbursements"]}, "amount_limit"),
        ({"amount_limit": "100"}, "amount_limit"),  # a ceiling on a mandate with no amounts: contradictory
        ({"joint": "on"}, "joint"),  # jointly with one agent: contradictory
        ({"starts_on": "2000-01-01"}, "starts_on"),
        ({"ends_on": "2000-01-01"}, "ends_on"),
        ({"starts_on": ""}, "starts_on"),
    ],
)
def test_it_refuses_an_imprecise_incomplete_or_contradictory_grant_and_records_nothing(
    client, log_in, member, other_member, change, field
):
    log_in(client, member)
    sudo(client)
    response = client.post(reverse("mandates:grant"), form_data(other_member.person, **change))
    assert response.status_code == 200
    assert response.context["form"].errors.get(field)
    assert not Mandate.objects.exists()


@pytest.mark.rule("MAND-10")
def test_it_refuses_a_mandate_to_oneself_a_minor_or_twice_the_same_agent(member, other_member, minor):
    marie = member.person
    for agents in (
        [agent_input(marie)],
        [agent_input(minor)],
        [agent_input(other_member.person), agent_input(other_member.person)],
    ):
        with pytest.raises(services.MandateError):
            services.check_grant(
                [marie],
                agents,
                scopes=["consult"],
                amount_limit=None,
                joint=False,
                starts_on=timezone.localdate(),
                ends_on=None,
            )


@pytest.mark.rule("MAND-10")
def test_it_refuses_a_second_open_mandate_to_the_same_agent(member, other_member):
    give(member.person, other_member.person)
    with pytest.raises(services.MandateError):
        give(member.person, other_member.person)


@pytest.mark.rule("MAND-1")
def test_it_lets_an_unregistered_person_be_named_and_accept_once_registered(member, unregistered):
    mandate = give(member.person, unregistered, accept=False)
    assert mandate.status == MandateStatus.PENDING  # waits until Sophie registers and accepts
