"""ACC-1: public content is open to all; everything else needs a login. Every URL of the project is
enumerated, so a new page is private unless it is deliberately added to the public list below."""

import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

PUBLIC = {
    "pages:home", "pages:contact", "terms:current", "terms:document", "terms:version",
    "accounts:login", "accounts:second-factor", "accounts:logout", "accounts:identify", "accounts:code",
    "accounts:password", "set_language", "messaging:outbox",
    "privacy:declaration", "privacy:declaration-version", "privacy:register-json", "privacy:register-json-version",
    "privacy:contact-dpo", "privacy:contact-dpo-sent",
    "cookies:policy", "cookies:choose", "cookies:beacon",
    "communication:choice", "communication:choice-recorded", "communication:unsubscribe", "communication:open",
    "communication:click",
    "backoffice:health-data-staff",
    "rights:public-request", "rights:public-request-sent",
}
SAMPLE_KWARGS = {"flow": "register", "document": "general", "version": "1.0"}


def named_patterns(resolver=None, namespace=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            if entry.namespace != "admin":
                yield from named_patterns(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


def sample_url(name: str, pattern: URLPattern) -> str:
    kwargs = {key: SAMPLE_KWARGS.get(key, uuid.uuid4()) for key in pattern.pattern.converters}
    return reverse(name, kwargs=kwargs)


def is_public(pattern: URLPattern) -> bool:
    return getattr(pattern.callback, "login_required", True) is False


@pytest.mark.rule("ACC-1")
def test_it_declares_exactly_the_expected_public_pages():
    public = {name for name, pattern in named_patterns() if is_public(pattern)}
    assert public == PUBLIC


@pytest.mark.rule("ACC-1")
@pytest.mark.parametrize("name", sorted({name for name, pattern in named_patterns() if not is_public(pattern)}))
def test_it_sends_anonymous_visitors_of_private_pages_to_the_login(client, name):
    pattern = dict(named_patterns())[name]
    url = sample_url(name, pattern)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.rule("ACC-1")
@pytest.mark.parametrize("url", ["/", "/contact/", "/terms/", "/terms/shop/", "/accounts/login/", "/accounts/register/"])
def test_it_opens_public_pages_to_everyone(client, terms, url):
    assert client.get(url).status_code == 200


@pytest.mark.rule("ACC-1")
def test_it_does_not_offer_the_admin_login_that_would_skip_the_second_factor(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code in (301, 302)
    assert response.url.startswith(reverse("accounts:login"))
