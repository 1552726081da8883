"""Mandates in a browser (MAND-1, MAND-6): Marie gives Jan a mandate, Jan accepts it, opens Marie's file
with the "acting for" switcher and reads her data; Marie revokes; Jan's very next click is refused
and his own file is open again."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import expect_path, log_in, path_of, say
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def language() -> str:
    return "en"


@pytest.mark.rule("MAND-1")
@pytest.mark.rule("MAND-6")
def test_grant_accept_switch_act_revoke_and_the_agents_next_click_is_refused(
    browser, context, live_server, member, other_member
):
    marie, jan = member.person, other_member.person
    fr, nl = marie.language, jan.language  # each sees the pages in their own language once logged in
    page = context.new_page()
    log_in(page, member.username, PASSWORD, "en")
    expect_path(page, "/my/")
    page.get_by_role("link", name=say(fr, "My mandates")).click()
    page.get_by_role("link", name=say(fr, "Give a mandate")).click()
    if path_of(page) == "/accounts/security/confirm/":  # re-authentication, unless the login was just now
        page.get_by_label(say(fr, "Password"), exact=True).fill(PASSWORD)
        page.get_by_role("button", name=say(fr, "Confirm")).click()
    page.get_by_label(say(fr, "Agent's national register number"), exact=True).fill(jan.national_number)
    page.get_by_label(say(fr, "Agent's first name"), exact=True).fill(jan.first_name)
    page.get_by_label(say(fr, "Agent's last name"), exact=True).fill(jan.last_name)
    page.get_by_label(say(fr, "Consult the file, my data and the e-Box")).check()
    page.get_by_role("button", name=say(fr, "Give the mandate")).click()
    recorded = say(fr, "Your mandate is recorded. It applies once the agent accepts it.")
    expect(page.get_by_text(recorded)).to_be_visible()

    agent_context = browser.new_context(base_url=live_server.url, locale="en-GB")
    agent = agent_context.new_page()
    log_in(agent, other_member.username, PASSWORD, "en")
    agent.get_by_role("link", name=say(nl, "My mandates")).click()
    agent.get_by_role("link", name=say(nl, "From %(name)s", name=marie.full_name)).click()
    agent.get_by_role("button", name=say(nl, "Accept the mandate")).click()
    expect(agent.locator("#mandate-status")).to_contain_text(say(nl, "in force"))

    agent.get_by_label(say(nl, "Open the file of")).select_option(
        label=say(nl, "%(name)s (mandate)", name=marie.full_name))
    agent.get_by_role("button", name=say(nl, "Open"), exact=True).click()
    status = agent.locator("#acting-status")
    expect(status).to_contain_text(say(nl, "You are logged in as %(name)s.", name=jan.full_name))
    expect(status).to_contain_text(say(nl, "File open: %(name)s.", name=marie.full_name))
    agent.get_by_role("link", name=say(nl, "My data"), exact=True).click()
    expect(agent.get_by_text(marie.email)).to_be_visible()

    page.get_by_role("link", name=say(fr, "My mandates")).click()
    page.get_by_role("link", name=say(fr, "To %(name)s", name=jan.full_name)).click()
    page.get_by_role("button", name=say(fr, "Revoke the mandate")).click()
    expect(page.locator("#mandate-status")).to_contain_text(say(fr, "revoked"))

    agent.get_by_role("link", name=say(nl, "My file"), exact=True).click()  # the agent's next click
    refused = say(nl, "You can no longer open that file (%(reason)s) Your own file is open again.",
                  reason=say(nl, "The mandate was revoked."))
    expect(agent.get_by_role("alert").filter(has_text=refused)).to_be_visible()
    expect(agent.locator("#acting-status")).to_contain_text(say(nl, "Your own file is open."))
    expect(agent.get_by_text(marie.email)).to_have_count(0)
    agent_context.close()
