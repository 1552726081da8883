"""COMM-2: opens (a pixel) and clicks (a signed redirect to the campaign's own links, never an open
redirect) are recorded only for recipients who have not objected; objecting stops the tracking. The
campaign report shows sent, opened, clicked and unsubscribed."""

import re

import pytest
from django.core import mail

from guichet.communication.campaigns import campaign_report, make_token
from guichet.communication.models import CampaignRecipient
from guichet.communication.services import change_preferences
from tests.communication.helpers import compose, send

pytestmark = [pytest.mark.django_db, pytest.mark.rule("COMM-2")]


@pytest.fixture
def campaign(personas, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    change_preferences(personas["jan"], {"tracking_objected": True})
    campaign = compose()
    send(campaign, django_capture_on_commit_callbacks)
    return campaign


def receipt(personas, key):
    return CampaignRecipient.objects.get(person=personas[key])


def test_it_records_the_opening_and_the_click_of_a_recipient_who_has_not_objected(client, personas, campaign):
    tom = receipt(personas, "tom")
    message = next(m for m in mail.outbox if m.to == ["tom.wouters@example.org"])
    html = message.alternatives[0][0]
    pixel_url = re.search(r'<img src="https://guichet\.localhost(/communication/open/[^"]+)"', html).group(1)
    click_url = re.search(r"https://guichet\.localhost(/communication/click/\S+/)", message.body).group(1)
    assert "https://guichet.localhost/benefits" not in message.body  # the link goes through the redirect
    pixel = client.get(pixel_url)
    assert pixel.status_code == 200 and pixel["Content-Type"] == "image/gif"
    response = client.get(click_url)
    assert response.status_code == 302 and response.url == "https://guichet.localhost/benefits"
    tom.refresh_from_db()
    assert tom.opened_at is not None and tom.clicked_at is not None
    assert campaign.links[tom.clicked_link] == "https://guichet.localhost/benefits"


def test_an_objecting_recipients_e_mail_has_no_pixel_nor_tracked_links_and_nothing_is_recorded(client, personas,
                                                                                               campaign):
    jan = receipt(personas, "jan")
    assert jan.tracking is False
    message = next(m for m in mail.outbox if m.to == ["jan.peeters@example.org"])
    html = message.alternatives[0][0]
    assert "/communication/open/" not in html and "/communication/click/" not in message.body
    assert "https://guichet.localhost/voordelen" in message.body
    client.get(f"/communication/open/{make_token(jan, 'open')}/")
    assert client.get(f"/communication/click/{make_token(jan, 'click', 0)}/").status_code == 302
    jan.refresh_from_db()
    assert jan.opened_at is None and jan.clicked_at is None


def test_objecting_after_the_sending_stops_the_tracking(client, personas, campaign):
    tom = receipt(personas, "tom")
    message = next(m for m in mail.outbox if m.to == ["tom.wouters@example.org"])
    assert "/communication/click/" in message.body
    change_preferences(personas["tom"], {"tracking_objected": True})
    client.get(f"/communication/open/{make_token(tom, 'open')}/")
    client.get(f"/communication/click/{make_token(tom, 'click', 0)}/")
    tom.refresh_from_db()
    assert tom.opened_at is None and tom.clicked_at is None


def test_a_click_link_never_leads_elsewhere(client, personas, campaign):
    tom = receipt(personas, "tom")
    for token in (make_token(tom, "click", 5), make_token(tom, "click", 0)[:-3] + "xyz", "https:evil.example"):
        response = client.get(f"/communication/click/{token}/?next=https://evil.example/")
        assert response.status_code == 400 and "This link is not valid" in response.content.decode()
    assert client.get("/communication/open/garbage/").status_code == 200  # a pixel, always; nothing recorded
    tom.refresh_from_db()
    assert tom.clicked_at is None and tom.opened_at is None


def test_the_report_counts_sent_opened_clicked_and_unsubscribed(client, personas, campaign):
    tom, marie = receipt(personas, "tom"), receipt(personas, "marie")
    client.get(f"/communication/open/{make_token(tom, 'open')}/")
    client.get(f"/communication/open/{make_token(tom, 'open')}/")  # counted once
    client.get(f"/communication/click/{make_token(marie, 'click', 0)}/")
    client.post(f"/communication/unsubscribe/{make_token(marie, 'unsubscribe')}/")
    report = campaign_report(campaign)
    assert (report.sent, report.opened, report.clicked, report.unsubscribed) == (4, 1, 1, 1)
