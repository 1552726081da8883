"""The staff confidentiality undertaking (ACL-2): its versioned text, and the acknowledgement every staff
member gives once per version before any back-office page opens. Each acknowledgement is recorded with
its time, the text version and the digest of the text shown, and written to the ledger."""

import hashlib
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language

from guichet.backoffice import ledger_kinds
from guichet.backoffice.models import ConfidentialityAcknowledgement
from guichet.ledger.services import append

security_log = logging.getLogger("guichet.security")
SESSION_KEY = "confidentiality_acknowledged"


def current_version() -> str:
    return settings.BACKOFFICE_CONFIDENTIALITY_VERSION


def current_text() -> str:
    """The undertaking of the current version, in the page's language (rendered from its template)."""
    return render_to_string(f"backoffice/confidentiality/{current_version()}.html").strip()


def has_acknowledged_current(staff, session=None) -> bool:
    """Whether `staff` acknowledged the current version (remembered in the session when one is given)."""
    version = current_version()
    if session is not None and session.get(SESSION_KEY) == version:
        return True
    done = ConfidentialityAcknowledgement.objects.filter(
        staff_id=getattr(staff, "pk", None), text_version=version
    ).exists()
    if done and session is not None:
        session[SESSION_KEY] = version
    return done


def acknowledge(staff, *, shown_text: str, session=None) -> ConfidentialityAcknowledgement:
    """Record that `staff` acknowledged the current text (idempotent for a version already acknowledged)."""
    version = current_version()
    existing = ConfidentialityAcknowledgement.objects.filter(staff=staff, text_version=version).first()
    if existing is not None:
        return existing
    digest = hashlib.sha256(shown_text.encode()).hexdigest()
    try:
        with transaction.atomic():
            record = ConfidentialityAcknowledgement.objects.create(
                staff=staff,
                text_version=version,
                text_sha256=digest,
                language=(get_language() or "fr")[:5],
                acknowledged_at=timezone.now(),
            )
            append(
                ledger_kinds.CONFIDENTIALITY_ACKNOWLEDGED,
                actor=staff,
                visible_to_subject=False,
                payload={
                    "text_version": version,
                    "text_sha256": digest,
                    "language": record.language,
                },
            )
    except IntegrityError:  # the same staff member acknowledged in another tab at the same moment
        return ConfidentialityAcknowledgement.objects.get(staff=staff, text_version=version)
    security_log.info("confidentiality %s acknowledged by account %s", version, staff.pk)
    if session is not None:
        session[SESSION_KEY] = version
    return record
