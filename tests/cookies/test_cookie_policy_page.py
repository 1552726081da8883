"""The cookie policy page (COOK-2, COOK-4, COOK-7, COOK-9): rendered from the register, public, reachable
from every page's footer."""

import pytest
from django.urls import reverse
from django.utils import translation

from guichet.cookies.register import load_cookie_register
from tests.conftest import english_client

pytestmark = pytest.mark.django_db


@pytest.mark.rule("COOK-4", "COOK-7")
def test_it_lists_every_cookie_of_the_register_with_provider_purpose_and_lifetime(client):
    response = client.get(reverse("cookies:policy"))
    assert response.status_code == 200
    page = response.content.decode()
    for cookie in load_cookie_register().cookies:
        assert f"<code>{cookie.name}</code>" in page
        assert cookie.purpose["en"] in page.replace("&#x27;", "'").replace("&quot;", '"')
    assert "Guichet" in page
    assert "1 year" in page and "Until you close your browser" in page


@pytest.mark.rule("COOK-9")
def test_it_says_what_stops_working_without_each_category(client):
    page = client.get(reverse("cookies:policy")).content.decode().replace("&#x27;", "'")
    for category in load_cookie_register().categories:
        assert category.without["en"] in page
    assert "If you refuse them:" in page


@pytest.mark.rule("COOK-9")
@pytest.mark.parametrize("language", ["fr", "nl"])
def test_it_speaks_the_visitors_language(language):
    client = english_client()
    client.cookies["django_language"] = language
    page = client.get(reverse("cookies:policy")).content.decode().replace("&#x27;", "'")
    analytics = load_cookie_register().category("analytics")
    assert analytics.without[language] in page
    assert analytics.title[language] in page


@pytest.mark.rule("COOK-2")
@pytest.mark.parametrize("url", ["/", "/contact/", "/accounts/login/", "/cookies/"])
def test_every_page_links_to_the_cookie_page_in_its_footer(client, terms, url):
    page = client.get(url).content.decode()
    footer = page[page.index('<footer'):]
    assert f'href="{reverse("cookies:policy")}" data-cookie-settings>Cookies</a>' in footer


@pytest.mark.rule("COOK-2")
def test_the_footer_link_is_there_for_a_logged_in_member_too(client, member, log_in):
    log_in(client, member)
    page = client.get(reverse("pages:private-home")).content.decode()
    assert 'data-cookie-settings>Cookies</a>' in page


def test_the_choice_form_names_each_optional_category(client):
    page = client.get(reverse("cookies:policy")).content.decode()
    with translation.override("en"):
        for key in ("analytics", "marketing", "social"):
            assert f'name="category" value="{key}"' in page
