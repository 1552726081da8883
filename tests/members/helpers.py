"""Helpers of the registry tests: the code sent to an address or number, and messages as the page
shows them (the English msgid through the catalogue of the page's language)."""

import html
import re

from django.utils import translation

from guichet.messaging.models import OutboxMessage


def code_in(text: str) -> str:
    return re.search(r"\b(\d{6,})\b", text).group(1)


def last_code_sent_to(recipient: str) -> str:
    """The code of the last SMS to `recipient` (the development outbox's table)."""
    message = OutboxMessage.objects.filter(recipient=recipient).first()
    assert message is not None, f"nothing was sent to {recipient}"
    return code_in(message.body)


def shown(message, language: str = "fr") -> str:
    """`message` (a msgid, or (msgid, values)) as a page in `language` says it."""
    msgid, values = message if isinstance(message, tuple) else (message, None)
    with translation.override(language):
        text = translation.gettext(msgid)
    return text % values if values else text


def page_says(response, message, language: str | None = None) -> bool:
    """Whether the page says `message` in its own language (its <html lang>, unless one is given)."""
    page = html.unescape(response.content.decode())
    if language is None:
        found = re.search(r'<html lang="([a-z-]+)"', page)
        language = found.group(1) if found else "fr"
    return shown(message, language) in page
