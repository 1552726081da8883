"""Sending a notice to a person in their own language, by SMS or e-mail (ACC-8).

Notices announce that something happened or waits; they never carry health data.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation

from guichet.messaging.sms import send_sms


def sms_to_person(person, text_in_language, *, language: str | None = None) -> str:
    """Send an SMS to the person's mobile; `text_in_language()` is called in `language`, by default
    the person's own."""
    with translation.override(language or person.language):
        return send_sms(person.mobile, str(text_in_language()))


def email_to(address: str, language: str, subject_and_body) -> None:
    """Send an e-mail; `subject_and_body()` returns (subject, body) and is called in `language`."""
    with translation.override(language):
        subject, body = subject_and_body()
        send_mail(str(subject), str(body), settings.DEFAULT_FROM_EMAIL, [address])
