"""EBOX-1, EBOX-5: the inbox lists the person's documents, unread first, searchable by title, type and
dates, paginated; a download is an attachment that is never cached nor sniffed, and marks the document
read; agents with the consult scope and parents see it; anyone else gets 404, for the inbox and for
another member's document."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from guichet.ebox import services
from guichet.ebox.models import Document
from guichet.mandates.middleware import ACTING_FOR
from tests.ebox.conftest import issue, real_pdf
from tests.mandates.helpers import give

pytestmark = pytest.mark.django_db


def acting_for(client, target):
    session = client.session
    session[ACTING_FOR] = str(target.public_id)
    session.save()
    return client


def download(client, document):
    return client.get(reverse("ebox:download"), {"document": str(document.public_id)})


@pytest.fixture
def three_documents(marie_ebox):
    old = issue(marie_ebox, title="Old statement", doc_type="reimbursement_statement")
    Document.objects.filter(pk=old.pk).update(issued_at=timezone.now() - datetime.timedelta(days=40))
    read = issue(marie_ebox, title="Tax certificate 2025", doc_type="tax_certificate")
    services.mark_read(read, True)
    new = issue(marie_ebox, title="New letter")
    return old, read, new


@pytest.mark.rule("EBOX-1", "EBOX-5")
def test_the_inbox_lists_unread_first_then_newest(client, log_in, member, three_documents):
    old, read, new = three_documents
    log_in(client, member)
    page = client.get(reverse("ebox:inbox"))
    assert page.status_code == 200
    listed = [document.pk for document in page.context["page"].object_list]
    assert listed == [new.pk, old.pk, read.pk]
    assert page["Cache-Control"].startswith("max-age=0") or "no-cache" in page["Cache-Control"]


@pytest.mark.rule("EBOX-5")
def test_the_inbox_searches_by_title_type_and_dates(client, log_in, member, three_documents):
    old, read, new = three_documents
    log_in(client, member)

    def found(**query):
        return {d.pk for d in client.get(reverse("ebox:inbox"), query).context["page"].object_list}

    assert found(q="tax") == {read.pk}
    assert found(doc_type="reimbursement_statement") == {old.pk}
    today = timezone.localdate()
    assert found(since=(today - datetime.timedelta(days=7)).isoformat()) == {read.pk, new.pk}
    assert found(until=(today - datetime.timedelta(days=30)).isoformat()) == {old.pk}
    response = client.get(reverse("ebox:inbox"), {"since": today.isoformat(), "until": "2000-01-01"})
    assert response.status_code == 200 and response.context["form"].errors


@pytest.mark.rule("EBOX-5")
def test_the_inbox_is_paginated(client, log_in, member, marie_ebox, settings):
    settings.GUICHET_EBOX_PAGE_SIZE = 2
    for number in range(5):
        issue(marie_ebox, title=f"Letter {number}")
    log_in(client, member)
    first = client.get(reverse("ebox:inbox"))
    assert len(first.context["page"].object_list) == 2 and first.context["page"].paginator.num_pages == 3
    last = client.get(reverse("ebox:inbox"), {"page": 3, "q": "Letter"})
    assert len(last.context["page"].object_list) == 1
    assert "q=Letter&amp;page=2" in last.content.decode()


@pytest.mark.rule("EBOX-5")
def test_a_download_is_a_private_attachment_and_marks_the_document_read(client, log_in, member, marie_ebox):
    document = issue(marie_ebox)
    log_in(client, member)
    response = download(client, document)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"].split(", ")
    assert response["X-Content-Type-Options"] == "nosniff"
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF-") and len(body) > len(real_pdf())  # the sealed copy
    document.refresh_from_db()
    assert document.is_read and document.read_at is not None


@pytest.mark.rule("EBOX-5")
def test_the_member_marks_a_document_unread_and_read_again(client, log_in, member, marie_ebox):
    document = issue(marie_ebox)
    log_in(client, member)
    client.post(reverse("ebox:mark"), {"document": str(document.public_id), "read": "1"})
    document.refresh_from_db()
    assert document.is_read
    client.post(reverse("ebox:mark"), {"document": str(document.public_id), "read": "0"})
    document.refresh_from_db()
    assert not document.is_read and document.read_at is None
    assert services.unread_count(marie_ebox) == 1


@pytest.mark.rule("EBOX-1")
def test_the_seal_check_page_says_the_stored_copy_is_genuine(client, log_in, member, marie_ebox):
    document = issue(marie_ebox)
    log_in(client, member)
    response = client.get(reverse("ebox:check"), {"document": str(document.public_id)})
    assert response.status_code == 200 and response.context["result"].genuine


@pytest.mark.rule("EBOX-1", "EBOX-5")
def test_another_member_gets_404_on_the_inbox_and_on_the_document(client, log_in, marie_ebox, stranger):
    document = issue(marie_ebox, title="Marie's private letter")
    log_in(client, stranger)
    # Tom's own inbox does not show it, and Marie's document id answers 404 in every page.
    own = client.get(reverse("ebox:inbox"))
    assert own.status_code == 200 and "Marie" not in own.content.decode()
    assert download(client, document).status_code == 404
    assert client.get(reverse("ebox:check"), {"document": str(document.public_id)}).status_code == 404
    assert client.post(reverse("ebox:mark"), {"document": str(document.public_id), "read": "1"}).status_code == 404
    assert download(client, document).status_code == 404
    # Trying to open Marie's file: the policy refuses, the inbox is not hers.
    acting_for(client, marie_ebox)
    response = client.get(reverse("ebox:inbox"))
    assert response.status_code == 404 or response.wsgi_request.subject != marie_ebox
    assert download(client, document).status_code == 404
    document.refresh_from_db()
    assert not document.is_read


@pytest.mark.rule("EBOX-1")
def test_a_malformed_document_id_answers_404(client, log_in, member, marie_ebox):
    log_in(client, member)
    assert client.get(reverse("ebox:download"), {"document": "../../etc/passwd"}).status_code == 404


@pytest.mark.rule("EBOX-1")
def test_an_agent_with_the_consult_scope_reads_the_inbox_but_not_another_scope(
        client, log_in, member, other_member, marie_ebox):
    document = issue(marie_ebox)
    mandate = give(marie_ebox, other_member.person, scopes=["consult"])
    log_in(client, other_member)
    acting_for(client, marie_ebox)
    assert client.get(reverse("ebox:inbox")).wsgi_request.subject == marie_ebox
    assert download(client, document).status_code == 200
    from guichet.mandates import services as mandates

    mandates.revoke_mandate(marie_ebox, mandate)
    assert download(client, document).status_code == 404
    give(marie_ebox, other_member.person, scopes=["shop"])
    assert download(client, document).status_code == 404


@pytest.mark.rule("EBOX-1")
def test_a_parent_reads_the_ebox_of_their_child(client, log_in, member, minor):
    document = issue(minor, title="Emma's dental cover")  # no active e-Box: posted, not in the inbox
    services.set_ebox_active(minor, True, actor=member.person)
    in_ebox = issue(minor, title="Emma's statement")
    log_in(client, member)
    acting_for(client, minor)
    page = client.get(reverse("ebox:inbox"))
    assert [each.pk for each in page.context["page"].object_list] == [in_ebox.pk]
    assert download(client, in_ebox).status_code == 200
    assert download(client, document).status_code == 404


@pytest.mark.rule("EBOX-1")
def test_the_member_checks_a_copy_they_kept_and_a_changed_copy_fails(client, log_in, member, marie_ebox):
    from django.core.files.uploadedfile import SimpleUploadedFile

    document = issue(marie_ebox)
    with document.file.open("rb") as file:
        sealed = file.read()
    log_in(client, member)
    genuine = client.post(reverse("ebox:check"), {"file": SimpleUploadedFile("copy.pdf", sealed)})
    assert genuine.status_code == 200 and genuine.context["result"].genuine
    changed = bytearray(sealed)
    changed[len(real_pdf()) // 2] ^= 0x01
    forged = client.post(reverse("ebox:check"), {"file": SimpleUploadedFile("copy.pdf", bytes(changed))})
    assert forged.status_code == 200 and not forged.context["result"].genuine
    html = client.post(reverse("ebox:check"), {"file": SimpleUploadedFile("copy.pdf", b"<html></html>")})
    assert html.status_code == 200 and html.context["form"].errors["file"] and html.context["result"] is None
