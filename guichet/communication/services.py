"""Communication actions: changing preferences (members and non-members) and propagating each change to
the group's systems (COMM-3 to COMM-7), prospects (COMM-10) and call recordings (COMM-12), with their
scheduled erasure (RET-2, RET-3).

A service validates first and raises CommunicationError (a message for the person, translated), then
writes in one transaction and publishes the change through the outbox in that same transaction.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.communication.models import (
    OFFER_FIELDS,
    CallRecording,
    ChangeVia,
    Channel,
    Delivery,
    IdentifierKind,
    NonMemberChoice,
    PreferenceChange,
    Preferences,
    Prospect,
    ProspectSource,
    RecordingPurpose,
    Subscriber,
)
from guichet.events.services import publish
from guichet.privacy.services import subject_key_for_email

logger = logging.getLogger("guichet.communication")

PREFERENCES_CHANGED = "communication.preferences_changed"
SIGNATURE_HEADER = "X-Guichet-Signature"
TIMESTAMP_HEADER = "X-Guichet-Timestamp"
DELIVERY_HEADER = "X-Guichet-Delivery"


class CommunicationError(Exception):
    """An action was refused; `message` is meant for the person, already translated."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


# --- members' preferences (COMM-3, COMM-4, COMM-5, COMM-2, COMM-9) ----------------------------------------

PREFERENCE_FIELDS = (*OFFER_FIELDS.values(), "share_with_group", "tracking_objected", "profiling_objected")


def snapshot_of(preferences: Preferences) -> dict:
    """What subscribers learn of a member's preferences: per channel, sharing, objections."""
    return {
        "person": str(preferences.person.public_id),
        "offers": {channel: preferences.accepts(channel) for channel in Channel.values},
        "declines_everything": preferences.declines_everything(),
        "share_with_group": preferences.share_with_group,
        "tracking_objected": preferences.tracking_objected,
        "profiling_objected": preferences.profiling_objected,
    }


def check_preferences(values: dict) -> dict:
    """Only known settings, each a yes or no; raises CommunicationError otherwise."""
    unknown = set(values) - set(PREFERENCE_FIELDS)
    if unknown:
        raise CommunicationError(_("Unknown setting: %(name)s.") % {"name": ", ".join(sorted(unknown))})
    if any(not isinstance(value, bool) for value in values.values()):
        raise CommunicationError(_("Each setting is a yes or a no."))
    return values


def change_preferences(person, values: dict, *, via: str = ChangeVia.SETTINGS,
                       at: datetime.datetime | None = None) -> PreferenceChange | None:
    """Apply `values` (field name -> bool, only those that change) to the member's preferences, record
    the change and publish it to every system that uses it (COMM-7). None when nothing changed."""
    check_preferences(values)
    if via not in ChangeVia.values:
        raise CommunicationError(_("Unknown way of changing preferences."))
    at = at or timezone.now()
    with transaction.atomic():
        preferences, _created = Preferences.objects.select_for_update().get_or_create(person=person)
        changed = {name: value for name, value in values.items() if getattr(preferences, name) != value}
        if not changed:
            return None
        for name, value in changed.items():
            setattr(preferences, name, value)
        preferences.updated_at = at
        preferences.save()
        change = PreferenceChange.objects.create(person=person, via=via, changed_at=at,
                                                 snapshot=snapshot_of(preferences))
        publish(PREFERENCES_CHANGED, person=person, payload={"change": str(change.public_id)})
    return change


# --- non-members (COMM-6) -------------------------------------------------------------------------------

def subject_key_for_phone(number_e164: str) -> str:
    """A keyed hash of a non-member's phone number (E.164), as privacy hashes e-mail addresses."""
    return hmac.new(settings.SECRET_KEY.encode(), b"communication-phone:" + number_e164.encode(),
                    hashlib.sha256).hexdigest()


def normalise_phone(raw: str, region: str | None = None) -> str | None:
    """The number in E.164, or None when it is not a valid phone number."""
    text = (raw or "").strip()
    if not text or len(text) > 30:
        return None
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, region or settings.DO_NOT_CALL_REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def matching_key(kind: str, identifier: str) -> str:
    """What group subscribers learn of a non-member: HMAC-SHA256 of the normalised identifier with the
    key shared with the group's entities (GROUP_MATCHING_KEY), so that they can recognise the person
    among their own contacts without Guichet ever storing or sending the address or number."""
    key = settings.GROUP_MATCHING_KEY or settings.SECRET_KEY
    return hmac.new(key.encode(), f"{kind}:{identifier}".encode(), hashlib.sha256).hexdigest()


def check_non_member_identifier(*, email: str = "", phone: str = "") -> tuple[str, str, str]:
    """(kind, keyed hash, group matching key) of the one identifier given; CommunicationError otherwise."""
    email, phone = (email or "").strip(), (phone or "").strip()
    if bool(email) == bool(phone):
        raise CommunicationError(_("Give either your e-mail address or your phone number."))
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise CommunicationError(_("This is not a valid e-mail address, e.g. name@example.be."), "email") from None
        return IdentifierKind.EMAIL, subject_key_for_email(email), matching_key("email", email.lower())
    number = normalise_phone(phone)
    if number is None:
        raise CommunicationError(_("This is not a valid phone number, e.g. 0470 12 34 56 or +32 2 123 45 67."),
                                 "phone")
    return IdentifierKind.PHONE, subject_key_for_phone(number), matching_key("phone", number)


def state_non_member_choice(*, accepts_offers: bool, email: str = "", phone: str = "",
                            at: datetime.datetime | None = None) -> PreferenceChange:
    """Record a non-member's choice by a hash of their e-mail or phone, and propagate it (COMM-6, COMM-7)."""
    kind, key, match = check_non_member_identifier(email=email, phone=phone)
    if not isinstance(accepts_offers, bool):
        raise CommunicationError(_("Say whether you accept our offers."))
    at = at or timezone.now()
    with transaction.atomic():
        choice, _created = NonMemberChoice.objects.select_for_update().get_or_create(
            subject_key=key, defaults={"identifier_kind": kind, "accepts_offers": accepts_offers, "stated_at": at})
        choice.accepts_offers, choice.stated_at = accepts_offers, at
        choice.save(update_fields=["accepts_offers", "stated_at"])
        snapshot = {"matching_key": match, "identifier_kind": kind, "accepts_offers": accepts_offers}
        change = PreferenceChange.objects.create(non_member=choice, via=ChangeVia.PUBLIC_FORM, changed_at=at,
                                                 snapshot=snapshot)
        # The outbox names its subject by a public UUID: the choice's own stands in for a person.
        publish(PREFERENCES_CHANGED, person=choice, payload={"change": str(change.public_id)})
    return change


def non_member_accepts_offers(*, email: str = "", phone: str = "") -> bool:
    """A non-member accepts offers unless they said otherwise through the form."""
    _kind, key, _match = check_non_member_identifier(email=email, phone=phone)
    choice = NonMemberChoice.objects.filter(subject_key=key).first()
    return choice is None or choice.accepts_offers


# --- propagation to the group's systems (COMM-7) ---------------------------------------------------------

def queue_deliveries(change: PreferenceChange) -> list[Delivery]:
    """One delivery per active subscriber (idempotent: a change is queued once per subscriber)."""
    deliveries = []
    for subscriber in Subscriber.objects.filter(active=True):
        delivery, _created = Delivery.objects.get_or_create(change=change, subscriber=subscriber,
                                                            defaults={"next_attempt_at": change.changed_at})
        deliveries.append(delivery)
    return deliveries


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 of "<timestamp>.<body>" with the subscriber's secret, as `sha256=<hex>`."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def payload_of(delivery: Delivery) -> bytes:
    change = delivery.change
    return json.dumps({
        "event": PREFERENCES_CHANGED, "change": str(change.public_id),
        "changed_at": change.changed_at.isoformat(), "preferences": change.snapshot,
    }, sort_keys=True).encode()


def webhook_retry_delay(attempts: int) -> datetime.timedelta:
    """30 s, 60 s, 120 s... capped (15 minutes by default): applied within minutes, never weeks."""
    seconds = settings.WEBHOOK_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return datetime.timedelta(seconds=min(seconds, settings.WEBHOOK_RETRY_MAX_SECONDS))


def attempt_delivery(delivery_id: int, now: datetime.datetime | None = None) -> bool:
    """POST the signed change to the subscriber; a 2xx answer marks it delivered, anything else
    schedules the next attempt. Returns whether it is delivered."""
    with transaction.atomic():
        delivery = (Delivery.objects.select_for_update(**_skip_locked()).select_related("change", "subscriber")
                    .filter(pk=delivery_id, delivered_at__isnull=True).first())
        if delivery is None:
            return Delivery.objects.filter(pk=delivery_id, delivered_at__isnull=False).exists()
        body = payload_of(delivery)
        timestamp = str(int(time.time()))
        url = delivery.subscriber.url
        request = urllib.request.Request(url, data=body, method="POST", headers={  # noqa: S310 - scheme checked below
            "Content-Type": "application/json", TIMESTAMP_HEADER: timestamp,
            SIGNATURE_HEADER: signature(delivery.subscriber.secret, timestamp, body),
            DELIVERY_HEADER: str(delivery.public_id), "User-Agent": "Guichet-webhooks/1",
        })
        error = ""
        if not url.startswith(("https://", "http://")):  # never file: or another scheme urllib would open
            error = "the subscriber's URL must start with https:// or http://"
        else:
            try:
                with urllib.request.urlopen(request, timeout=settings.WEBHOOK_TIMEOUT_SECONDS) as response:  # noqa: S310
                    if not 200 <= response.status < 300:
                        error = f"HTTP {response.status}"
            except urllib.error.HTTPError as problem:
                error = f"HTTP {problem.code}"
            except (OSError, ValueError) as problem:  # refused, timed out, bad URL: retried later
                error = f"{type(problem).__name__}: {problem}"
        now = now or timezone.now()
        delivery.attempts += 1
        if error:
            delivery.last_error = error[:500]
            delivery.next_attempt_at = now + webhook_retry_delay(delivery.attempts)
            logger.warning("delivery %s to %s failed: %s", delivery.public_id, delivery.subscriber.name, error)
        else:
            delivery.delivered_at, delivery.last_error = now, ""
        delivery.save(update_fields=["attempts", "last_error", "next_attempt_at", "delivered_at"])
        return not error


def _skip_locked() -> dict:
    from django.db import connection

    return {"skip_locked": True} if connection.features.has_select_for_update_skip_locked else {}


def deliver_due_webhooks(now: datetime.datetime | None = None, *, limit: int = 1000) -> int:
    """Attempt every delivery whose time has come (the scheduled safety net); returns how many succeeded."""
    now = now or timezone.now()
    due = list(Delivery.objects.filter(delivered_at__isnull=True, next_attempt_at__lte=now)
               .order_by("next_attempt_at").values_list("pk", flat=True)[:limit])
    return sum(attempt_delivery(pk, now) for pk in due)


@dataclass(frozen=True)
class Applied:
    """Where a change stands for one system using it: applied (with the time) or still on its way."""

    system: str
    applied_at: datetime.datetime | None
    attempts: int = 0


def propagation_status(person) -> tuple[PreferenceChange | None, list[Applied]]:
    """The member's latest change and, for the campaign audience and each subscriber, when it was applied."""
    change = PreferenceChange.objects.filter(person=person).first()
    if change is None:
        return None, []
    rows = [Applied(_("Our campaigns"), change.audience_applied_at)]
    for delivery in change.deliveries.select_related("subscriber").order_by("subscriber__name"):
        rows.append(Applied(delivery.subscriber.name, delivery.delivered_at, delivery.attempts))
    return change, rows


# --- prospects (COMM-10, RET-2) ---------------------------------------------------------------------------

def record_prospect(*, first_name: str, last_name: str, source: str, email: str = "", phone: str = "",
                    source_detail: str = "", consent: bool = False,
                    at: datetime.datetime | None = None) -> Prospect:
    """Store a prospect with where their data came from and whether they consented."""
    first_name, last_name = (first_name or "").strip(), (last_name or "").strip()
    if not first_name or not last_name or len(first_name) > 100 or len(last_name) > 100:
        raise CommunicationError(_("Give the prospect's first and last name (100 characters at most)."))
    if source not in ProspectSource.values:
        raise CommunicationError(_("Say where the prospect's data come from."))
    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise CommunicationError(_("This is not a valid e-mail address, e.g. name@example.be."), "email") from None
    number = ""
    if phone:
        number = normalise_phone(phone)
        if number is None:
            raise CommunicationError(_("This is not a valid phone number, e.g. 0470 12 34 56."), "phone")
    if not email and not number:
        raise CommunicationError(_("A prospect needs an e-mail address or a phone number."))
    at = at or timezone.now()
    return Prospect.objects.create(first_name=first_name, last_name=last_name, email=email, phone=number,
                                   source=source, source_detail=(source_detail or "").strip()[:200],
                                   consent_given_at=at if consent else None, collected_at=at)


def prospects_to_erase(now: datetime.datetime | None = None):
    """The prospects collected longer ago than the retention period (RET-2): shown before erasing (RET-9)."""
    now = now or timezone.now()
    return Prospect.objects.filter(collected_at__lte=now - datetime.timedelta(days=settings.PROSPECT_RETENTION_DAYS))


def erase_expired_prospects(now: datetime.datetime | None = None) -> int:
    deleted, _detail = prospects_to_erase(now).delete()
    return deleted


# --- call recordings (COMM-12, RET-3) ----------------------------------------------------------------------

def register_recording(*, started_at: datetime.datetime, notice_given_at: datetime.datetime | None,
                       notice_language: str, purpose: str, audio: str, person=None,
                       caller_number: str = "") -> CallRecording:
    """Register a recorded call. A call is recorded only after the caller was told, at the start."""
    if notice_given_at is None:
        raise CommunicationError(_("A call may be recorded only after the caller was told at the start."))
    if notice_given_at > started_at + datetime.timedelta(seconds=60):
        raise CommunicationError(_("The caller must be told at the start of the call, not later."))
    if purpose not in RecordingPurpose.values:
        raise CommunicationError(_("Say why the call is recorded: evidence or quality of service."))
    if notice_language not in dict(settings.LANGUAGES):
        raise CommunicationError(_("Unknown language of the notice."))
    if not audio:
        raise CommunicationError(_("Name the audio file of the recording."))
    return CallRecording.objects.create(person=person, caller_number=normalise_phone(caller_number) or "",
                                        started_at=started_at, notice_given_at=notice_given_at,
                                        notice_language=notice_language, purpose=purpose, audio=audio)


def recordings_to_erase(now: datetime.datetime | None = None):
    """Recordings older than their short retention (RET-3), except those held as evidence (RET-4)."""
    now = now or timezone.now()
    limit = now - datetime.timedelta(days=settings.CALL_RECORDING_RETENTION_DAYS)
    return CallRecording.objects.filter(started_at__lte=limit, legal_hold=False)


def erase_expired_recordings(now: datetime.datetime | None = None) -> int:
    """Delete the audio file and the register entry of every expired recording."""
    count = 0
    for recording in recordings_to_erase(now):
        if recording.audio and default_storage.exists(recording.audio):
            default_storage.delete(recording.audio)
        recording.delete()
        count += 1
    return count
