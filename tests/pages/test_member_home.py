"""The member home stays cheap, as every page shares its header (see bench/home.py): a member on their own
file costs a handful of queries, whatever the size of the registry, and the parts of the page cached once
per language never carry one member's data to another."""

import pytest
from django.conf import settings
from django.utils import translation

from guichet.cookies.register import load_cookie_register
from guichet.cookies.services import save_cookie_choice
from guichet.mandates.policy import SELF, Action, decide
from guichet.privacy.services import current_declaration, mark_declaration_seen
from tests.conftest import english_client


def usual(user):
    """A member as they are on most days: the current declaration seen, the cookie banner answered."""
    mark_declaration_seen(user.person, current_declaration())
    save_cookie_choice(load_cookie_register().optional_keys, person=user.person)
    return user


def test_a_member_on_their_own_file_costs_five_queries(stranger, log_in, django_assert_max_num_queries):
    client = log_in(english_client(), usual(stranger))
    first = client.get("/my/")  # once per session: terms, declaration and cookie choice checked
    assert first.status_code == 200
    with django_assert_max_num_queries(5):  # session, user and person, files open, affiliations, log row
        response = client.get("/my/")
    assert response.status_code == 200
    assert b'id="affiliations-title"' in response.content
    assert b"notice-bar" not in response.content  # the declaration was seen
    # Answered: the banner is in the page for the footer's "Cookies" link, but closed.
    assert b'class="cookie-banner" aria-labelledby="cookie-banner-title" hidden' in response.content


def test_a_parent_sees_the_switcher_at_a_small_fixed_cost(member, minor, log_in,
                                                           django_assert_max_num_queries):
    client = log_in(english_client(), usual(member))
    client.get("/my/")
    with django_assert_max_num_queries(6):  # + the policy for the child (their row comes with the files)
        response = client.get("/my/")
    assert minor.first_name in response.content.decode()


def test_the_policy_answers_self_without_a_query(stranger, django_assert_num_queries):
    person = stranger.person
    with django_assert_num_queries(0):
        assert decide(person, person, Action.OPEN_FILE) is SELF


def test_cached_fragments_carry_nothing_of_another_member(member, stranger, log_in):
    marie = log_in(english_client(), usual(member)).get("/my/").content.decode()
    tom = log_in(english_client(), usual(stranger)).get("/my/").content.decode()
    assert member.person.last_name in marie
    assert member.person.last_name not in tom
    assert stranger.person.last_name in tom


@pytest.mark.parametrize("language", ["en", "fr", "nl"])
def test_cached_fragments_follow_the_language(stranger, log_in, language):
    english_client().get("/my/")  # an English page first, so that the fragments exist in English
    client = log_in(english_client(), usual(stranger))
    client.get("/my/")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get("/my/").content.decode()
    assert f'lang="{language}"' in page
    with translation.override(language):
        assert f">{translation.gettext('Contact')}</a>" in page  # the footer
        assert f">{translation.gettext('Log out')}</button>" in page  # the menu


def test_the_staff_menu_is_not_the_member_menu(member, staff, log_in):
    from guichet.accounts.models import StaffRole

    log_in(english_client(), usual(member)).get("/my/")
    page = log_in(english_client(), staff(StaffRole.AGENT)).get("/my/").content.decode()
    assert "Staff desk" in page
    assert "My file" not in page
