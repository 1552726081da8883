"""Fixtures of the registry tests: a member's client already re-authenticated ("sudo mode")."""

import time

import pytest

from guichet.accounts.decorators import REAUTHENTICATED_AT


@pytest.fixture
def member_client(client, member, log_in):
    """Marie logged in, without a recent re-authentication."""
    return log_in(client, member)


@pytest.fixture
def sudo_client(member_client):
    """Marie logged in and re-authenticated a moment ago."""
    session = member_client.session
    session[REAUTHENTICATED_AT] = time.time()
    session.save()
    return member_client
