""" "My data" in a browser (DSR-2, DSR-6): Marie opens her data from her home, sees why the mutual
holds them, and changes her mobile number, verified by the code sent by SMS to the new number."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import expect_path, last_sms_code, log_in, say
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_MOBILE = "+32470998877"


def heading(page: Page):
    return page.get_by_role("heading", level=1)


@pytest.mark.rule("DSR-2")
@pytest.mark.rule("DSR-6")
def test_marie_changes_her_mobile_in_my_data_and_verifies_it_with_the_sms_code(page, member):
    person = member.person
    old_mobile = person.mobile
    log_in(page, member.username, PASSWORD)
    expect_path(page, "/my/")
    page.get_by_role("link", name=say("fr", "My data"), exact=True).click()
    expect(heading(page)).to_have_text(say("fr", "My data"))
    expect(page.get_by_text(person.email)).to_be_visible()
    expect(page.locator("details.why").first.locator("summary")).to_have_text(say("fr", "Why we hold this"))

    page.get_by_role("link", name=say("fr", "Change my mobile number")).click()
    expect(heading(page)).to_have_text(say("fr", "Change my mobile number"))
    page.get_by_label(say("fr", "New mobile number"), exact=True).fill("0470 99 88 77")
    page.get_by_role("button", name=say("fr", "Send me a code")).click()

    expect(heading(page)).to_have_text(say("fr", "Enter the code we sent you"))
    person.refresh_from_db()
    assert person.mobile == old_mobile  # not in force before the code
    page.get_by_label(say("fr", "Code received"), exact=True).fill(last_sms_code(NEW_MOBILE))
    page.get_by_role("button", name=say("fr", "Confirm")).click()

    expect_path(page, "/my/data/")
    expect(page.get_by_role("status")).to_have_text(
        say("fr", "Your new mobile number is verified and now in use.")
    )
    expect(page.locator("#mobile-value")).to_contain_text("+32 470 99 88 77")
    person.refresh_from_db()
    assert person.mobile == NEW_MOBILE and person.mobile_verified_at is not None


@pytest.mark.rule("DSR-6")
def test_a_foreign_mobile_without_country_code_gets_a_clear_message(page, member):
    log_in(page, member.username, PASSWORD)
    page.goto("/my/data/mobile/")
    page.get_by_label(say("fr", "New mobile number"), exact=True).fill("06 12 34 56 78")
    page.get_by_role("button", name=say("fr", "Send me a code")).click()
    expect(page.get_by_role("alert")).to_have_text(
        say(
            "fr",
            "This is not a valid Belgian mobile number. For a foreign number, type it in international "
            "format, starting with + and the country code (e.g. +33 6 12 34 56 78).",
        )
    )
    member.person.refresh_from_db()
    assert member.person.mobile != "+33612345678"
