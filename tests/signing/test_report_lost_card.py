"""SIGN-5: a lost or stolen card reported by the member or by staff; from that moment its certificates are
refused whatever OCSP says, and a new card's certificate works."""

import datetime

import pytest
from django.utils import timezone

from guichet.accounts.models import StaffRole
from guichet.backoffice import access
from guichet.backoffice.confidentiality import acknowledge, current_text
from guichet.ledger.models import LedgerEntry
from guichet.signing import services, test_token
from guichet.signing.models import LostCardReport, RequestStatus
from tests.signing.helpers import CONTENT, prepared, signed_with

pytestmark = pytest.mark.django_db


@pytest.mark.rule("SIGN-5")
def test_a_reported_card_is_refused_although_ocsp_says_good(pki, member):
    marie = member.person
    credentials = pki.signature_credentials(marie)
    services.report_lost_card(marie, by=marie, reason="stolen")
    request = prepared(marie)
    with pytest.raises(services.SigningError) as raised:
        services.submit_signature(request, signed_with(credentials), actor=marie)
    assert raised.value.code == "lost_card"
    assert raised.value.message == services.message_for("lost_card")
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING
    assert LedgerEntry.objects.filter(kind="signing.card_reported_lost", subject=marie).count() == 1


@pytest.mark.rule("SIGN-5")
def test_a_new_cards_certificate_issued_after_the_report_works(pki, member):
    marie = member.person
    reported = services.report_lost_card(marie, by=marie, reason="lost").reported_at
    new_card = pki.issue_for(marie, not_before=reported + datetime.timedelta(seconds=1))
    signature = services.submit_signature(prepared(marie), signed_with(new_card), actor=marie)
    assert signature.validation["valid"]


@pytest.mark.rule("SIGN-5")
def test_the_test_card_is_replaced_after_a_report(pki, member):
    marie = member.person
    old = pki.signature_credentials(marie)
    services.report_lost_card(marie, by=marie, reason="lost")
    signature = services.submit_signature(prepared(marie), test_token.sign(CONTENT, marie), actor=marie)
    assert signature.certificate_serial != format(old.certificate.serial_number, "x")


@pytest.mark.rule("SIGN-5")
def test_a_signature_made_before_the_report_stays_valid(pki, member):
    marie = member.person
    signature = services.submit_signature(prepared(marie), test_token.sign(CONTENT, marie), actor=marie)
    services.report_lost_card(marie, by=marie, reason="stolen")
    assert services.reverify(signature).valid


@pytest.mark.rule("SIGN-5")
def test_staff_record_a_report_made_by_phone_at_the_time_of_the_call(pki, member, staff):
    marie = member.person
    agent = staff(StaffRole.AGENT)
    call = timezone.now() - datetime.timedelta(minutes=10)
    report = services.report_lost_card(marie, by=agent, reason="stolen", at=call, channel="phone")
    assert report.reported_at == call
    entry = LedgerEntry.objects.get(kind="signing.card_reported_lost", subject=marie)
    assert entry.actor_kind == "staff"


def test_it_refuses_a_report_without_reason_or_dated_in_the_future(member):
    marie = member.person
    with pytest.raises(services.SigningError):
        services.report_lost_card(marie, by=marie, reason="  ")
    with pytest.raises(services.SigningError):
        services.report_lost_card(marie, by=marie, reason="lost", at=timezone.now() + datetime.timedelta(days=1))
    assert not LostCardReport.objects.exists()


@pytest.mark.rule("SIGN-5")
def test_the_member_reports_the_card_from_the_account(pki, client, log_in, member):
    marie = member.person
    log_in(client, member)
    response = client.post("/my/signatures/lost-card/", {"what": "stolen", "police_reported": "on"})
    assert response.status_code == 302
    report = LostCardReport.objects.get(person=marie)
    assert report.channel == "account"
    assert "police" in report.reason
    page = client.get("/my/signatures/lost-card/")
    assert "Stolen" in page.content.decode()


def test_the_member_page_refuses_an_empty_choice(client, log_in, member):
    log_in(client, member)
    response = client.post("/my/signatures/lost-card/", {"what": ""})
    assert response.status_code == 200
    assert not LostCardReport.objects.exists()


@pytest.mark.rule("SIGN-5")
def test_staff_record_a_report_on_a_file_they_opened(pki, client, log_in, member, staff):
    marie = member.person
    agent = staff(StaffRole.AGENT)
    _acknowledged_client(client, log_in, agent)
    opened = access.open_file(agent, marie, purpose_key="operations:contact_management",
                              reason=access.Reason("case", "CASE-2026-7"))
    response = client.post("/staff/signing/lost-card/", {"access": str(opened.public_id), "channel": "phone",
                                                         "what": "lost"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert LostCardReport.objects.get(person=marie).channel == "phone"


def test_staff_cannot_report_for_a_file_they_did_not_open(pki, client, log_in, member, staff):
    import uuid

    agent = staff(StaffRole.AGENT)
    _acknowledged_client(client, log_in, agent)
    response = client.post("/staff/signing/lost-card/", {"access": str(uuid.uuid4()), "channel": "phone",
                                                         "what": "lost"})
    assert response.status_code == 200
    assert not LostCardReport.objects.exists()


def test_members_do_not_reach_the_staff_page(client, log_in, member):
    log_in(client, member)
    assert client.get("/staff/signing/lost-card/").status_code == 404


def _acknowledged_client(client, log_in, user):
    acknowledge(user, shown_text=current_text())
    return log_in(client, user)


@pytest.mark.rule("SIGN-5")
def test_the_member_is_told_when_staff_record_a_report(member, staff, django_capture_on_commit_callbacks):
    from guichet.messaging.models import OutboxMessage

    marie = member.person
    with django_capture_on_commit_callbacks(execute=True):
        services.report_lost_card(marie, by=staff(StaffRole.AGENT), reason="stolen", channel="phone")
    recipient = marie.mobile or marie.email
    assert OutboxMessage.objects.filter(recipient=recipient).count() == 1
