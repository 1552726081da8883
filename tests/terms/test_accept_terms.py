"""Terms of use (ACC-10): versioned, the latest always shown, older ones readable; a member accepts
each new version once; a service with specific conditions asks for them once per version."""

import pytest
from django.urls import reverse

from guichet.terms.models import TermsAcceptance
from guichet.terms.services import publish

pytestmark = pytest.mark.django_db
TEXTS = {"fr": "<h2>v2 fr</h2>", "nl": "<h2>v2 nl</h2>", "en": "<h2>Version two</h2>"}


@pytest.mark.rule("ACC-10")
def test_it_always_shows_the_latest_version_and_keeps_the_older_readable(client, terms):
    publish("general", "2.0", TEXTS)
    current = client.get(reverse("terms:current"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Version two" in current.content.decode()
    older = client.get(reverse("terms:version", args=["general", terms.version]))
    assert older.status_code == 200 and "earlier version" in older.content.decode()


@pytest.mark.rule("ACC-10")
def test_it_asks_a_member_to_accept_a_new_version_once(client, member, log_in):
    log_in(client, member)
    assert client.get(reverse("pages:private-home")).status_code == 200
    new = publish("general", "2.0", TEXTS)
    response = client.get(reverse("pages:private-home"))
    assert response.status_code == 302 and response.url.startswith(reverse("terms:accept", args=["general"]))
    refused = client.post(reverse("terms:accept", args=["general"]), {"next": "/my/"})
    assert refused.status_code == 200 and not TermsAcceptance.objects.filter(version=new).exists()
    accepted = client.post(reverse("terms:accept", args=["general"]), {"accept": "yes", "next": "/my/"})
    assert accepted.url == "/my/"
    assert TermsAcceptance.objects.filter(person=member.person, version=new).count() == 1
    assert client.get(reverse("pages:private-home")).status_code == 200


@pytest.mark.rule("ACC-10")
def test_it_asks_for_the_specific_conditions_of_a_service_once_per_version(client, member, log_in):
    log_in(client, member)
    response = client.get(reverse("pages:shop"))
    assert response.url.startswith(reverse("terms:accept", args=["shop"]))
    client.post(reverse("terms:accept", args=["shop"]), {"accept": "yes", "next": reverse("pages:shop")})
    assert client.get(reverse("pages:shop")).status_code == 200
    shop_v2 = publish("shop", "2.0", TEXTS)
    assert client.get(reverse("pages:shop")).status_code == 302
    client.post(reverse("terms:accept", args=["shop"]), {"accept": "yes"})
    assert TermsAcceptance.objects.filter(person=member.person, version=shop_v2).exists()


@pytest.mark.rule("ACC-10")
def test_it_refuses_to_publish_a_version_missing_a_language(terms):
    with pytest.raises(ValueError):
        publish("general", "3.0", {"fr": "x"})


@pytest.mark.rule("ACC-10")
def test_it_does_not_follow_a_next_link_to_another_site(client, member, log_in):
    log_in(client, member)
    publish("general", "2.0", TEXTS)
    response = client.post(reverse("terms:accept", args=["general"]), {"accept": "yes", "next": "https://evil.example/"})
    assert response.url == "/my/"


@pytest.mark.rule("ACC-10")
def test_it_answers_unknown_documents_and_versions_with_404(client, terms):
    assert client.get("/terms/nonsense/").status_code == 404
    assert client.get("/terms/general/v/9.9/").status_code == 404


@pytest.mark.rule("ACC-10")
def test_after_accepting_the_member_is_back_on_the_page_with_its_whole_query(client, member, log_in):
    log_in(client, member)
    publish("general", "2.0", TEXTS)
    asked = client.get("/my/?a=1&b=2")
    assert asked.status_code == 302
    form = client.get(asked.url)
    assert form.context["next"] == "/my/?a=1&b=2"
    accepted = client.post(asked.url, {"accept": "yes", "next": form.context["next"]})
    assert accepted.url == "/my/?a=1&b=2"
