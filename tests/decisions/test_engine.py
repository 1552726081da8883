"""The engine of automated decisions: inputs, rule version and explanation stored and ledgered (AUTO-9),
decision kinds registered only for the compulsory insurance (AUTO-10), a year without rules refused."""

import datetime

import pytest
from django.db import transaction

from guichet.decisions import kinds, rulesets, services
from guichet.decisions.errors import DecisionError
from guichet.decisions.models import Decision, InsuranceStatus
from guichet.ledger.models import LedgerEntry
from guichet.members.models import Context
from guichet.privacy.register import load_register

pytestmark = pytest.mark.django_db


@pytest.mark.rule("AUTO-10")
def test_it_registers_no_decision_kind_for_the_other_contexts():
    assert kinds.kinds_for_context(Context.COMPULSORY)
    for context in (Context.COMPLEMENTARY, Context.INSURANCE_COMPANY, "operations"):
        assert kinds.kinds_for_context(context) == []
        assert load_register().context(context).automated_decisions == ()


@pytest.mark.rule("AUTO-10")
def test_it_refuses_to_register_a_kind_the_register_does_not_declare_for_a_context():
    with pytest.raises(RuntimeError):
        kinds.register_decision_kind("maf", context="complementary", purpose="insurability", label="MAF")
    assert kinds.get_kind("maf").context == "compulsory"


@pytest.mark.rule("AUTO-10")
def test_it_refuses_to_record_a_decision_of_an_unregistered_kind(personas):
    with transaction.atomic(), pytest.raises(DecisionError):
        services.record_decision("hospital_cover_acceptance", personas["marie"], inputs={}, outcome="x",
                                 explanation={"en": "x"}, rules="none")
    assert not Decision.objects.exists()


@pytest.mark.rule("AUTO-9")
def test_it_records_inputs_rule_version_and_explanation_in_three_languages(personas):
    marie = personas["marie"]
    InsuranceStatus.objects.create(person=marie, scheme="general", status="active",
                                   recorded_at=datetime.datetime.now(datetime.UTC))
    decision = services.assign_holder_codes(marie, day=datetime.date(2024, 5, 1))
    assert decision.inputs == {"day": "2024-05-01", "scheme": "general", "status": "active", "bim": False}
    assert decision.rule_set == "rules-2024.1"
    assert set(decision.explanation) == {"fr", "nl", "en"}
    assert "110/110" in decision.explanation["fr"] and "codes titulaires" in decision.explanation["fr"]
    assert "codes gerechtigde" in decision.explanation["nl"]
    entry = LedgerEntry.objects.filter(kind="decisions.decided").latest("sequence")
    assert str(decision.public_id) in entry.payload and '"rule_set":"rules-2024.1"' in entry.payload


@pytest.mark.rule("AUTO-5", "AUTO-3")
def test_it_refuses_a_year_without_a_rule_set_instead_of_guessing():
    assert 2024 in rulesets.available_years()
    with pytest.raises(DecisionError, match="no rules for 2031"):
        rulesets.rule_set(2031)


def test_it_reads_the_figures_from_the_rule_set_data_file():
    rules = rulesets.rule_set(2024)
    assert rules.income_ceiling_cents(3_000_000) == 74666  # 22,687.06 - 34,877.09 -> 746.66 (mc.be 2024)
    assert rules.income_ceiling_cents(1_268_118) == 25499
    assert rules.income_ceiling_cents(1_268_119) == 51692
    assert rules.income_ceiling_cents(99_999_999) == 206766
    assert rules.income_year_offset == 2
