"""Joint mandates (MAND-3): several agents each act alone unless the form says jointly; then an act
waits until each required agent approved it, and runs once."""

import pytest

from guichet.mandates import services
from guichet.mandates.models import JointActStatus
from guichet.mandates.policy import Action, decide
from tests.mandates.helpers import give

pytestmark = pytest.mark.django_db

CALLS = []


@services.joint_handler(Action.SIGN)
def _sign_for_the_test(actor, subject, payload):
    CALLS.append((actor.pk, subject.pk, payload["document"]))


@pytest.fixture(autouse=True)
def _fresh_calls():
    CALLS.clear()


@pytest.mark.rule("MAND-3")
def test_several_agents_act_alone_unless_the_form_says_jointly(member, other_member, stranger):
    give(member.person, other_member.person, stranger.person, scopes=["signing"])
    for agent in (other_member.person, stranger.person):
        decision = decide(agent, member.person, Action.SIGN)
        assert decision.allowed and not decision.joint


@pytest.mark.rule("MAND-3")
def test_a_joint_act_waits_for_every_agent_then_runs_once(member, other_member, stranger):
    marie, jan, tom = member.person, other_member.person, stranger.person
    give(marie, jan, tom, scopes=["signing", "consult"], joint=True)
    assert decide(jan, marie, Action.SIGN).joint
    assert not decide(jan, marie, Action.READ_EBOX).joint  # consulting needs no one else
    act = services.propose_joint_act(jan, marie, Action.SIGN, {"document": "D1"})
    assert act.status == JointActStatus.WAITING and CALLS == []
    with pytest.raises(services.MandateError):  # the grantor is not one of the agents
        services.approve_joint_act(marie, act)
    act = services.approve_joint_act(tom, act)
    assert act.status == JointActStatus.DONE and CALLS == [(tom.pk, marie.pk, "D1")]
    with pytest.raises(services.MandateError):
        services.approve_joint_act(jan, act)
    assert len(CALLS) == 1


@pytest.mark.rule("MAND-3")
def test_a_joint_mandate_refuses_a_direct_act_by_one_agent(client, log_in, member, other_member, stranger):
    from django.urls import reverse

    give(member.person, other_member.person, stranger.person, scopes=["contact"], joint=True)
    log_in(client, other_member)
    client.post(reverse("mandates:switch"), {"file": str(member.person.public_id)})
    session = client.session
    session["reauthenticated_at"] = __import__("time").time()
    session.save()
    response = client.post(
        reverse("members:change-address"),
        {"street": "Rue Neuve", "number": "1", "postcode": "1000", "city": "Bruxelles", "country": "BE"},
    )
    assert response.status_code == 302 and response.url == reverse("mandates:list")
    assert member.person.addresses.filter(street="Rue Neuve").count() == 0


@pytest.mark.rule("MAND-3")
def test_a_joint_act_cannot_run_while_a_co_agent_has_not_accepted(member, other_member, stranger):
    marie, jan, tom = member.person, other_member.person, stranger.person
    rows = give(marie, jan, tom, scopes=["signing"], joint=True, accept=False)
    services.accept_mandate(jan, next(row for row in rows if row.agent == jan))  # Tom has not accepted yet
    with pytest.raises(services.MandateError, match="not every agent"):
        services.propose_joint_act(jan, marie, Action.SIGN, {"document": "D1"})
    assert CALLS == []


@pytest.mark.rule("MAND-3", "MAND-6")
def test_a_joint_act_waiting_stops_when_a_co_agents_mandate_is_revoked(member, other_member, stranger):
    marie, jan, tom = member.person, other_member.person, stranger.person
    rows = give(marie, jan, tom, scopes=["signing"], joint=True)
    act = services.propose_joint_act(jan, marie, Action.SIGN, {"document": "D1"})
    services.revoke_mandate(marie, next(row for row in rows if row.agent == jan))
    with pytest.raises(services.MandateError):  # Tom alone is not the joint mandate
        services.approve_joint_act(tom, act)
    assert CALLS == []
