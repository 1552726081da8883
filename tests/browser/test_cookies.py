"""Cookies in a real browser (COOK-2, COOK-5): Chromium's cookie jar and network requests prove that no
analytics cookie or beacon exists before consent, and that withdrawing consent removes them."""

import pytest
from playwright.sync_api import Page, expect

from guichet.cookies.register import load_cookie_register
from tests.browser.helpers import say

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BEACON_SCRIPT = "/static/cookies/beacon.js"
BEACON = "/cookies/beacon/"


def necessary_names() -> set[str]:
    return {cookie.name for cookie in load_cookie_register().cookies_of("necessary")}


def jar(page: Page) -> set[str]:
    return {cookie["name"] for cookie in page.context.cookies()}


def watch_requests(page: Page) -> list[str]:
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    return seen


def analytics_requests(seen: list[str]) -> list[str]:
    return [url for url in seen if BEACON_SCRIPT in url or BEACON in url]


@pytest.mark.rule("COOK-2", "COOK-5")
def test_nothing_optional_before_consent_and_the_beacon_after(page: Page, language, terms):
    seen = watch_requests(page)
    page.goto("/")
    banner = page.get_by_role("region", name=say(language, "Cookies on this site"))
    expect(banner).to_be_visible()
    page.goto("/contact/")
    expect(banner).to_be_visible()  # still asked until a choice
    assert jar(page) <= necessary_names(), jar(page)
    assert analytics_requests(seen) == []

    with page.expect_request(lambda request: BEACON in request.url and request.method == "POST"):
        banner.get_by_role("button", name=say(language, "Accept all"), exact=True).click()
    expect(banner).to_be_hidden()
    assert "guichet_visitor" in jar(page) and "guichet_consent" in jar(page)
    assert analytics_requests(seen)


@pytest.mark.rule("COOK-2", "COOK-5")
def test_withdrawing_consent_from_the_footer_removes_the_analytics_cookie(page: Page, language, terms):
    page.goto("/")
    banner = page.get_by_role("region", name=say(language, "Cookies on this site"))
    banner.get_by_role("button", name=say(language, "Accept all"), exact=True).click()
    expect(banner).to_be_hidden()
    assert "guichet_visitor" in jar(page)

    page.get_by_role("contentinfo").get_by_role("link", name=say(language, "Cookies"), exact=True).click()
    expect(banner).to_be_visible()  # reopened in place, the focus on its title
    expect(page.get_by_role("heading", name=say(language, "Cookies on this site"))).to_be_focused()
    banner.get_by_text(say(language, "Choose per category")).click()
    analytics = banner.get_by_label(load_cookie_register().category("analytics").title[language], exact=True)
    expect(analytics).to_be_checked()
    analytics.uncheck()
    seen = watch_requests(page)
    banner.get_by_role("button", name=say(language, "Save my choice"), exact=True).click()
    expect(banner).to_be_hidden()
    assert "guichet_visitor" not in jar(page)
    page.goto("/contact/")
    assert "guichet_visitor" not in jar(page)
    assert analytics_requests(seen) == []
