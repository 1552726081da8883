"""Requests about personal data in a browser (DSR-12, DSR-1, DSR-3, DSR-6, DSR-8, DSR-13, DSR-14): in her
account Marie asks for a copy of her data (the ZIP of PDF + JSON reaches her e-Box), objects to direct
marketing (the offers stop) and asks to correct her address (applied by the registry); a visitor sends a
request from the website with both sides of the identity card."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from playwright.sync_api import Page, expect

from guichet.accounts.models import StaffRole, User
from guichet.ebox.models import Document
from guichet.rights import services
from guichet.rights.models import RightsRequest
from tests.browser.helpers import expect_path, log_in, say
from tests.conftest import PASSWORD
from tests.rights.conftest import png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _storages(tmp_path, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
        "documents": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                      "OPTIONS": {"location": tmp_path / "documents"}},
    }


def _answer_and_close(filed, dpo):
    try:
        services.answer(filed, staff=dpo)
    finally:
        connection.close()


def heading(page: Page):
    return page.get_by_role("heading", level=1)


@pytest.mark.rule("DSR-12", "DSR-14", "DSR-3")
def test_marie_asks_for_her_data_in_her_account_and_finds_the_zip_in_her_ebox(page, member):
    from guichet.ebox.services import set_ebox_active

    set_ebox_active(member.person, True, actor=member.person)
    log_in(page, member.username, PASSWORD)
    expect_path(page, "/my/")
    page.get_by_role("link", name=say("fr", "My requests about my data"), exact=True).click()
    expect(heading(page)).to_have_text(say("fr", "My requests about my data"))
    page.get_by_role("link", name=say("fr", "Make a request")).click()
    page.get_by_label(say("fr", "What do you ask for?"), exact=True).select_option("access")
    page.get_by_role("button", name=say("fr", "Send my request")).click()

    filed = RightsRequest.objects.get(person=member.person)
    expect(heading(page)).to_contain_text(filed.reference)
    dpo = User.objects.get(staff_role=StaffRole.DPO_OFFICE)
    # The DPO office answers; in a thread of its own, as the server would (the PDF seal runs an asyncio loop,
    # which Playwright's loop in this thread does not allow).
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(_answer_and_close, filed, dpo).result()

    page.reload()
    expect(page.get_by_text(say("fr", "answered"), exact=True)).to_be_visible()
    page.get_by_role("link", name=say("fr", "Open my e-Box")).click()
    document = Document.objects.get(person=member.person, doc_type="access_answer")
    expect(page.get_by_text(document.title, exact=True)).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name=document.title).first.click()
    assert download.value.suggested_filename.endswith(".zip")
    assert document.content_type == "application/zip"


@pytest.mark.rule("DSR-13")
def test_a_visitor_sends_a_request_with_both_sides_of_the_identity_card(page, personas):
    marie = personas["marie"]
    page.goto("/privacy/request/")
    page.get_by_label(say("fr", "Your name"), exact=True).fill("Marie Dupont")
    page.get_by_label(say("fr", "Your e-mail address"), exact=True).fill("marie@example.org")
    page.get_by_label(say("fr", "Your national register number"), exact=True).fill(marie.national_number)
    page.get_by_label(say("fr", "What do you ask for?"), exact=True).select_option("erasure")
    page.get_by_role("button", name=say("fr", "Send my request")).click()
    expect(page.get_by_role("alert").first).to_contain_text(say(
        "fr", "A request made outside your online account needs a copy of both sides of your identity card (front "
        "and back)."))
    assert not RightsRequest.objects.exists()

    picture = {"name": "id.png", "mimeType": "image/png", "buffer": png_bytes()}
    page.get_by_label(say("fr", "Identity card, front (PDF, JPEG or PNG)"), exact=True).set_input_files(picture)
    page.get_by_label(say("fr", "Identity card, back (PDF, JPEG or PNG)"), exact=True).set_input_files(picture)
    page.get_by_role("button", name=say("fr", "Send my request")).click()
    expect(heading(page)).to_have_text(say("fr", "Request received"))
    filed = RightsRequest.objects.get()
    assert filed.person == marie and filed.id_front and filed.id_back


@pytest.mark.rule("DSR-12", "DSR-8")
def test_marie_objects_to_direct_marketing_in_her_account_and_the_offers_stop(page, member):
    from guichet.communication.policy import receives_offers

    assert receives_offers(member.person, "email")
    log_in(page, member.username, PASSWORD)
    page.get_by_role("link", name=say("fr", "My requests about my data"), exact=True).click()
    page.get_by_role("link", name=say("fr", "Make a request")).click()
    page.get_by_label(say("fr", "What do you ask for?"), exact=True).select_option("objection")
    page.get_by_label(say("fr", "Processing concerned (objection, restriction)"), exact=True).select_option(
        "direct_marketing")
    page.get_by_label(say("fr", "Details, or your reasons"), exact=True).fill("Je ne veux plus de publicité.")
    page.get_by_role("button", name=say("fr", "Send my request")).click()

    filed = RightsRequest.objects.get(person=member.person)
    expect(heading(page)).to_contain_text(filed.reference)
    assert filed.kind == "objection" and filed.target == "direct_marketing"
    dpo = User.objects.get(staff_role=StaffRole.DPO_OFFICE)
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(_answer_and_close, filed, dpo).result()

    page.reload()
    expect(page.get_by_text(say("fr", "answered"), exact=True)).to_be_visible()
    assert not receives_offers(member.person, "email"), "DSR-8: the objection stops the commercial messages"


@pytest.mark.rule("DSR-12", "DSR-6")
def test_marie_asks_in_her_account_to_correct_her_address_and_staff_apply_it(page, member):
    from guichet.members.services import current_address

    log_in(page, member.username, PASSWORD)
    page.get_by_role("link", name=say("fr", "My requests about my data"), exact=True).click()
    page.get_by_role("link", name=say("fr", "Make a request")).click()
    page.get_by_label(say("fr", "What do you ask for?"), exact=True).select_option("rectification")
    page.get_by_label(say("fr", "Data to correct (rectification)"), exact=True).select_option("address")
    for label, value in (("Street (new address)", "Rue des Tanneurs"), ("House number", "12"),
                         ("Postcode", "1000"), ("City", "Bruxelles")):
        page.get_by_label(say("fr", label), exact=True).fill(value)
    page.get_by_role("button", name=say("fr", "Send my request")).click()

    filed = RightsRequest.objects.get(person=member.person)
    expect(heading(page)).to_contain_text(filed.reference)
    dpo = User.objects.get(staff_role=StaffRole.DPO_OFFICE)
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(_answer_and_close, filed, dpo).result()

    page.reload()
    expect(page.get_by_text(say("fr", "answered"), exact=True)).to_be_visible()
    address = current_address(member.person)
    assert (address.street, address.number, address.postcode, address.city) == (
        "Rue des Tanneurs", "12", "1000", "Bruxelles")
