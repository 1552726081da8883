"""COMM-7: each preference change reaches every system that uses it: a signed POST (HMAC-SHA256) to the
webhook of each group subscriber, retried with a growing delay until delivered, and the campaign
audience; the member sees per system whether it was applied and when. Against a real HTTP server."""

import datetime
import hashlib
import hmac
import json

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from guichet.communication.models import Delivery, Subscriber
from guichet.communication.services import (
    DELIVERY_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    change_preferences,
    deliver_due_webhooks,
)
from guichet.events.services import deliver_pending

pytestmark = [pytest.mark.django_db, pytest.mark.rule("COMM-7")]
SECRET = "a shared secret of the insurance company"


@pytest.fixture
def subscriber(webhook_server):
    return Subscriber.objects.create(name="Insurance company CRM", url=webhook_server.url, secret=SECRET)


def deliver(capture):
    """Run the outbox as the worker does, with the Celery tasks queued after each commit (eager)."""
    with capture(execute=True):
        deliver_pending()


def test_it_posts_the_change_signed_to_each_subscriber(member, subscriber, webhook_server,
                                                       django_capture_on_commit_callbacks):
    Subscriber.objects.create(name="Inactive", url=webhook_server.url, secret="x", active=False)
    change_preferences(member.person, {"phone_offers": False, "share_with_group": False})
    deliver(django_capture_on_commit_callbacks)
    assert len(webhook_server.received) == 1
    headers, body = webhook_server.received[0]
    expected = hmac.new(SECRET.encode(), headers[TIMESTAMP_HEADER].encode() + b"." + body, hashlib.sha256).hexdigest()
    assert headers[SIGNATURE_HEADER] == f"sha256={expected}"
    data = json.loads(body)
    assert data["preferences"]["person"] == str(member.person.public_id)
    assert data["preferences"]["offers"]["phone"] is False and data["preferences"]["share_with_group"] is False
    delivery = Delivery.objects.get()
    assert headers[DELIVERY_HEADER] == str(delivery.public_id) and delivery.delivered_at is not None


def test_it_retries_with_a_growing_delay_until_delivered(member, subscriber, webhook_server,
                                                          django_capture_on_commit_callbacks):
    webhook_server.statuses = [500, 503]
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        change_preferences(member.person, {"email_offers": False})
        deliver(django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()
    assert delivery.delivered_at is None and delivery.attempts == 1 and delivery.last_error == "HTTP 500"
    assert delivery.next_attempt_at == start + datetime.timedelta(seconds=30)
    with time_machine.travel(start + datetime.timedelta(seconds=10), tick=False):
        assert deliver_due_webhooks() == 0  # not yet due
    assert len(webhook_server.received) == 1
    with time_machine.travel(start + datetime.timedelta(seconds=31), tick=False):
        assert deliver_due_webhooks() == 0  # 503
    delivery.refresh_from_db()
    assert delivery.attempts == 2 and delivery.next_attempt_at == start + datetime.timedelta(seconds=31 + 60)
    with time_machine.travel(start + datetime.timedelta(seconds=92), tick=False):
        assert deliver_due_webhooks() == 1
    delivery.refresh_from_db()
    assert delivery.delivered_at == start + datetime.timedelta(seconds=92)
    assert len(webhook_server.received) == 3
    assert len({headers[DELIVERY_HEADER] for headers, _body in webhook_server.received}) == 1  # same delivery id


def test_it_retries_when_the_subscriber_is_unreachable(member, django_capture_on_commit_callbacks):
    Subscriber.objects.create(name="Down", url="http://127.0.0.1:9/nothing-listens", secret=SECRET)
    change_preferences(member.person, {"email_offers": False})
    deliver(django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()
    assert delivery.delivered_at is None and delivery.attempts == 1 and delivery.last_error


def test_the_member_sees_where_the_change_was_applied_and_when(member_client, member, subscriber,
                                                               webhook_server, django_capture_on_commit_callbacks):
    webhook_server.statuses = [500]
    member_client.post(reverse("communication:my-settings"), {
        "email_offers": "no", "post_offers": "yes", "phone_offers": "yes", "sms_offers": "yes", "app_offers": "yes",
        "share_with_group": "yes", "measure_campaigns": "yes", "use_for_profiling": "yes"})
    deliver(django_capture_on_commit_callbacks)
    page = member_client.get(reverse("communication:my-settings")).content.decode()
    assert "Our campaigns" in page and "applied on" in page
    assert "Insurance company CRM" in page and "on its way" in page
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=2)):
        deliver_due_webhooks()
    page = member_client.get(reverse("communication:my-settings")).content.decode()
    assert "on its way" not in page and page.count("applied on") == 2


def test_it_never_opens_a_subscriber_address_of_another_scheme(member, tmp_path, django_capture_on_commit_callbacks):
    secret_file = tmp_path / "secret.txt"
    secret_file.write_text("do not read")
    Subscriber.objects.create(name="Misconfigured", url=f"file://{secret_file}", secret=SECRET)
    change_preferences(member.person, {"email_offers": False})
    deliver(django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()
    assert delivery.delivered_at is None and "must start with https://" in delivery.last_error
