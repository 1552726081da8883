"""One-time codes sent by SMS (ACC-2, ACC-3): at least 6 digits, 10 minutes, single use, bound to
the attempt that asked for them, 5 tries at most. Only a keyed hash of the code is stored."""

import enum
import hashlib
import hmac
import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from guichet.accounts.models import CodePurpose, OneTimeCode


class CodeCheck(enum.Enum):
    ACCEPTED = "accepted"
    WRONG = "wrong"
    EXPIRED = "expired"
    USED = "used"
    TOO_MANY_TRIES = "too_many_tries"
    UNKNOWN_ATTEMPT = "unknown_attempt"


def _hash(attempt: uuid.UUID, code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{attempt}:{code}".encode(), hashlib.sha256).hexdigest()


def issue_code(person, purpose: CodePurpose, destination: str) -> tuple[OneTimeCode, str]:
    """A new code for this person and purpose; earlier unused ones for the same purpose stop working."""
    digits = settings.OTP_CODE_DIGITS
    code = f"{secrets.randbelow(10**digits):0{digits}d}"
    now = timezone.now()
    OneTimeCode.objects.filter(person=person, purpose=purpose, used_at__isnull=True).update(used_at=now)
    record = OneTimeCode(
        purpose=purpose, person=person, destination=destination, created_at=now,
        expires_at=now + timedelta(seconds=settings.OTP_CODE_TTL_SECONDS),
    )
    record.code_hash = _hash(record.attempt, code)
    record.save()
    return record, code


def check_code(attempt: str | uuid.UUID | None, purpose: CodePurpose, typed: str) -> tuple[CodeCheck, OneTimeCode | None]:
    """Check a typed code against the attempt's; a right code is used up, a wrong one costs a try."""
    try:
        attempt_id = uuid.UUID(str(attempt))
    except ValueError:
        return CodeCheck.UNKNOWN_ATTEMPT, None
    with transaction.atomic():
        record = (
            OneTimeCode.objects.select_for_update().select_related("person")
            .filter(attempt=attempt_id, purpose=purpose).first()
        )
        if record is None:
            return CodeCheck.UNKNOWN_ATTEMPT, None
        if record.used_at is not None:
            return CodeCheck.USED, record
        if record.expires_at <= timezone.now():
            return CodeCheck.EXPIRED, record
        if record.tries >= settings.OTP_CODE_MAX_TRIES:
            return CodeCheck.TOO_MANY_TRIES, record
        record.tries += 1
        if hmac.compare_digest(record.code_hash, _hash(record.attempt, typed.strip())):
            record.used_at = timezone.now()
            record.save(update_fields=["tries", "used_at"])
            return CodeCheck.ACCEPTED, record
        record.save(update_fields=["tries"])
        return (CodeCheck.TOO_MANY_TRIES if record.tries >= settings.OTP_CODE_MAX_TRIES else CodeCheck.WRONG), record


def mask_mobile(number: str) -> str:
    """+32 4•• •• •• 67: enough for the member to recognise their number, not to learn it."""
    return f"{number[:4]}{'•' * max(len(number) - 6, 0)}{number[-2:]}" if len(number) > 6 else "•••"
