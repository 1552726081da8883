"""The e-Box in a browser (EBOX-1, EBOX-5): a document is issued to Marie, the notice (which says only that a
document waits) is in the development outbox, she logs in, opens her e-Box, downloads the PDF and the
inbox then shows it as read."""

import pytest
from playwright.sync_api import expect

from guichet.ebox import services
from guichet.messaging.models import OutboxMessage
from tests.browser.helpers import expect_path, log_in, say
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Reimbursement statement of March"


@pytest.mark.rule("EBOX-1")
@pytest.mark.rule("EBOX-5")
def test_marie_is_told_opens_her_ebox_and_downloads_the_pdf(page, member, settings, tmp_path):
    settings.EMAIL_BACKEND = "guichet.messaging.backends.OutboxEmailBackend"
    settings.STORAGES = {**settings.STORAGES, "documents": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}}}
    marie = member.person
    services.set_ebox_active(marie, True, actor=marie)
    services.issue_document(marie, doc_type="reimbursement_statement", title=TITLE, context="compulsory",
                            template="ebox/pdf/letter.html", template_context={"body": "Amounts of March."})

    notice = OutboxMessage.objects.get(recipient=marie.email)
    assert TITLE not in notice.subject + notice.body
    assert notice.subject == say("fr", "A new document is waiting in your e-Box")

    log_in(page, member.username, PASSWORD)
    expect_path(page, "/my/")
    page.get_by_role("link", name=say("fr", "My e-Box"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(say("fr", "My e-Box"))
    row = page.get_by_role("row").filter(has_text=TITLE)
    expect(row.locator(".status")).to_have_text(say("fr", "unread"))

    with page.expect_download() as download_info:
        row.get_by_role("link", name=say("fr", "Download (PDF)")).click()
    download = download_info.value
    saved = tmp_path / "downloaded.pdf"
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF-")
    assert download.suggested_filename.endswith(".pdf")

    page.reload()
    expect(page.get_by_role("row").filter(has_text=TITLE).locator(".status")).to_have_text(say("fr", "read"))
