"""Inactivity (ACC-6): after 6 consecutive months without login the login access goes, never the
member's record; a warning comes first, in the member's language; the member can register again.

The clock is moved with time-machine. Every scenario starts with a login on T0 (10 January of next
year, so that the terms published by the fixtures are already in force). The warning window is the
last INACTIVITY_WARNING_DAYS (14) days before the 6-month mark: "12 days before" is well inside it
whatever the lengths of the months, "3 weeks before" is outside.
"""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from guichet.accounts import services
from guichet.accounts.models import StaffRole, User, UserSession
from guichet.accounts.tasks import apply_inactivity_rule
from guichet.members import nrn
from guichet.members.models import Affiliation, Person
from guichet.messaging.models import OutboxMessage
from guichet.terms.models import TermsAcceptance
from tests.accounts.helpers import last_sms_code
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

T0 = datetime(timezone.now().year + 1, 1, 10, 9, 0, tzinfo=UTC)
REMOVAL = T0 + relativedelta(months=6)  # 10 July, 09:00 UTC
IN_WARNING_WINDOW = REMOVAL - timedelta(days=14)
BEFORE_WARNING_WINDOW = REMOVAL - timedelta(days=21)
AFTER_REMOVAL = REMOVAL + timedelta(hours=1)
HOME = reverse("pages:private-home")
LOGIN = reverse("accounts:login")
NEW_PASSWORD = "the heron waits by the canal at dawn"

WARNING_SUBJECT = "Your Guichet access"
WARNING_BODY = ("You have not logged in to Guichet for a long time. Log in before %(date)s to keep your "
                "access; after that date you will need to register again. Your member file is not affected.")


def run_rule_at(moment) -> services.InactivityReport:
    with time_machine.travel(moment, tick=False):
        return services.apply_inactivity_rule()


def logged_in_at(moment, log_in, user) -> Client:
    """A browser where `user` logged in at `moment` (which becomes their last login)."""
    with time_machine.travel(moment, tick=False):
        client = log_in(Client(), user)
    user.refresh_from_db()
    assert user.last_login == moment
    return client


def mails_to(mailoutbox, address: str) -> list:
    return [message for message in mailoutbox if message.to == [address]]


def expected_warning(language: str) -> tuple[str, str]:
    with translation.override(language):
        return gettext(WARNING_SUBJECT), gettext(WARNING_BODY) % {"date": REMOVAL.strftime("%d/%m/%Y")}


def post_login(client, username: str, password: str):
    client.cookies["django_language"] = "en"
    return client.post(LOGIN, {"login": username, "password": password})


# --- the warning ------------------------------------------------------------------------------------

@pytest.mark.rule("ACC-6")
def test_it_warns_an_idle_member_once_by_email_two_weeks_before(log_in, member, mailoutbox):
    logged_in_at(T0, log_in, member)
    run_rule_at(BEFORE_WARNING_WINDOW)
    assert mails_to(mailoutbox, member.person.email) == []
    run_rule_at(IN_WARNING_WINDOW)
    warnings = mails_to(mailoutbox, member.person.email)
    assert len(warnings) == 1
    assert (warnings[0].subject, warnings[0].body) == expected_warning("fr")
    assert REMOVAL.strftime("%d/%m/%Y") in warnings[0].body
    assert not OutboxMessage.objects.filter(recipient=member.person.mobile).exists()
    run_rule_at(IN_WARNING_WINDOW + timedelta(days=1))
    run_rule_at(IN_WARNING_WINDOW + timedelta(days=2))
    assert len(mails_to(mailoutbox, member.person.email)) == 1
    member.refresh_from_db()
    assert member.is_active and member.inactivity_warned_at == IN_WARNING_WINDOW


@pytest.mark.rule("ACC-6", "ACC-8")
def test_it_warns_in_the_members_language(log_in, other_member, mailoutbox):
    jan = other_member
    assert jan.person.language == "nl"
    logged_in_at(T0, log_in, jan)
    run_rule_at(IN_WARNING_WINDOW)
    [warning] = mails_to(mailoutbox, jan.person.email)
    assert (warning.subject, warning.body) == expected_warning("nl")


@pytest.mark.rule("ACC-6", "ACC-8")
def test_it_warns_by_sms_a_member_without_email(log_in, other_member, mailoutbox):
    jan = other_member
    Person.objects.filter(pk=jan.person.pk).update(email="")
    logged_in_at(T0, log_in, jan)
    run_rule_at(IN_WARNING_WINDOW)
    run_rule_at(IN_WARNING_WINDOW + timedelta(hours=6))
    [sms] = OutboxMessage.objects.filter(channel=OutboxMessage.Channel.SMS, recipient=jan.person.mobile)
    assert sms.body == expected_warning("nl")[1]
    assert mails_to(mailoutbox, jan.person.email) == [] and mails_to(mailoutbox, "") == []


# --- the removal ------------------------------------------------------------------------------------

@pytest.mark.rule("ACC-6")
def test_it_removes_only_the_login_access_after_six_months(log_in, member, mailoutbox):
    person = member.person
    browser = logged_in_at(T0, log_in, member)
    TOTPDevice.objects.create(user=member, name="authenticator", confirmed=True)
    kept = {"affiliations": Affiliation.objects.filter(person=person).count(),
            "acceptances": TermsAcceptance.objects.filter(person=person).count()}
    assert kept["affiliations"] > 0 and kept["acceptances"] > 0
    assert UserSession.objects.filter(user=member).exists()

    run_rule_at(IN_WARNING_WINDOW)
    member.refresh_from_db()
    assert member.is_active and member.access_removed_at is None

    run_rule_at(AFTER_REMOVAL)
    member.refresh_from_db()
    assert not member.is_active and member.access_removed_at == AFTER_REMOVAL
    assert not member.has_usable_password()
    assert not UserSession.objects.filter(user=member).exists()
    assert not TOTPDevice.objects.filter(user=member).exists()
    assert Person.objects.filter(pk=person.pk).exists()
    assert member.person_id == person.pk
    assert Affiliation.objects.filter(person=person).count() == kept["affiliations"]
    assert TermsAcceptance.objects.filter(person=person).count() == kept["acceptances"]

    with time_machine.travel(AFTER_REMOVAL + timedelta(minutes=5), tick=False):
        response = browser.get(HOME)
        assert response.status_code == 302 and response.url.startswith(LOGIN)
        response = post_login(Client(), member.username, PASSWORD)
    assert response.status_code == 200
    assert "The login or the password is not correct." in response.content.decode()


@pytest.mark.rule("ACC-6")
def test_it_counts_from_registration_when_the_member_never_logged_in(stranger):
    User.objects.filter(pk=stranger.pk).update(last_login=None, date_joined=T0)
    run_rule_at(IN_WARNING_WINDOW)
    stranger.refresh_from_db()
    assert stranger.is_active
    run_rule_at(AFTER_REMOVAL)
    stranger.refresh_from_db()
    assert not stranger.is_active


@pytest.mark.rule("ACC-6")
def test_it_keeps_a_member_who_logged_in_after_the_warning(log_in, member, mailoutbox):
    logged_in_at(T0, log_in, member)
    run_rule_at(IN_WARNING_WINDOW)
    assert len(mails_to(mailoutbox, member.person.email)) == 1
    with time_machine.travel(REMOVAL - timedelta(days=5), tick=False):
        response = post_login(Client(), member.username, PASSWORD)
    assert response.status_code == 302
    run_rule_at(AFTER_REMOVAL)
    member.refresh_from_db()
    assert member.is_active and member.access_removed_at is None and member.has_usable_password()
    assert len(mails_to(mailoutbox, member.person.email)) == 1


@pytest.mark.rule("ACC-6")
def test_it_does_not_touch_staff_accounts(staff, mailoutbox):
    """The rule is about members' access permits: a staff account idle for a year stays as it is
    (staff accounts are managed by the organisation, not by this rule)."""
    agent = staff(StaffRole.AGENT)
    User.objects.filter(pk=agent.pk).update(last_login=T0, date_joined=T0)
    TOTPDevice.objects.create(user=agent, name="authenticator", confirmed=True)
    run_rule_at(IN_WARNING_WINDOW)
    run_rule_at(T0 + relativedelta(years=1))
    agent.refresh_from_db()
    assert agent.is_active and agent.has_usable_password()
    assert agent.access_removed_at is None and agent.inactivity_warned_at is None
    assert TOTPDevice.objects.filter(user=agent).exists()


@pytest.mark.rule("ACC-6")
def test_it_never_removes_an_access_without_a_warning_first(log_in, member, mailoutbox):
    logged_in_at(T0, log_in, member)
    run_rule_at(AFTER_REMOVAL)  # the job did not run during the warning window
    member.refresh_from_db()
    assert member.is_active and member.inactivity_warned_at == AFTER_REMOVAL
    assert len(mails_to(mailoutbox, member.person.email)) == 1
    run_rule_at(AFTER_REMOVAL + timedelta(days=13))
    member.refresh_from_db()
    assert member.is_active  # the member keeps the full notice period
    run_rule_at(AFTER_REMOVAL + timedelta(days=14))
    member.refresh_from_db()
    assert not member.is_active


@pytest.mark.rule("ACC-6")
def test_it_warns_the_others_when_one_message_cannot_be_delivered(log_in, member, other_member, settings):
    from guichet.accounts.models import User as Account

    Account.objects.filter(pk__in=[member.pk, other_member.pk]).update(last_login=T0)
    Person.objects.filter(pk=member.person.pk).update(email="")
    settings.SMS_GATEWAY = "http"
    settings.SMS_HTTP_URL = "http://127.0.0.1:9/unreachable"
    report = run_rule_at(IN_WARNING_WINDOW)
    # Jan by e-mail; Marie's SMS failed, she is not counted and is warned again on the next run
    assert report.warned == User.objects.filter(inactivity_warned_at__isnull=False).count()
    assert User.objects.get(pk=member.pk).inactivity_warned_at is None
    assert User.objects.get(pk=other_member.pk).inactivity_warned_at == IN_WARNING_WINDOW


# --- registering again --------------------------------------------------------------------------------

def register_again(person, password: str = NEW_PASSWORD) -> None:
    client = Client()
    response = client.post(reverse("accounts:identify", args=["register"]), {
        "national_number": nrn.formatted(person.national_number), "member_number": person.member_number})
    assert response.status_code == 302, response.content.decode()
    response = client.post(reverse("accounts:code", args=["register"]), {"code": last_sms_code(person)})
    assert response.status_code == 302
    response = client.post(reverse("accounts:password", args=["register"]), {
        "password": password, "confirmation": password, "accept_terms": "on"})
    assert response.status_code == 302 and response.url == LOGIN


@pytest.mark.rule("ACC-6", "ACC-2")
def test_it_lets_a_removed_member_register_again_on_the_same_account(log_in, member):
    logged_in_at(T0, log_in, member)
    run_rule_at(IN_WARNING_WINDOW)
    run_rule_at(AFTER_REMOVAL)
    back = AFTER_REMOVAL + timedelta(days=30)
    with time_machine.travel(back, tick=False):
        register_again(member.person)
        again = User.objects.get(person=member.person)
        assert again.pk == member.pk and again.username == member.username
        assert again.is_active and again.access_removed_at is None and again.inactivity_warned_at is None
        client = Client()
        response = post_login(client, member.username, NEW_PASSWORD)
        assert response.status_code == 302 and response.url == HOME
        assert client.get(HOME).status_code == 200
    assert User.objects.filter(person=member.person).count() == 1


@pytest.mark.rule("ACC-6")
def test_it_starts_the_clock_again_when_a_member_registers_again(log_in, member):
    """Registering again gives a new access: the next scheduled run (every 6 hours) must not take it
    away at once because the last login of the old access is more than 6 months old."""
    logged_in_at(T0, log_in, member)
    run_rule_at(IN_WARNING_WINDOW)
    run_rule_at(AFTER_REMOVAL)
    back = AFTER_REMOVAL + timedelta(days=30)
    with time_machine.travel(back, tick=False):
        register_again(member.person)
    report = run_rule_at(back + timedelta(hours=6))
    member.refresh_from_db()
    assert member.is_active and member.has_usable_password(), report
    run_rule_at(back + relativedelta(months=6) - timedelta(days=14))
    run_rule_at(back + relativedelta(months=6) + timedelta(hours=1))
    member.refresh_from_db()
    assert not member.is_active  # and 6 months without login later, the rule applies again


# --- the scheduled job ----------------------------------------------------------------------------------

@pytest.mark.rule("ACC-6")
def test_it_runs_as_the_scheduled_celery_task_and_returns_counts(personas, member, other_member, stranger,
                                                                mailoutbox):
    User.objects.filter(pk=member.pk).update(last_login=T0, inactivity_warned_at=IN_WARNING_WINDOW)  # removed
    User.objects.filter(pk=other_member.pk).update(last_login=T0 + timedelta(days=7))  # in the window: warned
    User.objects.filter(pk=stranger.pk).update(last_login=REMOVAL - timedelta(days=30))  # seen lately
    with time_machine.travel(AFTER_REMOVAL, tick=False):
        result = apply_inactivity_rule.delay().get(timeout=10)
    assert result == {"warned": 1, "removed": 1}
    assert not User.objects.get(pk=member.pk).is_active
    assert User.objects.get(pk=other_member.pk).is_active
    assert [message.to for message in mailoutbox] == [[other_member.person.email]]
