"""Restrictions of access (ACC-5, ACC-11), through the staff pages.

Agents and administrators limit the private area; moderators and administrators bar a member from
the interactive part. Each restriction records reason, author and time; the member's sessions end
at once and the login page tells them why, but only once they typed the right password; lifting
is recorded too. Wrong input gets a clear answer and changes nothing; people without the role see
the pages as if they did not exist (404).

Pages are asked for in English (language cookie) so that the assertions read the source strings,
whatever the catalogs being translated say.
"""

import uuid
from datetime import UTC, datetime

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from guichet.accounts import services
from guichet.accounts.models import Restriction, RestrictionReason, RestrictionScope, StaffRole, UserSession
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
HOME = reverse("pages:private-home")
RESTRICTIONS = reverse("accounts:restrictions")
WHEN = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def staff_client(log_in, user) -> Client:
    return english(log_in(Client(), user))


def restrict(client, person, scope=RestrictionScope.PRIVATE_AREA, reason=RestrictionReason.SECURITY_RISK,
             note="reported by the member's bank"):
    return client.post(reverse("accounts:restrict", args=[person.public_id]),
                       {"scope": scope, "reason": reason, "note": note}, follow=True)


def lift(client, restriction, note="checked with the member at the agency"):
    return client.post(reverse("accounts:lift", args=[restriction.public_id]), {"note": note}, follow=True)


def post_login(client, user, password=PASSWORD):
    return english(client).post(LOGIN, {"login": user.username, "password": password})


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- restricting the private area (ACC-5) -----------------------------------------------------------

@pytest.mark.rule("ACC-5")
@pytest.mark.parametrize("role", [StaffRole.AGENT, StaffRole.ADMINISTRATOR])
def test_it_lets_an_agent_or_administrator_restrict_with_reason_author_and_time(log_in, staff, member, role):
    author = staff(role)
    agent = staff_client(log_in, author)
    with time_machine.travel(WHEN, tick=False):
        response = restrict(agent, member.person, reason=RestrictionReason.BREACH_OF_TERMS)
    assert response.status_code == 200
    assert "The restriction is in force." in response.content.decode()
    restriction = Restriction.objects.get(person=member.person)
    assert restriction.scope == RestrictionScope.PRIVATE_AREA
    assert restriction.reason == RestrictionReason.BREACH_OF_TERMS
    assert restriction.created_by == author and restriction.created_at == WHEN
    assert restriction.note == "reported by the member's bank"
    assert restriction.lifted_at is None


@pytest.mark.rule("ACC-5")
def test_it_shows_the_restriction_with_its_author_on_the_staff_page(log_in, staff, member):
    agent = staff_client(log_in, staff(StaffRole.AGENT))
    response = restrict(agent, member.person, reason=RestrictionReason.VIOLATION_OF_RIGHTS)
    page = response.content.decode()
    assert member.person.full_name in page
    assert escape(str(RestrictionReason.VIOLATION_OF_RIGHTS.label)) in page
    assert staff(StaffRole.AGENT).display_name in page


@pytest.mark.rule("ACC-5")
def test_it_ends_the_members_open_sessions_at_once(log_in, staff, member):
    member_client = log_in(Client(), member)
    other_device = log_in(Client(), member)
    assert member_client.get(HOME).status_code == 200
    restrict(staff_client(log_in, staff(StaffRole.AGENT)), member.person)
    assert not UserSession.objects.filter(user=member).exists()
    for client in (member_client, other_device):
        response = client.get(HOME)
        assert response.status_code == 302 and response.url.startswith(LOGIN)


@pytest.mark.rule("ACC-5")
def test_it_tells_the_restricted_member_why_at_login(log_in, staff, member):
    with time_machine.travel(WHEN, tick=False):
        restrict(staff_client(log_in, staff(StaffRole.AGENT)), member.person,
                 reason=RestrictionReason.SECURITY_RISK)
    client = Client()
    response = post_login(client, member)
    restriction = Restriction.objects.get(person=member.person)
    with translation.override("en"):
        expected = services.restriction_message(restriction)
    page = response.content.decode()
    assert response.status_code == 200
    assert escape(expected) in page
    assert "a security risk" in page and "02/03/2026" in page
    assert not is_logged_in(client)


@pytest.mark.rule("ACC-5")
def test_it_does_not_disclose_a_restriction_to_someone_with_a_wrong_password(log_in, staff, member):
    restrict(staff_client(log_in, staff(StaffRole.AGENT)), member.person)
    response = post_login(Client(), member, password="a guess that is not the password")
    page = response.content.decode()
    assert response.status_code == 200
    assert "The login or the password is not correct." in page
    assert "has been limited" not in page and "security risk" not in page


@pytest.mark.rule("ACC-5")
def test_it_records_the_lifting_and_lets_the_member_log_in_again(log_in, staff, member):
    restrict(staff_client(log_in, staff(StaffRole.AGENT)), member.person)
    restriction = Restriction.objects.get(person=member.person)
    administrator = staff(StaffRole.ADMINISTRATOR)
    lifted_at = datetime(2026, 3, 9, 14, 0, tzinfo=UTC)
    with time_machine.travel(lifted_at, tick=False):
        response = lift(staff_client(log_in, administrator), restriction)
    assert "The restriction is lifted." in response.content.decode()
    restriction.refresh_from_db()
    assert restriction.lifted_by == administrator and restriction.lifted_at == lifted_at
    assert restriction.lift_note == "checked with the member at the agency"
    assert services.restriction_in_force(member.person, RestrictionScope.PRIVATE_AREA) is None
    client = Client()
    response = post_login(client, member)
    assert response.status_code == 302 and response.url == HOME
    assert client.get(HOME).status_code == 200


@pytest.mark.rule("ACC-5")
def test_it_shows_the_lift_form_before_lifting(log_in, staff, member):
    agent = staff_client(log_in, staff(StaffRole.AGENT))
    restrict(agent, member.person)
    restriction = Restriction.objects.get(person=member.person)
    response = agent.get(reverse("accounts:lift", args=[restriction.public_id]))
    assert response.status_code == 200 and member.person.full_name in response.content.decode()
    restriction.refresh_from_db()
    assert restriction.lifted_at is None


# --- wrong input: a clear outcome and nothing changed -------------------------------------------------

@pytest.mark.rule("ACC-5")
@pytest.mark.parametrize("reason", ["because I say so", "", "<script>alert(1)</script>", "x" * 5000])
def test_it_refuses_a_reason_not_in_the_list(log_in, staff, member, reason):
    member_client = log_in(Client(), member)
    response = restrict(staff_client(log_in, staff(StaffRole.AGENT)), member.person, reason=reason)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose what to limit and a reason from the list." in page
    assert "<script>alert(1)</script>" not in page
    assert not Restriction.objects.exists()
    assert member_client.get(HOME).status_code == 200


@pytest.mark.rule("ACC-5")
def test_it_refuses_a_scope_not_in_the_list(log_in, staff, member):
    administrator = staff_client(log_in, staff(StaffRole.ADMINISTRATOR))
    response = restrict(administrator, member.person, scope="everything")
    assert "Choose what to limit and a reason from the list." in response.content.decode()
    assert not Restriction.objects.exists()


@pytest.mark.rule("ACC-5")
def test_it_answers_404_to_a_forged_person_id(log_in, staff, member):
    agent = staff_client(log_in, staff(StaffRole.AGENT))
    response = agent.post(reverse("accounts:restrict", args=[uuid.uuid4()]),
                          {"scope": RestrictionScope.PRIVATE_AREA, "reason": RestrictionReason.SECURITY_RISK})
    assert response.status_code == 404
    assert not Restriction.objects.exists()


@pytest.mark.rule("ACC-5")
def test_it_answers_404_to_a_forged_restriction_id(log_in, staff, member):
    agent = staff_client(log_in, staff(StaffRole.AGENT))
    response = agent.post(reverse("accounts:lift", args=[uuid.uuid4()]), {"note": "forged"})
    assert response.status_code == 404


@pytest.mark.rule("ACC-5")
def test_it_refuses_a_second_restriction_of_the_same_kind(log_in, staff, member):
    agent = staff_client(log_in, staff(StaffRole.AGENT))
    restrict(agent, member.person, reason=RestrictionReason.SECURITY_RISK)
    response = restrict(agent, member.person, reason=RestrictionReason.BREACH_OF_TERMS)
    assert "This member already has a restriction of this kind in force." in response.content.decode()
    assert list(Restriction.objects.values_list("reason", flat=True)) == [RestrictionReason.SECURITY_RISK]


@pytest.mark.rule("ACC-5", "ACC-11")
def test_it_allows_one_restriction_of_each_kind_at_once(log_in, staff, member):
    administrator = staff_client(log_in, staff(StaffRole.ADMINISTRATOR))
    restrict(administrator, member.person, scope=RestrictionScope.INTERACTIVE,
             reason=RestrictionReason.CHARTER_BREACH)
    restrict(administrator, member.person, scope=RestrictionScope.PRIVATE_AREA)
    assert sorted(Restriction.objects.in_force().values_list("scope", flat=True)) == [
        RestrictionScope.INTERACTIVE, RestrictionScope.PRIVATE_AREA]


@pytest.mark.rule("ACC-5")
def test_it_refuses_to_lift_a_restriction_twice(log_in, staff, member):
    agent = staff_client(log_in, staff(StaffRole.AGENT))
    restrict(agent, member.person)
    restriction = Restriction.objects.get(person=member.person)
    with time_machine.travel(WHEN, tick=False):
        lift(agent, restriction, note="first lifting")
    response = lift(staff_client(log_in, staff(StaffRole.ADMINISTRATOR)), restriction, note="second lifting")
    assert "This restriction was already lifted." in response.content.decode()
    restriction.refresh_from_db()
    assert (restriction.lifted_by, restriction.lifted_at, restriction.lift_note) == (
        staff(StaffRole.AGENT), WHEN, "first lifting")


@pytest.mark.rule("ACC-5")
def test_it_asks_why_a_restriction_is_lifted(log_in, staff, member):
    agent = staff_client(log_in, staff(StaffRole.AGENT))
    restrict(agent, member.person)
    restriction = Restriction.objects.get(person=member.person)
    response = agent.post(reverse("accounts:lift", args=[restriction.public_id]), {"note": "  "})
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    restriction.refresh_from_db()
    assert restriction.lifted_at is None


@pytest.mark.rule("ACC-5")
def test_it_says_when_no_member_has_the_membership_number(log_in, staff, personas):
    agent = staff_client(log_in, staff(StaffRole.AGENT))
    response = agent.get(RESTRICTIONS, {"member_number": "000000000"})
    assert response.status_code == 200
    assert "No member has this membership number." in response.content.decode()


# --- who may restrict what (accounts/policy.py) --------------------------------------------------------

@pytest.mark.rule("ACC-5", "ACC-11")
@pytest.mark.parametrize(("role", "scope", "allowed"), [
    (StaffRole.AGENT, RestrictionScope.PRIVATE_AREA, True),
    (StaffRole.ADMINISTRATOR, RestrictionScope.PRIVATE_AREA, True),
    (StaffRole.MODERATOR, RestrictionScope.PRIVATE_AREA, False),
    (StaffRole.MODERATOR, RestrictionScope.INTERACTIVE, True),
    (StaffRole.ADMINISTRATOR, RestrictionScope.INTERACTIVE, True),
    (StaffRole.AGENT, RestrictionScope.INTERACTIVE, False),
])
def test_it_lets_only_the_right_role_restrict_each_part(log_in, staff, member, role, scope, allowed):
    member_client = log_in(Client(), member)
    response = restrict(staff_client(log_in, staff(role)), member.person, scope=scope,
                        reason=RestrictionReason.CHARTER_BREACH)
    assert Restriction.objects.filter(person=member.person, scope=scope).exists() is allowed
    if not allowed:
        assert "Your role does not allow this restriction." in response.content.decode()
        assert member_client.get(HOME).status_code == 200


@pytest.mark.rule("ACC-5")
def test_it_does_not_let_a_moderator_lift_a_private_area_restriction(log_in, staff, member):
    restrict(staff_client(log_in, staff(StaffRole.AGENT)), member.person)
    restriction = Restriction.objects.get(person=member.person)
    response = lift(staff_client(log_in, staff(StaffRole.MODERATOR)), restriction)
    assert "Your role does not allow this restriction." in response.content.decode()
    restriction.refresh_from_db()
    assert restriction.lifted_at is None


# --- the interactive part (ACC-11) ------------------------------------------------------------------

@pytest.mark.rule("ACC-11")
def test_it_bars_from_the_interactive_part_without_blocking_login(log_in, staff, member):
    member_client = log_in(Client(), member)
    moderator = staff(StaffRole.MODERATOR)
    with time_machine.travel(WHEN, tick=False):
        restrict(staff_client(log_in, moderator), member.person, scope=RestrictionScope.INTERACTIVE,
                 reason=RestrictionReason.CHARTER_BREACH)
    assert member_client.get(HOME).status_code == 200  # the open session goes on
    response = post_login(Client(), member)
    assert response.status_code == 302 and response.url == HOME
    restriction = services.restriction_in_force(member.person, "interactive")
    assert restriction is not None
    assert (restriction.reason, restriction.created_by, restriction.created_at) == (
        RestrictionReason.CHARTER_BREACH, moderator, WHEN)
    assert services.restriction_in_force(member.person, "private_area") is None
    with translation.override("en"):
        message = services.restriction_message(restriction)
    assert message == ("You can no longer post in the interactive part since 02/03/2026. "
                       "Reason: breach of the user charter.")


# --- strangers: the staff pages do not exist for them -------------------------------------------------

@pytest.fixture
def restriction(staff, member) -> Restriction:
    return services.restrict_access(
        person=member.person, scope=RestrictionScope.PRIVATE_AREA, reason=RestrictionReason.SECURITY_RISK,
        note="", by=staff(StaffRole.AGENT))


def _stranger_requests(restriction):
    return {
        "restrictions": lambda c: c.get(RESTRICTIONS, {"member_number": restriction.person.member_number}),
        "restrict": lambda c: c.post(reverse("accounts:restrict", args=[restriction.person.public_id]), {
            "scope": RestrictionScope.INTERACTIVE, "reason": RestrictionReason.CHARTER_BREACH}),
        "lift-form": lambda c: c.get(reverse("accounts:lift", args=[restriction.public_id])),
        "lift": lambda c: c.post(reverse("accounts:lift", args=[restriction.public_id]),
                                 {"note": "let me in"}),
    }


@pytest.mark.rule("ACC-5")
@pytest.mark.parametrize("page", ["restrictions", "restrict", "lift-form", "lift"])
@pytest.mark.parametrize("who", ["member", "other_member", StaffRole.FRAUD_UNIT, StaffRole.DPO_OFFICE])
def test_it_answers_404_to_strangers_on_the_staff_pages(request, log_in, staff, restriction, page, who):
    user = request.getfixturevalue(who) if who in {"member", "other_member"} else staff(who)
    response = _stranger_requests(restriction)[page](log_in(Client(), user))
    assert response.status_code == 404
    assert Restriction.objects.count() == 1
    restriction.refresh_from_db()
    assert restriction.lifted_at is None


@pytest.mark.rule("ACC-1")
@pytest.mark.parametrize("page", ["restrictions", "lift-form"])
def test_it_sends_anonymous_visitors_of_the_staff_pages_to_the_login_page(client, restriction, page):
    response = _stranger_requests(restriction)[page](client)
    assert response.status_code == 302 and response.url.startswith(LOGIN)
