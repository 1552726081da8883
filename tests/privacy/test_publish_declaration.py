"""PRIV-2: the privacy declaration is generated from the register, versioned, always published, announced."""

import copy

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.utils.html import escape

from guichet.privacy import services
from guichet.privacy.models import DeclarationSeen, DeclarationVersion
from guichet.privacy.register import LANGUAGES, build_register, load_register, text
from guichet.privacy.services import duration_in_words, must_see_declaration, publish_declaration

pytestmark = [pytest.mark.rule("PRIV-2"), pytest.mark.django_db]

NOTICE = "Our privacy declaration has changed."


def page(client, language: str, url: str = "/privacy/") -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.rule("PRIV-1")
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_page_shows_the_whole_register_in_each_language(client, language):
    html = page(client, language)
    register = load_register()
    missing = []
    for context in register.contexts:
        expected = [text(context.title, language)]
        expected += [text(p.title, language) for p in context.purposes]
        expected += [b.article for b in context.legal_bases] + [text(b.title, language) for b in context.legal_bases]
        expected += [text(c.title, language) for c in context.data_categories]
        expected += [text(s.title, language) for s in context.sources]
        expected += [text(r.title, language) for r in context.recipients]
        expected += [text(p.title, language) for p in context.processors]
        expected += [text(context.transfers.notes, language)]
        expected += [text(r.description, language) for r in context.retention]
        expected += [duration_in_words(r.duration, language) for r in context.retention]
        expected += [text(d.title, language) for d in context.automated_decisions]
        expected += [text(register.entity(key).legal_name, language) for key in context.controllers]
        missing += [(context.key, words) for words in expected if escape(words) not in html]
    expected = [text(r.title, language) for r in register.rights.rights]
    expected += [text(register.supervisory_authority.name, language), register.supervisory_authority.email]
    expected += [text(register.notice[name].text, language) for name in ("introduction", "never_sold", "changes")]
    missing += [("common", words) for words in expected if escape(words) not in html]
    assert not missing
    assert f'<html lang="{language}">' in html


def test_special_categories_are_marked(client):
    html = page(client, "en")
    special = sum(1 for c in load_register().contexts for category in c.data_categories if category.special)
    assert html.count('class="tag"') >= special


def test_durations_are_said_in_words():
    assert duration_in_words("P30Y", "en") == "30 years"
    assert duration_in_words("P1Y", "en") == "1 year"
    assert duration_in_words("P1M", "en") == "1 month"
    assert duration_in_words("P1Y6M", "en") == "1 year, 6 months"


def test_a_new_version_is_published_only_when_the_register_changes():
    first, created = publish_declaration()
    assert created and first.version == 1 and first.register_digest == load_register().digest
    assert publish_declaration() == (first, False)
    raw = copy.deepcopy(load_register().raw)
    raw["contexts"]["operations"]["purposes"][0]["title"]["en"] = "A new purpose title"
    second, created = publish_declaration(build_register(raw))
    assert created and second.version == 2 and second.register_digest != first.register_digest
    assert DeclarationVersion.objects.count() == 2


def test_older_versions_stay_readable_from_their_snapshot(client):
    raw = copy.deepcopy(load_register().raw)
    raw["contexts"]["operations"]["purposes"][0]["title"]["en"] = "An old purpose title"
    publish_declaration(build_register(raw))
    current = services.current_declaration()  # the register in force differs: published as version 2
    assert current.version == 2
    old = page(client, "en", "/privacy/v/1/")
    assert "An old purpose title" in old and "This is an earlier version." in old
    new = page(client, "en", "/privacy/")
    assert "An old purpose title" not in new and "Version 2" in new
    assert client.get("/privacy/v/9/").status_code == 404


def test_the_register_is_served_as_json(client):
    publish_declaration()
    data = client.get("/privacy/register.json").json()
    assert data["version"] == 1 and data["register_digest"] == load_register().digest
    assert data["register"]["contexts"]["compulsory"]["key"] == "compulsory"
    assert client.get("/privacy/v/1/register.json").json()["version"] == 1
    assert client.get("/privacy/v/2/register.json").status_code == 404


def test_the_command_publishes_once(capsys):
    call_command("publish_declaration")
    call_command("publish_declaration")
    assert DeclarationVersion.objects.count() == 1
    assert "has not changed" in capsys.readouterr().out


def test_load_demo_publishes_the_declaration():
    call_command("load_demo", "--members", "0", "--quiet")
    assert DeclarationVersion.objects.filter(register_digest=load_register().digest).exists()


def test_a_member_sees_the_notice_until_they_read_the_new_version(client, member, log_in):
    publish_declaration()
    log_in(client, member)
    assert NOTICE in client.get("/my/").content.decode()
    client.get("/privacy/")
    assert DeclarationSeen.objects.filter(person=member.person, version__version=1).exists()
    assert NOTICE not in client.get("/my/").content.decode()
    raw = copy.deepcopy(load_register().raw)
    raw["rights"]["rights"][0]["title"]["fr"] = "Droit d'accès (nouveau)"
    publish_declaration(build_register(raw))
    assert NOTICE in client.get("/my/").content.decode()


def test_visitors_and_staff_see_no_notice(client, staff, log_in):
    from guichet.accounts.models import StaffRole

    publish_declaration()
    assert NOTICE not in client.get("/").content.decode()
    log_in(client, staff(StaffRole.AGENT))
    client.get("/privacy/")
    assert not DeclarationSeen.objects.exists()


def test_the_notice_costs_one_query_at_most(member, django_assert_num_queries):
    publish_declaration()
    cache.clear()
    session = {}
    with django_assert_num_queries(1):
        assert must_see_declaration(session, member.person) == 1
    with django_assert_num_queries(0):  # the latest version is cached; "not seen yet" is in the session
        assert must_see_declaration(session, member.person) == 1
    services.mark_declaration_seen(member.person, DeclarationVersion.objects.get(), session)
    with django_assert_num_queries(0):  # remembered in the session
        assert must_see_declaration(session, member.person) is None
