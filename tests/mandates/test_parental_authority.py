"""Parents and their minor child (MIN-1, MIN-2, MIN-4, MIN-5, ACC-4): each parent with authority
opens the child's file and acts alone; acts needing a judge are not offered; access ends at 18."""

import datetime

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import translation

from guichet.mandates import services
from guichet.mandates.policy import ACTS_NEEDING_A_JUDGE, Action, decide, offered_actions
from guichet.members import services as registry
from guichet.messaging.models import OutboxMessage
from tests.conftest import english_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def father(personas):
    """Emma's father: Tom, given parental authority for these tests."""
    tom = personas["tom"]
    services.record_parental_authority(tom, personas["emma"])
    return tom


@pytest.mark.rule("MIN-1")
@pytest.mark.rule("ACC-4")
def test_a_parent_opens_the_childs_file_from_the_switcher(log_in, member, minor):
    client = log_in(english_client(), member)
    home = client.get(reverse("pages:private-home")).content.decode()
    assert f'value="{minor.public_id}"' in home and "(my child)" in home
    client.post(reverse("mandates:switch"), {"file": str(minor.public_id)})
    page = client.get(reverse("members:my-data"))
    assert page.status_code == 200 and page.wsgi_request.subject == minor
    assert "File open: Emma Dubois. You act in this person's name." in page.content.decode()


@pytest.mark.rule("MIN-2")
def test_each_parent_acts_alone(member, minor, father):
    for parent in (member.person, father):
        decision = decide(parent, minor, Action.CHANGE_CONTACT_DATA)
        assert decision.allowed and decision.basis == "parental_authority" and not decision.joint


@pytest.mark.rule("MIN-1")
def test_a_parent_without_authority_or_another_adult_cannot_open_the_file(other_member, minor):
    assert decide(other_member.person, minor, Action.OPEN_FILE).reason == "no_link"


@pytest.mark.rule("MIN-4")
def test_acts_needing_a_judge_are_not_offered_to_parents(member, minor):
    for action in ACTS_NEEDING_A_JUDGE:
        assert not decide(member.person, minor, action).allowed
    decision = decide(member.person, minor, Action.OPEN_FILE)
    assert not ACTS_NEEDING_A_JUDGE & offered_actions(decision)


@pytest.mark.rule("MIN-5")
def test_access_ends_by_itself_on_the_18th_birthday(member, minor):
    coming_of_age = minor.birth_date + relativedelta(years=18)
    assert decide(
        member.person, minor, Action.OPEN_FILE, at=coming_of_age - datetime.timedelta(days=1)
    ).allowed
    decision = decide(member.person, minor, Action.OPEN_FILE, at=coming_of_age)
    assert not decision.allowed and decision.reason == "of_age"


@pytest.mark.rule("MIN-5")
def test_the_open_file_closes_on_the_birthday_and_the_parent_is_told(
    log_in, member, minor, django_capture_on_commit_callbacks
):
    coming_of_age = minor.birth_date + relativedelta(years=18)
    client = log_in(english_client(), member)
    client.post(reverse("mandates:switch"), {"file": str(minor.public_id)})
    with time_machine.travel(
        datetime.datetime.combine(coming_of_age, datetime.time(9)).astimezone(), tick=False
    ):
        log_in(client, member)  # the session clock of the travelled day
        session = client.session
        session["acting_for"] = str(minor.public_id)
        session.save()
        page = client.get(reverse("members:my-data"))
        assert page.wsgi_request.subject == member.person
        assert "Your child has come of age" in page.content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            assert registry.publish_comings_of_age() >= 1
    with translation.override(member.person.language):
        told = translation.gettext(
            "%(name)s has come of age: your access to their file on Guichet has ended.")
    assert OutboxMessage.objects.filter(
        recipient=member.person.mobile, body=told % {"name": minor.first_name}
    ).exists()
