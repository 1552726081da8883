"""Composing an e-mail campaign (FR/NL/EN) and sending it in batches through Celery (COMM-1): every
e-mail carries the RFC 8058 one-click opt-out (headers and link); members who changed their mind
after the audience was frozen are left out. Only staff with the campaign right see these pages."""

import uuid

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from guichet.accounts.models import StaffRole
from guichet.communication.campaigns import CommunicationError, send_batch
from guichet.communication.models import Campaign, CampaignRecipient, CampaignStatus, RecipientStatus
from guichet.communication.services import change_preferences
from tests.communication.helpers import TEXTS, compose, send
from tests.conftest import english_client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _memory_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.mark.rule("COMM-1")
def test_it_sends_each_member_the_text_of_their_language_with_a_one_click_opt_out(personas,
                                                                                  django_capture_on_commit_callbacks):
    campaign = compose()
    assert send(campaign, django_capture_on_commit_callbacks) == 4
    assert campaign.status == CampaignStatus.SENT and campaign.sent_at is not None
    by_address = {message.to[0]: message for message in mail.outbox}
    jan = by_address["jan.peeters@example.org"]
    assert jan.subject == "Onze nieuwe voordelen"
    assert jan.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert jan.extra_headers["List-Unsubscribe"].startswith("<https://guichet.localhost/communication/unsubscribe/")
    assert "https://guichet.localhost/communication/unsubscribe/" in jan.body
    assert by_address["marie.dubois@example.org"].subject == "Nos nouveaux avantages"
    assert set(CampaignRecipient.objects.values_list("status", flat=True)) == {RecipientStatus.SENT}


@pytest.mark.rule("COMM-1")
@override_settings(CAMPAIGN_BATCH_SIZE=1)
def test_it_sends_in_batches_one_task_each(personas, django_capture_on_commit_callbacks, monkeypatch):
    from guichet.communication import tasks

    calls = []
    original = tasks.send_campaign_batch.run
    monkeypatch.setattr(tasks.send_campaign_batch, "run", lambda *args: calls.append(args) or original(*args))
    send(compose(), django_capture_on_commit_callbacks)
    assert len(calls) == 4 and all(len(batch) == 1 for _campaign, batch in calls)
    assert len(mail.outbox) == 4


@pytest.mark.rule("COMM-1", "COMM-7")
def test_a_member_who_declines_after_the_audience_was_frozen_gets_nothing(personas, django_capture_on_commit_callbacks):
    campaign = compose()
    from guichet.communication.campaigns import start_sending

    start_sending(campaign)  # the batches are not run: the commit callbacks are not executed
    change_preferences(personas["tom"], {"email_offers": False})
    batch = list(CampaignRecipient.objects.values_list("pk", flat=True))
    assert send_batch(campaign.pk, batch) == 3
    assert CampaignRecipient.objects.get(person=personas["tom"]).status == RecipientStatus.SKIPPED
    assert "tom.wouters@example.org" not in [message.to[0] for message in mail.outbox]


@pytest.mark.rule("COMM-1")
def test_it_refuses_a_campaign_without_the_three_languages_or_with_a_foreign_link(personas):
    with pytest.raises(CommunicationError, match="French, Dutch and English"):
        compose(subject_nl="")
    with pytest.raises(CommunicationError, match="Not allowed: https://evil.example/"):
        compose(body_en="Click https://evil.example/login")
    with pytest.raises(CommunicationError, match="https://"):
        compose(body_en="Click http://guichet.localhost/plain")
    assert not Campaign.objects.exists()


@pytest.mark.rule("COMM-1")
def test_it_sends_a_campaign_only_once(personas, django_capture_on_commit_callbacks):
    campaign = compose()
    send(campaign, django_capture_on_commit_callbacks)
    from guichet.communication.campaigns import start_sending

    with pytest.raises(CommunicationError):
        start_sending(campaign)
    assert len(mail.outbox) == 4


@pytest.mark.rule("COMM-1", "COMM-3")
def test_staff_compose_see_the_audience_with_reasons_and_send(staff_client, personas, django_capture_on_commit_callbacks):
    change_preferences(personas["marie"], {"email_offers": False})
    response = staff_client.post(reverse("communication:campaign-new"), {"name": "Spring", "channel": "email", **TEXTS})
    campaign = Campaign.objects.get()
    assert response.url == reverse("communication:campaign", args=[campaign.public_id])
    page = staff_client.get(response.url).content.decode()
    assert "the campaign reaches 3" in page and "declined offers on this channel" in page and "under the minimum age" in page
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("communication:campaign-send", args=[campaign.public_id]))
    page = staff_client.get(response.url).content.decode()
    assert "Sent" in page and len(mail.outbox) == 3


@pytest.mark.rule("COMM-1")
def test_the_form_shows_a_clear_message_and_saves_nothing_on_bad_input(staff_client, personas):
    response = staff_client.post(reverse("communication:campaign-new"),
                                 {"name": "Spring", "channel": "email", **TEXTS, "body_fr": "https://evil.example/"})
    assert response.status_code == 200 and "Not allowed" in response.content.decode()
    response = staff_client.post(reverse("communication:campaign-new"), {"name": "x", "channel": "fax"})
    assert response.status_code == 200 and not Campaign.objects.exists()


@pytest.mark.rule("COMM-1")
@pytest.mark.parametrize("name", ["campaigns", "campaign-new", "do-not-call"])
def test_the_staff_pages_answer_404_to_members_and_other_staff(client, log_in, member, staff, name):
    log_in(client, member)
    assert client.get(reverse(f"communication:{name}")).status_code == 404
    log_in(client, staff(StaffRole.MODERATOR))
    assert client.get(reverse(f"communication:{name}")).status_code == 404


@pytest.mark.rule("COMM-1")
def test_a_campaign_page_answers_404_to_a_stranger_and_for_an_unknown_campaign(staff_client, log_in, stranger,
                                                                              personas):
    campaign = compose()
    page = reverse("communication:campaign", args=[campaign.public_id])
    assert staff_client.get(page).status_code == 200
    assert staff_client.get(reverse("communication:campaign", args=[uuid.uuid4()])).status_code == 404
    other = log_in(english_client(), stranger)
    assert other.get(page).status_code == 404
    assert other.post(reverse("communication:campaign-send", args=[campaign.public_id])).status_code == 404
    assert Campaign.objects.get().status == CampaignStatus.DRAFT
