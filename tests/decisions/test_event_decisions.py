"""Event-driven decisions: an accident declaration form sent from third-party-payer data (AUTO-6), a
coverage decision on a provider's notification (AUTO-7), incapacity benefits blocked when a work-accident
insurer covers the case (AUTO-8); through the services and the staff entry point."""

import datetime

import pytest
from django.urls import reverse

from guichet.accounts.models import StaffRole
from guichet.backoffice.confidentiality import acknowledge, current_text
from guichet.decisions import services
from guichet.decisions.errors import DecisionError
from guichet.decisions.models import Decision, IncapacityBlock
from guichet.ebox.models import Document
from guichet.ebox.services import set_ebox_active
from guichet.members.models import Affiliation, Context

pytestmark = pytest.mark.django_db
DAY = datetime.date(2024, 9, 12)


@pytest.fixture
def agent_client(client, log_in, staff):
    agent = staff(StaffRole.AGENT)
    acknowledge(agent, shown_text=current_text())
    return log_in(client, agent)


@pytest.mark.rule("AUTO-6")
def test_it_sends_an_accident_declaration_form_to_the_ebox(personas):
    marie = personas["marie"]
    set_ebox_active(marie, True, actor=marie)
    decision = services.send_accident_declaration(marie, care_date=DAY, care="emergency room", provider="CHU")
    document = Document.objects.get(person=marie, doc_type="accident_declaration")
    assert document.delivery == "ebox"
    assert decision.result["document"] == str(document.public_id)
    assert "accident declaration form" in decision.explanation["en"]


@pytest.mark.rule("AUTO-7")
def test_a_provider_notification_gives_a_coverage_decision(personas):
    marie = personas["marie"]
    covered = services.decide_coverage(marie, provider="Dr Peeters", care="consultation", care_date=DAY)
    assert covered.outcome == "covered" and covered.inputs["affiliated"] is True
    Affiliation.objects.filter(person=marie, context=Context.COMPULSORY).update(end=datetime.date(2024, 1, 1))
    refused = services.decide_coverage(marie, provider="Dr Peeters", care="consultation", care_date=DAY)
    assert refused.outcome == "not_covered"
    assert "not affiliated to the compulsory insurance" in refused.explanation["en"]


@pytest.mark.rule("AUTO-8")
def test_a_work_accident_insurers_notice_blocks_incapacity_benefits(personas):
    jan = personas["jan"]
    assert not services.incapacity_benefits_blocked(jan, DAY)
    decision = services.block_incapacity(jan, insurer="AXA", case_reference="WA-77", since=DAY)
    assert services.incapacity_benefits_blocked(jan, DAY)
    assert not services.incapacity_benefits_blocked(jan, DAY - datetime.timedelta(days=1))
    again = services.block_incapacity(jan, insurer="AXA", case_reference="WA-77", since=DAY)
    assert again == decision and IncapacityBlock.objects.count() == 1
    assert "AXA" in decision.explanation["nl"]


@pytest.mark.rule("AUTO-6", "AUTO-7", "AUTO-8")
@pytest.mark.parametrize("kind, outcome", [
    ("coverage", "covered"), ("work_accident", "blocked"), ("accident", "form_sent")])
def test_the_staff_entry_point_records_a_notification(agent_client, personas, kind, outcome):
    marie = personas["marie"]
    response = agent_client.post(reverse("decisions:inputs"), {
        "form": "notice", "notice-kind": kind, "notice-national_number": marie.national_number,
        "notice-day": "2024-09-12", "notice-sender": "CHU Liège", "notice-detail": "X-1"})
    assert response.status_code == 302
    assert Decision.objects.get(subject=marie).outcome == outcome


@pytest.mark.rule("AUTO-7")
def test_the_entry_point_refuses_an_unknown_person(agent_client):
    response = agent_client.post(reverse("decisions:inputs"), {
        "form": "notice", "notice-kind": "coverage", "notice-national_number": "00000000000",
        "notice-day": "2024-09-12", "notice-sender": "CHU", "notice-detail": "X-1"})
    assert response.status_code == 400
    assert "No person with this national register number" in response.content.decode()
    assert not Decision.objects.exists()


@pytest.mark.rule("AUTO-8")
def test_it_refuses_a_notice_without_its_case_reference(personas):
    with pytest.raises(DecisionError):
        services.block_incapacity(personas["jan"], insurer="AXA", case_reference=" ", since=DAY)
    assert not IncapacityBlock.objects.exists()
