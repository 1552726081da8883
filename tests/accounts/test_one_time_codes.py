"""One-time codes (ACC-2): at least 6 digits, 10 minutes, single use, bound to the attempt, 5 tries."""

import pytest
import time_machine
from django.urls import reverse

from guichet.accounts.codes import CodeCheck, check_code, issue_code
from guichet.accounts.models import CodePurpose, OneTimeCode
from guichet.members import nrn
from tests.accounts.helpers import last_sms_code
from tests.conftest import english_client  # noqa: E402

pytestmark = pytest.mark.django_db
CODE_URL = reverse("accounts:code", args=["register"])


def start(client, person):
    client.post(reverse("accounts:identify", args=["register"]), {
        "national_number": nrn.formatted(person.national_number), "member_number": person.member_number})
    return last_sms_code(person)


@pytest.mark.rule("ACC-2")
def test_it_stores_only_a_keyed_hash_of_a_code_of_at_least_six_digits(unregistered):
    record, code = issue_code(unregistered, CodePurpose.REGISTRATION, unregistered.mobile)
    assert len(code) >= 6 and code.isdigit()
    stored = OneTimeCode.objects.get(pk=record.pk)
    assert code not in stored.code_hash and len(stored.code_hash) == 64


@pytest.mark.rule("ACC-2")
def test_it_refuses_a_code_after_ten_minutes(unregistered):
    with time_machine.travel("2026-05-01 10:00:00+00:00", tick=False) as clock:
        record, code = issue_code(unregistered, CodePurpose.REGISTRATION, unregistered.mobile)
        clock.shift(10 * 60 + 1)
        assert check_code(record.attempt, CodePurpose.REGISTRATION, code)[0] is CodeCheck.EXPIRED


@pytest.mark.rule("ACC-2")
def test_it_accepts_a_code_once(unregistered):
    record, code = issue_code(unregistered, CodePurpose.REGISTRATION, unregistered.mobile)
    assert check_code(record.attempt, CodePurpose.REGISTRATION, code)[0] is CodeCheck.ACCEPTED
    assert check_code(record.attempt, CodePurpose.REGISTRATION, code)[0] is CodeCheck.USED


@pytest.mark.rule("ACC-2")
def test_it_gives_five_tries_at_most(unregistered):
    record, code = issue_code(unregistered, CodePurpose.REGISTRATION, unregistered.mobile)
    wrong = "000000" if code != "000000" else "111111"
    outcomes = [check_code(record.attempt, CodePurpose.REGISTRATION, wrong)[0] for _ in range(5)]
    assert outcomes == [CodeCheck.WRONG] * 4 + [CodeCheck.TOO_MANY_TRIES]
    assert check_code(record.attempt, CodePurpose.REGISTRATION, code)[0] is CodeCheck.TOO_MANY_TRIES


@pytest.mark.rule("ACC-2")
def test_it_binds_the_code_to_the_browser_that_asked_for_it(unregistered):
    asking, other = english_client(), english_client()
    code = start(asking, unregistered)
    other.post(reverse("accounts:identify", args=["register"]), {"national_number": "x", "member_number": "y"})
    response = other.post(CODE_URL, {"code": code})
    assert response.status_code == 302 and response.url == reverse("accounts:identify", args=["register"])
    assert asking.post(CODE_URL, {"code": code}).status_code == 302


@pytest.mark.rule("ACC-2")
def test_it_cancels_the_previous_code_when_a_new_one_is_asked(unregistered):
    first, first_code = issue_code(unregistered, CodePurpose.REGISTRATION, unregistered.mobile)
    issue_code(unregistered, CodePurpose.REGISTRATION, unregistered.mobile)
    assert check_code(first.attempt, CodePurpose.REGISTRATION, first_code)[0] is CodeCheck.USED


@pytest.mark.rule("ACC-2")
def test_it_does_not_accept_a_code_meant_for_another_purpose(unregistered):
    record, code = issue_code(unregistered, CodePurpose.LOGIN, unregistered.mobile)
    assert check_code(record.attempt, CodePurpose.REGISTRATION, code)[0] is CodeCheck.UNKNOWN_ATTEMPT


@pytest.mark.rule("ACC-2")
@pytest.mark.parametrize("typed", ["abcdef", "<b>1</b>", "1" * 11, ""])
def test_it_answers_a_malformed_code_with_a_message(client, unregistered, typed):
    start(client, unregistered)
    response = client.post(CODE_URL, {"code": typed})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
