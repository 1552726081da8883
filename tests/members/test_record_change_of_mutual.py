"""Recording a change to another mutual: affiliations end with reason "change of mutual" in the same
transaction as the published event (RET-5, RET-6, DSR-10)."""

import datetime

import pytest

from guichet.accounts.models import StaffRole
from guichet.events.models import OutboxEvent
from guichet.members.models import Affiliation
from guichet.members.services import CHANGE_OF_MUTUAL, RegistryError, record_change_of_mutual, today

pytestmark = pytest.mark.django_db


@pytest.mark.rule("RET-6")
def test_it_ends_the_running_affiliations_and_publishes_the_event(member, staff):
    person = member.person
    agent = staff(StaffRole.AGENT)
    day = today() - datetime.timedelta(days=3)
    record_change_of_mutual(person, day, by=agent)
    rows = Affiliation.objects.filter(person=person)
    assert {(a.status, a.end, a.end_reason) for a in rows} == {("ended", day, "change_of_mutual")}
    event = OutboxEvent.objects.get(kind=CHANGE_OF_MUTUAL)
    assert sorted(event.payload["affiliations_ended"]) == sorted(str(a.public_id) for a in rows)
    assert event.payload["recorded_by"] == str(agent.public_id)


def test_it_refuses_when_nothing_is_running(member):
    record_change_of_mutual(member.person, today(), by=None)
    with pytest.raises(RegistryError):
        record_change_of_mutual(member.person, today(), by=None)
    assert OutboxEvent.objects.count() == 1
