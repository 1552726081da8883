"""Shared fixtures: the named personas of the test suite and a helper to log a client in.

Personas: `member` (Marie, a registered adult), `other_member` (Jan, another registered adult),
`stranger` (a registered adult with no link to anyone), `minor` (Emma, Marie's daughter, 10),
`unregistered` (Sophie, an adult without an account), and `staff(role)` for each staff role.
"""

import time
from functools import lru_cache

import pytest
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.cache import cache, caches
from django.test import Client
from django.utils import translation

from guichet.accounts.demo import create_demo_accounts
from guichet.accounts.middleware import LAST_ACTIVITY, STARTED
from guichet.accounts.models import StaffRole, User
from guichet.members.demo import create_personas
from guichet.terms.services import accept_current_terms, publish_from_files

PASSWORD = "a long and personal passphrase"


def english_client(**kwargs) -> Client:
    """A test client whose visitor chose English, so assertions read the English source strings
    (the default language is French; the catalog tests check the translations)."""
    client = Client(**kwargs)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def client():
    return english_client()


@pytest.fixture(autouse=True)
def _english_by_default():
    """Code run outside a request speaks the language active in the thread: English for every test, so
    that a test does not depend on the language the previous test's request left behind."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttling and the current-terms cache live in the cache, rendered page fragments in the
    "fragments" cache: no test inherits another's (a test may change a setting a fragment shows)."""
    for each in (cache, caches["fragments"]):
        each.clear()
    yield
    for each in (cache, caches["fragments"]):
        each.clear()


@pytest.fixture
def terms(db):
    """The published terms: the general terms (returned) and the e-shop's specific conditions."""
    publish_from_files("shop")
    return publish_from_files("general")[-1]


@pytest.fixture
def personas(db, terms):
    people = create_personas()
    create_demo_accounts(people)
    __import__("guichet.mandates.demo", fromlist=["_"]).create_demo_parental_authority(people)  # MIN-1
    for person in people.values():
        if hasattr(person, "account"):
            accept_current_terms(person, channel="test")
    return people


@lru_cache(maxsize=1)
def _password_hash() -> str:
    return make_password(PASSWORD)


def _member_user(person) -> User:
    """The persona's account, with the suite's PASSWORD (hashed once for the whole run)."""
    user = person.account
    user.password = _password_hash()
    user.save(update_fields=["password"])
    return user


@pytest.fixture
def member(personas) -> User:
    return _member_user(personas["marie"])


@pytest.fixture
def other_member(personas) -> User:
    return _member_user(personas["jan"])


@pytest.fixture
def stranger(personas) -> User:
    return _member_user(personas["tom"])


@pytest.fixture
def minor(personas):
    return personas["emma"]


@pytest.fixture
def unregistered(personas):
    return personas["sophie"]


@pytest.fixture
def staff(personas):
    def make(role: StaffRole) -> User:
        return User.objects.get(staff_role=role)

    return make


@pytest.fixture
def log_in():
    """Log a test client in as `user`, as the login page would (session clocks started)."""

    def do(client, user):
        client.force_login(user, backend="guichet.accounts.backends.AccountBackend")
        session = client.session
        now = time.time()
        session[STARTED] = now
        session[LAST_ACTIVITY] = now
        session.save()
        return client

    return do


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A test whose writes were committed (live server, transactional_db) leaves ledger rows that the
    append-only triggers keep from Django's flush: remove them first, as the database owner would."""
    if {"transactional_db", "live_server"} & set(getattr(item, "funcargs", {})):  # set up, so not skipped
        from tests.ledger.conftest import empty_ledger

        empty_ledger()
    yield
