"""COMM-9: direct-marketing profiling runs only on a legal basis recorded for it: consent, or the
legitimate interest of the register when the member has not objected. COMM-5: a member who declines
every channel is not profiled and their browsing is not used for personalisation."""

import datetime

import pytest
from django.utils import timezone

from guichet.communication.policy import may_personalise, may_profile
from guichet.communication.services import change_preferences
from guichet.members.models import Person
from guichet.privacy.services import give_consent, withdraw_consent

pytestmark = pytest.mark.django_db
ALL_CHANNELS_DECLINED = {f"{c}_offers": False for c in ("email", "post", "phone", "sms", "app")}


@pytest.mark.rule("COMM-9")
def test_legitimate_interest_allows_profiling_until_the_member_objects(member):
    person = member.person
    decision = may_profile(person)
    assert decision and "Legitimate interest" in decision.reason
    change_preferences(person, {"profiling_objected": True})
    decision = may_profile(person)
    assert not decision and "objected to profiling" in decision.reason


@pytest.mark.rule("COMM-9")
def test_consent_is_a_basis_even_after_an_objection_to_the_legitimate_interest(member):
    person = member.person
    change_preferences(person, {"profiling_objected": True})
    give_consent("operations:direct_marketing", person=person)
    assert may_profile(person) and "consented" in may_profile(person).reason
    withdraw_consent("operations:direct_marketing", person=person)
    assert not may_profile(person)


@pytest.mark.rule("COMM-5", "COMM-9")
def test_declining_every_channel_stops_profiling_and_personalisation(member):
    person = member.person
    change_preferences(person, ALL_CHANNELS_DECLINED)
    assert not may_profile(person) and not may_personalise(person)
    change_preferences(person, {"app_offers": True})
    assert may_profile(person) and may_personalise(person)


@pytest.mark.rule("COMM-9")
def test_nobody_is_profiled_after_death(member):
    Person.objects.filter(pk=member.person.pk).update(date_of_death=timezone.localdate() - datetime.timedelta(days=1))
    assert not may_profile(Person.objects.get(pk=member.person.pk))
    assert not may_profile(None)
