"""What the browser tests share besides fixtures: texts through the catalogue, where the browser is,
logging in through the login form, and reading the last SMS code sent to a mobile.

Texts are asserted through `say(language, msgid)`: the English source put through the catalogue of
that language, so the tests follow guichet/locale rather than hard-code the French or Dutch words.
"""

import re

from django.utils import translation
from playwright.sync_api import Page, expect

from guichet.messaging.models import OutboxMessage

TIMEOUT_MS = 5_000  # every page here answers in well under a second; fail fast when one does not
BELGIAN_LOCALE = {"fr": "fr-BE", "nl": "nl-BE", "en": "en-GB"}
CODE = re.compile(r"\b(\d{6,})\b")


def say(language: str, message: str, **values) -> str:
    """`message` (the English msgid) as the page shows it in `language`, placeholders filled."""
    with translation.override(language):
        text = translation.gettext(message)
    return text % values if values else text


def path_of(page: Page) -> str:
    """The path of the page's URL, without host, query or fragment."""
    return re.sub(r"^https?://[^/]+", "", page.url).split("?")[0].split("#")[0]


def expect_path(page: Page, path: str) -> None:
    """Wait until the browser shows `path` (any query string or fragment), as after a redirect."""
    expect(page).to_have_url(re.compile(rf"^https?://[^/]+{re.escape(path)}([?#].*)?$"))


def log_in(page: Page, login: str, password: str, language: str = "fr") -> None:
    """Fill and send the login form (going to the login page first if the browser is elsewhere)."""
    if path_of(page) != "/accounts/login/":
        page.goto("/accounts/login/")
    page.get_by_label(say(language, "National register number or staff login"), exact=True).fill(login)
    page.get_by_label(say(language, "Password"), exact=True).fill(password)
    with page.expect_navigation():  # the answer is a new page, even when it is the form again
        page.get_by_role("button", name=say(language, "Log in"), exact=True).click()


def code_in(text: str) -> str:
    """The one-time code in an SMS text (the first run of 6 digits or more)."""
    match = CODE.search(text)
    assert match, f"no code in {text!r}"
    return match.group(1)


def last_sms_code(mobile: str) -> str:
    """The code of the latest SMS sent to `mobile`, read from the development outbox's table."""
    message = OutboxMessage.objects.filter(channel=OutboxMessage.Channel.SMS, recipient=mobile).first()
    assert message is not None, f"no SMS was sent to {mobile}"
    return code_in(message.body)
