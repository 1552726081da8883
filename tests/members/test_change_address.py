"""Changing the postal address in "My data" (DSR-6): at once, with history, every change kept."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from guichet.members.models import Address, ContactChange, ContactKind
from tests.members.helpers import page_says

pytestmark = pytest.mark.django_db
CHANGE = reverse("members:change-address")
GOOD = {
    "street": "Rue Neuve",
    "number": "12",
    "box": "3",
    "postcode": "1000",
    "city": "Bruxelles",
    "country": "BE",
}


@pytest.mark.rule("DSR-6")
def test_it_asks_the_password_again_first(member_client, member):
    response = member_client.post(CHANGE, GOOD)
    assert response.url.startswith(reverse("accounts:reauthenticate"))
    assert not ContactChange.objects.exists()


@pytest.mark.rule("DSR-6")
def test_it_applies_the_new_address_at_once_and_keeps_the_old_one(sudo_client, member):
    person = member.person
    before = Address.objects.current().get(person=person)
    with time_machine.travel("2026-06-15 10:00:00+02:00", tick=False):
        response = sudo_client.post(CHANGE, GOOD)
    assert response.url == reverse("members:my-data")
    before.refresh_from_db()
    assert before.valid_to == datetime.date(2026, 6, 15)
    current = Address.objects.current().get(person=person)
    assert (current.street, current.number, current.box, current.postcode, current.city) == (
        "Rue Neuve",
        "12",
        "3",
        "1000",
        "Bruxelles",
    )
    assert current.valid_from == datetime.date(2026, 6, 15) and current.source == "member"
    change = ContactChange.objects.get(person=person, kind=ContactKind.ADDRESS)
    assert change.old_value.startswith(before.street) and change.new_value.startswith("Rue Neuve 12")
    assert change.changed_by_person == person


@pytest.mark.rule("DSR-6")
def test_it_accepts_a_foreign_address_with_its_country(sudo_client, member):
    sudo_client.post(CHANGE, {**GOOD, "postcode": "75001", "city": "Paris", "country": "FR"})
    assert Address.objects.current().get(person=member.person).country == "FR"


FOUR_DIGITS = "A Belgian postcode has 4 digits, e.g. 1000."


@pytest.mark.rule("DSR-6")
@pytest.mark.parametrize(
    "change, message",
    [
        ({"postcode": ""}, "This field is required."),
        ({"postcode": "100"}, FOUR_DIGITS),
        ({"postcode": "10000"}, FOUR_DIGITS),
        ({"postcode": "ABCD"}, FOUR_DIGITS),
        (
            {"postcode": "75001!", "country": "FR"},
            "This postcode is not valid: use letters, digits, spaces or dashes.",
        ),
        ({"street": "x" * 101}, ("At most %(count)d characters.", {"count": 100})),
        ({"city": "<script>alert(1)</script>"}, "Use letters, digits, spaces and ordinary punctuation only."),
        ({"street": ""}, "This field is required."),
        (
            {"country": "ZZ"},
            ("Select a valid choice. %(value)s is not one of the available choices.", {"value": "ZZ"}),
        ),
    ],
)
def test_it_refuses_bad_input_with_a_clear_message_and_changes_nothing(sudo_client, member, change, message):
    before = list(Address.objects.filter(person=member.person).values())
    response = sudo_client.post(CHANGE, {**GOOD, **change})
    assert response.status_code == 200
    assert page_says(response, message) and "<script>alert(1)</script>" not in response.content.decode()
    assert list(Address.objects.filter(person=member.person).values()) == before
    assert not ContactChange.objects.exists()
