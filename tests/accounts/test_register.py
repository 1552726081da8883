"""Registration: national number + membership number, a code by SMS, then a password (ACC-2, ACC-4)."""

import pytest
from django.urls import reverse

from guichet.accounts.models import User
from guichet.members import nrn
from guichet.messaging.models import OutboxMessage
from guichet.terms.models import TermsAcceptance
from tests.conftest import english_client

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "my cat sleeps on the radiator"


def last_code(person) -> str:
    text = OutboxMessage.objects.filter(recipient=person.mobile, channel="sms").first().body
    return next(word for word in text.replace(".", " ").split() if word.isdigit() and len(word) >= 6)


def identify(client, person, member_number=None):
    return client.post(reverse("accounts:identify", args=["register"]), {
        "national_number": nrn.formatted(person.national_number),
        "member_number": member_number or person.member_number,
    })


@pytest.mark.rule("ACC-2")
def test_it_registers_a_member_in_three_steps(client, unregistered, terms):
    response = identify(client, unregistered)
    assert response.status_code == 302 and response.url == reverse("accounts:code", args=["register"])
    response = client.post(reverse("accounts:code", args=["register"]), {"code": last_code(unregistered)})
    assert response.url == reverse("accounts:password", args=["register"])
    response = client.post(reverse("accounts:password", args=["register"]), {
        "password": GOOD_PASSWORD, "confirmation": GOOD_PASSWORD, "accept_terms": "on"})
    assert response.url == reverse("accounts:login")
    user = User.objects.get(person=unregistered)
    assert user.check_password(GOOD_PASSWORD)
    assert TermsAcceptance.objects.filter(person=unregistered, version=terms, channel="registration").exists()


@pytest.mark.rule("ACC-2")
def test_it_sends_the_code_only_to_the_registered_mobile(client, unregistered):
    identify(client, unregistered)
    sent = OutboxMessage.objects.filter(channel="sms")
    assert [message.recipient for message in sent] == [unregistered.mobile]


@pytest.mark.rule("ACC-2")
@pytest.mark.parametrize("national_number", ["85.03.14-002.27", "12345", "not a number", "٨٥٠٣١٤٠٠٢٢٦"])
def test_it_refuses_an_invalid_national_number(client, unregistered, national_number):
    response = client.post(reverse("accounts:identify", args=["register"]), {
        "national_number": national_number, "member_number": unregistered.member_number})
    assert response.status_code == 200
    assert "not a valid national register number" in response.content.decode()
    assert not OutboxMessage.objects.exists()


@pytest.mark.rule("ACC-2")
def test_it_refuses_a_wrong_membership_fact_without_telling_which_is_wrong(client, unregistered):
    response = identify(client, unregistered, member_number="123456789")
    assert "could not find a member" in response.content.decode()
    assert not OutboxMessage.objects.exists()
    assert not User.objects.filter(person=unregistered).exists()


@pytest.mark.rule("ACC-4")
def test_it_refuses_a_minor_and_says_a_parent_opens_the_account(client, minor):
    response = identify(client, minor)
    assert response.status_code == 200
    assert "A parent with parental authority" in response.content.decode()
    assert not OutboxMessage.objects.exists()


@pytest.mark.rule("ACC-2")
def test_it_does_not_let_the_password_step_be_skipped(client, unregistered):
    identify(client, unregistered)
    response = client.post(reverse("accounts:password", args=["register"]), {
        "password": GOOD_PASSWORD, "confirmation": GOOD_PASSWORD, "accept_terms": "on"})
    assert response.url == reverse("accounts:identify", args=["register"])
    assert not User.objects.filter(person=unregistered).exists()


@pytest.mark.rule("ACC-2")
def test_it_requires_accepting_the_terms(client, unregistered):
    identify(client, unregistered)
    client.post(reverse("accounts:code", args=["register"]), {"code": last_code(unregistered)})
    response = client.post(reverse("accounts:password", args=["register"]), {
        "password": GOOD_PASSWORD, "confirmation": GOOD_PASSWORD})
    assert response.status_code == 200
    assert not User.objects.filter(person=unregistered).exists()


@pytest.mark.rule("ACC-2")
def test_it_tells_a_registered_member_to_log_in_instead(client, member):
    response = identify(client, member.person)
    assert "already have an account" in response.content.decode()


@pytest.mark.rule("ACC-2")
@pytest.mark.parametrize("payload", ["<script>alert(1)</script>", "x" * 5000, "💥" * 30, "' OR 1=1 --"])
def test_it_answers_hostile_input_with_a_message(client, personas, payload):
    response = client.post(reverse("accounts:identify", args=["register"]), {
        "national_number": payload, "member_number": payload})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert not OutboxMessage.objects.exists()


@pytest.mark.rule("ACC-3", "ACC-2")
def test_codes_sent_to_one_person_slow_down_whatever_the_address(unregistered, settings):
    """Someone who knows a member's two numbers cannot make their phone ring with codes, each worth a few
    guesses, by coming from ever new addresses: after the free ones the next code waits."""
    free = settings.THROTTLE_FREE_FAILURES
    sent = []
    for number in range(free + 2):
        response = identify(english_client(REMOTE_ADDR=f"198.51.100.{number + 1}"), unregistered)
        sent.append(response.status_code == 302)
    assert sent == [True] * free + [False, False]
    assert "Too many attempts" in response.content.decode()
    assert OutboxMessage.objects.filter(recipient=unregistered.mobile).count() == free


@pytest.mark.rule("ACC-2")
def test_a_code_typed_correctly_frees_the_next_sending(client, unregistered, settings):
    for _ in range(settings.THROTTLE_FREE_FAILURES):
        identify(client, unregistered)
    assert identify(english_client(REMOTE_ADDR="203.0.113.9"), unregistered).status_code != 302
    client.post(reverse("accounts:code", args=["register"]), {"code": last_code(unregistered)})
    assert identify(english_client(REMOTE_ADDR="203.0.113.9"), unregistered).status_code == 302
