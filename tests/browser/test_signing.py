"""Signing in a browser (SIGN-1, SIGN-4): Marie opens the mandate she gave Jan, signs it with the test card
(outside production the software test card replaces the eID), sees the signature verified, and verifies it
again from the stored proof."""

import pytest
from playwright.sync_api import expect

from guichet.signing.ocsp_responder import OCSPResponder
from guichet.signing.testpki import TestPKI
from tests.browser.helpers import expect_path, log_in, say
from tests.conftest import PASSWORD
from tests.mandates.helpers import give

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def language() -> str:
    return "en"


@pytest.fixture
def test_hierarchy(tmp_path, settings):
    """The test eID hierarchy and its OCSP responder on a free port, trusted as in development."""
    responder = OCSPResponder().start()
    responder.pki = TestPKI(tmp_path / "pki", responder.url).ensure()
    settings.GUICHET_SIGNING_TEST_PKI_DIR = str(responder.pki.directory)
    settings.GUICHET_SIGNING_TEST_OCSP_URL = responder.url
    settings.GUICHET_SIGNING_ACCEPT_TEST_TOKEN = True
    settings.GUICHET_SIGNING_TRUST_ANCHORS = []
    yield responder.pki
    responder.stop()


@pytest.mark.rule("SIGN-1")
@pytest.mark.rule("SIGN-4")
def test_marie_signs_her_mandate_with_the_test_card_and_sees_it_verified(test_hierarchy, context, member,
                                                                         other_member):
    marie, jan = member.person, other_member.person
    give(marie, jan, scopes=["consult"])
    fr = marie.language
    page = context.new_page()
    log_in(page, member.username, PASSWORD, "en")
    expect_path(page, "/my/")
    page.get_by_role("link", name=say(fr, "My mandates")).click()
    page.get_by_role("link", name=say(fr, "To %(name)s", name=jan.full_name)).click()
    page.get_by_role("button", name=say(fr, "Sign this mandate with my eID")).click()
    expect_path(page, "/my/signatures/document/")
    expect(page.get_by_text(jan.national_number)).to_be_visible()  # what is signed is shown
    page.get_by_role("button", name=say(fr, "Sign with the test card")).click()
    expect(page.get_by_text(say(fr, "Your signature is verified and kept."))).to_be_visible()
    expect(page.locator("#validation-result")).to_have_text(say(fr, "Valid signature"))
    page.get_by_role("button", name=say(fr, "Verify again")).click()
    expect(page.locator("#validation-result")).to_have_text(say(fr, "Valid signature"))
    expect(page.locator("#stored-unchanged")).to_contain_text(
        say(fr, "What was stored is unchanged since the signature (checked against the record of actions)."))
    page.get_by_role("link", name=say(fr, "Back to the document")).click()
    page.get_by_role("link", name=say(fr, "Back to my signatures")).click()
    expect(page.locator("#signed")).to_contain_text(say(fr, "Mandate to %(agent)s", agent=jan.full_name))
