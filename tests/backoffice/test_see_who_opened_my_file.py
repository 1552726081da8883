"""ACL-6: the member sees in their account each opening of their file, with date, role and purpose (not the
staff member's name), except those of the fraud unit; nobody sees another member's openings."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from guichet.accounts.models import StaffRole
from guichet.backoffice import access
from guichet.privacy.register import load_register, text
from tests.backoffice.conftest import case

pytestmark = [pytest.mark.django_db, pytest.mark.rule("ACL-6")]
URL = reverse("backoffice:my-file-access")


def test_it_lists_openings_with_date_role_and_purpose(client, member, log_in, acknowledged_staff, personas):
    agent = acknowledged_staff(StaffRole.AGENT)
    agent.display_name = "Agent Vandenberghe"
    agent.save(update_fields=["display_name"])
    access.open_file(agent, personas["marie"], purpose_key="compulsory:healthcare_benefits", reason=case())
    page = log_in(client, member).get(URL).content.decode()
    assert "Agency or service-centre agent" in page
    assert escape(text(load_register().purpose("compulsory:healthcare_benefits")[1].title, "en")) in page
    assert "Vandenberghe" not in page and "CASE-2026-001" not in page


def test_it_leaves_out_the_fraud_unit(client, member, log_in, acknowledged_staff, personas):
    access.open_file(
        acknowledged_staff(StaffRole.FRAUD_UNIT),
        personas["marie"],
        purpose_key="operations:fraud_prevention",
        reason=case(),
    )
    page = log_in(client, member).get(URL).content.decode()
    assert "Fraud unit" not in page
    assert "No member of staff has opened your file." in page


def test_it_shows_only_the_members_own_file(client, other_member, log_in, acknowledged_staff, personas):
    access.open_file(
        acknowledged_staff(StaffRole.AGENT),
        personas["marie"],
        purpose_key="operations:contact_management",
        reason=case(),
    )
    page = log_in(client, other_member).get(URL).content.decode()
    assert "No member of staff has opened your file." in page


def test_it_is_no_page_for_staff_or_visitors(client, log_in, staff):
    assert client.get(URL).status_code == 302
    assert log_in(client, staff(StaffRole.DPO_OFFICE)).get(URL).status_code == 404
