"""A campaign's audience from affiliations, preferences, consents and the do-not-call list, each
exclusion explained by its reason (COMM-1, COMM-3, COMM-4, COMM-5, COMM-8), in one query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guichet.communication.audience import AudienceFilter, audience, exclusion_of, report
from guichet.communication.models import DoNotCallNumber
from guichet.communication.services import change_preferences
from guichet.members.models import Affiliation, Person
from guichet.privacy.services import give_consent

pytestmark = pytest.mark.django_db
EMAIL = AudienceFilter()
PHONE = AudienceFilter(channel="phone")


def reached(selection):
    return set(audience(selection).values_list("first_name", flat=True))


@pytest.mark.rule("COMM-1")
def test_adult_members_with_an_address_are_reached_unless_they_object(personas):
    assert reached(EMAIL) == {"Marie", "Jan", "Tom", "Sophie"}  # Emma (10) and Lucas (16) are minors
    assert exclusion_of(personas["emma"], EMAIL) == "minor"


@pytest.mark.rule("COMM-3", "COMM-5")
def test_a_channel_declined_excludes_only_that_channel_and_declining_all_excludes_all(personas):
    change_preferences(personas["marie"], {"email_offers": False})
    change_preferences(personas["jan"], {f"{c}_offers": False for c in ("email", "post", "phone", "sms", "app")})
    assert reached(EMAIL) == {"Tom", "Sophie"}
    assert exclusion_of(personas["marie"], EMAIL) == "declined_channel"
    assert exclusion_of(personas["jan"], EMAIL) == "declined_everything"
    assert "Marie" in reached(PHONE) and "Jan" not in reached(PHONE)


@pytest.mark.rule("COMM-4")
def test_a_refusal_to_share_excludes_from_campaigns_of_the_groups_other_entities(personas):
    change_preferences(personas["tom"], {"share_with_group": False})
    assert "Tom" in reached(EMAIL)
    assert "Tom" not in reached(AudienceFilter(for_group_entity=True))
    assert exclusion_of(personas["tom"], AudienceFilter(for_group_entity=True)) == "not_shared"


@pytest.mark.rule("COMM-1")
def test_a_campaign_that_needs_consent_reaches_only_those_who_gave_it(personas):
    give_consent("operations:direct_marketing", person=personas["jan"])
    assert reached(AudienceFilter(requires_consent=True)) == {"Jan"}
    assert exclusion_of(personas["marie"], AudienceFilter(requires_consent=True)) == "no_consent"


@pytest.mark.rule("COMM-8")
def test_phone_campaigns_leave_out_numbers_on_the_do_not_call_list_and_members_without_one(personas):
    Person.objects.filter(pk=personas["marie"].pk).update(mobile="+32470123456")
    Person.objects.filter(pk=personas["jan"].pk).update(mobile="")
    DoNotCallNumber.objects.create(number="+32470123456")
    assert reached(PHONE) == {"Tom", "Sophie"}
    assert exclusion_of(personas["marie"], PHONE) == "do_not_call"
    assert exclusion_of(personas["jan"], PHONE) == "no_phone"
    assert "Marie" in reached(EMAIL)  # the list concerns calls only


@pytest.mark.rule("COMM-1")
def test_it_filters_on_affiliation_context_product_and_language(personas):
    Affiliation.objects.filter(person=personas["tom"], context="complementary").update(product="dental")
    assert reached(AudienceFilter(context="complementary", product="dental")) == {"Tom"}
    assert reached(AudienceFilter(language="nl")) == {"Jan"}
    Affiliation.objects.filter(person=personas["sophie"]).update(status="ended")
    assert exclusion_of(personas["sophie"], EMAIL) == "untargeted"
    Person.objects.filter(pk=personas["sophie"].pk).update(email="")
    Affiliation.objects.filter(person=personas["sophie"]).update(status="active")
    assert exclusion_of(personas["sophie"], EMAIL) == "no_email"


@pytest.mark.rule("COMM-1", "COMM-3", "COMM-5")
def test_the_report_explains_every_exclusion_by_reason(personas):
    change_preferences(personas["marie"], {"email_offers": False})
    change_preferences(personas["jan"], {f"{c}_offers": False for c in ("email", "post", "phone", "sms", "app")})
    result = report(EMAIL)
    assert (result.targeted, result.reached) == (6, 2)
    assert {key: count for key, _words, count in result.excluded} == {
        "minor": 2, "declined_everything": 1, "declined_channel": 1}
    assert "declined offers on every channel" in [words for _key, words, _count in result.excluded]


def test_the_audience_is_one_query_whatever_its_size(personas):
    with CaptureQueriesContext(connection) as queries:
        list(audience(PHONE).values_list("pk", flat=True))
    assert len(queries) == 1 and queries[0]["sql"].count("EXISTS") >= 3
