"""`BENCH ledger-append`: ledger appends per second against raw single-row INSERTs of the same size into
a plain table, each in its own transaction, in the same run. Target: ratio = ledger / raw >= 0.7.

Both sides run in this process on the bench database (PostgreSQL), through Django's connection, one
transaction per row, the sides alternating round by round after a warm-up. A ledger append is
`ledger.services.append` as the back office calls it (a staff actor, a member as subject, a payload of
a file opening); a raw insert writes the same column values into `bench_raw_entry`, a table with a
primary key and nothing else. Where a commit costs little (this machine's disk: some 0.05 ms), the
ratio shows the ledger's own work (the locked head row, a second row, three index entries, the hash, the
payload's checks); where a commit costs a millisecond or more, it tends towards 1.

Also printed: the verify rate (`verify_per_s`, wall; `verify_cpu_per_s`, entries per CPU second of
this process, i.e. one core) over the whole ledger, which the set-up fills to `verify_entries` (full
size: one million entries, built once with valid hashes and checkpoints, then reused), and the result
of 8 writer threads appending at once, each with its own connection (`concurrent=ok` when the chain
has no gap, no duplicate and no fork and verifies; otherwise `errors` counts it).
"""

import statistics
import threading
import time
from dataclasses import dataclass

from bench import harness
from bench.harness import Run

NAME = "ledger-append"
RAW_TABLE = "bench_raw_entry"
PAYLOAD = {"purpose": "claims_handling", "reason": "call", "case": "C-2026-004217", "channel": "phone",
           "identity_checked": "questions", "fields": ["identification", "affiliation", "contact"]}
WRITERS = 8


@dataclass(frozen=True)
class LedgerSize:
    appends_per_round: int
    rounds: int
    verify_entries: int
    appends_per_writer: int


SIZES = {
    "tiny": LedgerSize(appends_per_round=100, rounds=2, verify_entries=20_000, appends_per_writer=10),
    "full": LedgerSize(appends_per_round=1_000, rounds=5, verify_entries=1_000_000, appends_per_writer=100),
}


def run(run: Run) -> dict:
    from django.db import connection

    if connection.vendor != "postgresql":
        raise harness.BenchError("the ledger benchmark needs PostgreSQL (BENCH_DATABASE_URL)")
    size = SIZES[run.size.name]
    from guichet.accounts.models import StaffRole, User
    from guichet.members.models import Person

    actor = User.objects.filter(staff_role=StaffRole.AGENT).first()
    subject = Person.objects.order_by("pk").first()
    if actor is None or subject is None:
        raise harness.BenchError("the bench database holds no agent or no person")
    _create_raw_table()
    fill_ledger(size.verify_entries)

    sides = {"ledger": lambda: _ledger_round(size.appends_per_round, actor, subject),
             "raw": lambda: _raw_round(size.appends_per_round, actor, subject)}
    for side in sides.values():  # warm-up: connection, caches, the key file
        side()
    rates: dict[str, list[float]] = {"ledger": [], "raw": []}
    for index in range(size.rounds):
        for name in (("ledger", "raw") if index % 2 == 0 else ("raw", "ledger")):
            started = time.perf_counter()
            sides[name]()
            rates[name].append(size.appends_per_round / (time.perf_counter() - started))
    harness.log(f"appends/s ledger {rates['ledger']} raw {rates['raw']}")

    concurrent_ok, concurrent_rate = _concurrent(size.appends_per_writer)
    entries, wall, cpu = _verify()
    ledger_rate, raw_rate = statistics.median(rates["ledger"]), statistics.median(rates["raw"])
    return {
        "appends_per_s": ledger_rate, "raw_per_s": raw_rate,
        "verify_entries": entries, "verify_per_s": entries / wall, "verify_cpu_per_s": entries / cpu,
        "concurrent": "ok" if concurrent_ok else "FAILED", "writers": WRITERS,
        "concurrent_appends_per_s": concurrent_rate, "errors": 0 if concurrent_ok else 1,
        "ratio": ledger_rate / raw_rate,
    }


def _create_raw_table() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {RAW_TABLE}")
        cursor.execute(f"""CREATE TABLE {RAW_TABLE} (
            id bigserial PRIMARY KEY, sequence bigint, recorded_at timestamptz, kind varchar(80),
            actor_kind varchar(6), actor_ref varchar(36), actor_label varchar(200), actor_role varchar(20),
            subject_id bigint, context varchar(40), payload text, previous_hash varchar(64), hash varchar(64),
            visible_to_subject boolean)""")


def _ledger_round(count: int, actor, subject) -> None:
    from django.db import transaction

    from guichet.ledger.services import append

    for _ in range(count):
        with transaction.atomic():
            append("backoffice.file_opened", actor=actor, subject=subject, payload=PAYLOAD)


def _raw_round(count: int, actor, subject) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from guichet.ledger.chain import canonical_json

    payload = canonical_json(PAYLOAD)
    fake_hash = "f" * 64
    sql = (f"INSERT INTO {RAW_TABLE} (sequence, recorded_at, kind, actor_kind, actor_ref, actor_label, "  # noqa: S608
           "actor_role, subject_id, context, payload, previous_hash, hash, visible_to_subject) "
           "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)")
    for index in range(count):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [index, timezone.now(), "backoffice.file_opened", "staff",
                                 str(actor.public_id), str(actor), actor.staff_role, subject.pk, "operations",
                                 payload, fake_hash, fake_hash, True])


def fill_ledger(target: int) -> None:
    """Bring the ledger to `target` entries with valid hashes and checkpoints, fast (COPY), continuing the
    chain from its head; entries from earlier runs are kept (the ledger cannot be emptied)."""
    import datetime as dt

    from django.db import connection, transaction
    from django.utils import timezone

    from guichet.ledger import chain, signing
    from guichet.ledger.models import GENESIS_HASH, HEAD_ID, Checkpoint, LedgerEntry, LedgerHead
    from guichet.ledger.services import checkpoint_every

    with transaction.atomic():
        head = LedgerHead.objects.select_for_update().filter(pk=HEAD_ID).first()
        sequence, last_hash = (head.sequence, head.hash) if head else (0, GENESIS_HASH)
        if LedgerEntry.objects.filter(sequence__gt=sequence).exists():
            raise harness.BenchError("the ledger's head row is behind its entries")
        missing = target - sequence
        if missing <= 0:
            harness.log(f"reusing {sequence} ledger entries")
            return
        harness.log(f"building {missing} ledger entries")
        started = time.perf_counter()
        every = checkpoint_every() or 1000
        payload = chain.canonical_json(PAYLOAD)
        base = timezone.now() - dt.timedelta(days=365)
        checkpoints = []
        columns = ("sequence", "recorded_at", "kind", "actor_kind", "actor_ref", "actor_label", "actor_role",
                   "subject_id", "context", "payload", "previous_hash", "hash", "visible_to_subject")
        with connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg's own cursor, for COPY
            with raw.copy(f"COPY ledger_ledgerentry ({', '.join(columns)}) FROM STDIN") as copy:
                for _ in range(missing):
                    sequence += 1
                    recorded_at = base + dt.timedelta(microseconds=31_536 * sequence)
                    fields = (recorded_at, "backoffice.file_opened", "system", "", "", "", None, "operations",
                              payload, True)
                    entry_hash = chain.entry_hash(last_hash, sequence, chain.rest_bytes(*fields))
                    copy.write_row((sequence, *fields[:9], last_hash, entry_hash, fields[9]))
                    if sequence % every == 0:
                        signature, fingerprint = signing.sign(sequence, entry_hash)
                        checkpoints.append(Checkpoint(sequence=sequence, head_hash=entry_hash,
                                                      signed_at=timezone.now(), signature=signature,
                                                      key_fingerprint=fingerprint))
                    last_hash = entry_hash
        Checkpoint.objects.bulk_create(checkpoints, batch_size=5000)
        previous = LedgerEntry.objects.get(sequence=sequence).previous_hash
        LedgerHead.objects.update_or_create(
            pk=HEAD_ID, defaults={"sequence": sequence, "previous_hash": previous, "hash": last_hash})
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE ledger_ledgerentry")
    harness.log(f"ledger built in {time.perf_counter() - started:.1f} s")


def _concurrent(per_writer: int) -> tuple[bool, float]:
    """8 threads append at once, each with its own connection; then the new range must be gapless,
    without duplicate and chained (no fork)."""
    from django.db import connections, transaction

    from guichet.ledger.models import HEAD_ID, LedgerEntry, LedgerHead
    from guichet.ledger.services import append

    before, before_hash = LedgerHead.objects.values_list("sequence", "hash").get(pk=HEAD_ID)
    start = threading.Barrier(WRITERS)
    failures: list[BaseException] = []

    def write(writer: int) -> None:
        try:
            start.wait()
            for index in range(per_writer):
                with transaction.atomic():
                    append("bench.concurrent", actor=None, payload={"writer": writer, "index": index})
        except BaseException as error:  # noqa: BLE001 - counted below
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(writer,)) for writer in range(WRITERS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    rows = list(LedgerEntry.objects.filter(sequence__gt=before).order_by("sequence")
                .values_list("sequence", "previous_hash", "hash"))
    expected = WRITERS * per_writer
    gapless = [row[0] for row in rows] == list(range(before + 1, before + expected + 1))
    chained = [row[1] for row in rows] == [before_hash] + [row[2] for row in rows[:-1]]
    for failure in failures:
        harness.log(f"a writer failed: {failure!r}")
    return (not failures and gapless and chained), expected / elapsed


def _verify() -> tuple[int, float, float]:
    from guichet.ledger.verify import verify_chain

    wall, cpu = time.perf_counter(), time.process_time()
    result = verify_chain()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if not result.ok:
        raise harness.BenchError(f"the bench ledger does not verify: {result}")
    return result.entries, wall, cpu
