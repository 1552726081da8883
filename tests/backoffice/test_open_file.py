"""ACL-1, SEC-2, ACL-6: opening a member's file needs a register purpose the role may use and a reason;
a caller's or visitor's identity is checked before the file opens; every opening (and every refused
attempt) is recorded; fraud-unit openings are hidden from the member."""

import datetime
import logging
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.models import StaffRole
from guichet.backoffice import access
from guichet.backoffice.models import FileAccess
from guichet.ledger.models import LedgerEntry
from tests.backoffice.conftest import case, questions_of

pytestmark = pytest.mark.django_db


def open_form(client, person, **data):
    fields = {"purpose": "operations:contact_management", "reason_kind": "case", "reason_reference": "CASE-1"}
    fields.update(data)
    return client.post(reverse("backoffice:open-file", kwargs={"person_id": person.public_id}), fields)


@pytest.mark.rule("ACL-1")
def test_it_opens_a_file_for_a_purpose_of_the_role_with_a_reason(staff_client, personas):
    client, marie = staff_client(StaffRole.AGENT), personas["marie"]
    page = client.get(reverse("backoffice:open-file", kwargs={"person_id": marie.public_id})).content.decode()
    assert 'value="compulsory:healthcare_benefits"' in page
    assert 'value="operations:fraud_prevention"' not in page
    before = timezone.now()
    response = open_form(client, marie, purpose="compulsory:healthcare_benefits", reason_reference="CASE-77")
    opened = FileAccess.objects.get(person=marie)
    assert response.status_code == 302
    assert response.url == reverse("backoffice:file", kwargs={"access_id": opened.public_id})
    assert (opened.role, opened.purpose, opened.reason_kind, opened.reason_reference) == (
        "agent",
        "compulsory:healthcare_benefits",
        "case",
        "CASE-77",
    )
    assert (
        before + datetime.timedelta(minutes=30)
        <= opened.expires_at
        <= timezone.now() + datetime.timedelta(minutes=30)
    )
    entry = LedgerEntry.objects.get(kind="backoffice.file_opened")
    assert entry.subject == marie and entry.visible_to_subject and entry.context == "compulsory"
    assert '"purpose":"compulsory:healthcare_benefits"' in entry.payload


@pytest.mark.rule("ACL-1")
def test_it_gives_access_for_the_configured_time(acknowledged_staff, personas, settings):
    settings.BACKOFFICE_FILE_ACCESS_MINUTES = 5
    opened = access.open_file(
        acknowledged_staff(StaffRole.AGENT),
        personas["jan"],
        purpose_key="operations:contact_management",
        reason=case(),
    )
    assert opened.expires_at - opened.opened_at == datetime.timedelta(minutes=5)


@pytest.mark.rule("ACL-1")
@pytest.mark.rule("SEC-1")
def test_it_refuses_and_logs_a_purpose_that_is_not_in_the_register(staff_client, personas, caplog):
    client, marie = staff_client(StaffRole.AGENT), personas["marie"]
    with caplog.at_level(logging.WARNING, logger="guichet.security"):
        response = open_form(client, marie, purpose="operations:selling_lists")
    assert response.status_code == 200
    assert "This purpose is not in the register of processing." in response.content.decode()
    assert not FileAccess.objects.exists()
    assert "unknown_purpose" in caplog.text
    refused = LedgerEntry.objects.get(kind="backoffice.file_access_refused")
    assert refused.subject == marie and not refused.visible_to_subject
    assert "unknown_purpose" in refused.payload


@pytest.mark.rule("ACL-1")
def test_it_refuses_and_logs_a_purpose_the_role_may_not_use(staff_client, personas, caplog):
    client = staff_client(StaffRole.MODERATOR)
    with caplog.at_level(logging.WARNING, logger="guichet.security"):
        response = open_form(client, personas["marie"], purpose="compulsory:healthcare_benefits")
    assert "Your role may not open a file for this purpose." in response.content.decode()
    assert not FileAccess.objects.exists()
    assert "purpose_not_allowed" in caplog.text
    assert LedgerEntry.objects.filter(kind="backoffice.file_access_refused").count() == 1


@pytest.mark.rule("ACL-1")
@pytest.mark.parametrize("reference", ["", "   ", "x" * 65, "<script>"])
def test_it_refuses_an_opening_without_a_usable_reason(acknowledged_staff, personas, reference):
    with pytest.raises(access.AccessRefused) as refused:
        access.open_file(
            acknowledged_staff(StaffRole.AGENT),
            personas["marie"],
            purpose_key="operations:contact_management",
            reason=access.Reason("case", reference),
        )
    assert refused.value.code == "no_reason"
    assert not FileAccess.objects.exists()


@pytest.mark.rule("ACL-1")
def test_it_refuses_a_kind_of_reason_the_role_does_not_have(acknowledged_staff, personas):
    with pytest.raises(access.AccessRefused) as refused:
        access.open_file(
            acknowledged_staff(StaffRole.FRAUD_UNIT),
            personas["marie"],
            purpose_key="operations:fraud_prevention",
            reason=access.Reason("call", "CALL-1"),
            identity_check=questions_of(personas["marie"]),
        )
    assert refused.value.code == "reason_not_allowed"


@pytest.mark.rule("ACL-1")
@pytest.mark.rule("SEC-1")
def test_it_refuses_and_logs_an_account_without_a_staff_role(member, personas, caplog):
    with caplog.at_level(logging.WARNING, logger="guichet.security"):
        with pytest.raises(access.AccessRefused) as refused:
            access.open_file(
                member, personas["jan"], purpose_key="operations:contact_management", reason=case()
            )
    assert refused.value.code == "not_staff"
    assert "not_staff" in caplog.text
    assert LedgerEntry.objects.get(kind="backoffice.file_access_refused").subject == personas["jan"]


@pytest.mark.rule("ACL-1")
@pytest.mark.rule("SEC-1")
def test_it_refuses_and_logs_the_file_id_of_nobody(staff_client, caplog):
    client = staff_client(StaffRole.AGENT)
    forged = uuid.uuid4()
    with caplog.at_level(logging.WARNING, logger="guichet.security"):
        response = client.get(reverse("backoffice:open-file", kwargs={"person_id": forged}))
    assert response.status_code == 404
    assert "There is no member file with this reference." in response.content.decode()
    assert "unknown_file" in caplog.text
    assert str(forged) in LedgerEntry.objects.get(kind="backoffice.file_access_refused").payload


@pytest.mark.rule("SEC-2")
@pytest.mark.parametrize("contact", ["call", "visit"])
def test_it_needs_an_identity_check_before_a_call_or_a_visit_opens_the_file(staff_client, personas, contact):
    response = open_form(staff_client(StaffRole.AGENT), personas["marie"], reason_kind=contact)
    assert "Check the identity of the caller or visitor first." in response.content.decode()
    assert not FileAccess.objects.exists()


@pytest.mark.rule("SEC-2")
def test_it_opens_the_file_of_a_caller_who_answered_right(staff_client, personas):
    marie = personas["marie"]
    response = open_form(
        staff_client(StaffRole.AGENT),
        marie,
        reason_kind="call",
        reason_reference="CALL-5",
        identity_method="questions",
        national_number=marie.national_number,
        member_number=marie.member_number,
        birth_date=marie.birth_date.isoformat(),
    )
    assert response.status_code == 302
    opened = FileAccess.objects.get()
    assert opened.identity_check == "questions"
    assert '"identity_check":"questions"' in LedgerEntry.objects.get(kind="backoffice.file_opened").payload


@pytest.mark.rule("SEC-2")
@pytest.mark.rule("SEC-1")
def test_it_refuses_and_logs_a_caller_whose_answers_do_not_match(staff_client, personas, caplog):
    marie, jan = personas["marie"], personas["jan"]
    with caplog.at_level(logging.WARNING, logger="guichet.security"):
        response = open_form(
            staff_client(StaffRole.AGENT),
            marie,
            reason_kind="call",
            identity_method="questions",
            national_number=marie.national_number,
            member_number=jan.member_number,
            birth_date=marie.birth_date.isoformat(),
        )
    assert "The identity check failed" in response.content.decode()
    assert not FileAccess.objects.exists()
    assert "identity_mismatch" in caplog.text
    entry = LedgerEntry.objects.get(kind="backoffice.file_access_refused")
    assert marie.national_number not in entry.payload  # the answers are compared, never kept


@pytest.mark.rule("SEC-2")
def test_it_accepts_an_eid_read_at_the_desk_during_a_visit_only(acknowledged_staff, personas):
    agent, marie = acknowledged_staff(StaffRole.AGENT), personas["marie"]
    eid = access.IdentityCheck("eid", national_number=marie.national_number)
    with pytest.raises(access.AccessRefused):
        access.open_file(
            agent,
            marie,
            purpose_key="operations:contact_management",
            reason=access.Reason("call", "CALL-1"),
            identity_check=eid,
        )
    opened = access.open_file(
        agent,
        marie,
        purpose_key="operations:contact_management",
        reason=access.Reason("visit", "DESK-1"),
        identity_check=eid,
    )
    assert opened.identity_check == "eid"


@pytest.mark.rule("ACL-6")
def test_it_hides_an_opening_by_the_fraud_unit_from_the_member(acknowledged_staff, personas):
    opened = access.open_file(
        acknowledged_staff(StaffRole.FRAUD_UNIT),
        personas["marie"],
        purpose_key="operations:fraud_prevention",
        reason=case("FRAUD-9"),
    )
    assert not opened.visible_to_subject
    assert not LedgerEntry.objects.get(kind="backoffice.file_opened").visible_to_subject


@pytest.mark.rule("SEC-1")
def test_it_leaves_no_opening_when_the_ledger_entry_cannot_be_written(
    acknowledged_staff, personas, monkeypatch
):
    agent = acknowledged_staff(StaffRole.AGENT)

    def broken(*args, **kwargs):
        raise RuntimeError("ledger down")

    monkeypatch.setattr(access, "append", broken)
    with pytest.raises(RuntimeError):
        access.open_file(agent, personas["marie"], purpose_key="operations:contact_management", reason=case())
    assert not FileAccess.objects.exists()
