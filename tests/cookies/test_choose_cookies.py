"""The visitor's cookie choice (COOK-2, COOK-3, COOK-5, COOK-8): the banner until a choice, the signed
consent cookie, the member's consent records, and the optional cookies set or removed accordingly."""

import datetime

import pytest
import time_machine
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from guichet.cookies import consent
from guichet.cookies.consent import SIGNING_SALT
from guichet.cookies.models import CookieChoice
from guichet.privacy.models import Consent
from guichet.privacy.services import has_consent
from tests.cookies.helpers import (
    ANALYTICS_COOKIE,
    CONSENT_COOKIE,
    choice_of,
    choose,
    deleted_cookie_names,
    set_cookie_names,
)

pytestmark = pytest.mark.django_db

BANNER = 'id="cookie-banner" class="cookie-banner" aria-labelledby="cookie-banner-title">'
BANNER_HIDDEN = 'id="cookie-banner" class="cookie-banner" aria-labelledby="cookie-banner-title" hidden>'
BEACON = "cookies/beacon.js"


def home(client):
    return client.get("/")


@pytest.mark.rule("COOK-2", "COOK-5")
def test_it_shows_the_banner_on_a_first_visit_and_sets_no_optional_cookie(client):
    response = home(client)
    page = response.content.decode()
    assert BANNER in page
    assert 'href="/cookies/">Read the cookie policy</a>' in page
    assert BEACON not in page
    assert ANALYTICS_COOKIE not in set_cookie_names(response)


@pytest.mark.rule("COOK-2", "COOK-5")
def test_accepting_all_saves_the_choice_sets_the_analytics_cookie_and_hides_the_banner(client):
    response = choose(client, "all", next_url="/contact/")
    assert response.status_code == 302 and response.url == "/contact/"
    assert {CONSENT_COOKIE, ANALYTICS_COOKIE} <= set_cookie_names(response)
    assert choice_of(client).accepted == {"analytics", "marketing", "social"}
    page = home(client).content.decode()
    assert BANNER_HIDDEN in page
    assert BEACON in page


@pytest.mark.rule("COOK-2", "COOK-5")
def test_refusing_all_keeps_only_the_technical_cookies(client):
    response = choose(client, "none")
    assert ANALYTICS_COOKIE not in set_cookie_names(response)
    assert choice_of(client).accepted == frozenset()
    page = home(client).content.decode()
    assert BANNER_HIDDEN in page and BEACON not in page


@pytest.mark.rule("COOK-2")
def test_it_keeps_a_choice_per_category(client):
    choose(client, "chosen", ["marketing"])
    choice = choice_of(client)
    assert choice.accepted == {"marketing"}
    assert choice.allows("necessary") and not choice.allows("analytics")
    assert BEACON not in home(client).content.decode()


@pytest.mark.rule("COOK-3", "COOK-8")
def test_the_consent_cookie_holds_the_policy_version_digest_and_date(client):
    with time_machine.travel(datetime.datetime(2025, 7, 1, 10, tzinfo=datetime.UTC), tick=False):
        choose(client, "chosen", ["analytics"])
        payload = signing.loads(client.cookies[CONSENT_COOKIE].value, salt=SIGNING_SALT)
    register = consent.load_cookie_register()
    assert payload == {"c": ["analytics"], "v": register.version, "d": register.digest,
                       "at": int(datetime.datetime(2025, 7, 1, 10, tzinfo=datetime.UTC).timestamp())}
    morsel = client.cookies[CONSENT_COOKIE]
    assert morsel["max-age"] == 365 * 86400 and morsel["httponly"] and morsel["samesite"] == "Lax"


@pytest.mark.rule("COOK-5")
def test_withdrawing_consent_deletes_the_analytics_cookie(client):
    choose(client, "all")
    assert ANALYTICS_COOKIE in client.cookies and client.cookies[ANALYTICS_COOKIE].value
    response = choose(client, "chosen", ["marketing"])
    assert ANALYTICS_COOKIE in deleted_cookie_names(response)
    assert BEACON not in home(client).content.decode()


@pytest.mark.rule("COOK-5")
def test_an_analytics_cookie_without_consent_is_removed(client):
    client.cookies[ANALYTICS_COOKIE] = "left-over"
    response = home(client)
    assert ANALYTICS_COOKIE in deleted_cookie_names(response)


@pytest.mark.rule("COOK-3")
def test_it_asks_again_after_one_year(client):
    start = datetime.datetime(2025, 1, 10, 9, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        choose(client, "all")
    with time_machine.travel(start + datetime.timedelta(days=364), tick=False):
        assert BANNER_HIDDEN in home(client).content.decode()
    with time_machine.travel(start + datetime.timedelta(days=366), tick=False):
        response = home(client)
        assert BANNER in response.content.decode()
        assert BEACON not in response.content.decode()
        assert {CONSENT_COOKIE, ANALYTICS_COOKIE} <= deleted_cookie_names(response)


@pytest.mark.rule("COOK-8")
def test_a_change_of_the_categories_asks_again(client, monkeypatch):
    choose(client, "all")
    assert BANNER_HIDDEN in home(client).content.decode()
    register = consent.load_cookie_register()
    changed = type(register)(version="2.0", published=register.published,
                             categories=register.categories[::-1], cookies=register.cookies)
    monkeypatch.setattr(consent, "load_cookie_register", lambda: changed)
    response = home(client)
    assert BANNER in response.content.decode()
    assert ANALYTICS_COOKIE in deleted_cookie_names(response)


@pytest.mark.rule("COOK-3")
@pytest.mark.parametrize("forged", [
    "garbage", "", "a:b:c", signing.dumps({"c": ["analytics"]}, salt="another salt"),
    signing.dumps({"c": ["analytics", "spying"], "v": "1.0", "d": "x", "at": 0}, salt=SIGNING_SALT),
    signing.dumps({"c": "analytics", "v": "1.0", "at": "soon"}, salt=SIGNING_SALT),
])
def test_a_forged_consent_cookie_counts_as_no_choice(client, forged):
    client.cookies[CONSENT_COOKIE] = forged
    response = home(client)
    assert response.status_code == 200
    assert BANNER in response.content.decode()
    assert BEACON not in response.content.decode()
    assert ANALYTICS_COOKIE not in set_cookie_names(response)


@pytest.mark.rule("COOK-2")
@pytest.mark.parametrize("form", [
    {"choice": "chosen", "category": ["analytics", "spying"]},
    {"choice": "everything"},
    {},
])
def test_bad_input_changes_nothing_and_says_why(client, member, log_in, form):
    log_in(client, member)
    response = client.post(reverse("cookies:choose"), form)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert CONSENT_COOKIE not in response.cookies and ANALYTICS_COOKIE not in response.cookies
    assert not CookieChoice.objects.exists() and not Consent.objects.exists()


def test_it_never_sends_the_visitor_to_another_site(client):
    response = choose(client, "none", next_url="https://evil.example/")
    assert response.url == reverse("cookies:policy")


@pytest.mark.rule("COOK-3")
def test_a_members_choice_is_also_a_consent_record_with_the_policy_version(client, member, log_in):
    log_in(client, member)
    person = member.person
    choose(client, "chosen", ["analytics", "social"])
    record = CookieChoice.objects.get(person=person)
    register = consent.load_cookie_register()
    assert (record.policy_version, record.categories_digest, record.accepted) == (
        register.version, register.digest, ["analytics", "social"])
    assert has_consent(person, "operations:analytics_cookies")
    assert has_consent(person, "operations:social_cookies")
    assert not has_consent(person, "operations:marketing_cookies")

    choose(client, "none")  # withdrawing ends the consents, the records stay
    assert not has_consent(person, "operations:analytics_cookies")
    assert not has_consent(person, "operations:social_cookies")
    assert CookieChoice.objects.filter(person=person).count() == 2
    assert Consent.objects.filter(person=person, withdrawn_at__isnull=False).count() == 2


@pytest.mark.rule("COOK-3")
def test_a_member_is_not_asked_again_in_another_browser_within_the_year(client, member, log_in):
    from tests.conftest import english_client

    log_in(client, member)
    choose(client, "chosen", ["analytics"])
    other_browser = log_in(english_client(), member)
    response = other_browser.get(reverse("pages:private-home"))
    assert BANNER_HIDDEN in response.content.decode()
    assert {CONSENT_COOKIE, ANALYTICS_COOKIE} <= set_cookie_names(response)
    assert choice_of(other_browser).accepted == {"analytics"}


@pytest.mark.rule("COOK-3")
def test_a_members_record_no_longer_counts_after_a_year(client, member, log_in):
    from tests.conftest import english_client

    start = timezone.now() - datetime.timedelta(days=400)
    with time_machine.travel(start, tick=False):
        log_in(client, member)
        choose(client, "all")
    other_browser = log_in(english_client(), member)
    response = other_browser.get(reverse("pages:private-home"))
    assert BANNER in response.content.decode()
    assert CONSENT_COOKIE not in response.cookies
