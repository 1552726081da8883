"""Privacy actions: why we hold data, publishing the declaration, consents, transfers outside the EEA, the DPO.

Every rule reads the register (`guichet.privacy.register.load_register`), never a copy of it in code.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import logging
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import phonenumbers
import yaml
from django.conf import settings
from django.core.cache import cache as django_cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from guichet.accounts.throttle import Throttle
from guichet.messaging.services import email_to
from guichet.privacy.models import (
    Consent,
    ConsentMethod,
    DeclarationSeen,
    DeclarationVersion,
    DpoCase,
    DpoCaseChannel,
    DpoCaseKind,
)
from guichet.privacy.register import (
    TRANSFER_GROUNDS,
    Context,
    Period,
    Purpose,
    Register,
    load_register,
    snapshot_register,
    text,
)

logger = logging.getLogger("guichet.privacy")

__all__ = [
    "Explanation", "Item", "why_we_hold", "text", "duration_in_words",
    "publish_declaration", "current_declaration", "declaration_register", "must_see_declaration",
    "mark_declaration_seen", "give_consent", "withdraw_consent", "has_consent", "needs_consent",
    "transfer_allowed", "Decision", "contact_dpo", "PrivacyError",
]


class PrivacyError(Exception):
    """An action was refused; `message` is meant for the person, already translated."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- "why do you hold this?" (My data page, DSR-1) -----------------------------------------------------

@dataclass(frozen=True)
class Item:
    """One line of an explanation: a title and its detail, in the person's language."""

    title: str
    detail: str = ""


@dataclass(frozen=True)
class Explanation:
    """Why a data category is held in one context, in plain words and in one language."""

    context: str
    context_title: str
    category: str
    category_title: str
    examples: str
    special: bool
    medical: bool
    purposes: tuple[Item, ...]  # title, description
    legal_bases: tuple[Item, ...]  # title, article ("GDPR 6(1)(c)")
    retention: tuple[Item, ...]  # duration in words, description
    recipients: tuple[Item, ...]  # title, grounds
    processors: tuple[Item, ...]  # title, task


def why_we_hold(category_key: str, language: str | None = None, *, context: str | None = None) -> list[Explanation]:
    """Per context holding `category_key`: purposes, legal bases, retention, recipients, processors.
    `context` limits the answer to one context; an unknown category gives an empty list."""
    language = language or get_language() or "fr"
    explanations = []
    for use in load_register().explain(category_key, context=context):
        explanations.append(Explanation(
            context=use.context.key, context_title=text(use.context.title, language),
            category=category_key, category_title=text(use.category.title, language),
            examples=text(use.category.examples, language), special=use.category.special,
            medical=use.category.medical,
            purposes=tuple(Item(text(p.title, language), text(p.description, language)) for p in use.purposes),
            legal_bases=tuple(Item(text(b.title, language), b.article) for b in use.legal_bases),
            retention=tuple(Item(duration_in_words(r.duration, language), text(r.description, language))
                            for r in use.retention),
            recipients=tuple(Item(text(r.title, language), text(r.grounds, language)) for r in use.recipients),
            processors=tuple(Item(text(p.title, language), text(p.task, language)) for p in use.processors),
        ))
    return explanations


def duration_in_words(duration: str, language: str | None = None) -> str:
    """P30Y -> "30 years" ("30 ans", "30 jaar"); P1Y6M -> "1 year, 6 months"."""
    from django.utils import translation

    period = Period.parse(duration)
    with translation.override(language or get_language() or "fr"):
        parts = [
            words % {"count": count} for count, words in (
                (period.years, ngettext("%(count)d year", "%(count)d years", period.years)),
                (period.months, ngettext("%(count)d month", "%(count)d months", period.months)),
                (period.weeks, ngettext("%(count)d week", "%(count)d weeks", period.weeks)),
                (period.days, ngettext("%(count)d day", "%(count)d days", period.days)),
            ) if count
        ]
        return ", ".join(parts)


# --- the published declaration (PRIV-2) ---------------------------------------------------------------

CURRENT_CACHE_KEY = "privacy:declaration:current"
CURRENT_CACHE_SECONDS = 60
SEEN_SESSION_KEY = "declaration_seen"
UNSEEN_SESSION_KEY = "privacy_declaration_unseen"


def publish_declaration(register: Register | None = None, *, at: datetime.datetime | None = None
                        ) -> tuple[DeclarationVersion, bool]:
    """Publish the register as a new version when it differs from the latest one (by digest).
    Returns the latest version and whether it was just published."""
    register = register or load_register()
    try:
        with transaction.atomic():
            latest = DeclarationVersion.objects.select_for_update().order_by("-version").first()
            if latest is not None and latest.register_digest == register.digest:
                return latest, False
            version = DeclarationVersion.objects.create(
                version=latest.version + 1 if latest else 1, register_digest=register.digest,
                snapshot=register.raw, published_at=at or timezone.now(),
            )
    except IntegrityError:  # published at the same moment by another process
        return DeclarationVersion.objects.order_by("-version").first(), False
    django_cache.delete(CURRENT_CACHE_KEY)
    return version, True


def current_declaration() -> DeclarationVersion:
    """The latest published version; the register in force is published first if it changed (the
    latest is always published)."""
    latest = DeclarationVersion.objects.order_by("-version").first()
    if latest is None or latest.register_digest != load_register().digest:
        latest, _created = publish_declaration()
    return latest


def declaration_register(version: DeclarationVersion) -> Register:
    """The register as `version` published it (the register in force when it is the same)."""
    register = load_register()
    return register if version.register_digest == register.digest else snapshot_register(version.snapshot)


def _current_ref(person) -> tuple[tuple[int, int] | None, bool | None]:
    """(pk, version) of the latest version from the cache, or from one query that also says whether
    `person` has seen it (then the second value is that answer; None when not asked)."""
    ref = django_cache.get(CURRENT_CACHE_KEY)
    if ref is not None:
        return tuple(ref), None
    row = (DeclarationVersion.objects.order_by("-version")
           .annotate(seen=Exists(DeclarationSeen.objects.filter(person=person, version=OuterRef("pk"))))
           .values("pk", "version", "seen").first())
    if row is None:
        return None, None
    django_cache.set(CURRENT_CACHE_KEY, (row["pk"], row["version"]), CURRENT_CACHE_SECONDS)
    return (row["pk"], row["version"]), row["seen"]


def must_see_declaration(session, person) -> int | None:
    """The version number of the declaration `person` has not seen yet, or None. One query at most;
    the answer is remembered in the session."""
    if person is None:
        return None
    ref, seen = _current_ref(person)
    if ref is None:
        return None
    pk, version = ref
    if session.get(SEEN_SESSION_KEY) == pk:
        return None
    if session.get(UNSEEN_SESSION_KEY) == pk:
        return version
    if seen is None:
        seen = DeclarationSeen.objects.filter(person=person, version_id=pk).exists()
    session[SEEN_SESSION_KEY if seen else UNSEEN_SESSION_KEY] = pk
    return None if seen else version


def mark_declaration_seen(person, version: DeclarationVersion, session=None) -> DeclarationSeen:
    """Record that `person` has seen `version` (once)."""
    try:
        with transaction.atomic():
            seen, _created = DeclarationSeen.objects.get_or_create(person=person, version=version)
    except IntegrityError:
        seen = DeclarationSeen.objects.get(person=person, version=version)
    if session is not None:
        latest = DeclarationVersion.objects.order_by("-version").values_list("pk", flat=True).first()
        if latest == version.pk:
            session[SEEN_SESSION_KEY] = version.pk
            session.pop(UNSEEN_SESSION_KEY, None)
    return seen


# --- consent (PRIV-4) ----------------------------------------------------------------------------------

CONSENT_ARTICLES = ("GDPR 6(1)(a)", "GDPR 9(2)(a)")


def subject_key_for_email(email: str) -> str:
    """A keyed hash of a non-member's e-mail address: the address itself is not stored."""
    normalised = email.strip().lower().encode()
    return hmac.new(settings.SECRET_KEY.encode(), b"consent-subject:" + normalised, hashlib.sha256).hexdigest()


def _consent_purpose(purpose_key: str) -> tuple[Context, Purpose]:
    """The purpose ("context:purpose", or a bare key when unambiguous), which must rest on consent."""
    try:
        context, purpose = load_register().purpose(purpose_key)
    except KeyError:
        raise PrivacyError(_("There is no such purpose in the register of processing.")) from None
    if not any(basis.article in CONSENT_ARTICLES for basis in context.bases_of(purpose)):
        raise PrivacyError(_("This processing does not rest on consent: there is no consent to give or withdraw."))
    return context, purpose


def _subject_filter(person, email: str | None) -> Q:
    if person is not None:
        return Q(person=person)
    if email:
        return Q(person__isnull=True, subject_key=subject_key_for_email(email))
    raise PrivacyError(_("A consent belongs to a member or to an e-mail address."))


def needs_consent(context: str, purpose_key: str) -> bool:
    """PRIV-4: true when the purpose has no ground other than consent (GDPR 6(1)(a)) — nothing for the
    client file, a legal obligation, a legitimate interest, vital or public interest — or when it uses
    special-category data whose only art. 9 ground is explicit consent (9(2)(a))."""
    ctx = load_register().context(context)
    purpose = ctx.purpose(purpose_key)
    bases = ctx.bases_of(purpose)
    if not any(basis.is_article_6 and basis.article != "GDPR 6(1)(a)" for basis in bases):
        return True
    uses_article_9 = any("9" in ctx.category(key).gdpr_articles for key in purpose.data_categories)
    article_9 = [basis for basis in bases if basis.is_article_9]
    return uses_article_9 and bool(article_9) and all(basis.article == "GDPR 9(2)(a)" for basis in article_9)


def give_consent(purpose_key: str, *, person=None, email: str | None = None, how: str = ConsentMethod.WEB,
                 at: datetime.datetime | None = None) -> Consent:
    """Record consent to a purpose that rests on consent; giving it again while it stands changes nothing."""
    context, purpose = _consent_purpose(purpose_key)
    if how not in ConsentMethod.values:
        raise PrivacyError(_("Unknown way of giving consent."))
    subject = _subject_filter(person, email)
    at = at or timezone.now()
    with transaction.atomic():
        standing = (Consent.objects.select_for_update().filter(subject, context=context.key, purpose=purpose.key)
                    .filter(Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gt=at), given_at__lte=at).first())
        if standing is not None:
            return standing
        latest = DeclarationVersion.objects.order_by("-version").first()
        return Consent.objects.create(
            person=person, subject_key="" if person is not None else subject_key_for_email(email or ""),
            context=context.key, purpose=purpose.key, declaration_version=latest, given_at=at, how=how,
        )


def withdraw_consent(purpose_key: str, *, person=None, email: str | None = None,
                     at: datetime.datetime | None = None) -> int:
    """Withdraw consent to a purpose from `at` (now); returns how many standing consents ended."""
    context, purpose = _consent_purpose(purpose_key)
    at = at or timezone.now()
    return (Consent.objects.filter(_subject_filter(person, email), context=context.key, purpose=purpose.key,
                                   withdrawn_at__isnull=True, given_at__lte=at)
            .update(withdrawn_at=at))


def has_consent(person, purpose_key: str, at: datetime.datetime | None = None, *, email: str | None = None) -> bool:
    """Whether consent to the purpose stood at `at` (now) for the member, or for the e-mail address."""
    context, purpose = _consent_purpose(purpose_key)
    at = at or timezone.now()
    return (Consent.objects.filter(_subject_filter(person, email), context=context.key, purpose=purpose.key,
                                   given_at__lte=at)
            .filter(Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gt=at)).exists())


# --- transfers outside the EEA (PRIV-6) ---------------------------------------------------------------

EEA_FILE = Path(__file__).resolve().parent / "eea.yaml"


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str

    def __bool__(self) -> bool:
        return self.allowed


@cache
def eea_countries() -> frozenset[str]:
    data = yaml.safe_load(EEA_FILE.read_text(encoding="utf-8"))
    return frozenset(data["european_union"]) | frozenset(data["efta_in_eea"])


def transfer_allowed(context_key: str, country_code: str, ground: str | None = None) -> Decision:
    """May data of the context go to `country_code` on `ground`? Inside the EEA always; outside only on
    a ground the context's `transfers.allowed_grounds` lists. Unknown input is refused, never raised."""
    register = load_register()
    if not register.has_context(context_key):
        return Decision(False, _("Unknown context of processing: %(context)s.") % {"context": context_key})
    code = str(country_code or "").strip().upper()
    if code in eea_countries():
        return Decision(True, _("%(country)s is in the European Economic Area.") % {"country": code})
    if not re.fullmatch(r"[A-Z]{2}", code) or code not in phonenumbers.SUPPORTED_REGIONS:
        return Decision(False, _("Unknown country code: %(country)s.") % {"country": country_code})
    if ground not in TRANSFER_GROUNDS:
        return Decision(False, _("A transfer outside the European Economic Area needs a known ground; "
                                 "%(ground)s is not one.") % {"ground": ground})
    if ground not in register.context(context_key).transfers.allowed_grounds:
        return Decision(False, _("The register does not allow transfers outside the European Economic Area on "
                                 "the ground %(ground)s in this context.") % {"ground": ground})
    return Decision(True, _("Transfer outside the European Economic Area allowed on the ground %(ground)s.")
                    % {"ground": ground})


# --- the DPO contact form (PRIV-3) ---------------------------------------------------------------------

MESSAGE_MAX_LENGTH = 5000
NAME_MAX_LENGTH = 200
HTML = re.compile(r"<\s*[a-zA-Z/!?]|&#?\w+;")


def check_dpo_message(*, kind: str, message: str, person=None, name: str = "", email: str = "") -> None:
    """Validate a message to the DPO; raises PrivacyError with a message for the sender."""
    if kind not in DpoCaseKind.values:
        raise PrivacyError(_("Choose the subject of your message."))
    if not message.strip():
        raise PrivacyError(_("Write your message."))
    if len(message) > MESSAGE_MAX_LENGTH:
        raise PrivacyError(_("Your message is too long: %(max)d characters at most.") % {"max": MESSAGE_MAX_LENGTH})
    if HTML.search(message) or HTML.search(name):
        raise PrivacyError(_("Write plain text: HTML is not accepted."))
    if person is None:
        if not name.strip() or len(name) > NAME_MAX_LENGTH:
            raise PrivacyError(_("Give your name (%(max)d characters at most).") % {"max": NAME_MAX_LENGTH})
        try:
            validate_email(email)
        except ValidationError:
            raise PrivacyError(_("Give a valid e-mail address, so that we can answer you.")) from None


def dpo_throttle(ip: str) -> Throttle:
    return Throttle("dpo-contact", (f"ip:{ip}",))


def contact_dpo(*, kind: str, message: str, person=None, name: str = "", email: str = "",
                language: str | None = None, ip: str | None = None) -> DpoCase:
    """Record a message to the data protection officer and acknowledge it by e-mail with its reference.
    A logged-in member is identified by their person; a visitor gives a name and an e-mail address and
    is throttled per IP address."""
    throttle = dpo_throttle(ip) if person is None and ip else None
    if throttle is not None and (wait := throttle.wait_seconds()):
        raise PrivacyError(_("Too many messages from your connection. Try again in %(seconds)d seconds.")
                           % {"seconds": wait})
    check_dpo_message(kind=kind, message=message, person=person, name=name, email=email)
    if person is not None:
        name, email, language = person.full_name, person.email, person.language
    language = (language or get_language() or "fr")[:2]
    with transaction.atomic():
        case = DpoCase.objects.create(
            person=person, name=name.strip(), email=email.strip(), language=language, kind=kind,
            message=message.strip(), channel=DpoCaseChannel.ACCOUNT if person is not None else DpoCaseChannel.WEB,
        )
        case.reference = f"DPO-{timezone.localtime(case.received_at).year}-{case.pk:06d}"
        case.save(update_fields=["reference"])
    if throttle is not None:
        throttle.failed()  # every message counts: a few are free, then the wait grows
    if case.email:
        _acknowledge(case)
    return case


def _acknowledge(case: DpoCase) -> None:
    def subject_and_body():
        return (
            _("Your message to the Data Protection Officer: %(reference)s") % {"reference": case.reference},
            _("We have received your message to the Data Protection Officer. Its reference is %(reference)s: "
              "please quote it in any further contact. We answer as soon as possible and within one month. "
              "For your privacy this e-mail does not repeat your message.") % {"reference": case.reference},
        )

    try:
        email_to(case.email, case.language, subject_and_body)
    except Exception:  # the case is recorded; the DPO office sees it even if the mail did not leave
        logger.exception("acknowledgement of %s not sent", case.reference)
