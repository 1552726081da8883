"""The consent cookie and the analytics cookie: reading the visitor's choice (a signed cookie holding the
accepted categories, policy version, categories digest and date) and writing both cookies on a response.

A consent cookie that was tampered with, is older than a year (COOK-3) or answered other categories than
the register's (COOK-8) reads as no choice: the banner asks again and nothing optional is set.
"""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.utils import timezone

from guichet.cookies.register import load_cookie_register

CONSENT_COOKIE = "guichet_consent"
ANALYTICS_COOKIE = "guichet_visitor"
SIGNING_SALT = "guichet.cookies.consent"
REQUEST_ATTRIBUTE = "_cookie_choice"
NO_CHOICE = object()


def consent_seconds() -> int:
    """How long a choice stands before the banner asks again (COOK-3: one year)."""
    return settings.COOKIE_CONSENT_DAYS * 86400


@dataclass(frozen=True)
class CookieChoice:
    """The visitor's answer: the optional categories accepted, under which policy, and when."""

    accepted: frozenset[str]
    version: str
    digest: str
    chosen_at: datetime.datetime

    def allows(self, category: str) -> bool:
        register = load_cookie_register()
        always_on = {c.key for c in register.categories if c.always_on}
        return category in self.accepted or category in always_on

    @property
    def expires_at(self) -> datetime.datetime:
        return self.chosen_at + datetime.timedelta(seconds=consent_seconds())


def new_choice(accepted, *, at: datetime.datetime | None = None) -> CookieChoice:
    register = load_cookie_register()
    return CookieChoice(accepted=frozenset(accepted), version=register.version, digest=register.digest,
                        chosen_at=at or timezone.now())


def encode_choice(choice: CookieChoice) -> str:
    payload = {"c": sorted(choice.accepted), "v": choice.version, "d": choice.digest,
               "at": int(choice.chosen_at.timestamp())}
    return signing.dumps(payload, salt=SIGNING_SALT, compress=False)


def decode_choice(value: str | None) -> CookieChoice | None:
    """The choice a consent cookie holds, or None when it is missing, forged, expired or answered other
    categories than the register's. Never raises on bad input."""
    if not value:
        return None
    try:
        payload = signing.loads(value, salt=SIGNING_SALT, max_age=consent_seconds())
        accepted = frozenset(str(key) for key in payload["c"])
        chosen_at = datetime.datetime.fromtimestamp(int(payload["at"]), tz=datetime.UTC)
        version, digest = str(payload["v"]), str(payload["d"])
    except (signing.BadSignature, KeyError, TypeError, ValueError, OverflowError):
        return None
    register = load_cookie_register()
    if digest != register.digest or not accepted <= set(register.optional_keys):
        return None  # COOK-8: the categories changed since this answer
    if timezone.now() - chosen_at > datetime.timedelta(seconds=consent_seconds()):
        return None  # COOK-3, whatever the signature's own clock said
    return CookieChoice(accepted=accepted, version=version, digest=digest, chosen_at=chosen_at)


def read_choice(request) -> CookieChoice | None:
    """The choice of the visitor making `request` (computed once per request)."""
    cached = getattr(request, REQUEST_ATTRIBUTE, NO_CHOICE)
    if cached is NO_CHOICE:
        cached = decode_choice(request.COOKIES.get(CONSENT_COOKIE))
        setattr(request, REQUEST_ATTRIBUTE, cached)
    return cached


def remember_choice(request, choice: CookieChoice | None) -> None:
    setattr(request, REQUEST_ATTRIBUTE, choice)


def _cookie_options() -> dict:
    return {"httponly": True, "samesite": "Lax", "secure": settings.SESSION_COOKIE_SECURE}


def write_consent_cookie(response, choice: CookieChoice) -> None:
    remaining = int((choice.expires_at - timezone.now()).total_seconds())
    response.set_cookie(CONSENT_COOKIE, encode_choice(choice), max_age=max(remaining, 0), **_cookie_options())


def new_visitor_token() -> str:
    return secrets.token_urlsafe(24)


def apply_choice_to_cookies(request, response, choice: CookieChoice | None) -> None:
    """Set what the choice allows and remove what it does not (COOK-5): the analytics cookie exists
    only while analytics is accepted; it lives no longer than the consent."""
    allowed = choice is not None and choice.allows("analytics")
    present = ANALYTICS_COOKIE in request.COOKIES
    if allowed and not present and ANALYTICS_COOKIE not in response.cookies:
        remaining = int((choice.expires_at - timezone.now()).total_seconds())
        response.set_cookie(ANALYTICS_COOKIE, new_visitor_token(), max_age=max(remaining, 0),
                            **_cookie_options())
    elif not allowed and present:
        response.delete_cookie(ANALYTICS_COOKIE, samesite="Lax")
