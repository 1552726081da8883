"""ACL-2: staff are bound to confidentiality; they acknowledge the current undertaking before any
back-office page, and the acknowledgement is recorded with time, text version and a ledger entry."""

import hashlib

import pytest
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.models import StaffRole
from guichet.backoffice import access
from guichet.backoffice.confidentiality import current_text
from guichet.backoffice.models import ConfidentialityAcknowledgement
from guichet.ledger.models import LedgerEntry
from tests.backoffice.conftest import case

pytestmark = [pytest.mark.django_db, pytest.mark.rule("ACL-2")]


def test_it_sends_staff_who_have_not_acknowledged_to_the_undertaking(client, staff, log_in):
    log_in(client, staff(StaffRole.AGENT))
    response = client.get(reverse("backoffice:desk"))
    assert response.status_code == 302
    assert response.url == f"{reverse('backoffice:confidentiality')}?next=%2Fstaff%2Fback-office%2F"


def test_it_records_the_acknowledgement_with_time_version_and_digest(client, staff, log_in):
    agent = staff(StaffRole.AGENT)
    log_in(client, agent)
    page = client.get(reverse("backoffice:confidentiality"))
    assert "bound to confidentiality" in page.content.decode()
    before = timezone.now()
    response = client.post(
        reverse("backoffice:confidentiality"), {"acknowledged": "on", "next": reverse("backoffice:desk")}
    )
    assert response.status_code == 302 and response.url == reverse("backoffice:desk")
    record = ConfidentialityAcknowledgement.objects.get(staff=agent)
    assert record.text_version == "2026-1"
    assert before <= record.acknowledged_at <= timezone.now()
    assert record.language == "en"
    entry = LedgerEntry.objects.get(kind="backoffice.confidentiality_acknowledged")
    assert entry.actor_ref == str(agent.public_id)
    assert record.text_sha256 in entry.payload
    assert client.get(reverse("backoffice:desk")).status_code == 200


def test_it_keeps_the_digest_of_the_text_shown(staff, client, log_in):
    agent = staff(StaffRole.AGENT)
    log_in(client, agent)
    client.post(reverse("backoffice:confidentiality"), {"acknowledged": "on"})
    from django.utils import translation

    with translation.override("en"):
        expected = hashlib.sha256(current_text().encode()).hexdigest()
    assert ConfidentialityAcknowledgement.objects.get(staff=agent).text_sha256 == expected


def test_it_records_nothing_without_the_tick(client, staff, log_in):
    log_in(client, staff(StaffRole.AGENT))
    response = client.post(reverse("backoffice:confidentiality"), {})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not ConfidentialityAcknowledgement.objects.exists()
    assert not LedgerEntry.objects.filter(kind="backoffice.confidentiality_acknowledged").exists()


def test_it_asks_again_when_a_new_version_is_in_force(staff_client, settings):
    client = staff_client(StaffRole.AGENT)
    assert client.get(reverse("backoffice:desk")).status_code == 200
    settings.BACKOFFICE_CONFIDENTIALITY_VERSION = "2099-1"
    response = client.get(reverse("backoffice:desk"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("backoffice:confidentiality"))


def test_it_does_not_redirect_outside_the_site_after_acknowledging(client, staff, log_in):
    log_in(client, staff(StaffRole.AGENT))
    response = client.post(
        reverse("backoffice:confidentiality"), {"acknowledged": "on", "next": "https://evil.example/"}
    )
    assert response.url == reverse("backoffice:desk")


@pytest.mark.rule("ACL-1")
def test_it_refuses_to_open_a_file_before_the_acknowledgement(staff, personas):
    with pytest.raises(access.AccessRefused) as refused:
        access.open_file(
            staff(StaffRole.DPO_OFFICE),
            personas["marie"],
            purpose_key="operations:rights_requests",
            reason=case(),
        )
    assert refused.value.code == "not_acknowledged"


def test_it_is_not_a_page_for_members_or_visitors(client, member, log_in):
    assert client.get(reverse("backoffice:confidentiality")).status_code == 302
    log_in(client, member)
    assert client.get(reverse("backoffice:confidentiality")).status_code == 404
