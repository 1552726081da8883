"""The mutual suspends or ends a mandate out of prudence, with a recorded reason (MAND-11)."""

import pytest
from django.urls import reverse

from guichet.accounts.models import StaffRole
from guichet.mandates.models import MandateStatus
from guichet.mandates.policy import Action, decide
from tests.mandates.helpers import give, ledger_entries

pytestmark = pytest.mark.django_db


@pytest.mark.rule("MAND-11")
def test_staff_suspend_with_a_reason_then_resume(client, log_in, staff, member, other_member):
    mandate = give(member.person, other_member.person)
    log_in(client, staff(StaffRole.AGENT))
    client.post(
        reverse("mandates:staff-suspend", args=[mandate.public_id]), {"reason": "doubt about consent"}
    )
    mandate.refresh_from_db()
    assert mandate.status == MandateStatus.SUSPENDED and mandate.staff_reason == "doubt about consent"
    assert decide(other_member.person, member.person, Action.OPEN_FILE).reason == "suspended"
    assert ledger_entries("mandates.suspended")[-1].actor_role == StaffRole.AGENT
    client.post(
        reverse("mandates:staff-resume", args=[mandate.public_id]), {"reason": "checked with the grantor"}
    )
    assert decide(other_member.person, member.person, Action.OPEN_FILE).allowed


@pytest.mark.rule("MAND-11")
def test_staff_end_in_the_grantors_interest(client, log_in, staff, member, other_member):
    mandate = give(member.person, other_member.person)
    log_in(client, staff(StaffRole.ADMINISTRATOR))
    client.post(
        reverse("mandates:staff-end", args=[mandate.public_id]),
        {"reason": "manifest interest of the grantor"},
    )
    mandate.refresh_from_db()
    assert mandate.status == MandateStatus.ENDED
    assert decide(other_member.person, member.person, Action.OPEN_FILE).reason == "ended"


@pytest.mark.rule("MAND-11")
def test_a_reason_is_required(client, log_in, staff, member, other_member):
    mandate = give(member.person, other_member.person)
    log_in(client, staff(StaffRole.AGENT))
    response = client.post(
        reverse("mandates:staff-suspend", args=[mandate.public_id]), {"reason": " "}, follow=True
    )
    assert "Give the reason" in response.content.decode()
    mandate.refresh_from_db()
    assert mandate.status == MandateStatus.ACTIVE


@pytest.mark.rule("MAND-11")
@pytest.mark.parametrize("who", ["member", "moderator"])
def test_members_and_other_roles_cannot_suspend(client, log_in, staff, member, other_member, who):
    mandate = give(member.person, other_member.person)
    log_in(client, member if who == "member" else staff(StaffRole.MODERATOR))
    response = client.post(
        reverse("mandates:staff-suspend", args=[mandate.public_id]), {"reason": "some reason"}
    )
    assert response.status_code == 404
    mandate.refresh_from_db()
    assert mandate.status == MandateStatus.ACTIVE
