"""Staff issue a document to a member from the member's opened file (ACL-1): an uploaded PDF (through the
one upload path) or a letter from the template; members and staff without an open file cannot."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from guichet.accounts.models import StaffRole
from guichet.backoffice import access
from guichet.backoffice.confidentiality import acknowledge, current_text
from guichet.ebox.models import Document
from guichet.ebox.seal import verify_seal
from tests.conftest import english_client
from tests.ebox.conftest import real_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent(staff):
    user = staff(StaffRole.AGENT)
    acknowledge(user, shown_text=current_text())
    return user


@pytest.fixture
def opened(agent, member):
    return access.open_file(agent, member.person, purpose_key="compulsory:insurability",
                            reason=access.Reason("case", "CASE-2026-7"))


def issue_url(opened):
    return reverse("ebox:staff-issue", kwargs={"access_id": opened.public_id})


@pytest.mark.rule("EBOX-1", "EBOX-4")
def test_an_agent_issues_an_uploaded_pdf_sealed_to_the_member(log_in, agent, opened, marie_ebox, _documents):
    client = log_in(english_client(), agent)
    response = client.post(issue_url(opened), {"doc_type": "letter", "title": "Your file",
                                               "file": SimpleUploadedFile("scan.pdf", real_pdf())})
    assert response.status_code == 302
    document = Document.objects.get(person=marie_ebox)
    assert document.delivery == "ebox" and document.issued_by == agent
    with document.file.open("rb") as file:
        assert verify_seal(file.read())
    # The raw upload is not kept next to the sealed document.
    assert not any(path.is_file() for path in (_documents / "uploads").rglob("*"))


@pytest.mark.rule("EBOX-1")
def test_an_agent_writes_a_letter_from_the_template(log_in, agent, opened, member):
    client = log_in(english_client(), agent)
    response = client.post(issue_url(opened), {"doc_type": "letter", "title": "About your file",
                                               "body": "We received your form."})
    assert response.status_code == 302
    document = Document.objects.get(person=member.person)
    assert document.delivery == "post" and document.content_type == "application/pdf"


@pytest.mark.parametrize("content", [
    b"<html><script>alert(1)</script></html>",
    b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF\n",
])
def test_a_fake_pdf_is_refused_with_a_message_and_nothing_issued(log_in, agent, opened, content):
    client = log_in(english_client(), agent)
    response = client.post(issue_url(opened), {"doc_type": "letter", "title": "x",
                                               "file": SimpleUploadedFile("scan.pdf", content)})
    assert response.status_code == 200 and response.context["form"].errors["file"]
    assert not Document.objects.exists()


def test_members_and_other_staff_cannot_issue(client, log_in, member, opened, staff):
    log_in(client, member)
    assert client.get(issue_url(opened)).status_code == 404
    other = staff(StaffRole.ADMINISTRATOR)
    acknowledge(other, shown_text=current_text())
    other_client = log_in(english_client(), other)
    # Another staff member cannot use this agent's opening of the file.
    assert other_client.get(issue_url(opened)).status_code == 404
    assert not Document.objects.exists()


def test_the_agent_finds_the_files_they_have_open(log_in, agent, opened, member, other_member):
    client = log_in(english_client(), agent)
    page = client.get(reverse("ebox:staff-open-files")).content.decode()
    assert member.person.full_name in page and issue_url(opened) in page
    assert other_member.person.full_name not in page
