"""Contesting an automated decision in a browser (AUTO-9, DSR-9): Marie reads a decision and its
explanation from her home, asks for a human review with her reasons; an agent answers from the review
queue; the answer reaches Marie's e-Box and the decision page shows both the decision and the review."""

import datetime
import time

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from guichet.accounts.middleware import LAST_ACTIVITY, STARTED
from guichet.accounts.models import StaffRole
from guichet.backoffice.confidentiality import acknowledge, current_text
from guichet.decisions import services
from guichet.ebox.models import Document
from guichet.ebox.services import set_ebox_active
from tests.browser.helpers import expect_path, log_in, say
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
REASONS = "The insurer refused my case in April; the mutual must pay."


@pytest.fixture
def language() -> str:
    return "en"


@pytest.fixture(autouse=True)
def _documents(tmp_path, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                      "OPTIONS": {"location": tmp_path / "documents"}},
    }


def staff_session(context, live_server, user) -> None:
    """The agent's logged-in session (staff log in with a second factor; that flow is tested elsewhere)."""
    client = Client()
    client.force_login(user, backend="guichet.accounts.backends.AccountBackend")
    session = client.session
    session[STARTED] = session[LAST_ACTIVITY] = time.time()
    session.save()
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key,
                          "url": live_server.url}])


@pytest.mark.rule("AUTO-9", "DSR-9")
def test_marie_contests_a_decision_and_the_reviewers_answer_reaches_her_ebox(
        browser, context, live_server, member, staff):
    marie = member.person
    fr = marie.language
    set_ebox_active(marie, True, actor=marie)
    services.block_incapacity(marie, insurer="Ethias", case_reference="AT-2024-001", since=datetime.date(2024, 3, 1))

    page = context.new_page()
    log_in(page, member.username, PASSWORD, "en")
    expect_path(page, "/my/")
    page.get_by_role("link", name=say(fr, "My decisions and increased reimbursement")).click()
    page.get_by_role("link", name=say(fr, "Incapacity benefits blocked")).click()
    expect(page.locator("#explanation")).to_contain_text("Ethias")
    page.get_by_label(say(fr, "Why do you disagree with this decision?")).fill(REASONS)
    page.get_by_role("button", name=say(fr, "Ask for a human review")).click()
    expect(page.get_by_text(REASONS)).to_be_visible()

    agent = staff(StaffRole.AGENT)
    acknowledge(agent, shown_text=current_text())
    staff_context = browser.new_context(base_url=live_server.url, locale="en-GB")
    staff_session(staff_context, live_server, agent)
    reviewer = staff_context.new_page()
    reviewer.goto("/staff/decisions/reviews/")
    reviewer.get_by_role("link", name=say("en", "Review")).click()
    expect(reviewer.locator("#reasons")).to_contain_text(REASONS)
    reviewer.get_by_label(say("en", "Override the decision")).check()
    reviewer.get_by_label(say("en", "Reason (the member will read it)")).fill(
        "The insurer withdrew its cover: your benefits are paid again.")
    reviewer.get_by_role("button", name=say("en", "Send the answer")).click()
    expect(reviewer.get_by_text(say("en", "No review is waiting."))).to_be_visible()
    staff_context.close()

    document = Document.objects.get(person=marie, doc_type="review_answer")
    assert document.delivery == "ebox"
    page.goto("/my/ebox/")
    expect(page.get_by_role("cell", name=document.title, exact=True)).to_be_visible()
    page.goto("/my/decisions/")
    page.get_by_role("link", name=say(fr, "Incapacity benefits blocked")).click()
    expect(page.locator("#explanation")).to_contain_text("Ethias")  # the original decision stays
    expect(page.get_by_text("The insurer withdrew its cover")).to_be_visible()
