"""COMM-1: the one-click opt-out of a campaign e-mail (RFC 8058): a POST to the signed link unsubscribes
without login or CSRF token; a GET only asks for confirmation; a tampered link gets a clear page and
changes nothing."""

import pytest
from django.core import mail
from django.test import Client

from guichet.communication.campaigns import make_token
from guichet.communication.models import CampaignRecipient, PreferenceChange, Preferences
from guichet.communication.policy import receives_offers
from tests.communication.helpers import compose, send

pytestmark = [pytest.mark.django_db, pytest.mark.rule("COMM-1")]


@pytest.fixture
def recipient(personas, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    send(compose(), django_capture_on_commit_callbacks)
    return CampaignRecipient.objects.get(person=personas["tom"])


def opt_out_url(message) -> str:
    return message.extra_headers["List-Unsubscribe"].strip("<>").replace("https://guichet.localhost", "")


def test_a_one_click_post_unsubscribes_without_login_or_csrf_token(recipient):
    message = next(m for m in mail.outbox if m.to == ["tom.wouters@example.org"])
    browserless = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    response = browserless.post(opt_out_url(message), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "You will receive no more offers by e-mail" in response.content.decode()
    recipient.refresh_from_db()
    assert recipient.unsubscribed_at is not None
    assert not receives_offers(recipient.person, "email") and receives_offers(recipient.person, "post")
    assert PreferenceChange.objects.get(person=recipient.person).via == "unsubscribe"


def test_a_get_only_asks_for_confirmation(client, recipient):
    url = opt_out_url(next(m for m in mail.outbox if m.to == ["tom.wouters@example.org"]))
    response = client.get(url)
    assert response.status_code == 200 and "Receive no more offers by e-mail" in response.content.decode()
    assert not Preferences.objects.exists()


def test_unsubscribing_twice_is_harmless(client, recipient):
    url = f"/communication/unsubscribe/{make_token(recipient, 'unsubscribe')}/"
    assert client.post(url).status_code == 200
    assert client.post(url).status_code == 200
    assert PreferenceChange.objects.count() == 1


@pytest.mark.parametrize("tamper", [
    lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
    lambda token: "x" + token,
    lambda token: "not-a-token",
])
def test_a_tampered_link_gets_a_clear_page_and_changes_nothing(client, recipient, tamper):
    url = f"/communication/unsubscribe/{tamper(make_token(recipient, 'unsubscribe'))}/"
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 400
        assert "This link is not valid" in response.content.decode()
    recipient.refresh_from_db()
    assert recipient.unsubscribed_at is None and not Preferences.objects.exists()


def test_a_token_of_another_kind_does_not_unsubscribe(client, recipient):
    url = f"/communication/unsubscribe/{make_token(recipient, 'open')}/"
    assert client.post(url).status_code == 400
    assert not Preferences.objects.exists()
