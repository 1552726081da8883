"""COMM-1: a campaign e-mail sent through a real SMTP server (aiosmtpd on 127.0.0.1) arrives with its
RFC 8058 headers, a text and an HTML part, in the recipient's language."""

import email
from email import policy

import pytest

from guichet.communication.models import RecipientStatus
from tests.communication.helpers import compose, send

pytestmark = [pytest.mark.django_db, pytest.mark.rule("COMM-1")]


def test_the_headers_of_the_one_click_opt_out_arrive_through_smtp(personas, settings, smtp_server,
                                                                   django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = smtp_server.hostname, smtp_server.port
    settings.EMAIL_USE_TLS, settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD = False, "", ""
    settings.CAMPAIGN_UNSUBSCRIBE_MAILTO = "unsubscribe@guichet.localhost"
    campaign = compose()
    assert send(campaign, django_capture_on_commit_callbacks) == 4
    assert set(campaign.recipients.values_list("status", flat=True)) == {RecipientStatus.SENT}
    assert len(smtp_server.messages) == 4
    received = {tuple(rcpt): email.message_from_bytes(raw, policy=policy.default) for rcpt, raw in smtp_server.messages}
    jan = received[("jan.peeters@example.org",)]
    assert jan["Subject"] == "Onze nieuwe voordelen"
    assert jan["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    https, mailto = [part.strip() for part in str(jan["List-Unsubscribe"]).split(",")]
    assert https.startswith("<https://guichet.localhost/communication/unsubscribe/")
    assert mailto.startswith("<mailto:unsubscribe@guichet.localhost?subject=unsubscribe%20")
    text = jan.get_body(preferencelist=("plain",)).get_content()
    html = jan.get_body(preferencelist=("html",)).get_content()
    assert https.strip("<>") in text and "/communication/open/" in html
