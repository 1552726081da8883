"""Language (ACC-8): switchable on every page, kept in a cookie that ends with the browser session,
and for a member also the language of their SMS and e-mails."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from guichet.messaging.models import OutboxMessage
from guichet.messaging.services import sms_to_person
from tests.conftest import PASSWORD, _member_user

pytestmark = pytest.mark.django_db


@pytest.mark.rule("ACC-8")
def test_it_keeps_the_chosen_language_in_a_session_cookie(client, terms):
    response = client.post(reverse("set_language"), {"language": "nl", "next": "/"})
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "nl"
    assert not cookie["max-age"] and not cookie["expires"]
    assert '<html lang="nl">' in client.get("/").content.decode()


@pytest.mark.rule("ACC-8")
def test_it_makes_a_members_choice_the_language_of_their_messages(client, member, log_in):
    log_in(client, member)
    client.post(reverse("set_language"), {"language": "nl", "next": "/my/"})
    member.person.refresh_from_db()
    assert member.person.language == "nl"


@pytest.mark.rule("ACC-8")
def test_it_sends_sms_in_the_persons_language(personas):
    jan = personas["jan"]
    sms_to_person(jan, lambda: translation.gettext("Your Guichet login code is %(code)s. Never give it to anyone.")
                  % {"code": "123456"})
    with translation.override("nl"):
        expected = translation.gettext("Your Guichet login code is %(code)s. Never give it to anyone.") % {"code": "123456"}
    assert OutboxMessage.objects.get(recipient=jan.mobile).body == expected


@pytest.mark.rule("ACC-8")
def test_it_opens_the_members_own_language_at_login(personas):
    jan = _member_user(personas["jan"])
    response = Client().post(reverse("accounts:login"), {"login": jan.username, "password": PASSWORD})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "nl"


@pytest.mark.rule("ACC-8")
def test_it_keeps_the_language_chosen_before_login_and_makes_it_the_members(personas):
    jan = _member_user(personas["jan"])
    visitor = Client()
    visitor.post(reverse("set_language"), {"language": "fr", "next": "/"})
    response = visitor.post(reverse("accounts:login"), {"login": jan.username, "password": PASSWORD})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    jan.person.refresh_from_db()
    assert jan.person.language == "fr"


@pytest.mark.rule("ACC-8")
def test_it_sends_the_registration_code_in_the_language_of_the_page(personas):
    from guichet.members import nrn

    sophie = personas["sophie"]
    visitor = Client()
    visitor.post(reverse("set_language"), {"language": "nl", "next": "/"})
    visitor.post(reverse("accounts:identify", args=["register"]), {
        "national_number": nrn.formatted(sophie.national_number), "member_number": sophie.member_number})
    body = OutboxMessage.objects.get(recipient=sophie.mobile).body
    with translation.override("nl"):
        start = translation.gettext("Your Guichet code is %(code)s. It is valid for %(minutes)d minutes. "
                                    "Never give it to anyone.").split("%(code)s")[0]
    assert body.startswith(start)


@pytest.mark.rule("ACC-8")
def test_it_ignores_an_unknown_language(client, terms):
    response = client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
