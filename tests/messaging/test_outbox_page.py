"""The development outbox page (/dev/outbox/): where a developer reads the SMS codes and e-mails that
Guichet "sent" without a real gateway. It holds one-time codes, so outside DEBUG it exists only for
administrators, and never when the outbox is switched off (production): everyone else gets a 404,
so that nobody reads another person's one-time code (ACC-2).

pytest-django runs with DEBUG=False; the DEBUG case is switched on per test.
"""

import pytest
from django.test import Client
from django.urls import reverse

from guichet.accounts.models import StaffRole
from guichet.messaging.models import OutboxMessage

pytestmark = pytest.mark.django_db

OUTBOX = reverse("messaging:outbox")
SECRET_CODE = "Your Guichet code is 482913."


@pytest.fixture
def sent(personas):
    OutboxMessage.objects.create(channel=OutboxMessage.Channel.SMS, recipient="+32470000001",
                                 body=SECRET_CODE)
    OutboxMessage.objects.create(channel=OutboxMessage.Channel.EMAIL, recipient="marie.dubois@example.org",
                                 subject="Your Guichet access", body="Log in before 10/07/2027.")


def visitor(request, log_in, staff, who) -> Client:
    if who == "anonymous":
        return Client()
    user = request.getfixturevalue(who) if who in {"member", "stranger"} else staff(who)
    return log_in(Client(), user)


@pytest.mark.rule("ACC-2")
@pytest.mark.parametrize("who", ["anonymous", "member", "stranger", StaffRole.AGENT, StaffRole.DPO_OFFICE,
                                 StaffRole.FRAUD_UNIT])
def test_it_does_not_exist_outside_debug_for_anyone_but_administrators(request, log_in, staff, sent, who):
    response = visitor(request, log_in, staff, who).get(OUTBOX)
    assert response.status_code == 404
    assert SECRET_CODE not in response.content.decode()


def test_it_shows_the_messages_to_an_administrator_outside_debug(log_in, staff, sent):
    response = log_in(Client(), staff(StaffRole.ADMINISTRATOR)).get(OUTBOX)
    page = response.content.decode()
    assert response.status_code == 200
    assert SECRET_CODE in page and "+32470000001" in page
    assert "Your Guichet access" in page and "marie.dubois@example.org" in page


def test_it_shows_the_messages_in_debug(settings, sent):
    settings.DEBUG = True
    response = Client().get(OUTBOX)
    page = response.content.decode()
    assert response.status_code == 200
    assert SECRET_CODE in page and "Log in before 10/07/2027." in page


def test_it_shows_the_newest_message_first(settings, personas):
    settings.DEBUG = True
    for body in ("older message", "newer message"):
        OutboxMessage.objects.create(channel=OutboxMessage.Channel.SMS, recipient="+32470000001", body=body)
    page = Client().get(OUTBOX).content.decode()
    assert page.index("newer message") < page.index("older message")


@pytest.mark.rule("ACC-2")
@pytest.mark.parametrize("debug", [True, False])
def test_it_does_not_exist_when_the_outbox_is_switched_off(settings, log_in, staff, sent, debug):
    settings.DEBUG = debug
    settings.DEV_OUTBOX_ENABLED = False
    for client in (Client(), log_in(Client(), staff(StaffRole.ADMINISTRATOR))):
        response = client.get(OUTBOX)
        assert response.status_code == 404
        assert SECRET_CODE not in response.content.decode()


def test_it_escapes_what_the_messages_contain(settings, personas):
    settings.DEBUG = True
    OutboxMessage.objects.create(channel=OutboxMessage.Channel.EMAIL, recipient="x@example.org",
                                 subject="<b>subject</b>", body="<script>alert(1)</script>")
    page = Client().get(OUTBOX).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
