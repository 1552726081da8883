"""Recording a death: affiliations end with reason "death", the household is left, the event is
published in the same transaction, and the person's login access is removed (RET-5, ACC-6)."""

import datetime

import pytest
from django.db import transaction

from guichet.accounts.models import StaffRole, User
from guichet.events.models import OutboxEvent
from guichet.members.models import Affiliation, HouseholdMembership
from guichet.members.services import DEATH, RegistryError, household_on, record_death, today

pytestmark = pytest.mark.django_db


@pytest.mark.rule("RET-5")
def test_it_ends_the_affiliations_and_publishes_the_event(member, staff, django_capture_on_commit_callbacks):
    person = member.person
    day = today() - datetime.timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        record_death(person, day, by=staff(StaffRole.AGENT))
    person.refresh_from_db()
    assert person.date_of_death == day
    assert set(Affiliation.objects.filter(person=person).values_list("status", "end", "end_reason")) == {
        ("ended", day, "death")
    }
    event = OutboxEvent.objects.get(kind=DEATH)
    assert event.subject == person.public_id and event.payload["date"] == day.isoformat()
    assert event.delivered_at is not None


@pytest.mark.rule("ACC-6")
def test_it_removes_the_login_access_of_the_deceased(
    member, client, log_in, django_capture_on_commit_callbacks
):
    log_in(client, member)
    with django_capture_on_commit_callbacks(execute=True):
        record_death(member.person, today(), by=None)
    user = User.objects.get(pk=member.pk)
    assert not user.is_active and not user.has_usable_password() and user.access_removed_at is not None
    assert client.get("/my/").status_code == 302  # the open session is gone


def test_it_keeps_them_in_the_household_on_the_day_of_death_only(member):
    person = member.person
    day = today() - datetime.timedelta(days=10)
    record_death(person, day, by=None)
    assert household_on(person, day) is not None
    assert household_on(person, day + datetime.timedelta(days=1)) is None
    assert HouseholdMembership.objects.filter(person=person, end=day + datetime.timedelta(days=1)).exists()


@pytest.mark.parametrize("offset", [1, -100 * 365])
def test_it_refuses_a_date_in_the_future_or_before_birth_and_changes_nothing(member, offset):
    with pytest.raises(RegistryError):
        record_death(member.person, today() + datetime.timedelta(days=offset), by=None)
    assert not OutboxEvent.objects.exists()
    assert not Affiliation.objects.filter(person=member.person, status="ended").exists()


def test_it_publishes_nothing_when_the_transaction_rolls_back(member):
    with pytest.raises(RuntimeError), transaction.atomic():
        record_death(member.person, today(), by=None)
        raise RuntimeError("the caller failed after")
    member.person.refresh_from_db()
    assert member.person.date_of_death is None and not OutboxEvent.objects.exists()


def test_it_refuses_to_record_a_second_death(member):
    record_death(member.person, today(), by=None)
    with pytest.raises(RegistryError):
        record_death(member.person, today(), by=None)
    assert OutboxEvent.objects.count() == 1
