"""Writing to the ledger and reading a member's entries.

`append` writes one entry in the caller's transaction, so a rolled-back action leaves no entry. On
PostgreSQL one call of the function `ledger_append` (migration 0004) locks the chain head (SELECT ... FOR
UPDATE), advances it and inserts the entry with its SHA-256 computed by the database from the locked
previous hash: concurrent writers queue on the head row, and each sees the head its predecessor committed.
Elsewhere (SQLite, for development) the head is advanced first, which takes SQLite's single write lock,
then the hash is computed in Python.
"""

from __future__ import annotations

import logging
import re
from functools import cache

from django.conf import settings
from django.db import connections, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.ledger import chain, signing
from guichet.ledger.errors import LedgerError
from guichet.ledger.models import GENESIS_HASH, HEAD_ID, ActorKind, Checkpoint, LedgerEntry, LedgerHead

logger = logging.getLogger("guichet.ledger")
KIND_RE = re.compile(r"^[a-z][a-z0-9_]*(?:[.:][a-z0-9_]+)*$")
DEFAULT_CHECKPOINT_EVERY = 1000

# The function is installed by migration 0004 (PostgreSQL only).
_APPEND_SQL = """
SELECT entry_id, entry_sequence, entry_previous_hash, entry_hash
  FROM ledger_append(%(rest)s, %(recorded_at)s, %(kind)s, %(actor_kind)s, %(actor_ref)s, %(actor_label)s,
                     %(actor_role)s, %(subject_id)s, %(context)s, %(payload)s, %(visible_to_subject)s)
"""


def checkpoint_every() -> int:
    """Sign the head every N entries (GUICHET_LEDGER_CHECKPOINT_EVERY; 0 leaves it to the schedule)."""
    return getattr(settings, "GUICHET_LEDGER_CHECKPOINT_EVERY", DEFAULT_CHECKPOINT_EVERY)


def append(kind: str, *, actor, subject=None, context: str = "operations", payload: dict | None = None,
           visible_to_subject: bool = True) -> LedgerEntry:
    """Append one entry in the caller's transaction (LedgerError outside transaction.atomic).

    actor: a members.Person (a member acting), an accounts.User (staff; for a member's account, its
    person is stored), or None (the system). subject: the members.Person the entry is about, or None.
    payload: a JSON object of text, integers, booleans, null, lists and objects; stored as canonical
    JSON (floats and NaN are refused). Nothing is written when anything is refused."""
    connection = connections["default"]
    if not connection.in_atomic_block:
        raise LedgerError(_("A ledger entry is written inside the transaction of the action it records."))
    check_kind(kind)
    check_context(context)
    payload_text = chain.canonical_json(payload)
    actor_kind, actor_ref, actor_label, actor_role = describe_actor(actor)
    subject_id = _subject_id(subject)
    recorded_at = timezone.now()
    fields = dict(recorded_at=recorded_at, kind=kind, actor_kind=actor_kind, actor_ref=actor_ref,
                  actor_label=actor_label, actor_role=actor_role, subject_id=subject_id, context=context,
                  payload=payload_text, visible_to_subject=bool(visible_to_subject))
    rest = chain.rest_bytes(**fields)
    if connection.vendor == "postgresql":
        entry = _append_postgresql(connection, fields, rest)
    else:
        entry = _append_portable(fields, rest)
    every = checkpoint_every()
    if every and entry.sequence % every == 0:
        write_checkpoint(entry.sequence, entry.hash)
    return entry


def entries_about(person, *, for_member: bool = True) -> QuerySet:
    """The entries whose subject is `person`, newest first. For the member (ACL-6) only those they may
    see: entries written with visible_to_subject=False (a fraud investigation) are left out."""
    entries = LedgerEntry.objects.about(person)
    if for_member:
        entries = entries.filter(visible_to_subject=True)
    return entries.order_by("-sequence")


def write_checkpoint(sequence: int, head_hash: str) -> Checkpoint | None:
    """Sign the head hash at `sequence` with the organisation's key and keep the signature, once the
    entries since the last checkpoint verify; otherwise sign nothing and log an error (the daily
    verification names the bad entry and alerts staff). Never refuses the caller's action."""
    from guichet.ledger.verify import segment_is_intact

    if not segment_is_intact(sequence, head_hash):
        logger.error("Ledger checkpoint at %s not signed: the entries since the last checkpoint do not "
                     "verify.", sequence)
        return None
    signature, key_fingerprint = signing.sign(sequence, head_hash)
    return Checkpoint.objects.create(sequence=sequence, head_hash=head_hash, signed_at=timezone.now(),
                                     signature=signature, key_fingerprint=key_fingerprint)


def checkpoint_head() -> Checkpoint | None:
    """Sign the head if it has no checkpoint yet (the scheduled job). The head row is locked, so no
    append moves it meanwhile, and its hash must be the last entry's: a tail rewritten behind it is
    not signed."""
    with transaction.atomic():
        head = (LedgerHead.objects.select_for_update().filter(pk=HEAD_ID)
                .values_list("sequence", "hash").first())
        if head is None or head[0] == 0 or Checkpoint.objects.filter(sequence=head[0]).exists():
            return None
        return write_checkpoint(*head)


def check_kind(kind: str) -> None:
    if not isinstance(kind, str) or len(kind) > 80 or not KIND_RE.match(kind):
        raise LedgerError(_("“%(kind)s” is not a ledger entry kind (lowercase words joined by dots).")
                          % {"kind": kind})


def check_context(context: str) -> None:
    if not isinstance(context, str) or context not in _register_contexts():
        raise LedgerError(_("“%(context)s” is not a context of the register.") % {"context": context})


@cache
def _register_contexts() -> frozenset[str]:
    """The register's context keys; the register is loaded once per process, and this saves finding
    it again on every append."""
    from guichet.privacy.register import load_register

    return frozenset(context.key for context in load_register().contexts)


def describe_actor(actor) -> tuple[str, str, str, str]:
    """(actor_kind, actor_ref, actor_label, actor_role) as the entry keeps them: names as they are today,
    so the entry still says who acted after a change of name or role."""
    from guichet.accounts.models import User
    from guichet.members.models import Person

    if actor is None:
        return ActorKind.SYSTEM, "", "", ""
    if isinstance(actor, User):
        if actor.staff_role:
            return (ActorKind.STAFF, str(actor.public_id), chain.clean_label(str(actor)), actor.staff_role)
        if actor.person_id is None:
            raise LedgerError(_("This account is neither a member's nor a staff member's: it cannot act."))
        actor = actor.person
    if isinstance(actor, Person):
        if actor.pk is None:
            raise LedgerError(_("The acting person is not saved in the registry."))
        return ActorKind.PERSON, str(actor.public_id), chain.clean_label(actor.full_name), ""
    raise LedgerError(_("The actor of a ledger entry is a person, an account or nobody (the system)."))


def _subject_id(subject) -> int | None:
    from guichet.members.models import Person

    if subject is None:
        return None
    if not isinstance(subject, Person) or subject.pk is None:
        raise LedgerError(_("The subject of a ledger entry is a person of the registry."))
    return subject.pk


def _append_postgresql(connection, fields: dict, rest: bytes) -> LedgerEntry:
    params = dict(fields, rest=rest)
    with connection.cursor() as cursor:
        cursor.execute(_APPEND_SQL, params)
        row = cursor.fetchone()
        if row[0] is None:  # no head row yet (a new or flushed database): create it, then append
            _ensure_head()
            cursor.execute(_APPEND_SQL, params)
            row = cursor.fetchone()
    pk, sequence, previous_hash, entry_hash = row
    entry = LedgerEntry(pk=pk, sequence=sequence, previous_hash=previous_hash, hash=entry_hash, **fields)
    entry._state.adding = False
    entry._state.db = "default"
    return entry


def _append_portable(fields: dict, rest: bytes) -> LedgerEntry:
    # Advancing the head first takes the database's write lock before anything is read.
    if not LedgerHead.objects.filter(pk=HEAD_ID).update(sequence=F("sequence") + 1):
        _ensure_head()
        LedgerHead.objects.filter(pk=HEAD_ID).update(sequence=F("sequence") + 1)
    head = LedgerHead.objects.select_for_update().get(pk=HEAD_ID)
    entry_hash = chain.entry_hash(head.hash, head.sequence, rest)
    LedgerHead.objects.filter(pk=HEAD_ID).update(previous_hash=head.hash, hash=entry_hash)
    return LedgerEntry.objects.create(sequence=head.sequence, previous_hash=head.hash, hash=entry_hash,
                                      **fields)


def _ensure_head() -> None:
    """Create the head row from the last entry (or the genesis), unless another writer just did."""
    last = LedgerEntry.objects.order_by("-sequence").values_list("sequence", "previous_hash", "hash").first()
    sequence, previous_hash, head_hash = last or (0, GENESIS_HASH, GENESIS_HASH)
    LedgerHead.objects.bulk_create(
        [LedgerHead(pk=HEAD_ID, sequence=sequence, previous_hash=previous_hash, hash=head_hash)],
        ignore_conflicts=True,
    )
