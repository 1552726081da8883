"""COMM-10, RET-2: prospects are stored with the source of their data and their consent, and erased one
year after collection at most by a scheduled job, which can show what it will erase before it runs."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from guichet.communication.models import Prospect
from guichet.communication.services import (
    CommunicationError,
    erase_expired_prospects,
    prospects_to_erase,
    record_prospect,
)
from guichet.communication.tasks import apply_retention

pytestmark = [pytest.mark.django_db, pytest.mark.rule("COMM-10", "RET-2")]


def test_a_prospect_is_stored_with_source_and_consent(db):
    prospect = record_prospect(first_name="Lea", last_name="Janssens", source="contest", source_detail="Summer quiz",
                               email="lea@example.org", phone="0470 12 34 56", consent=True)
    assert (prospect.source, prospect.phone) == ("contest", "+32470123456")
    assert prospect.consent_given_at is not None


@pytest.mark.parametrize("fields", [
    {"first_name": "", "last_name": "X", "source": "event", "email": "x@example.org"},
    {"first_name": "A", "last_name": "X", "source": "rumour", "email": "x@example.org"},
    {"first_name": "A", "last_name": "X", "source": "event"},
    {"first_name": "A", "last_name": "X", "source": "event", "email": "nope"},
])
def test_an_incomplete_prospect_is_refused(db, fields):
    with pytest.raises(CommunicationError):
        record_prospect(**fields)
    assert not Prospect.objects.exists()


def test_prospects_are_erased_one_year_after_collection(db):
    start = timezone.now()
    old = record_prospect(first_name="Old", last_name="One", source="purchased", email="old@example.org", at=start)
    young = record_prospect(first_name="New", last_name="One", source="event", email="new@example.org",
                            at=start + datetime.timedelta(days=200))
    with time_machine.travel(start + datetime.timedelta(days=364), tick=False):
        assert erase_expired_prospects() == 0
    with time_machine.travel(start + datetime.timedelta(days=365), tick=False):
        assert list(prospects_to_erase()) == [old]
        assert apply_retention()["prospects"] == 1
    assert list(Prospect.objects.all()) == [young]
