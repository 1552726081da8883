"""The member's "My data" page (DSR-2): identification, contact data, affiliations and household, each
with why the mutual holds it, from the register of processing (PRIV-1). Private (ACC-1), own file only."""

import html

import pytest
from django.urls import get_resolver, reverse

from guichet.accounts.models import StaffRole
from guichet.members import nrn
from guichet.members.models import Address, Household, HouseholdMembership, HouseholdRole
from guichet.privacy.services import why_we_hold

pytestmark = pytest.mark.django_db
MY_DATA = reverse("members:my-data")


@pytest.mark.rule("DSR-2")
def test_it_shows_the_members_own_file(member_client, member, minor):
    person = member.person
    body = member_client.get(MY_DATA).content.decode()
    address = Address.objects.current().get(person=person)
    for shown in [
        person.first_name,
        person.last_name,
        nrn.formatted(person.national_number),
        person.email,
        address.street,
        address.postcode,
        minor.first_name,
    ]:
        assert shown in body
    assert "+32 47" in body  # the mobile, formatted


@pytest.mark.rule("DSR-2")
@pytest.mark.rule("PRIV-1")
@pytest.mark.parametrize("language", ["fr", "nl", "en"])
def test_it_explains_why_each_block_is_held_from_the_register(member_client, member, language):
    member_client.cookies["django_language"] = language
    body = html.unescape(member_client.get(MY_DATA).content.decode())
    assert body.count('class="why"') == 4
    for category in ["identification", "national_register", "contact", "affiliation", "household"]:
        explanations = why_we_hold(category, language)
        assert explanations, category
        for explanation in explanations:
            assert f"{explanation.context_title} — {explanation.category_title}" in body
            assert all(purpose.title in body for purpose in explanation.purposes)
            assert all(basis.title in body for basis in explanation.legal_bases)
            assert all(retention.title in body for retention in explanation.retention)


@pytest.mark.rule("DSR-2")
def test_it_shows_household_members_by_name_and_role_only(member_client, member, minor):
    body = member_client.get(MY_DATA).content.decode()
    assert f"{minor.first_name} {minor.last_name}" in body
    assert nrn.formatted(minor.national_number) not in body and minor.national_number not in body


@pytest.mark.rule("DSR-2")
@pytest.mark.rule("ACC-1")
def test_it_never_shows_a_strangers_data(member_client, member, personas, stranger, other_member):
    tom, jan = stranger.person, other_member.person
    HouseholdMembership.objects.create(
        household=Household.objects.create(), person=tom, role=HouseholdRole.REFERENCE, start=tom.birth_date
    )
    body = member_client.get(MY_DATA).content.decode()
    for person in (tom, jan):
        for secret in [
            person.national_number,
            nrn.formatted(person.national_number),
            person.email,
            person.mobile,
            person.first_name + " " + person.last_name,
        ]:
            assert secret not in body


@pytest.mark.rule("ACC-1")
def test_no_my_data_url_takes_a_person_id():
    resolver = get_resolver()
    patterns = [p for p in resolver.url_patterns if getattr(p, "namespace", None) == "members"]
    assert patterns
    for pattern in patterns[0].url_patterns:
        assert not pattern.pattern.converters, pattern


@pytest.mark.rule("ACC-1")
def test_it_is_not_found_for_staff(client, staff, log_in):
    log_in(client, staff(StaffRole.AGENT))
    assert client.get(MY_DATA).status_code == 404
    assert client.get(reverse("members:change-address")).status_code == 404


@pytest.mark.rule("ACC-1")
def test_it_sends_visitors_to_the_login(client, personas):
    assert client.get(MY_DATA).url.startswith(reverse("accounts:login"))


@pytest.mark.rule("DSR-2")
def test_it_is_linked_from_the_members_home(member_client):
    assert MY_DATA in member_client.get(reverse("pages:private-home")).content.decode()


@pytest.mark.rule("DSR-2")
def test_it_answers_in_a_few_queries(member_client, django_assert_max_num_queries):
    member_client.get(MY_DATA)
    with django_assert_max_num_queries(16):
        member_client.get(MY_DATA)
