"""Coming of age: the scheduled task finds people who turn 18 and publishes the event once (MIN-5)."""

import datetime

import pytest
import time_machine

from guichet.events.models import OutboxEvent
from guichet.members.models import Person
from guichet.members.services import COMING_OF_AGE, coming_of_age, people_coming_of_age
from guichet.members.tasks import publish_comings_of_age_task

pytestmark = pytest.mark.django_db


def born(personas, day: datetime.date) -> Person:
    lucas = personas["lucas"]
    Person.objects.filter(pk=lucas.pk).update(birth_date=day)
    lucas.refresh_from_db()
    return lucas


@pytest.mark.rule("MIN-5")
def test_it_publishes_the_event_on_the_18th_birthday_once(personas):
    lucas = born(personas, datetime.date(2008, 5, 20))
    with time_machine.travel("2026-05-19 12:00:00+02:00", tick=False):
        assert publish_comings_of_age_task.apply().get() == 0
    with time_machine.travel("2026-05-20 12:00:00+02:00", tick=False):
        assert publish_comings_of_age_task.apply().get() == 1
        assert publish_comings_of_age_task.apply().get() == 0
    event = OutboxEvent.objects.get(kind=COMING_OF_AGE)
    assert event.subject == lucas.public_id and event.payload == {"of_age_on": "2026-05-20"}


@pytest.mark.rule("MIN-5")
def test_it_catches_up_a_missed_day(personas):
    born(personas, datetime.date(2008, 5, 20))
    with time_machine.travel("2026-05-23 12:00:00+02:00", tick=False):
        assert publish_comings_of_age_task.apply().get() == 1


def test_it_counts_a_29_february_birthday_on_28_february_of_a_common_year(personas):
    lucas = born(personas, datetime.date(2008, 2, 29))
    assert list(people_coming_of_age(datetime.date(2026, 2, 28))) == [lucas]
    assert list(people_coming_of_age(datetime.date(2026, 3, 1))) == []


def test_it_publishes_nothing_for_a_minor(personas, minor):
    assert coming_of_age(minor) is False
    assert not OutboxEvent.objects.exists()
