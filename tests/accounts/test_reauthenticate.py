"""Re-authentication ("sudo mode"): sensitive settings need the password typed again recently."""

import pytest
import time_machine
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
SECURITY = reverse("accounts:security")


@pytest.mark.rule("ACC-3")
def test_it_asks_the_password_again_before_changing_the_second_factor(client, member, log_in):
    with time_machine.travel("2026-05-01 10:00:00+00:00", tick=False) as clock:
        log_in(client, member)
        response = client.post(SECURITY, {"factor": "sms"})
        assert response.url.startswith(reverse("accounts:reauthenticate"))
        member.refresh_from_db()
        assert member.second_factor == "none"
        wrong = client.post(reverse("accounts:reauthenticate"), {"password": "not my password!"})
        assert wrong.status_code == 200
        client.post(reverse("accounts:reauthenticate"), {"password": PASSWORD, "next": SECURITY})
        client.post(SECURITY, {"factor": "sms"})
        member.refresh_from_db()
        assert member.second_factor == "sms"
        clock.shift(11 * 60)
        assert client.post(SECURITY, {"factor": "none"}).url.startswith(reverse("accounts:reauthenticate"))


@pytest.mark.rule("ACC-3")
def test_it_keeps_staff_on_the_authenticator(client, staff, log_in):
    from guichet.accounts.models import StaffRole

    agent = staff(StaffRole.AGENT)
    log_in(client, agent)
    client.post(reverse("accounts:reauthenticate"), {"password": "staff-demo-password"})
    client.post(SECURITY, {"factor": "none"})
    agent.refresh_from_db()
    assert agent.requires_totp
