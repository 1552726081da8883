"""Fixtures of the back-office tests: staff who acknowledged the confidentiality undertaking, logged-in
staff clients, and helpers to open a file the way an agent would."""

import pytest

from guichet.accounts.models import StaffRole
from guichet.backoffice import access
from guichet.backoffice.confidentiality import acknowledge, current_text
from tests.conftest import english_client


@pytest.fixture
def acknowledged_staff(staff):
    """staff(role), having acknowledged the current confidentiality undertaking."""

    def make(role: StaffRole):
        user = staff(role)
        acknowledge(user, shown_text=current_text())
        return user

    return make


@pytest.fixture
def staff_client(acknowledged_staff, log_in):
    """A client logged in as the acknowledged staff member of `role` (a new client for each call)."""

    def make(role: StaffRole):
        return log_in(english_client(), acknowledged_staff(role))

    return make


def case(reference: str = "CASE-2026-001") -> access.Reason:
    return access.Reason("case", reference)


def questions_of(person) -> access.IdentityCheck:
    """What a caller who really is `person` answers on the phone."""
    return access.IdentityCheck(
        "questions",
        national_number=person.national_number,
        member_number=person.member_number,
        birth_date=person.birth_date,
    )
