"""The one policy: self, a mandate within its scopes and limits, nothing else; at most two queries."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from guichet.mandates.policy import ACTS_NEEDING_A_JUDGE, SELF_ONLY, Action, decide
from tests.mandates.helpers import give

pytestmark = pytest.mark.django_db


def test_it_allows_a_person_everything_on_their_own_file(member):
    marie = member.person
    for action in Action:
        decision = decide(marie, marie, action)
        assert decision.allowed and decision.basis == "self"


def test_it_refuses_a_stranger_with_no_link(member, stranger):
    decision = decide(stranger.person, member.person, Action.OPEN_FILE)
    assert not decision.allowed and decision.reason == "no_link"


@pytest.mark.rule("MAND-1")
def test_it_allows_an_agent_what_the_scopes_of_the_mandate_hold_and_nothing_else(member, other_member):
    mandate = give(member.person, other_member.person, scopes=["consult"])
    jan, marie = other_member.person, member.person
    allowed = decide(jan, marie, Action.READ_EBOX)
    assert allowed.allowed and allowed.basis == "mandate" and allowed.mandate == mandate.public_id
    assert allowed.scope == "consult"
    assert decide(jan, marie, Action.OPEN_FILE).allowed
    refused = decide(jan, marie, Action.CHANGE_CONTACT_DATA)
    assert not refused.allowed and refused.reason == "out_of_scope"
    assert refused.message  # a sentence for people


@pytest.mark.rule("MAND-1")
def test_it_works_one_way_only(member, other_member):
    give(member.person, other_member.person)
    assert not decide(member.person, other_member.person, Action.OPEN_FILE).allowed


@pytest.mark.rule("MAND-4")
def test_it_never_lets_an_agent_manage_mandates_or_self_only_acts_on_the_grantors_file(member, other_member):
    give(
        member.person,
        other_member.person,
        scopes=list(__import__("guichet.mandates.policy", fromlist=["_"]).SCOPES),
    )
    for action in SELF_ONLY:
        decision = decide(other_member.person, member.person, action)
        assert not decision.allowed and decision.reason == "self_only"


@pytest.mark.rule("MAND-5")
def test_it_applies_the_ceiling_to_each_transaction(member, other_member):
    give(member.person, other_member.person, scopes=["reimbursements"], amount_limit="250")
    jan, marie = other_member.person, member.person
    assert decide(jan, marie, Action.ASK_REIMBURSEMENT, amount=Decimal("250.00")).allowed
    assert decide(
        jan, marie, Action.ASK_REIMBURSEMENT, amount=Decimal("200")
    ).allowed  # again: per transaction
    over = decide(jan, marie, Action.ASK_REIMBURSEMENT, amount=Decimal("250.01"))
    assert not over.allowed and over.reason == "over_limit" and over.amount_limit == Decimal("250.00")


def test_it_respects_the_start_and_end_dates(member, other_member):
    today = timezone.localdate()
    give(
        member.person,
        other_member.person,
        starts_on=today + datetime.timedelta(days=2),
        ends_on=today + datetime.timedelta(days=10),
    )
    jan, marie = other_member.person, member.person
    assert decide(jan, marie, Action.OPEN_FILE).reason == "not_started"
    assert decide(jan, marie, Action.OPEN_FILE, at=today + datetime.timedelta(days=2)).allowed
    assert decide(jan, marie, Action.OPEN_FILE, at=today + datetime.timedelta(days=10)).reason == "expired"


@pytest.mark.rule("MAND-1")
def test_it_waits_for_the_agents_acceptance(member, other_member):
    give(member.person, other_member.person, accept=False)
    assert decide(other_member.person, member.person, Action.OPEN_FILE).reason == "not_accepted"


@pytest.mark.rule("MIN-4")
def test_it_lists_the_acts_that_need_a_judge_and_they_are_self_only(member):
    assert ACTS_NEEDING_A_JUDGE and ACTS_NEEDING_A_JUDGE <= SELF_ONLY


@pytest.mark.parametrize("who", ["agent", "parent", "stranger"])
def test_it_takes_at_most_two_queries(member, other_member, stranger, minor, who):
    give(member.person, other_member.person)
    actor, subject = {
        "agent": (other_member.person, member.person),
        "parent": (member.person, minor),
        "stranger": (stranger.person, member.person),
    }[who]
    with CaptureQueriesContext(connection) as queries:
        decide(actor, subject, Action.READ_EBOX)
    assert len(queries) <= 2
