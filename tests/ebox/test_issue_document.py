"""Issuing a document (EBOX-1, EBOX-4, EBOX-5): into the e-Box with a notice that says only that a document
waits when the e-Box is active and the type allows it; otherwise into the print queue. Evidence in the
ledger and a domain event, in the same transaction; bad content refused with nothing kept."""

import pytest
from django.utils import translation

from guichet.ebox import services
from guichet.ebox.errors import EboxError
from guichet.ebox.models import Document, PrintItem
from guichet.ebox.seal import verify_seal
from guichet.ebox.types import electronic_allowed, get_document_type, register_document_type
from guichet.events.models import OutboxEvent
from guichet.ledger.models import LedgerEntry
from guichet.messaging.models import OutboxMessage
from tests.ebox.conftest import issue, real_pdf, zip_bytes

pytestmark = pytest.mark.django_db


@pytest.mark.rule("EBOX-1", "EBOX-4", "EBOX-5")
def test_a_document_goes_to_the_active_ebox_and_the_notice_says_only_that_it_waits(
        marie_ebox, django_capture_on_commit_callbacks, mailoutbox):
    assert services.notification_channel(marie_ebox) == "email"
    with django_capture_on_commit_callbacks(execute=True):
        document = issue(marie_ebox, title="Hospital stay: surgery reimbursement")
    assert document.delivery == "ebox" and not PrintItem.objects.filter(document=document).exists()
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [marie_ebox.email]
    text = mailoutbox[0].subject + mailoutbox[0].body
    assert "surgery" not in text and "Hospital" not in text and "letter" not in text.lower()
    document.refresh_from_db()
    assert document.notified_at is not None
    with document.file.open("rb") as file:
        assert verify_seal(file.read()).genuine


@pytest.mark.rule("EBOX-4")
def test_without_an_active_ebox_the_document_goes_to_the_print_queue(
        member, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        document = issue(member.person)
    assert document.delivery == "post"
    assert PrintItem.objects.filter(document=document, batch__isnull=True).exists()
    assert not OutboxMessage.objects.exists() and mailoutbox == []
    assert not services.inbox(member.person).exists()


@pytest.mark.rule("EBOX-4")
def test_a_type_that_requires_paper_is_posted_even_with_an_active_ebox(marie_ebox):
    assert not electronic_allowed("formal_notice")
    document = issue(marie_ebox, doc_type="formal_notice", title="Formal notice")
    assert document.delivery == "post" and PrintItem.objects.filter(document=document).exists()


@pytest.mark.rule("EBOX-3", "EBOX-4")
def test_after_deactivation_documents_are_posted_again(marie_ebox):
    assert issue(marie_ebox).delivery == "ebox"
    services.set_ebox_active(marie_ebox, False, actor=marie_ebox)
    assert issue(marie_ebox).delivery == "post"


@pytest.mark.rule("EBOX-1")
def test_issuing_writes_the_ledger_and_an_event(marie_ebox):
    document = issue(marie_ebox)
    entry = LedgerEntry.objects.filter(kind="ebox.document_issued", subject_id=marie_ebox.pk).get()
    assert str(document.public_id) in entry.payload and document.sha256 in entry.payload
    assert OutboxEvent.objects.filter(kind="ebox.document_issued", subject=marie_ebox.public_id).exists()


@pytest.mark.rule("EBOX-1")
def test_a_template_is_rendered_sealed_in_the_persons_language(marie_ebox):
    document = services.issue_document(marie_ebox, doc_type="tax_certificate", title="Tax certificate 2026",
                                       context="complementary", template="ebox/pdf/letter.html",
                                       template_context={"body": "Amounts paid in 2026."})
    assert document.content_type == "application/pdf" and document.file.name.endswith(".pdf")
    with document.file.open("rb") as file:
        assert verify_seal(file.read())


@pytest.mark.rule("EBOX-1")
def test_a_zip_answer_goes_to_the_ebox_even_when_inactive_since_it_cannot_be_printed(member):
    register_document_type("access_answer", "Copy of your data")
    document = issue(member.person, doc_type="access_answer", content=zip_bytes(), context="operations")
    assert document.delivery == "ebox" and not PrintItem.objects.exists()
    with pytest.raises(EboxError):
        issue(member.person, doc_type="formal_notice", content=zip_bytes())


@pytest.mark.rule("EBOX-1")
def test_a_zip_answer_is_kept_as_is(marie_ebox):
    register_document_type("access_answer", "Copy of your data")
    content = zip_bytes()
    document = issue(marie_ebox, doc_type="access_answer", content=content, context="operations",
                     filename="access-answer.zip")
    assert document.content_type == "application/zip" and document.file.name.endswith(".zip")
    with document.file.open("rb") as file:
        assert file.read() == content


@pytest.mark.parametrize("content", [
    b"<html><body>not a pdf</body></html>",
    b"%PDF-1.4\n<script>alert(1)</script>\n%%EOF\n",
    b"%PDF-1.4 nothing inside\n%%EOF\n",  # a header and an end, but no page
    b"PK\x03\x04 broken zip",
])
def test_bad_content_is_refused_and_nothing_is_issued(marie_ebox, _documents, content):
    with pytest.raises(EboxError):
        issue(marie_ebox, content=content)
    assert not Document.objects.exists()
    assert not LedgerEntry.objects.filter(kind="ebox.document_issued").exists()
    assert not (_documents.exists() and any(path.is_file() for path in _documents.rglob("*")))


def test_unknown_type_missing_title_or_both_sources_are_refused_with_a_message(marie_ebox):
    with translation.override("en"):
        with pytest.raises(EboxError, match="Unknown document type"):
            issue(marie_ebox, doc_type="nonsense")
        with pytest.raises(EboxError, match="title"):
            issue(marie_ebox, title="   ")
        with pytest.raises(EboxError, match="either a file or a template"):
            issue(marie_ebox, template="ebox/pdf/letter.html")
        with pytest.raises(EboxError):
            issue(marie_ebox, context="not-a-context")
        with pytest.raises(EboxError, match="name"):
            issue(marie_ebox, filename="answer.zip")  # the bytes are a PDF
    assert not Document.objects.exists()


def test_other_apps_register_their_types_as_data():
    register_document_type("decision", "Decision", electronic_allowed=True)
    assert get_document_type("decision").electronic_allowed
    with pytest.raises(ValueError):
        register_document_type("Bad Key", "x")


@pytest.mark.rule("EBOX-5")
def test_the_notice_follows_the_members_channel_preferences(marie_ebox, django_capture_on_commit_callbacks):
    from guichet.communication.models import Preferences

    Preferences.objects.update_or_create(person=marie_ebox, defaults={"email_offers": False, "sms_offers": True})
    assert services.notification_channel(marie_ebox) == ("sms" if marie_ebox.mobile else "email")
    with django_capture_on_commit_callbacks(execute=True):
        issue(marie_ebox)
    notice = OutboxMessage.objects.get()
    assert notice.channel == services.notification_channel(marie_ebox)
    assert "e-Box" in notice.body or "eBox" in notice.body or "e-box" in notice.body.lower()


def test_the_real_pdf_fixture_is_a_pdf():
    assert real_pdf().startswith(b"%PDF-")
