"""The household on a given day (AUTO-5: "the household as in the National Register on 1 January"):
one query, and the same answer as a plain computation for any history of memberships."""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guichet.members.models import Household, HouseholdMembership, HouseholdRole
from guichet.members.services import household_members_on, household_on, today

pytestmark = pytest.mark.django_db
ORIGIN = datetime.date(2020, 1, 1)


@st.composite
def histories(draw):
    """Non-overlapping membership periods of one person in three households, the last maybe open."""
    cuts = sorted(draw(st.sets(st.integers(0, 2000), min_size=2, max_size=12)))
    periods = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        if draw(st.booleans()):
            periods.append((start, end, draw(st.integers(0, 2))))
    if draw(st.booleans()):
        periods.append((cuts[-1], None, draw(st.integers(0, 2))))
    return periods


def reference_household(periods, households, day: int):
    for start, end, which in periods:
        if start <= day and (end is None or day < end):
            return households[which]
    return None


@pytest.mark.rule("AUTO-5")
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(periods=histories(), days=st.lists(st.integers(-10, 2100), min_size=1, max_size=8))
def test_it_matches_a_plain_computation_for_any_day(personas, periods, days):
    person = personas["sophie"]
    HouseholdMembership.objects.filter(person=person).delete()
    households = [Household.objects.create() for _ in range(3)]
    HouseholdMembership.objects.bulk_create(
        [
            HouseholdMembership(
                household=households[which],
                person=person,
                role=HouseholdRole.OTHER,
                start=ORIGIN + datetime.timedelta(days=start),
                end=ORIGIN + datetime.timedelta(days=end) if end is not None else None,
            )
            for start, end, which in periods
        ]
    )
    for day in days:
        expected = reference_household(periods, households, day)
        on = ORIGIN + datetime.timedelta(days=day)
        assert household_on(person, on) == expected
        members = household_members_on(person, on)
        assert [m.person for m in members] == ([person] if expected else [])


@pytest.mark.rule("AUTO-5")
def test_it_answers_the_household_on_1_january_in_one_query(personas, minor, django_assert_num_queries):
    marie = personas["marie"]
    day = datetime.date(today().year, 1, 1)
    with django_assert_num_queries(1):
        household = household_on(marie, day)
    with django_assert_num_queries(1):
        members = household_members_on(marie, day)
    assert household is not None
    assert {m.person for m in members} == {marie, minor}
    assert {m.role for m in members} == {"reference", "child"}
