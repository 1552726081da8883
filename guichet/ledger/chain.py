"""The chain's arithmetic, shared by appends and the verifier: canonical JSON for payloads, the
canonical bytes of an entry and its SHA-256 hash.

An entry's bytes are its fields joined by the ASCII unit separator (0x1F) in a fixed order. No field can
hold that byte: payloads are JSON (which escapes control characters), kinds and contexts are keys,
labels are cleaned of control characters on append. So the encoding is unambiguous and cheap to
rebuild: the verifier re-hashes hundreds of thousands of entries a second.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re

from django.utils.translation import gettext as _

from guichet.ledger.errors import LedgerError

SEPARATOR = "\x1f"
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
# The column order of the canonical bytes (after previous hash and sequence); the verifier selects these.
HASHED_FIELDS = ("recorded_at", "kind", "actor_kind", "actor_ref", "actor_label", "actor_role", "subject_id",
                 "context", "payload", "visible_to_subject")


def canonical_json(payload: dict | None) -> str:
    """The one text of a payload: sorted keys, no whitespace, UTF-8 characters kept, no floats or NaN
    (a float has several spellings; money and measures go in as integers or strings)."""
    if payload is None:
        payload = {}
    if not isinstance(payload, dict):
        raise LedgerError(_("The ledger payload must be a JSON object."))
    _check_canonical(payload, "payload")
    try:
        text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
        text.encode("utf-8")
    except (TypeError, ValueError, UnicodeEncodeError) as error:
        message = _("The ledger payload is not canonical JSON: %(error)s") % {"error": error}
        raise LedgerError(message) from None
    return text


def _check_canonical(value, where: str) -> None:
    if value is None or isinstance(value, (bool, int, str)):
        return
    if isinstance(value, float):
        raise LedgerError(_("The ledger payload holds a floating-point number at %(where)s; use an integer "
                            "or a string.") % {"where": where})
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise LedgerError(_("The ledger payload has a key that is not text at %(where)s.")
                                  % {"where": where})
            _check_canonical(item, f"{where}.{key}")
        return
    if isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            _check_canonical(item, f"{where}[{index}]")
        return
    raise LedgerError(_("The ledger payload holds a %(type)s at %(where)s, which JSON cannot hold; convert "
                        "it to text first.") % {"type": type(value).__name__, "where": where})


def clean_label(text: str) -> str:
    """A name as the ledger keeps it: control characters (which could fake a field boundary) removed."""
    return CONTROL_CHARACTERS.sub("", text or "")[:200]


def timestamp(moment: dt.datetime) -> str:
    """The instant in the canonical bytes: UTC, ISO 8601, always with microseconds."""
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def rest_bytes(recorded_at: dt.datetime | str, kind: str, actor_kind: str, actor_ref: str, actor_label: str,
               actor_role: str, subject_id: int | None, context: str, payload: str,
               visible_to_subject: bool) -> bytes:
    """The canonical bytes of an entry after its sequence: what the append hashes in Python or SQL.
    `recorded_at` may come already spelled by `timestamp` (the verifier has PostgreSQL spell it)."""
    return SEPARATOR.join((
        recorded_at if isinstance(recorded_at, str) else timestamp(recorded_at),
        kind, actor_kind, actor_ref, actor_label, actor_role,
        "" if subject_id is None else str(subject_id), context, payload, "1" if visible_to_subject else "0",
    )).encode("utf-8")


def link_prefix(previous_hash: str, sequence: int) -> bytes:
    return f"{previous_hash}{SEPARATOR}{sequence}{SEPARATOR}".encode("ascii")


def entry_hash(previous_hash: str, sequence: int, rest: bytes) -> str:
    """SHA-256 (hex) over the previous hash, the sequence and the rest of the entry's canonical bytes."""
    return hashlib.sha256(link_prefix(previous_hash, sequence) + rest).hexdigest()


def row_rest(row) -> bytes:
    """`rest_bytes` of a row selected as (…, *HASHED_FIELDS) values — used off the hot path."""
    return rest_bytes(*row)
