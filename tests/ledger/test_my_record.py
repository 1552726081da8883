"""The member's "My record" page (ACL-6): the entries about them that they may see, with what happened
and who acted (staff by role, never by name); nobody else's, and not the hidden ones."""

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy

from guichet.accounts.models import StaffRole
from guichet.ledger.kinds import register_kind
from guichet.ledger.services import append, entries_about

URL = reverse("ledger:my-record")


@pytest.fixture(autouse=True)
def _kinds():
    register_kind("test.consent_given", gettext_lazy("You gave your consent"))
    register_kind("test.file_opened", gettext_lazy("Your file was opened"))


@pytest.fixture
def marie_record(member, other_member, staff):
    """Marie's entries: her own consent, an agent opening her file, a fraud-unit opening she may not see;
    and one entry about Jan."""
    marie, jan = member.person, other_member.person
    agent = staff(StaffRole.AGENT)
    agent.display_name = "Agent Smith"
    agent.save()
    with transaction.atomic():
        append("test.consent_given", actor=member, subject=marie, payload={"purpose": "newsletter"})
        append("test.file_opened", actor=agent, subject=marie, payload={"purpose": "claims"})
        append("test.file_opened", actor=staff(StaffRole.FRAUD_UNIT), subject=marie, visible_to_subject=False)
        append("test.consent_given", actor=jan, subject=jan)
        append("test.unregistered_kind", actor=None, subject=marie)
    return marie


@pytest.mark.rule("ACL-6")
def test_it_lists_the_entries_about_the_member(client, log_in, member, marie_record):
    response = log_in(client, member).get(URL)

    assert response.status_code == 200
    rows = [[cell.strip() for cell in row] for row in parse_rows(response.content.decode())]
    assert [row[1:] for row in rows] == [
        ["Recorded event (test.unregistered_kind)", "Guichet, automatically"],
        ["Your file was opened", "Staff: agency or service-centre agent"],
        ["You gave your consent", "You"],
    ]
    assert "Agent Smith" not in response.content.decode()


@pytest.mark.rule("ACL-6")
def test_it_hides_the_entries_the_member_may_not_see(client, log_in, member, marie_record):
    page = log_in(client, member).get(URL).content.decode()

    assert "fraud" not in page
    assert entries_about(marie_record).count() == 3
    assert entries_about(marie_record, for_member=False).count() == 4


@pytest.mark.rule("ACL-6")
def test_it_shows_a_stranger_nothing_of_another_members_record(client, log_in, stranger, marie_record):
    page = log_in(client, stranger).get(URL).content.decode()

    assert "Nothing has been recorded about you yet." in page
    assert "Your file was opened" not in page and "You gave your consent" not in page


@pytest.mark.rule("ACL-6")
def test_it_names_another_member_who_acted_for_the_member(client, log_in, member, other_member):
    with transaction.atomic():
        append("test.consent_given", actor=other_member, subject=member.person)

    page = log_in(client, member).get(URL).content.decode()

    assert f"{other_member.person.full_name} (member)" in page


def test_it_is_not_a_page_for_staff(client, log_in, staff, marie_record):
    assert log_in(client, staff(StaffRole.ADMINISTRATOR)).get(URL).status_code == 404


def test_it_asks_a_visitor_to_log_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_it_pages_a_long_record(client, log_in, member):
    with transaction.atomic():
        for _ in range(55):
            append("test.consent_given", actor=member, subject=member.person)
    log_in(client, member)

    first, second = client.get(URL).content.decode(), client.get(URL + "?page=2").content.decode()

    assert first.count("<tr>") == 51 and second.count("<tr>") == 6  # a header row and the entries


def parse_rows(html: str) -> list[list[str]]:
    import re

    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [re.findall(r"<td>(.*?)</td>", row, re.S) for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]
