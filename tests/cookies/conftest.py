"""Fixtures of the cookie tests: each test reads the register file in force, even after one that pointed
the loader at another file."""

import pytest

from guichet.cookies import register


@pytest.fixture(autouse=True)
def _fresh_cookie_register():
    register._load.cache_clear()
    yield
    register._load.cache_clear()
