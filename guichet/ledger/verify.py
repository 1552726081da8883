"""Checking the whole ledger: every entry's hash, the links between entries, the sequence without gaps,
and every signed checkpoint; the first entry that was changed, removed, inserted or reordered is named.

Entries stream in sequence order through a server-side cursor as plain tuples, and only the previous
hash is kept between rows: memory stays flat on millions of entries. The hot loop rebuilds each entry's
canonical bytes with one f-string (the same bytes as `chain.rest_bytes`) and calls hashlib directly.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import CharField, Func
from django.utils.translation import gettext as _

from guichet.ledger import chain, signing
from guichet.ledger.models import GENESIS_HASH, HEAD_ID, Checkpoint, LedgerEntry, LedgerHead

logger = logging.getLogger("guichet.ledger")

CHUNK_SIZE = 20_000
COLUMNS = ("sequence", "previous_hash", "hash", *chain.HASHED_FIELDS)


class Problem:
    CHANGED = "changed"
    REMOVED = "removed"
    INSERTED = "inserted"
    REORDERED = "reordered"
    REWRITTEN = "rewritten"  # consistent hashes, but a signed checkpoint disagrees


@dataclass
class VerifyResult:
    ok: bool
    entries: int
    checkpoints: int
    first_bad_sequence: int | None = None
    problem: str = ""
    message: str = ""
    head_hash: str = ""  # the hash of the last entry verified

    def __str__(self) -> str:
        if self.ok:
            return f"ledger verified: {self.entries} entries, {self.checkpoints} checkpoints"
        return (f"ledger verification FAILED at entry {self.first_bad_sequence} ({self.problem}): "
                f"{self.message}")


def verify_chain(*, chunk_size: int = CHUNK_SIZE) -> VerifyResult:
    """Verify the whole chain as one snapshot (PostgreSQL: REPEATABLE READ, so the head, the checkpoints
    and the entries agree while appends go on; later appends wait for the next run). Inside a
    transaction, PostgreSQL streams the cursor instead of materialising it."""
    # Only the outermost transaction can choose its isolation (a caller's block or a test's runs already).
    snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
    with transaction.atomic():
        if snapshot:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        signed = _checkpoints()
        head = LedgerHead.objects.filter(pk=HEAD_ID).values_list("sequence", "hash").first()
        result = _walk(_stream(LedgerEntry.objects.order_by("sequence"), chunk_size), signed)
    if not result.ok:
        return result
    last_sequence = result.entries
    if head is not None and last_sequence > head[0]:  # the head row was moved back over entries
        return VerifyResult(False, result.entries, result.checkpoints, head[0] + 1, Problem.INSERTED,
                            f"entries after {head[0]} lie beyond the head of the chain")
    # Entries removed from the end leave no gap; the head row and the checkpoints remember how far it went.
    reached = max([sequence for sequence in signed if sequence > last_sequence]
                  + ([head[0]] if head is not None and head[0] > last_sequence else []), default=None)
    if reached is not None:
        return VerifyResult(False, result.entries, result.checkpoints, last_sequence + 1, Problem.REMOVED,
                            f"the chain ends at {last_sequence} but had reached {reached}")
    # The last entry has no successor to break: the head row remembers its hash.
    if head is not None and head[0] == last_sequence and last_sequence and head[1] != result.head_hash:
        return VerifyResult(False, result.entries, result.checkpoints, last_sequence, Problem.CHANGED,
                            f"entry {last_sequence} was changed and re-hashed: the head holds another hash")
    # Appends sign every N-th entry: a chain rewritten together with its checkpoints removed still lacks
    # the organisation's signature at the last multiple of N.
    every = _checkpoint_every()
    due = last_sequence - last_sequence % every if every else 0
    if due and due not in signed:
        return VerifyResult(False, result.entries, result.checkpoints, 1, Problem.REWRITTEN,
                            f"the signed checkpoint at {due} is missing: the chain up to it may have been "
                            "rewritten with recomputed hashes")
    return result


def _checkpoint_every() -> int:
    from guichet.ledger.services import checkpoint_every

    return checkpoint_every()


class CanonicalTime(Func):
    """The instant as the canonical bytes spell it (`chain.timestamp`), written by PostgreSQL: loading a
    timestamptz into a Python datetime costs more than hashing the whole entry."""

    template = "to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"+00:00\"')"
    output_field = CharField()


def _stream(entries, chunk_size: int) -> Iterator[tuple]:
    """Rows of COLUMNS in sequence order through a server-side cursor, the instant already as text."""
    if connection.vendor == "postgresql":
        columns = ["canonical_time" if name == "recorded_at" else name for name in COLUMNS]
        return entries.annotate(canonical_time=CanonicalTime("recorded_at")).values_list(*columns).iterator(
            chunk_size=chunk_size)
    position = COLUMNS.index("recorded_at")
    return (row[:position] + (chain.timestamp(row[position]),) + row[position + 1:]
            for row in entries.values_list(*COLUMNS).iterator(chunk_size=chunk_size))


def _checkpoints() -> dict[int, tuple[str, bool]]:
    """sequence -> (signed head hash, whether the signature is the organisation's)."""
    key = signing.public_key()
    key_fingerprint = signing.fingerprint(key)
    rows = Checkpoint.objects.order_by("sequence").values_list("sequence", "head_hash", "signature",
                                                               "key_fingerprint")
    return {
        sequence: (head_hash, fingerprint == key_fingerprint
                   and signing.signature_is_valid(key, sequence, head_hash, signature))
        for sequence, head_hash, signature, fingerprint in rows
    }


def segment_is_intact(sequence: int, head_hash: str) -> bool:
    """Whether the entries since the last checkpoint, up to `sequence` whose hash must be `head_hash`,
    verify from that checkpoint on: a checkpoint must never put the organisation's signature on a tail
    that was already rewritten. Costs at most one checkpoint interval of entries."""
    last = (Checkpoint.objects.filter(sequence__lt=sequence).order_by("-sequence")
            .values_list("sequence", "head_hash", "signature", "key_fingerprint").first())
    start, start_hash = 0, GENESIS_HASH
    if last is not None:
        key = signing.public_key()
        if last[3] != signing.fingerprint(key) or not signing.signature_is_valid(key, *last[:3]):
            return False
        start, start_hash = last[0], last[1]
    entries = LedgerEntry.objects.filter(sequence__gt=start, sequence__lte=sequence).order_by("sequence")
    result = _walk(_stream(entries, CHUNK_SIZE), {}, after=start, after_hash=start_hash)
    return result.ok and result.entries == sequence and result.head_hash == head_hash


def _walk(stream: Iterator[tuple], signed: dict[int, tuple[str, bool]], *, after: int = 0,
          after_hash: str = GENESIS_HASH) -> VerifyResult:
    """Check each row of the stream, which must start right after entry `after` (hash `after_hash`)."""
    sha256 = hashlib.sha256
    expected = after + 1
    last_hash = after_hash
    last_good_checkpoint = after
    checkpoints = 0
    for row in stream:
        (sequence, previous_hash, entry_hash, recorded_at, kind, actor_kind, actor_ref, actor_label,
         actor_role, subject_id, context, payload, visible) = row
        data = (f"{previous_hash}\x1f{sequence}\x1f{recorded_at}"
                f"\x1f{kind}\x1f{actor_kind}\x1f{actor_ref}\x1f{actor_label}\x1f{actor_role}"
                f"\x1f{'' if subject_id is None else subject_id}\x1f{context}\x1f{payload}"
                f"\x1f{'1' if visible else '0'}")
        if (sequence != expected or previous_hash != last_hash
                or sha256(data.encode()).hexdigest() != entry_hash):
            return _diagnose(row, expected, stream, checkpoints)
        if sequence in signed:
            signed_hash, genuine = signed[sequence]
            if not genuine or signed_hash != entry_hash:
                reason = "signed another hash" if genuine else "does not carry the organisation's signature"
                return VerifyResult(
                    False, expected - 1, checkpoints, last_good_checkpoint + 1, Problem.REWRITTEN,
                    f"the checkpoint at {sequence} {reason}: entries {last_good_checkpoint + 1}–{sequence} "
                    "were rewritten with recomputed hashes")
            last_good_checkpoint = sequence
            checkpoints += 1
        last_hash = entry_hash
        expected += 1
    return VerifyResult(True, expected - 1, checkpoints, head_hash=last_hash)


def _shift(row: tuple) -> int | None:
    """By how much the entry moved: 0 when its hash holds at its sequence, -1 when it holds at the
    sequence before (it was pushed down by an insertion), +1 at the one after; None when it was changed."""
    sequence, previous_hash, entry_hash, *hashed = row
    rest = chain.row_rest(hashed)
    for offset in (0, -1, 1):
        if chain.entry_hash(previous_hash, sequence + offset, rest) == entry_hash:
            return offset
    return None


def _diagnose(row: tuple, expected: int, stream: Iterator[tuple], checkpoints: int) -> VerifyResult:
    """Name the first bad entry and what happened to it, from the row where the chain breaks."""
    sequence = row[0]
    checked = expected - 1

    def failed(first: int, problem: str, message: str) -> VerifyResult:
        return VerifyResult(False, checked, checkpoints, first, problem, message)

    if sequence != expected:
        return failed(expected, Problem.REMOVED,
                      f"entries {expected}–{sequence - 1} are missing" if sequence - 1 > expected
                      else f"entry {expected} is missing")
    offset = _shift(row)
    if offset is None:
        return failed(sequence, Problem.CHANGED, f"entry {sequence} does not match its hash")
    if offset == 0:  # intact itself, but its predecessor is not the entry it was chained to
        return failed(sequence - 1, Problem.CHANGED, f"entry {sequence - 1} was changed and re-hashed: "
                                                     f"entry {sequence} no longer links to it")
    if offset == -1:
        return failed(sequence - 1, Problem.INSERTED,
                      f"entry {sequence - 1} was inserted: the entries after it were moved down by one")
    following = next(stream, None)
    if following is not None and following[0] == sequence + 1 and _shift(following) == -1:
        return failed(sequence, Problem.REORDERED, f"entries {sequence} and {sequence + 1} were swapped")
    return failed(sequence, Problem.REMOVED,
                  f"entry {sequence} was removed and the entries after it renumbered")


def alert_staff(result: VerifyResult) -> int:
    """E-mail the administrators and the DPO office that verification failed, with the first bad
    sequence number and nothing else (the details are in the log). Returns how many were told."""
    from guichet.accounts.models import StaffRole, User
    from guichet.messaging.services import email_to

    recipients = (User.objects.filter(staff_role__in=[StaffRole.ADMINISTRATOR, StaffRole.DPO_OFFICE],
                                      is_active=True).exclude(email="").values_list("email", flat=True))
    count = 0
    for address in recipients:
        email_to(address, settings.LANGUAGE_CODE, lambda: (
            _("Ledger verification failed"),
            _("The daily verification of the evidence ledger failed. The first entry that does not verify "
              "is number %(sequence)s. Run “manage.py ledger verify” for the details.")
            % {"sequence": result.first_bad_sequence},
        ))
        count += 1
    return count
