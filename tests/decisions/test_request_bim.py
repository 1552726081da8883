"""The member's page to ask for BIM after an income test (AUTO-3): the sworn statement with a supporting
document; every adult of the household is asked to sign; bad input refused with nothing recorded."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from guichet.decisions.models import BimRequest
from guichet.ebox.storage import documents_storage
from guichet.signing.models import SignatureRequest
from tests.ebox.conftest import real_pdf

pytestmark = pytest.mark.django_db
PDF = real_pdf()  # payslips, scanned


def form(marie, emma, **changes):
    values = {f"income_{marie.public_id}": "18000.00", f"income_{emma.public_id}": "0", "sworn": "on",
              "document": SimpleUploadedFile("payslips.pdf", PDF, content_type="application/pdf")}
    values.update(changes)
    return values


@pytest.mark.rule("AUTO-3")
@time_machine.travel(datetime.datetime(2024, 6, 3, 10, tzinfo=datetime.UTC))
def test_marie_asks_for_bim_and_the_adults_are_asked_to_sign(client, log_in, member, minor):
    marie = member.person
    from guichet.members.models import HouseholdMembership

    HouseholdMembership.objects.filter(person__in=[marie, minor]).update(start=datetime.date(2014, 1, 1))
    log_in(client, member)
    page = client.get(reverse("decisions:request-bim")).content.decode()
    assert f"Gross taxable income last year of {minor.full_name}" in page
    response = client.post(reverse("decisions:request-bim"), form(marie, minor))
    assert response.status_code == 302
    request = BimRequest.objects.get()
    assert request.statement["incomes"] == {str(marie.public_id): 1_800_000, str(minor.public_id): 0}
    assert request.statement["documents"][0]["name"] == "payslips.pdf"
    assert [s.signer for s in SignatureRequest.objects.filter(kind="bim_statement")] == [marie]  # Emma is 10


@pytest.mark.rule("AUTO-3")
@time_machine.travel(datetime.datetime(2024, 6, 3, 10, tzinfo=datetime.UTC))
def test_it_refuses_a_negative_income_or_a_document_that_is_not_a_pdf(client, log_in, member, minor):
    marie = member.person
    log_in(client, member)
    refused = client.post(reverse("decisions:request-bim"), form(marie, minor, **{f"income_{minor.public_id}": "-3"}))
    assert refused.status_code == 400 and "cannot be negative" in refused.content.decode()
    not_pdf = client.post(reverse("decisions:request-bim"), form(
        marie, minor, document=SimpleUploadedFile("a.exe", b"MZ\x90", content_type="application/pdf")))
    assert not_pdf.status_code == 400 and "must be a PDF" in not_pdf.content.decode()
    assert not BimRequest.objects.exists() and not SignatureRequest.objects.exists()


@pytest.mark.rule("AUTO-3")
def test_a_year_without_rules_is_refused_on_the_page(client, log_in, member, minor):
    with time_machine.travel(datetime.datetime(2031, 2, 1, 10, tzinfo=datetime.UTC)):
        log_in(client, member)
        response = client.post(reverse("decisions:request-bim"), form(member.person, minor))
    assert response.status_code == 400 and "no rules for 2031" in response.content.decode()
    assert not BimRequest.objects.exists()
    assert not kept_statements(), "a refused request must leave no supporting document behind"


def kept_statements() -> list[str]:
    storage = documents_storage()
    return storage.listdir("uploads/bim_statement")[1] if storage.exists("uploads/bim_statement") else []


@pytest.mark.rule("AUTO-3")
@time_machine.travel(datetime.datetime(2024, 6, 3, 10, tzinfo=datetime.UTC))
def test_the_request_is_always_for_the_open_file(client, log_in, stranger, member, minor):
    """Tom posts Marie's members' fields: the page only knows the open file (his own), so nothing is asked
    in Marie's name."""
    log_in(client, stranger)
    response = client.post(reverse("decisions:request-bim"), form(member.person, minor))
    assert response.status_code == 400
    assert not BimRequest.objects.filter(requested_by=member.person).exists()
