"""Fixtures of the decisions tests: e-Box documents in a temporary folder, a household with income data,
helpers to build households and deliver the outbox."""

import datetime

import pytest

from guichet.events.services import deliver_pending
from guichet.members import nrn
from guichet.members.models import Household, HouseholdMembership, HouseholdRole, Person


@pytest.fixture(autouse=True)
def _documents(tmp_path, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                      "OPTIONS": {"location": tmp_path / "documents"}},
    }
    settings.GUICHET_EBOX_PRINT_EXPORT_DIR = str(tmp_path / "print")
    return tmp_path / "documents"


def deliver() -> None:
    """Deliver the outbox now, as the Celery task would (events published by committed transactions)."""
    deliver_pending(datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1))


_counter = [0]


def new_person(first: str, born: datetime.date) -> Person:
    _counter[0] += 1
    number = nrn.make(born, 100 + _counter[0] % 800)
    return Person.objects.create(national_number=number, member_number=f"T{_counter[0]:08d}", first_name=first,
                                 last_name="Test", birth_date=born, language="en")


def household(*members: tuple[Person, str], since: datetime.date = datetime.date(2000, 1, 1)) -> Household:
    home = Household.objects.create()
    for person, role in members:
        HouseholdMembership.objects.create(household=home, person=person, role=role, start=since)
    return home


ROLE = HouseholdRole


# The signing app's test eID hierarchy and its OCSP responder, for the end-to-end signature of AUTO-3.
from tests.signing.conftest import ocsp_responder, pki  # noqa: E402, F401 - fixtures re-exported
