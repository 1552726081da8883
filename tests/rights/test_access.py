"""The access answer (DSR-1..5, DSR-14): every personal data item of the subject across the apps, explained by
the register, with rights and the supervisory authority; medical data and logs left out with a note; a PDF and a
JSON in one ZIP delivered free in the e-Box."""

import io
import json
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from guichet.ebox.models import Document
from guichet.ledger.models import LedgerEntry
from guichet.privacy.datamap import medical_fields
from guichet.privacy.register import load_register, text
from guichet.rights import services
from guichet.rights.export import LOG_MODELS, assemble, sources
from guichet.rights.models import RequestStatus
from tests.rights.conftest import file_in_account, staff_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def answer(member):
    return assemble(member.person, language="en")


@pytest.mark.rule("DSR-1")
def test_it_gives_every_data_item_with_why_it_is_held(member, answer):
    marie = member.person
    assert answer["processed"] is True
    person_rows = next(d for d in answer["data"] if d["data_set"] == "members.Person")["rows"]
    assert person_rows[0]["national_number"] == marie.national_number
    assert person_rows[0]["last_name"] == marie.last_name
    held = {d["data_set"] for d in answer["data"]}
    assert {"members.Person", "accounts.User", "terms.TermsAcceptance"} <= held
    register = load_register()
    for context in answer["contexts"]:
        assert register.has_context(context["context"])
        for category in context["categories"]:
            for key in ("purposes", "legal_bases", "recipients", "retention", "source", "automated_decisions"):
                assert key in category
            assert category["purposes"] and category["legal_bases"] and category["source"] and category["held_in"]
    compulsory = next(c for c in answer["contexts"] if c["context"] == "compulsory")
    assert any(c["automated_decisions"] for c in compulsory["categories"])  # e.g. increased reimbursement


@pytest.mark.rule("DSR-1")
def test_it_gives_the_rights_and_the_supervisory_authority(answer):
    register = load_register()
    assert {r["right"] for r in answer["rights"]} >= {"access", "erasure", "objection", "complaint"}
    assert answer["supervisory_authority"]["email"] == register.supervisory_authority.email
    assert answer["supervisory_authority"]["name"] == text(register.supervisory_authority.name, "en")


@pytest.mark.rule("DSR-1")
def test_it_leaves_out_what_other_people_may_not_see_and_secrets(member, answer):
    from django.db import transaction

    from guichet.ledger.services import append

    with transaction.atomic():
        append("rights.received", actor=None, subject=member.person, payload={"seen": True})
        append("rights.received", actor=None, subject=member.person, payload={"hidden": True},
               visible_to_subject=False)
    again = assemble(member.person, language="en")
    ledger = next(d for d in again["data"] if d["data_set"] == "ledger.LedgerEntry")
    assert ledger["count"] == LedgerEntry.objects.filter(subject=member.person, visible_to_subject=True).count()
    assert LedgerEntry.objects.filter(subject=member.person).count() == ledger["count"] + 1
    user_rows = next(d for d in answer["data"] if d["data_set"] == "accounts.User")["rows"]
    assert "password" not in user_rows[0]


@pytest.mark.rule("DSR-5")
def test_it_never_gives_medical_data_and_refers_to_the_physician(answer):
    assert "physician" in answer["left_out"]["medical"]
    for source in sources():
        assert not {name for _path, name, _category in source.fields} & set(medical_fields(source.model))
    for context in answer["contexts"]:
        for category in context["categories"]:
            use = load_register().category_in(context["context"], category["category"])
            assert not use.medical and not use.special


@pytest.mark.rule("DSR-4")
def test_it_says_logs_and_backups_are_left_out(answer):
    assert "log files" in answer["left_out"]["backups_and_logs"]
    assert not {d["data_set"] for d in answer["data"]} & LOG_MODELS


@pytest.mark.rule("DSR-2")
def test_it_points_to_the_data_consultable_in_the_account(client, log_in, member, answer):
    assert answer["in_your_account"] == reverse("members:my-data")
    log_in(client, member)
    page = client.get(reverse("rights:my-requests")).content.decode()
    assert reverse("members:my-data") in page


def test_it_assembles_with_a_fixed_number_of_queries_whatever_the_history(member):
    from django.db import transaction

    from guichet.ledger.services import append

    with CaptureQueriesContext(connection) as before:
        assemble(member.person, language="en")
    with transaction.atomic():
        for number in range(30):
            append("rights.received", actor=None, subject=member.person, payload={"n": number})
    with CaptureQueriesContext(connection) as after:
        assemble(member.person, language="en")
    assert len(after) == len(before) <= len(sources()) + 2


@pytest.mark.rule("DSR-3", "DSR-14", "DSR-1")
def test_the_answer_is_a_free_zip_with_a_pdf_and_the_json_in_the_ebox(client, log_in, member, marie_ebox, dpo,
                                                                       mailoutbox):
    filed = file_in_account(member.person)
    mailoutbox.clear()
    services.answer(filed, staff=dpo)
    notice = next(m for m in mailoutbox if filed.reference in m.subject)
    assert notice.to == [member.person.email] and "ZIP" not in notice.body  # announces; the content is in the account
    filed.refresh_from_db()
    assert filed.status == RequestStatus.ANSWERED and filed.answer_document
    document = Document.objects.get(public_id=filed.answer_document, person=member.person)
    assert document.doc_type == "access_answer" and document.delivery == "ebox"
    with document.file.open("rb") as handle, zipfile.ZipFile(io.BytesIO(handle.read())) as archive:
        assert set(archive.namelist()) == {"access-answer.pdf", "access-answer.json", "README.txt"}
        assert archive.read("access-answer.pdf").startswith(b"%PDF-")
        data = json.loads(archive.read("access-answer.json"))
    assert data["subject"]["member_number"] == member.person.member_number
    assert data["free_of_charge"]
    assert LedgerEntry.objects.filter(kind="rights.answered", subject=member.person).exists()
    log_in(client, member)
    assert "e-Box" in client.get(f"{reverse('rights:my-request')}?r={filed.public_id}").content.decode()


@pytest.mark.rule("DSR-14")
def test_staff_answer_through_the_request_page(client, member, marie_ebox, dpo):
    filed = file_in_account(member.person)
    staff_in(client, dpo)
    page = client.get(reverse("rights:staff-request", args=[filed.public_id]))
    assert filed.reference in page.content.decode()
    response = client.post(reverse("rights:answer", args=[filed.public_id]), {"note": ""})
    assert response.status_code == 302
    filed.refresh_from_db()
    assert filed.status == RequestStatus.ANSWERED
    again = client.post(reverse("rights:answer", args=[filed.public_id]), {"note": ""}, follow=True)
    assert "This request is closed" in again.content.decode()


@pytest.mark.rule("DSR-14", "DSR-3")
def test_without_an_active_ebox_the_readable_copy_goes_by_post(member, dpo):
    filed = file_in_account(member.person)
    services.answer(filed, staff=dpo)
    filed.refresh_from_db()
    document = Document.objects.get(public_id=filed.answer_document)
    assert document.delivery == "post" and document.content_type == "application/pdf"
    with translation.override(filed.language):  # DSR-14: told in the person's language
        by_post = translation.gettext("The copy of your data is sent to you by post. It is free of charge. Medical "
                                      "data are not in it: ask your attending physician.")
    assert by_post in filed.answer
