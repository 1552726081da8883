"""Fixtures of the outbox tests: temporary subscribers that record what they receive."""

import pytest

from guichet.events import services

KIND = "tests.something_happened"


class Recorder:
    """A subscriber that records the ids it handled and fails while `failing` is set (True, or the
    subject whose events fail)."""

    def __init__(self):
        self.seen: list[int] = []
        self.failing = False

    def __call__(self, event):
        if self.failing is True or self.failing == event.subject:
            raise RuntimeError("the print house is down")
        self.seen.append(event.id)


@pytest.fixture
def recorder():
    handler = Recorder()

    def recorded(event):
        handler(event)

    services.subscribe(KIND)(recorded)
    yield handler
    services.unsubscribe(KIND, recorded)
