"""Sessions (ACC-7): 30 minutes after the last request, 12 hours at most, a cookie that ends with the
browser, and logout or a password change ending the account's other sessions."""

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.models import UserSession
from tests.conftest import PASSWORD, english_client

pytestmark = pytest.mark.django_db
HOME = reverse("pages:private-home")


def logged_in_client(user):
    client = english_client()
    response = client.post(reverse("accounts:login"), {"login": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


@pytest.mark.rule("ACC-7")
def test_it_ends_the_session_30_minutes_after_the_last_request(member):
    with time_machine.travel("2026-05-01 10:00:00+00:00", tick=False) as clock:
        client = logged_in_client(member)
        clock.shift(29 * 60)
        assert client.get(HOME).status_code == 200
        clock.shift(29 * 60)  # 29 minutes after the last request: still open (sliding)
        assert client.get(HOME).status_code == 200
        clock.shift(30 * 60 + 1)
        response = client.get(HOME)
        assert response.status_code == 302 and "expired=idle" in response.url
        assert client.get(HOME).status_code == 302  # the server forgot the session: no way back
        assert not UserSession.objects.filter(user=member, expire_date__gt=timezone.now()).exists()


@pytest.mark.rule("ACC-7")
def test_it_ends_any_session_after_12_hours_even_with_activity(member):
    with time_machine.travel("2026-05-01 08:00:00+00:00", tick=False) as clock:
        client = logged_in_client(member)
        for _ in range(12 * 4 + 1):
            clock.shift(15 * 60)
            response = client.get(HOME)
        assert response.status_code == 302 and "expired=max" in response.url


@pytest.mark.rule("ACC-7")
def test_it_tells_the_member_why_they_must_log_in_again(client):
    response = client.get(reverse("accounts:login") + "?expired=idle")
    assert "30 minutes without activity" in response.content.decode()


@pytest.mark.rule("ACC-7")
def test_it_sets_a_session_cookie_that_scripts_cannot_read(member):
    client = english_client()
    response = client.post(reverse("accounts:login"), {"login": member.username, "password": PASSWORD})
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert not cookie["expires"] and not cookie["max-age"]  # gone when the browser closes


@pytest.mark.rule("ACC-7")
def test_it_ends_every_session_of_the_account_at_logout(member):
    laptop, phone = logged_in_client(member), logged_in_client(member)
    laptop.post(reverse("accounts:logout"))
    assert phone.get(HOME).status_code == 302
    assert not UserSession.objects.filter(user=member).exists()


@pytest.mark.rule("ACC-7")
def test_it_ends_the_other_sessions_when_the_password_changes(member):
    laptop, phone = logged_in_client(member), logged_in_client(member)
    new = "a brand new and long passphrase"
    response = laptop.post(reverse("accounts:change-password"), {
        "current": PASSWORD, "password": new, "confirmation": new})
    assert response.status_code == 302
    assert laptop.get(HOME).status_code == 200
    assert phone.get(HOME).status_code == 302


@pytest.mark.rule("ACC-7")
def test_it_does_not_accept_a_logout_by_a_simple_link(member):
    client = logged_in_client(member)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.get(HOME).status_code == 200
