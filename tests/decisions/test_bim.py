"""Holder codes (AUTO-1), BIM by automatic right (AUTO-2), after an income test signed by every adult of the
household (AUTO-3), and what BIM gives, visible to the member (AUTO-4)."""

import datetime

import pytest
from django.db import transaction
from django.urls import reverse

from guichet.decisions import services
from guichet.decisions.errors import DecisionError
from guichet.decisions.models import BimRequest, BimRight, Decision, InsuranceStatus
from guichet.events.services import publish
from guichet.members.models import Affiliation, Context
from guichet.signing.models import SignatureRequest
from tests.decisions.conftest import ROLE, deliver, household, new_person

pytestmark = pytest.mark.django_db
DAY = datetime.date(2024, 6, 3)


def codes_of(person) -> str:
    return Affiliation.objects.get(person=person, context=Context.COMPULSORY).holder_codes


@pytest.mark.rule("AUTO-1")
def test_it_derives_the_holder_codes_from_scheme_status_and_bim(personas):
    jan = personas["jan"]
    services.set_insurance_status(jan, scheme="self_employed", status="active", day=DAY)
    assert codes_of(jan) == "410/460"
    decision = services.assign_holder_codes(jan, day=DAY)
    assert decision.outcome == "410/460" and decision.inputs["bim"] is False
    with transaction.atomic():
        situation = services.record_situation(jan, ground="integration_income", start=DAY, source="CPAS")
    services.grant_bim_automatic(situation)
    assert codes_of(jan) == "411/461"  # the last digit says BIM


@pytest.mark.rule("AUTO-1")
def test_it_refuses_a_status_without_a_code_in_the_years_table(personas):
    marie = personas["marie"]
    InsuranceStatus.objects.create(person=marie, scheme="general", status="pensioner",
                                   recorded_at=datetime.datetime.now(datetime.UTC))
    with pytest.raises(DecisionError, match="no holder code"):
        services.assign_holder_codes(marie, day=DAY)
    assert codes_of(marie) == "110/110"
    assert not Decision.objects.exists()


@pytest.mark.rule("AUTO-2")
def test_a_qualifying_allowance_recorded_on_the_person_grants_bim_without_request(personas):
    tom = personas["tom"]
    with transaction.atomic():
        services.record_situation(tom, ground="disability_allowance", start=DAY, source="FPS Social Security")
    assert not BimRight.objects.exists()
    deliver()  # the event reaches the decisions' subscriber
    right = BimRight.objects.get(person=tom)
    assert right.source == "automatic" and right.start == DAY
    decision = right.decision
    assert decision.kind == "bim_automatic" and "allowance for persons with a disability" in decision.explanation["en"]
    deliver()  # a redelivery grants nothing twice
    assert BimRight.objects.filter(person=tom).count() == 1


@pytest.mark.rule("AUTO-2")
def test_a_situation_that_does_not_qualify_grants_nothing(personas):
    with transaction.atomic():
        services.record_situation(personas["tom"], ground="student", start=DAY, source="school")
    deliver()
    assert not BimRight.objects.exists() and not Decision.objects.exists()


@pytest.mark.rule("AUTO-4")
def test_the_member_sees_what_bim_gives(client, log_in, member):
    with transaction.atomic():
        situation = services.record_situation(member.person, ground="orphan", start=datetime.date(2024, 1, 2),
                                              source="register")
    services.grant_bim_automatic(situation)
    assert services.bim_effects(member.person) == [
        "lower_copayments", "reduced_hospital_day_share", "third_party_payer", "social_maf"]
    log_in(client, member)
    body = client.get(reverse("decisions:my-decisions")).content.decode()
    assert "the third-party-payer system" in body and "the social maximum billing" in body
    assert "a reduced share of the hospital day price" in body and "lower co-payments" in body


@pytest.mark.rule("AUTO-4")
def test_without_bim_no_effect_is_shown(client, log_in, member):
    log_in(client, member)
    assert services.bim_effects(member.person) == []
    assert "You do not have increased reimbursement." in client.get(reverse("decisions:my-decisions")).content.decode()


def _couple_with_child():
    a = new_person("Ann", datetime.date(1980, 2, 1))
    b = new_person("Bert", datetime.date(1982, 4, 1))
    c = new_person("Cleo", datetime.date(2015, 4, 1))
    household((a, ROLE.REFERENCE), (b, ROLE.PARTNER), (c, ROLE.CHILD))
    return a, b, c


def _sign(reference: str) -> None:
    """What the signing app does when a signature is valid: publish `signing.signed` (its interface)."""
    request = SignatureRequest.objects.get(reference=reference)
    with transaction.atomic():
        publish("signing.signed", person=request.signer, payload={
            "request": str(request.public_id), "kind": request.kind, "reference": reference,
            "signer": str(request.signer.public_id)})
    deliver()


@pytest.mark.rule("AUTO-3")
def test_the_income_test_waits_for_every_adult_then_grants_bim_under_the_ceiling(db):
    a, b, c = _couple_with_child()
    request = services.request_bim(a, incomes={a: "20000.00", b: "9000", c: "0"}, documents=["payslips.pdf"],
                                   day=DAY)
    prepared = SignatureRequest.objects.filter(kind="bim_statement")
    assert sorted(p.signer.first_name for p in prepared) == ["Ann", "Bert"]  # the adults, not the child
    _sign(f"bim:{request.public_id}:{a.public_id}")
    assert not BimRight.objects.exists()  # Bert has not signed yet
    _sign(f"bim:{request.public_id}:{b.public_id}")
    request.refresh_from_db()
    assert request.status == "decided"
    # 29,000.00 EUR for 3 people: 25,630.67 + 2 x 4,744.94 = 35,120.55 EUR (statut-bim.be, 2024)
    assert request.decision.result == {"income_cents": 2_900_000, "ceiling_cents": 3_512_055}
    assert {r.person for r in BimRight.objects.filter(source="income_test")} == {a, b, c}
    assert "29000.00 EUR" in request.decision.explanation["en"]
    assert "29000,00 EUR" in request.decision.explanation["fr"]


@pytest.mark.rule("AUTO-3")
def test_the_income_test_refuses_above_the_ceiling(db):
    a, b, c = _couple_with_child()
    request = services.request_bim(a, incomes={a: "30000", b: "6000", c: "0"}, documents=["tax.pdf"], day=DAY)
    for person in (a, b):
        _sign(f"bim:{request.public_id}:{person.public_id}")
    request.refresh_from_db()
    assert request.decision.outcome == "refused" and not BimRight.objects.exists()
    assert "above the ceiling of 35120.55 EUR" in request.decision.explanation["en"]
    assert "35120,55 EUR" in request.decision.explanation["fr"]


@pytest.mark.rule("AUTO-3")
@pytest.mark.parametrize("incomes, message", [
    ({"a": "-5", "b": "0", "c": "0"}, "cannot be negative"),
    ({"a": "lots", "b": "0", "c": "0"}, "is not an amount"),
    ({"a": "100", "b": "0"}, "Give the income of every member"),
])
def test_it_refuses_bad_statements(db, incomes, message):
    a, b, c = _couple_with_child()
    people = {"a": a, "b": b, "c": c}
    with pytest.raises(DecisionError, match=message):
        services.request_bim(a, incomes={people[k]: v for k, v in incomes.items()}, documents=["x.pdf"], day=DAY)
    assert not BimRequest.objects.exists() and not SignatureRequest.objects.exists()


@pytest.mark.rule("AUTO-3")
def test_it_refuses_a_request_for_a_year_without_rules(db):
    a, b, c = _couple_with_child()
    with pytest.raises(DecisionError, match="no rules for 2031"):
        services.request_bim(a, incomes={a: "1", b: "1", c: "0"}, documents=["x.pdf"], day=datetime.date(2031, 1, 5))


@pytest.mark.rule("AUTO-2")
def test_a_situation_in_a_year_without_rules_decides_nothing_and_is_not_retried(personas):
    from guichet.events.models import OutboxEvent

    with transaction.atomic():
        services.record_situation(personas["tom"], ground="orphan", start=datetime.date(2031, 1, 5), source="x")
    deliver()
    assert not BimRight.objects.exists()
    assert not OutboxEvent.objects.filter(delivered_at__isnull=True).exists()
