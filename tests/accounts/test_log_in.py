"""Logging in: national number and password, the same answer for every failure, growing delays
against guessing, the optional second factor (ACC-1, ACC-3, ACC-7)."""

import logging

import pytest
import time_machine
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from guichet.accounts import services
from guichet.members import nrn
from tests.accounts.helpers import last_sms_code
from tests.conftest import PASSWORD, english_client

pytestmark = pytest.mark.django_db
LOGIN = reverse("accounts:login")


def post_login(client, login, password, **extra):
    return client.post(LOGIN, {"login": login, "password": password, **extra}, REMOTE_ADDR="198.51.100.7")


@pytest.mark.rule("ACC-1")
def test_it_logs_a_member_in_with_the_formatted_national_number(client, member):
    response = post_login(client, nrn.formatted(member.person.national_number), PASSWORD)
    assert response.status_code == 302 and response.url == reverse("pages:private-home")
    home = client.get(reverse("pages:private-home"))
    assert home.status_code == 200 and member.person.first_name in home.content.decode()


@pytest.mark.rule("ACC-7")
def test_it_gives_a_new_session_id_at_login(client, member):
    client.get(LOGIN)
    client.session.save()
    before = client.session.session_key
    post_login(client, member.username, PASSWORD)
    assert client.session.session_key != before


@pytest.mark.rule("ACC-3")
def test_it_answers_a_wrong_password_and_an_unknown_account_alike(client, member):
    wrong = post_login(client, member.username, "not the password at all")
    unknown = post_login(client, "85.07.30-033.28", "not the password at all")
    assert wrong.status_code == unknown.status_code == 200
    message = "The login or the password is not correct."
    assert message in wrong.content.decode() and message in unknown.content.decode()


@pytest.mark.rule("ACC-3")
def test_it_never_writes_the_password_in_logs(client, member, caplog):
    caplog.set_level(logging.DEBUG)
    post_login(client, member.username, "my secret guess 123")
    post_login(client, member.username, PASSWORD)
    assert "my secret guess 123" not in caplog.text and PASSWORD not in caplog.text


@pytest.mark.rule("ACC-3")
def test_it_slows_down_guessing_of_an_account_then_lets_the_owner_in(client, member, settings):
    settings.THROTTLE_FREE_FAILURES = 3
    with time_machine.travel("2026-05-01 10:00:00+00:00", tick=False) as clock:
        for _ in range(4):
            post_login(client, member.username, "wrong guess number x")
        blocked = post_login(client, member.username, PASSWORD)
        assert "Too many attempts" in blocked.content.decode()
        assert "_auth_user_id" not in client.session
        clock.shift(60)
        allowed = post_login(client, member.username, PASSWORD)
        assert allowed.status_code == 302


@pytest.mark.rule("ACC-3")
def test_it_throttles_unknown_accounts_exactly_like_known_ones(client, personas, settings):
    settings.THROTTLE_FREE_FAILURES = 2
    with time_machine.travel("2026-05-01 10:00:00+00:00", tick=False):
        for _ in range(3):
            post_login(client, "85.07.30-033.28", "wrong guess number x")
        assert "Too many attempts" in post_login(client, "85.07.30-033.28", "x" * 12).content.decode()


@pytest.mark.rule("ACC-3")
def test_it_makes_the_wait_grow_with_each_failure(member, settings):
    settings.THROTTLE_FREE_FAILURES = 1
    settings.THROTTLE_BASE_DELAY_SECONDS = 2
    waits = []
    with time_machine.travel("2026-05-01 10:00:00+00:00", tick=False) as clock:
        for _ in range(4):
            try:
                services.log_in_with_password(None, member.username, "wrong guess number x", ip="192.0.2.1")
            except services.AccountError:
                pass
            throttle = services.Throttle.for_request("login", account=member.username, ip="192.0.2.1")
            waits.append(throttle.wait_seconds())
            clock.shift(waits[-1])
    assert waits[0] < waits[1] < waits[2] < waits[3]


@pytest.mark.rule("ACC-3")
def test_it_slows_down_one_address_spraying_many_accounts(client, personas, settings):
    settings.THROTTLE_FREE_FAILURES = 2
    with time_machine.travel("2026-05-01 10:00:00+00:00", tick=False):
        for person in list(personas.values())[:4]:
            post_login(client, person.national_number, "wrong guess number x")
        other = personas["jan"].account
        response = post_login(client, other.username, "another wrong guess")
        assert "Too many attempts" in response.content.decode()


@pytest.mark.rule("ACC-1")
def test_it_does_not_redirect_to_another_site_after_login(client, member):
    response = post_login(client, member.username, PASSWORD, next="https://evil.example/phish")
    assert response.url == reverse("pages:private-home")


@pytest.mark.rule("ACC-2")
def test_it_asks_an_sms_code_when_the_member_chose_it(client, member):
    member.second_factor = "sms"
    member.save()
    response = post_login(client, member.username, PASSWORD)
    assert response.url == reverse("accounts:second-factor")
    assert client.get(reverse("pages:private-home")).status_code == 302
    response = client.post(reverse("accounts:second-factor"), {"code": last_sms_code(member.person)})
    assert response.url == reverse("pages:private-home")
    assert client.get(reverse("pages:private-home")).status_code == 200


@pytest.mark.rule("ACC-3")
def test_it_asks_the_authenticator_code_of_a_member_who_enrolled(client, member):
    device = TOTPDevice.objects.create(user=member, name="app", confirmed=True)
    member.second_factor = "totp"
    member.save()
    with time_machine.travel("2026-05-01 10:00:00+00:00", tick=False) as clock:
        post_login(client, member.username, PASSWORD)
        wrong = client.post(reverse("accounts:second-factor"), {"code": "000000"})
        assert wrong.status_code == 200 and "not correct" in wrong.content.decode()
        clock.shift(5)  # the device's own throttle waits a second after a failure
        code = f"{totp(device.bin_key):06d}"
        assert client.post(reverse("accounts:second-factor"), {"code": code}).url == reverse("pages:private-home")


@pytest.mark.rule("ACC-1")
def test_it_makes_staff_enrol_an_authenticator_before_anything(client, staff):
    from guichet.accounts.models import StaffRole

    agent = staff(StaffRole.AGENT)
    response = post_login(client, agent.username, "staff-demo-password")
    assert response.url == reverse("accounts:second-factor")
    page = client.get(reverse("accounts:second-factor"))
    assert "authenticator app" in page.content.decode()
    assert client.get(reverse("pages:private-home")).status_code == 302
    device = TOTPDevice.objects.get(user=agent, confirmed=False)
    response = client.post(reverse("accounts:second-factor"), {"code": f"{totp(device.bin_key):06d}"})
    assert response.url == reverse("pages:private-home")
    assert TOTPDevice.objects.filter(user=agent, confirmed=True).count() == 1


@pytest.mark.rule("SEC-1")
def test_it_answers_a_missing_csrf_token_with_a_clear_page(member):

    client = english_client(enforce_csrf_checks=True)
    response = client.post(LOGIN, {"login": member.username, "password": PASSWORD})
    assert response.status_code == 403
    assert "form has expired" in response.content.decode()
