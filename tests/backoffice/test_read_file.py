"""ACL-1, ACL-3, ACL-5: the file page shows only what the purpose needs, masks health data unless the staff
member holds a current delegation from an advising physician, and gives a processor only the fields of its
task. Another staff member's access, a forged one or an ended one opens nothing."""

import datetime
import logging
import uuid

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.models import StaffRole
from guichet.backoffice import access
from guichet.backoffice.services import grant_delegation
from guichet.ledger.models import LedgerEntry
from guichet.members import datamap as members_datamap
from guichet.privacy.datamap import Personal
from tests.backoffice.conftest import case, questions_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def birth_date_is_health_data(monkeypatch):
    """The registry holds no health field yet; the data map decides what is medical, so a field mapped to
    the register's medical category 'health' stands in for one (the same code path as a real one)."""
    monkeypatch.setitem(members_datamap.DATA_MAP["Person"], "birth_date", Personal("health"))


def file_page(client, opened):
    return client.get(reverse("backoffice:file", kwargs={"access_id": opened.public_id}))


def opened_by(client_user, person, purpose, reason=None, identity_check=None):
    return access.open_file(
        client_user, person, purpose_key=purpose, reason=reason or case(), identity_check=identity_check
    )


def fields_of(view) -> dict[str, access.ShownField]:
    return {item.label: item for section in view.sections for record in section.records for item in record}


@pytest.mark.rule("ACL-1")
def test_it_shows_the_registry_data_the_purpose_needs(staff_client, acknowledged_staff, personas):
    client, agent = staff_client(StaffRole.AGENT), acknowledged_staff(StaffRole.AGENT)
    marie = personas["marie"]
    opened = opened_by(agent, marie, "operations:contact_management")
    page = file_page(client, opened).content.decode()
    assert marie.national_number in page and marie.first_name in page and marie.member_number in page
    assert "Current address" in page and "Affiliations" in page


@pytest.mark.rule("ACL-1")
def test_it_leaves_out_the_categories_the_purpose_does_not_need(staff_client, acknowledged_staff, personas):
    client = staff_client(StaffRole.DPO_OFFICE)
    marie = personas["marie"]
    opened = opened_by(acknowledged_staff(StaffRole.DPO_OFFICE), marie, "operations:rights_requests")
    page = file_page(client, opened).content.decode()
    assert marie.first_name in page  # identification: needed to answer a request
    assert marie.national_number not in page  # national_register: not a category of this purpose
    assert "Affiliations" not in page


@pytest.mark.rule("ACL-3")
def test_it_hides_health_data_without_a_delegation(
    staff_client, acknowledged_staff, personas, birth_date_is_health_data
):
    client = staff_client(StaffRole.MEDICAL_DELEGATE)
    delegate = acknowledged_staff(StaffRole.MEDICAL_DELEGATE)
    marie = personas["marie"]
    opened = opened_by(delegate, marie, "compulsory:medical_advisor_approvals")
    page = file_page(client, opened).content.decode()
    assert "hidden (health data)" in page
    assert "Health data are hidden" in page
    birth_date = fields_of(access.file_view(opened))["birth date"]
    assert birth_date.hidden and birth_date.value is None


@pytest.mark.rule("ACL-3")
def test_it_shows_health_data_under_a_current_delegation_of_the_context(
    staff_client, acknowledged_staff, personas, birth_date_is_health_data
):
    client = staff_client(StaffRole.MEDICAL_DELEGATE)
    delegate = acknowledged_staff(StaffRole.MEDICAL_DELEGATE)
    physician = acknowledged_staff(StaffRole.ADVISING_PHYSICIAN)
    grant_delegation(
        physician, delegate, scope="compulsory", expires_at=timezone.now() + datetime.timedelta(days=7)
    )
    opened = opened_by(delegate, personas["marie"], "compulsory:medical_advisor_approvals")
    page = file_page(client, opened).content.decode()
    assert "hidden (health data)" not in page
    assert access.may_see_health_data(delegate, "compulsory")
    assert not access.may_see_health_data(delegate, "complementary")  # the delegation covers one context


@pytest.mark.rule("ACL-3")
def test_it_hides_health_data_again_once_the_delegation_ends(
    acknowledged_staff, personas, birth_date_is_health_data
):
    delegate = acknowledged_staff(StaffRole.MEDICAL_DELEGATE)
    physician = acknowledged_staff(StaffRole.ADVISING_PHYSICIAN)
    grant_delegation(
        physician, delegate, scope="compulsory", expires_at=timezone.now() + datetime.timedelta(days=1)
    )
    opened = opened_by(delegate, personas["marie"], "compulsory:medical_advisor_approvals")
    assert not access.file_view(opened).health_hidden
    with time_machine.travel(timezone.now() + datetime.timedelta(days=2)):
        assert not access.may_see_health_data(delegate, "compulsory")


@pytest.mark.rule("ACL-3")
def test_it_shows_health_data_to_the_advising_physician(
    acknowledged_staff, personas, birth_date_is_health_data
):
    physician = acknowledged_staff(StaffRole.ADVISING_PHYSICIAN)
    opened = opened_by(physician, personas["marie"], "compulsory:medical_advisor_approvals")
    assert not access.file_view(opened).health_hidden


@pytest.mark.rule("ACL-3")
def test_it_never_shows_health_data_to_an_agent(acknowledged_staff, personas, birth_date_is_health_data):
    agent = acknowledged_staff(StaffRole.AGENT)
    opened = opened_by(agent, personas["marie"], "compulsory:healthcare_benefits")
    view = access.file_view(opened)
    assert view.health_hidden
    hidden = [
        item for section in view.sections for record in section.records for item in record if item.hidden
    ]
    assert [item.value for item in hidden] == [None]


@pytest.mark.rule("ACL-5")
@pytest.mark.rule("DISC-3")
def test_it_gives_the_print_house_only_the_name_and_postal_address(
    staff_client, acknowledged_staff, personas
):
    client = staff_client(StaffRole.PROCESSOR_PRINT_HOUSE)
    printer = acknowledged_staff(StaffRole.PROCESSOR_PRINT_HOUSE)
    marie = personas["marie"]
    opened = opened_by(printer, marie, "operations:ebox")
    view = access.file_view(opened)
    labels = {item.label for section in view.sections for record in section.records for item in record}
    assert labels == {
        "first name",
        "last name",
        "language",
        "street",
        "house number",
        "box",
        "postcode",
        "city",
        "country",
    }
    page = file_page(client, opened).content.decode()
    assert marie.national_number not in page and (not marie.email or marie.email not in page)


@pytest.mark.rule("ACL-5")
@pytest.mark.rule("SEC-2")
def test_it_gives_the_call_centre_contact_data_after_an_identity_check(acknowledged_staff, personas):
    caller_centre = acknowledged_staff(StaffRole.PROCESSOR_CALL_CENTRE)
    marie = personas["marie"]
    opened = opened_by(
        caller_centre,
        marie,
        "operations:contact_management",
        reason=access.Reason("call", "CC-1"),
        identity_check=questions_of(marie),
    )
    labels = {
        item.label
        for section in access.file_view(opened).sections
        for record in section.records
        for item in record
    }
    assert "mobile number" in labels and "membership number" in labels
    assert "national register number" not in labels and "birth date" not in labels


@pytest.mark.rule("ACL-1")
@pytest.mark.rule("SEC-1")
def test_it_refuses_and_logs_another_staff_members_access(staff_client, acknowledged_staff, personas, caplog):
    agent = acknowledged_staff(StaffRole.AGENT)
    opened = opened_by(agent, personas["marie"], "operations:contact_management")
    other = staff_client(StaffRole.ADMINISTRATOR)
    with caplog.at_level(logging.WARNING, logger="guichet.security"):
        response = file_page(other, opened)
    assert response.status_code == 404
    assert "No file is open for you under this address." in response.content.decode()
    assert "forged_access" in caplog.text
    assert LedgerEntry.objects.get(kind="backoffice.file_access_refused").subject == personas["marie"]


@pytest.mark.rule("ACL-1")
def test_it_refuses_a_forged_access_id(staff_client):
    response = staff_client(StaffRole.AGENT).get(
        reverse("backoffice:file", kwargs={"access_id": uuid.uuid4()})
    )
    assert response.status_code == 404
    assert LedgerEntry.objects.filter(kind="backoffice.file_access_refused", subject=None).count() == 1


@pytest.mark.rule("ACL-1")
def test_it_asks_to_open_the_file_again_once_the_access_ends(
    staff_client, acknowledged_staff, personas, settings
):
    settings.BACKOFFICE_FILE_ACCESS_MINUTES = 5
    client = staff_client(StaffRole.AGENT)
    opened = opened_by(
        acknowledged_staff(StaffRole.AGENT), personas["marie"], "operations:contact_management"
    )
    assert file_page(client, opened).status_code == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=6)):
        response = file_page(client, opened)
    assert response.status_code == 302
    assert response.url == reverse("backoffice:open-file", kwargs={"person_id": personas["marie"].public_id})
