"""COOK-4: every cookie the site sets is in the register, in its category, and lives no longer than the
register says. The public pages and logged-in pages are crawled with the test client, with and without
consent, and each Set-Cookie is checked against the register."""

import datetime
from email.utils import parsedate_to_datetime

import pytest
from django.urls import reverse

from guichet.cookies.register import load_cookie_register
from tests.cookies.helpers import choose
from tests.pages.test_private_by_default import PUBLIC, named_patterns

pytestmark = pytest.mark.django_db

SLACK_SECONDS = 5  # Expires is given to the second


def lifetime_seconds(morsel) -> int | None:
    """Seconds the browser keeps the cookie (None: until the browser closes; 0 or less: deleted)."""
    if morsel["max-age"] != "":
        return int(morsel["max-age"])
    if morsel["expires"]:
        expires = parsedate_to_datetime(morsel["expires"])
        return int((expires - datetime.datetime.now(datetime.UTC)).total_seconds())
    return None


def problems_of(response, consented: set[str]) -> list[str]:
    register = load_cookie_register()
    problems = []
    for name, morsel in response.cookies.items():
        seconds = lifetime_seconds(morsel)
        if seconds is not None and seconds <= 0:
            continue  # a deletion
        declared = register.cookie(name)
        if declared is None:
            problems.append(f"{name} is set but not in the cookie register")
            continue
        if declared.category != "necessary" and declared.category not in consented:
            problems.append(f"{name} ({declared.category}) is set without consent to its category (COOK-5)")
        if declared.lifetime.is_session and seconds is not None:
            problems.append(f"{name} lives {seconds} s but the register says it ends with the browser")
        elif not declared.lifetime.is_session and seconds is not None and \
                seconds > declared.lifetime.max_seconds + SLACK_SECONDS:
            problems.append(f"{name} lives {seconds} s, longer than its declared {declared.lifetime.raw}")
        elif not declared.lifetime.is_session and seconds is None:
            pass  # ends with the browser: shorter than declared
    return problems


def public_urls() -> list[str]:
    urls = ["/", "/contact/", "/terms/", "/accounts/login/", "/accounts/register/", "/privacy/", "/cookies/"]
    for name, pattern in named_patterns():
        if name in PUBLIC and not pattern.pattern.converters:
            urls.append(reverse(name))
    return sorted(set(urls))


def crawl(client, urls, consented) -> list[str]:
    problems = []
    for url in urls:
        response = client.get(url)
        if response.status_code >= 500:
            problems.append(f"{url}: answered {response.status_code}")
        problems += [f"{url}: {problem}" for problem in problems_of(response, consented)]
    return problems


@pytest.mark.rule("COOK-4", "COOK-5")
@pytest.mark.parametrize("answer", ["no choice", "none", "all"])
def test_the_public_pages_set_only_registered_cookies_within_their_lifetime(client, terms, answer):
    client.raise_request_exception = False  # a broken page is reported with the others, by URL
    consented: set[str] = set()
    if answer != "no choice":
        response = choose(client, answer)
        consented = set(load_cookie_register().optional_keys) if answer == "all" else set()
        assert not problems_of(response, consented)
    assert crawl(client, public_urls(), consented) == []


@pytest.mark.rule("COOK-4", "COOK-5")
def test_logging_in_and_the_member_pages_set_only_registered_cookies(client, member, terms):
    from tests.conftest import PASSWORD

    problems = problems_of(client.get(reverse("accounts:login")), set())
    form = {"login": member.person.national_number, "password": PASSWORD}
    response = client.post(reverse("accounts:login"), form)
    assert response.status_code == 302
    problems += problems_of(response, set())
    response = client.post(reverse("set_language"), {"language": "nl", "next": "/my/"})
    problems += problems_of(response, set())
    response = choose(client, "all", next_url="/my/")
    problems += problems_of(response, {"analytics", "marketing", "social"})
    problems += crawl(client, ["/my/", "/my/data/", "/accounts/security/", "/privacy/", "/cookies/"],
                      {"analytics", "marketing", "social"})
    assert problems == []


@pytest.mark.rule("COOK-4")
def test_it_catches_a_cookie_missing_from_the_register_or_outliving_it(client):
    response = client.get("/")
    response.set_cookie("tracker", "1", max_age=60)
    response.set_cookie("csrftoken", "x", max_age=3 * 365 * 86400)
    problems = problems_of(response, set())
    assert any("tracker is set but not in the cookie register" in p for p in problems)
    assert any("csrftoken lives" in p for p in problems)
