"""Passwords (ACC-3): Argon2, at least 12 characters, long ones welcome, no composition rules,
common ones refused; change and reset only through a verified channel."""

import pytest
from django.urls import reverse

from guichet.accounts import services
from guichet.members import nrn
from tests.accounts.helpers import last_sms_code
from tests.conftest import PASSWORD, english_client

pytestmark = pytest.mark.django_db


@pytest.mark.rule("ACC-3")
def test_it_stores_passwords_with_argon2_only(member):
    member.set_password("a long and personal passphrase two")
    assert member.password.startswith("argon2$argon2id$")
    assert "passphrase" not in member.password


@pytest.mark.rule("ACC-3")
@pytest.mark.parametrize("password,accepted", [
    ("short pass", False),
    ("password1234", False),
    ("qwertyuiop12", False),
    ("only lowercase letters here", True),
    ("x" * 20 + " a very long passphrase " * 4, True),
    ("x" * 300, False),
])
def test_it_applies_length_and_common_password_rules_only(unregistered, password, accepted):
    try:
        services.check_new_password(unregistered, password, password)
    except services.AccountError:
        assert not accepted
    else:
        assert accepted


@pytest.mark.rule("ACC-3")
def test_it_refuses_a_password_made_of_the_national_number(unregistered):
    with pytest.raises(services.AccountError):
        services.check_new_password(unregistered, f"my {unregistered.national_number} pw", f"my {unregistered.national_number} pw")


@pytest.mark.rule("ACC-3")
def test_it_needs_the_current_password_to_change_it(client, member, log_in):
    log_in(client, member)
    new = "another long passphrase here"
    response = client.post(reverse("accounts:change-password"), {"current": "wrong one entirely", "password": new,
                                                                 "confirmation": new})
    assert response.status_code == 200 and "current password is not correct" in response.content.decode()
    member.refresh_from_db()
    assert member.check_password(PASSWORD)


@pytest.mark.rule("ACC-3")
def test_it_resets_a_password_through_the_registered_mobile_and_ends_all_sessions(member):
    phone = english_client()
    assert phone.post(reverse("accounts:login"), {"login": member.username, "password": PASSWORD}).status_code == 302
    client = english_client()
    person = member.person
    client.post(reverse("accounts:identify", args=["reset"]), {
        "national_number": nrn.formatted(person.national_number), "member_number": person.member_number})
    client.post(reverse("accounts:code", args=["reset"]), {"code": last_sms_code(person)})
    new = "the reset passphrase is long"
    response = client.post(reverse("accounts:password", args=["reset"]), {"password": new, "confirmation": new})
    assert response.url == reverse("accounts:login")
    member.refresh_from_db()
    assert member.check_password(new)
    assert phone.get(reverse("pages:private-home")).status_code == 302


@pytest.mark.rule("ACC-3")
def test_it_never_shows_a_password_back_in_a_page(client, unregistered):
    client.post(reverse("accounts:identify", args=["register"]), {
        "national_number": nrn.formatted(unregistered.national_number), "member_number": unregistered.member_number})
    client.post(reverse("accounts:code", args=["register"]), {"code": last_sms_code(unregistered)})
    response = client.post(reverse("accounts:password", args=["register"]), {
        "password": "visible secret 1", "confirmation": "visible secret 2", "accept_terms": "on"})
    assert response.status_code == 200
    assert "visible secret" not in response.content.decode()
