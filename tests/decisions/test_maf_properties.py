"""Property test of the MAF computation (AUTO-5): the set-based SQL batch against a plain Python reference
written here from the rule, on random households, co-payments, BIM rights and incomes; and a rerun never
pays twice."""

import datetime

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guichet.decisions import maf
from guichet.decisions.models import BimRight, CareLine, Decision, HouseholdIncome, MafAccount
from guichet.decisions.rulesets import rule_set
from guichet.members.models import Household, HouseholdMembership, Person

pytestmark = pytest.mark.django_db
YEAR = 2024
JAN1 = datetime.date(YEAR, 1, 1)


def reference_due(members, income_cents, rules) -> int:
    """The rule, plainly: the most favourable of the income excess (all members), the social excess (the
    BIM person's core family, or the BIM members themselves) and the sum of each child's own excess."""
    if income_cents is None:
        return 0
    ceiling = None
    for bracket in rules.brackets:
        if bracket.up_to_cents is None or income_cents <= bracket.up_to_cents:
            ceiling = bracket.ceiling_cents
            break
    total = sum(sum(m["lines"]) for m in members)
    income_excess = max(0, total - ceiling)
    core_bim = any(m["bim"] and m["role"] in ("reference", "partner") for m in members)
    social = [m for m in members if m["bim"] or (core_bim and m["role"] in ("reference", "partner", "child"))]
    social_excess = max(0, sum(sum(m["lines"]) for m in social) - rules.social_ceiling_cents) if social else 0
    child_excess = sum(max(0, sum(m["lines"]) - rules.child_ceiling_cents) for m in members if m["child"])
    return max(income_excess, social_excess, child_excess)


member = st.fixed_dictionaries({
    "role": st.sampled_from(["reference", "partner", "child", "other"]),
    "child": st.booleans(),
    "bim": st.booleans(),
    "lines": st.lists(st.integers(min_value=0, max_value=60_000), max_size=4),
    "joined_late": st.booleans(),
})
a_household = st.fixed_dictionaries({
    "members": st.lists(member, min_size=1, max_size=4),
    "income": st.one_of(st.none(), st.integers(min_value=0, max_value=8_000_000)),
})


@pytest.mark.rule("AUTO-5")
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(households=st.lists(a_household, min_size=1, max_size=4))
def test_the_batch_agrees_with_the_reference_and_never_pays_twice(db, households):
    rules = rule_set(YEAR)
    with transaction.atomic():
        expected = {}
        sequence = 0
        for spec in households:
            home = Household.objects.create()
            counted_members = []
            for m in spec["members"]:
                sequence += 1
                born = datetime.date(2015, 6, 1) if m["child"] else datetime.date(1970, 6, 1)
                person = Person.objects.create(national_number=f"{sequence:011d}", member_number=f"P{sequence}",
                                               first_name="P", last_name=str(sequence), birth_date=born)
                start = datetime.date(YEAR, 3, 1) if m["joined_late"] else datetime.date(2000, 1, 1)
                HouseholdMembership.objects.create(household=home, person=person, role=m["role"], start=start)
                if m["bim"]:
                    decision = Decision.objects.create(
                        kind="bim_automatic", subject=person, rule_set="r", outcome="granted",
                        decided_at=datetime.datetime.now(datetime.UTC))
                    BimRight.objects.create(person=person, source="automatic", ground="orphan",
                                            start=datetime.date(2020, 1, 1), decision=decision)
                for index, cents in enumerate(m["lines"]):
                    CareLine.objects.create(person=person, care_date=datetime.date(YEAR, 1 + index * 3, 5),
                                            amount_cents=cents, recorded_at=datetime.datetime.now(datetime.UTC))
                if not m["joined_late"]:
                    counted_members.append(m)
            if spec["income"] is not None:
                HouseholdIncome.objects.create(household=home, year=YEAR - rules.income_year_offset,
                                               amount_cents=spec["income"])
            expected[home.pk] = reference_due(counted_members, spec["income"], rules) if counted_members else 0
        maf.run_maf(YEAR, decisions=False)
        got = {account.household_id: account.refunded_cents for account in MafAccount.objects.all()}
        assert {hh: due for hh, due in expected.items() if due} == {hh: due for hh, due in got.items() if due}
        rerun = maf.run_maf(YEAR, decisions=False)
        assert rerun.refunds == 0 and rerun.refunded_cents == 0
        transaction.set_rollback(True)
    assert not MafAccount.objects.exists()  # each example starts from an empty table
