"""PRIV-3: a contact form reaches the data protection officer, on the website and in the account."""

import re

import pytest
from django.conf import settings

from guichet.accounts.models import StaffRole
from guichet.privacy.models import DpoCase

pytestmark = [pytest.mark.rule("PRIV-3"), pytest.mark.django_db]

URL = "/privacy/contact-dpo/"
VISITOR = {"name": "Anne Visiteur", "email": "anne@example.org", "kind": "access",
           "message": "I would like to know which data you hold about me."}


def test_a_visitor_writes_to_the_dpo_and_gets_a_reference(client, mailoutbox):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(URL, VISITOR, REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 302
    case = DpoCase.objects.get()
    assert re.fullmatch(r"DPO-\d{4}-\d{6}", case.reference)
    assert (case.person, case.name, case.email, case.kind, case.channel, case.status, case.language) == (
        None, "Anne Visiteur", "anne@example.org", "access", "web", "received", "en")
    sent = client.get(response.url).content.decode()
    assert case.reference in sent
    [mail] = mailoutbox
    assert mail.to == ["anne@example.org"] and case.reference in mail.subject and case.reference in mail.body
    assert VISITOR["message"] not in mail.body  # the e-mail does not repeat the message


def test_a_member_writes_from_the_account_as_themselves(client, member, log_in, mailoutbox):
    person = member.person
    person.email = "marie@example.org"
    person.save()
    log_in(client, member)
    form = client.get(URL).content.decode()
    assert 'name="email"' not in form and 'name="name"' not in form
    response = client.post(URL, {"kind": "erasure", "message": "Please erase my old phone number.",
                                 "name": "Someone Else", "email": "else@example.org"})
    assert response.status_code == 302
    case = DpoCase.objects.get()
    assert (case.person, case.name, case.email, case.channel) == (person, person.full_name, "marie@example.org", "account")
    assert [mail.to for mail in mailoutbox] == [["marie@example.org"]]


def test_each_case_has_its_own_reference(client):
    for number in range(2):
        client.post(URL, {**VISITOR, "message": f"question {number}"}, REMOTE_ADDR=f"198.51.100.{number}")
    assert len(set(DpoCase.objects.values_list("reference", flat=True))) == 2


@pytest.mark.parametrize(("change", "error"), [
    ({"email": "not-an-address"}, "valid email address"),
    ({"message": "x" * 5001}, "5000"),
    ({"message": "Hello <script>alert(1)</script>"}, "HTML"),
    ({"name": "<b>Anne</b>"}, "HTML"),
    ({"message": "   "}, "required"),
    ({"kind": "gossip"}, "gossip"),
])
def test_bad_input_is_refused_with_a_message_and_nothing_is_created(client, change, error):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(URL, {**VISITOR, **change})
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not DpoCase.objects.exists()


def test_the_public_form_is_throttled_per_address(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for number in range(settings.THROTTLE_FREE_FAILURES):
        assert client.post(URL, {**VISITOR, "message": f"m{number}"}, REMOTE_ADDR="203.0.113.9").status_code == 302
    response = client.post(URL, {**VISITOR, "message": "one more"}, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 200 and "Too many messages" in response.content.decode()
    assert DpoCase.objects.count() == settings.THROTTLE_FREE_FAILURES
    assert client.post(URL, VISITOR, REMOTE_ADDR="203.0.113.10").status_code == 302  # another address


def test_staff_accounts_do_not_use_the_members_form(client, staff, log_in):
    log_in(client, staff(StaffRole.AGENT))
    assert client.get(URL).status_code == 404


def test_the_sent_page_without_a_case_goes_back_to_the_form(client):
    assert client.get("/privacy/contact-dpo/sent/").url == URL
