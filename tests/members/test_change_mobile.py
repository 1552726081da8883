"""Changing the mobile number in "My data" (DSR-6): re-authentication, a code sent by SMS to the NEW
number, the old number in force until the code is typed, every change kept."""

import pytest
from django.urls import reverse

from guichet.members.models import ContactChange, ContactKind
from guichet.messaging.models import OutboxMessage
from tests.members.helpers import last_code_sent_to, page_says

pytestmark = pytest.mark.django_db
CHANGE = reverse("members:change-mobile")
VERIFY = reverse("members:verify-mobile")


@pytest.mark.rule("DSR-6")
def test_it_asks_the_password_again_first(member_client, member):
    response = member_client.post(CHANGE, {"value": "0470 99 88 77"})
    assert response.url.startswith(reverse("accounts:reauthenticate"))
    assert not OutboxMessage.objects.exists() and not ContactChange.objects.exists()


@pytest.mark.rule("DSR-6")
def test_it_sends_the_code_to_the_new_number_and_applies_it_once_verified(sudo_client, member):
    old = member.person.mobile
    response = sudo_client.post(CHANGE, {"value": "0470 99 88 77"})
    assert response.url == VERIFY
    assert [m.recipient for m in OutboxMessage.objects.all()] == ["+32470998877"]
    member.person.refresh_from_db()
    assert member.person.mobile == old  # not in force before the code
    page = sudo_client.get(reverse("members:my-data"))
    assert page_says(page, ("%(value)s: waiting for verification", {"value": "+32470998877"}))

    response = sudo_client.post(VERIFY, {"code": last_code_sent_to("+32470998877")})
    assert response.url == reverse("members:my-data")
    member.person.refresh_from_db()
    assert member.person.mobile == "+32470998877" and member.person.mobile_verified_at is not None
    change = ContactChange.objects.get(person=member.person, kind=ContactKind.MOBILE)
    assert (change.old_value, change.new_value, change.changed_by_person_id) == (
        old,
        "+32470998877",
        member.person.pk,
    )
    assert change.verified_at is not None and change.channel == "online"
    assert OutboxMessage.objects.filter(recipient=old, channel="sms").exists()  # the old number is told


@pytest.mark.rule("DSR-6")
def test_it_keeps_the_old_number_after_a_wrong_code(sudo_client, member):
    old = member.person.mobile
    sudo_client.post(CHANGE, {"value": "+32470998877"})
    response = sudo_client.post(
        VERIFY, {"code": "000000" if last_code_sent_to("+32470998877") != "000000" else "111111"}
    )
    assert response.status_code == 200 and page_says(
        response, "This code is not correct. Check it and try again."
    )
    member.person.refresh_from_db()
    assert member.person.mobile == old
    assert ContactChange.objects.get().verified_at is None


@pytest.mark.rule("DSR-6")
def test_it_binds_the_code_to_the_attempt_in_this_browser(sudo_client, client, member, log_in):
    sudo_client.post(CHANGE, {"value": "+32470998877"})
    code = last_code_sent_to("+32470998877")
    from django.test import Client

    other_browser = log_in(Client(), member)
    response = other_browser.post(VERIFY, {"code": code})
    assert response.status_code == 302 and not response.url.endswith(reverse("members:my-data"))
    member.person.refresh_from_db()
    assert member.person.mobile != "+32470998877"


NOT_BELGIAN = (
    "This is not a valid Belgian mobile number. For a foreign number, type it in international format, "
    "starting with + and the country code (e.g. +33 6 12 34 56 78)."
)
DIGITS_ONLY = "A mobile number has digits only, e.g. 0470 12 34 56 or +33 6 12 34 56 78."


@pytest.mark.rule("DSR-6")
@pytest.mark.parametrize(
    "typed, message",
    [
        ("0612345678", NOT_BELGIAN),
        ("+33 6", "This is not a valid mobile number. Check the country code and the digits."),
        ("02 511 23 45", "This is not a mobile number: we need a number that can receive SMS."),
        ("<script>alert(1)</script>", DIGITS_ONLY),
        ("4" * 500, DIGITS_ONLY),
        ("", "Enter your new mobile number."),
    ],
)
def test_it_refuses_a_wrong_number_with_a_clear_message(sudo_client, member, typed, message):
    old = member.person.mobile
    response = sudo_client.post(CHANGE, {"value": typed})
    assert response.status_code == 200
    assert page_says(response, message) and "<script>alert(1)</script>" not in response.content.decode()
    member.person.refresh_from_db()
    assert member.person.mobile == old
    assert not ContactChange.objects.exists() and not OutboxMessage.objects.exists()


@pytest.mark.rule("DSR-6")
def test_it_accepts_a_foreign_mobile_in_international_format(sudo_client, member):
    sudo_client.post(CHANGE, {"value": "0033 6 12 34 56 78"})
    sudo_client.post(VERIFY, {"code": last_code_sent_to("+33612345678")})
    member.person.refresh_from_db()
    assert member.person.mobile == "+33612345678"


@pytest.mark.rule("DSR-6")
def test_it_slows_down_a_flood_of_codes_to_someone_elses_number(sudo_client, member):
    for n in range(6):
        sudo_client.post(CHANGE, {"value": f"+3247099887{n}"})
    assert OutboxMessage.objects.count() < 6
