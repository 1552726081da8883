"""ACL-3: an advising physician delegates, on a page, the processing of one context's health data to a
member of the delegated medical staff, until a date; revokes it at once; both are in the ledger."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.models import StaffRole, User
from guichet.backoffice import access, services
from guichet.backoffice.confidentiality import acknowledge, current_text
from guichet.backoffice.models import Delegation
from guichet.ledger.models import LedgerEntry

pytestmark = [pytest.mark.django_db, pytest.mark.rule("ACL-3")]


def in_days(days: int) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)


def test_it_lets_the_physician_grant_a_delegation_on_the_page(staff_client, acknowledged_staff):
    client = staff_client(StaffRole.ADVISING_PHYSICIAN)
    delegate = acknowledged_staff(StaffRole.MEDICAL_DELEGATE)
    page = client.get(reverse("backoffice:delegations")).content.decode()
    assert str(delegate.public_id) in page
    assert str(acknowledged_staff(StaffRole.AGENT).public_id) not in page  # not delegated medical staff
    until = (timezone.localtime() + datetime.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("backoffice:delegations"),
        {"delegate": delegate.public_id, "scope": "compulsory", "expires_at": until},
    )
    assert response.status_code == 302
    delegation = Delegation.objects.get()
    assert (delegation.delegate, delegation.scope, delegation.revoked_at) == (delegate, "compulsory", None)
    entry = LedgerEntry.objects.get(kind="backoffice.delegation_granted")
    assert entry.context == "compulsory" and str(delegate.public_id) in entry.payload
    assert access.may_see_health_data(delegate, "compulsory")


def test_it_revokes_a_delegation_at_once(staff_client, acknowledged_staff):
    client = staff_client(StaffRole.ADVISING_PHYSICIAN)
    physician, delegate = (
        acknowledged_staff(StaffRole.ADVISING_PHYSICIAN),
        acknowledged_staff(StaffRole.MEDICAL_DELEGATE),
    )
    delegation = services.grant_delegation(physician, delegate, scope="compulsory", expires_at=in_days(30))
    response = client.post(
        reverse("backoffice:revoke-delegation", kwargs={"delegation_id": delegation.public_id})
    )
    assert response.status_code == 302
    delegation.refresh_from_db()
    assert delegation.revoked_at is not None
    assert not access.may_see_health_data(delegate, "compulsory")
    assert LedgerEntry.objects.filter(kind="backoffice.delegation_revoked").count() == 1


def test_it_lets_only_the_granting_physician_revoke(client, log_in, acknowledged_staff):
    physician, delegate = (
        acknowledged_staff(StaffRole.ADVISING_PHYSICIAN),
        acknowledged_staff(StaffRole.MEDICAL_DELEGATE),
    )
    delegation = services.grant_delegation(physician, delegate, scope="compulsory", expires_at=in_days(30))
    colleague = User.objects.create(username="second-physician", staff_role=StaffRole.ADVISING_PHYSICIAN)
    acknowledge(colleague, shown_text=current_text())
    log_in(client, colleague)
    response = client.post(
        reverse("backoffice:revoke-delegation", kwargs={"delegation_id": delegation.public_id})
    )
    assert response.status_code == 404
    with pytest.raises(services.BackofficeError):
        services.revoke_delegation(colleague, delegation)
    delegation.refresh_from_db()
    assert delegation.revoked_at is None


@pytest.mark.parametrize("role", [StaffRole.AGENT, StaffRole.MEDICAL_DELEGATE, StaffRole.DPO_OFFICE])
def test_it_refuses_a_delegation_by_anyone_but_an_advising_physician(acknowledged_staff, role):
    with pytest.raises(services.BackofficeError):
        services.grant_delegation(
            acknowledged_staff(role),
            acknowledged_staff(StaffRole.MEDICAL_DELEGATE),
            scope="compulsory",
            expires_at=in_days(3),
        )
    assert not Delegation.objects.exists()


@pytest.mark.parametrize(
    ("delegate_role", "scope", "days", "field"),
    [
        (StaffRole.AGENT, "compulsory", 3, "delegate"),
        (StaffRole.FRAUD_UNIT, "compulsory", 3, "delegate"),
        (StaffRole.MEDICAL_DELEGATE, "nowhere", 3, "scope"),
        (StaffRole.MEDICAL_DELEGATE, "compulsory", -1, "expires_at"),
        (StaffRole.MEDICAL_DELEGATE, "compulsory", 400, "expires_at"),
    ],
)
def test_it_refuses_a_delegation_it_cannot_record(acknowledged_staff, delegate_role, scope, days, field):
    with pytest.raises(services.BackofficeError) as refused:
        services.grant_delegation(
            acknowledged_staff(StaffRole.ADVISING_PHYSICIAN),
            acknowledged_staff(delegate_role),
            scope=scope,
            expires_at=in_days(days),
        )
    assert refused.value.field == field
    assert not Delegation.objects.exists()
    assert not LedgerEntry.objects.filter(kind="backoffice.delegation_granted").exists()


def test_it_shows_the_refusal_on_the_page(staff_client, acknowledged_staff):
    client = staff_client(StaffRole.ADVISING_PHYSICIAN)
    delegate = acknowledged_staff(StaffRole.MEDICAL_DELEGATE)
    past = (timezone.localtime() - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("backoffice:delegations"),
        {"delegate": delegate.public_id, "scope": "compulsory", "expires_at": past},
    )
    assert response.status_code == 200
    assert "The end of the delegation must be in the future." in response.content.decode()
    assert not Delegation.objects.exists()
