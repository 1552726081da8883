"""The HTTP SMS gateway (ACC-2, ACC-8) against a fake provider: a small HTTP server in a thread on
127.0.0.1 and a random port, which records what it receives and answers as told (a message id, an
error status, or no answer before the client's timeout).

The codes of registration, password reset and login travel through it: a provider that fails or
does not answer gives the person a clear message and creates nothing. The text is in the person's
language whatever the language of the page: expectations are computed with gettext under
`translation.override`, since the catalogs are translated separately.
"""

import json
import re
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from guichet.accounts.models import OneTimeCode, SecondFactor, User
from guichet.members import nrn
from guichet.messaging.models import OutboxMessage
from guichet.messaging.sms import SmsDeliveryError, send_sms
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

TOKEN = "provider-token-for-tests"
CODE_TEXT = "Your Guichet code is %(code)s. It is valid for %(minutes)d minutes. Never give it to anyone."
COULD_NOT_SEND = "We could not send the SMS just now. Please try again in a few minutes."


class FakeProvider:
    """What the provider received, and how it answers the next requests."""

    def __init__(self):
        self.received: list[dict] = []
        self.status = 200
        self.answer = b'{"id": "provider-message-1"}'
        self.hang = False
        self.release = threading.Event()  # set at teardown, so that a hanging handler ends at once

    def handler(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                provider.received.append({"path": self.path, "headers": dict(self.headers), "body": body})
                if provider.hang:
                    provider.release.wait(timeout=10)
                    return
                self.send_response(provider.status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(provider.answer)

            def log_message(self, *args):
                pass

        return Handler

    def json(self, index: int = -1) -> dict:
        return json.loads(self.received[index]["body"])


@pytest.fixture
def provider(settings):
    fake = FakeProvider()
    server = ThreadingHTTPServer(("127.0.0.1", 0), fake.handler())
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    settings.SMS_GATEWAY = "http"
    settings.SMS_HTTP_URL = f"http://127.0.0.1:{server.server_address[1]}/v1/sms"
    settings.SMS_HTTP_TOKEN = TOKEN
    settings.SMS_HTTP_TIMEOUT_SECONDS = 0.5
    yield fake
    fake.release.set()
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def identify(client, person, flow="register"):
    """Post the identification step; pages are in English unless the test chose a language."""
    if django_settings.LANGUAGE_COOKIE_NAME not in client.cookies:
        client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client.post(reverse("accounts:identify", args=[flow]), {
        "national_number": nrn.formatted(person.national_number), "member_number": person.member_number})


def code_in(text: str) -> str:
    return re.search(r"\b(\d{6,})\b", text).group(1)


# --- delivery -----------------------------------------------------------------------------------------

@pytest.mark.rule("ACC-2")
def test_it_posts_the_code_as_json_with_the_bearer_token(client, provider, unregistered):
    response = identify(client, unregistered)
    assert response.status_code == 302 and response.url == reverse("accounts:code", args=["register"])
    [request] = provider.received
    assert request["path"] == "/v1/sms"
    assert request["headers"]["Authorization"] == f"Bearer {TOKEN}"
    assert request["headers"]["Content-Type"] == "application/json"
    sent = provider.json()
    assert sent["to"] == unregistered.mobile and sent["from"] == django_settings.SMS_SENDER
    assert not OutboxMessage.objects.exists()  # the real gateway, not the development outbox
    # the code the provider delivered is the one the next step accepts
    response = client.post(reverse("accounts:code", args=["register"]), {"code": code_in(sent["text"])})
    assert response.status_code == 302 and response.url == reverse("accounts:password", args=["register"])


@pytest.mark.rule("ACC-2")
def test_it_returns_the_providers_message_id(provider):
    assert send_sms("+32470000000", "hello") == "provider-message-1"
    assert provider.json() == {"from": django_settings.SMS_SENDER, "to": "+32470000000", "text": "hello"}


# --- failures: a clear message, nothing created --------------------------------------------------------

def _fail(provider, settings, how: str) -> None:
    if how == "server error":
        provider.status, provider.answer = 500, b'{"error": "internal"}'
    elif how == "unavailable":
        provider.status, provider.answer = 503, b"down for maintenance"
    elif how == "not json":
        provider.answer = b"<html>this is not the API</html>"
    elif how == "timeout":
        provider.hang = True
        settings.SMS_HTTP_TIMEOUT_SECONDS = 0.2
    elif how == "refused":
        settings.SMS_HTTP_URL = f"http://127.0.0.1:{free_port()}/v1/sms"


FAILURES = ["server error", "unavailable", "not json", "timeout", "refused"]


@pytest.mark.rule("ACC-2")
@pytest.mark.parametrize("how", FAILURES)
def test_it_raises_a_delivery_error_when_the_provider_fails(provider, settings, how):
    _fail(provider, settings, how)
    with pytest.raises(SmsDeliveryError):
        send_sms("+32470000000", "hello")


@pytest.mark.rule("ACC-2")
@pytest.mark.parametrize("how", FAILURES)
def test_it_tells_the_person_the_sms_could_not_be_sent_and_creates_no_account(client, provider, settings,
                                                                              unregistered, how):
    _fail(provider, settings, how)
    response = identify(client, unregistered)
    assert response.status_code == 200
    assert COULD_NOT_SEND in response.content.decode()
    assert not User.objects.filter(person=unregistered).exists()
    assert "register_attempt" not in client.session
    # and the next step is not open: without a delivered code there is nothing to type
    response = client.get(reverse("accounts:code", args=["register"]))
    assert response.status_code == 302 and response.url == reverse("accounts:identify", args=["register"])


@pytest.mark.rule("ACC-3")
def test_it_does_not_log_in_when_the_login_code_cannot_be_sent(provider, member):
    User.objects.filter(pk=member.pk).update(second_factor=SecondFactor.SMS)
    provider.status = 500
    client = Client()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(reverse("accounts:login"), {"login": member.username, "password": PASSWORD},
                           follow=True)
    assert COULD_NOT_SEND in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert len(provider.received) == 1


# --- the person's language (ACC-8) -----------------------------------------------------------------------

@pytest.mark.rule("ACC-8", "ACC-2")
@pytest.mark.parametrize(("who", "language", "page_language"), [
    ("other_member", "nl", "fr"),  # Jan
    ("member", "fr", "en"),  # Marie
    ("stranger", "en", "nl"),  # Tom
])
def test_it_writes_the_code_sms_in_the_language_of_the_page_in_use(request, provider, who, language,
                                                                   page_language):
    """The person is reading the page in `page_language` while the code arrives: the session-cookie
    language applies (ACC-8), whatever language the registry has for them."""
    user = request.getfixturevalue(who)
    assert user.person.language == language
    client = Client()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = page_language
    response = identify(client, user.person, flow="reset")
    assert response.status_code == 302
    text = provider.json()["text"]
    values = {"code": code_in(text), "minutes": django_settings.OTP_CODE_TTL_SECONDS // 60}
    with translation.override(page_language):
        expected = gettext(CODE_TEXT) % values
    assert text == expected
    assert OneTimeCode.objects.filter(person=user.person, destination=user.person.mobile).count() == 1
