"""Changing the e-mail address in "My data" (DSR-6): a code sent to the NEW address, the old one in
force until it is typed, the change kept."""

import pytest
from django.urls import reverse

from guichet.members.models import ContactChange
from tests.members.helpers import code_in, page_says

pytestmark = pytest.mark.django_db
CHANGE = reverse("members:change-email")
VERIFY = reverse("members:verify-email")


@pytest.mark.rule("DSR-6")
def test_it_verifies_the_new_address_by_a_code_sent_to_it(sudo_client, member, mailoutbox):
    old = member.person.email
    assert sudo_client.post(CHANGE, {"value": "  Marie.New@Example.BE "}).url == VERIFY
    [sent] = mailoutbox
    assert sent.to == ["Marie.New@example.be"]
    member.person.refresh_from_db()
    assert member.person.email == old
    sudo_client.post(VERIFY, {"code": code_in(sent.body)})
    member.person.refresh_from_db()
    assert member.person.email == "Marie.New@example.be" and member.person.email_verified_at is not None
    change = ContactChange.objects.get()
    assert change.old_value == old and change.verified_at is not None
    assert mailoutbox[-1].to == [old]  # the old address is told


@pytest.mark.rule("DSR-6")
@pytest.mark.parametrize(
    "typed, message",
    [
        ("not-an-address", "This is not a valid e-mail address, e.g. name@example.be."),
        ("<script>@x.be", "This is not a valid e-mail address, e.g. name@example.be."),
        ("a" * 250 + "@example.be", ("At most %(count)d characters.", {"count": 254})),
        ("", "Enter your new e-mail address."),
    ],
)
def test_it_refuses_an_invalid_address_and_changes_nothing(sudo_client, member, mailoutbox, typed, message):
    response = sudo_client.post(CHANGE, {"value": typed})
    assert response.status_code == 200 and page_says(response, message)
    assert not ContactChange.objects.exists() and not mailoutbox


@pytest.mark.rule("DSR-6")
def test_it_says_when_the_address_is_already_the_current_one(sudo_client, member):
    response = sudo_client.post(CHANGE, {"value": member.person.email})
    assert page_says(response, "This is already your current one.")
