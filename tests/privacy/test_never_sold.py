"""PRIV-5: data are never sold: no recipient or processor of the register buys them, and the declaration says so."""

import re

import pytest
from django.conf import settings
from django.utils.html import escape

from guichet.privacy.register import LANGUAGES, load_register, text

pytestmark = pytest.mark.rule("PRIV-5")

KINDS_THAT_DO_NOT_BUY = {"authority", "insurer", "provider", "group_entity", "processor", "other", "data_subject"}
SALE = re.compile(r"\b(sell|sale|sold|buy|vend|vente|achat|achet|verkoop|verkocht|koper|kopen)", re.IGNORECASE)


def test_no_recipient_or_processor_is_a_sale():
    register = load_register()
    for context in register.contexts:
        for recipient in context.recipients:
            assert recipient.kind in KINDS_THAT_DO_NOT_BUY
            for language in LANGUAGES:
                for words in (text(recipient.title, language), text(recipient.grounds, language)):
                    assert not SALE.search(words), (context.key, recipient.key, words)
        for processor in context.processors:
            for language in LANGUAGES:
                assert not SALE.search(text(processor.task, language)), (context.key, processor.key)


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_declaration_states_it(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get("/privacy/").content.decode()
    assert escape(text(load_register().notice["never_sold"].text, language)) in page
