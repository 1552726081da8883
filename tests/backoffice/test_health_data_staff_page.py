"""ACL-4: the categories of people who process health data are on a public page, generated from the roles."""

import pytest
from django.urls import reverse

from guichet.backoffice.roles import ROLES, HealthData

pytestmark = [pytest.mark.django_db, pytest.mark.rule("ACL-4")]


def test_it_lists_the_roles_that_process_health_data_to_everyone(client):
    page = client.get(reverse("backoffice:health-data-staff")).content.decode()
    assert "Advising physician" in page
    assert "Delegated medical staff" in page
    assert "Only with a current delegation from an advising physician." in page
    assert "Fraud unit" not in page and "Moderator" not in page


def test_it_follows_the_roles_data(client, monkeypatch):
    from guichet.accounts.models import StaffRole
    from guichet.backoffice import roles

    monkeypatch.setitem(
        roles.ROLES,
        StaffRole.MODERATOR,
        roles.RoleSpec(
            purposes=(), description="Moderators reading health forums.", health_data=HealthData.DELEGATED
        ),
    )
    assert (
        "Moderators reading health forums."
        in client.get(reverse("backoffice:health-data-staff")).content.decode()
    )


def test_it_names_the_processors_of_the_register_that_handle_health_data(client):
    page = client.get(reverse("backoffice:health-data-staff")).content.decode()
    assert "Processors working for the mutual" in page
    assert any(spec.health_data != HealthData.NEVER for spec in ROLES.values())
