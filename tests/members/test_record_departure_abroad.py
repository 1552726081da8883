"""Recording a departure abroad: affiliations end with reason "departure abroad", event published (RET-5)."""

import datetime

import pytest

from guichet.events.models import OutboxEvent
from guichet.members.models import Affiliation
from guichet.members.services import DEPARTURE_ABROAD, RegistryError, record_departure_abroad, today

pytestmark = pytest.mark.django_db


@pytest.mark.rule("RET-5")
def test_it_ends_the_affiliations_and_publishes_the_event(member):
    person = member.person
    day = today() - datetime.timedelta(days=1)
    record_departure_abroad(person, day, "es", by=None)
    person.refresh_from_db()
    assert (person.departed_abroad_on, person.departure_country) == (day, "ES")
    assert set(Affiliation.objects.filter(person=person).values_list("end_reason", flat=True)) == {
        "departure_abroad"
    }
    event = OutboxEvent.objects.get(kind=DEPARTURE_ABROAD)
    assert event.payload["country"] == "ES" and len(event.payload["affiliations_ended"]) == 2


@pytest.mark.parametrize("country", ["BE", "", "XX"])
def test_it_refuses_belgium_or_an_unknown_country(member, country):
    with pytest.raises(RegistryError):
        record_departure_abroad(member.person, today(), country, by=None)
    assert not OutboxEvent.objects.exists()
