"""`BENCH retention`: the nightly retention run (guichet.retention.engine: keyset batches on the primary
key, each batch in its own transaction with the run's cursor, legal holds checked, a summary in the ledger)
over 2,000,000 expired prospects on PostgreSQL, next to one hand-written `DELETE ... WHERE collected_at < ...`
of the same rows, in the same run. ratio = DELETE time / Guichet time (target >= 0.5).

Memory: the run is done in a child process (Django set up on the benchmark's database, the register already
loaded, as in a worker) with the production batch size (RETENTION_BATCH_SIZE); its peak resident size is
reported (`peak_rss_mb`). It must not grow with the number of rows, so the run is also measured on a tenth
of the rows (`peak_rss_mb_small`).

Data. Its own database, `<bench database>_retention`, migrated once and reused while its fingerprint
holds. The rows are rebuilt with COPY before each side (the sides erase them): `expired` prospects collected
400-800 days ago, interleaved with 10 % collected last month, which both sides must keep. `--size tiny`:
30,000 expired rows, a few seconds.
"""

import datetime
import json
import os
import subprocess
import sys
import time
import uuid

import psycopg

from bench import harness
from bench.harness import Run

NAME = "retention"
DATA_VERSION = 1
SIZES = {"tiny": 30_000, "full": 2_000_000}  # expired prospects

CHILD = """
import json, time
import django


def peak_rss_kb():
    # VmHWM belongs to this process image; ru_maxrss would carry the parent's peak across exec
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))


django.setup()
from guichet.privacy.register import load_register
from guichet.retention import engine
load_register()  # parsed once per worker process, not per run
started = time.perf_counter()
run = engine.run()
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "erased": engine.totals(run)["erased"],
                  "peak_rss_kb": peak_rss_kb()}))
"""


def _prepare(url: str) -> None:
    from django.core.management import call_command
    from django.db import connections

    fingerprint = harness.data_fingerprint(retention=DATA_VERSION)
    if harness._stored_fingerprint(url) == fingerprint:
        harness.log(f"retention: reusing {harness.database_name(url)}")
        return
    connections["retention"].close()
    harness._recreate_database(url)
    call_command("migrate", database="retention", verbosity=0, interactive=False)
    harness._store_fingerprint(url, fingerprint)


def _fill(url: str, expired: int) -> tuple[datetime.datetime, int]:
    """Empty the table, then COPY `expired` old prospects and one young one every ten; returns the cut-off
    the raw DELETE uses (the engine's: now minus the retention period) and how many young rows there are."""
    from django.conf import settings

    now = datetime.datetime.now(datetime.UTC)
    young = expired // 10
    columns = ["public_id", "first_name", "last_name", "email", "phone", "source", "source_detail",
               "consent_given_at", "collected_at"]

    def rows():
        for index in range(expired + young):
            old = index % 11 != 10
            at = now - datetime.timedelta(days=400 + index % 400 if old else 30, seconds=index % 86_400)
            yield (uuid.UUID(int=index + 1, version=4), "Paul", f"Prospect{index}", f"p{index}@example.be", "",
                   "event", "", None, at.isoformat())

    with psycopg.connect(harness._libpq(url)) as db:
        db.execute("TRUNCATE communication_prospect, retention_runtarget, retention_retentionrun")
        harness.copy_rows(db, "communication_prospect", columns, rows())
        db.commit()
    with psycopg.connect(harness._libpq(url), autocommit=True) as db:
        db.execute("VACUUM ANALYZE communication_prospect")
    count = sum(1 for index in range(expired + young) if index % 11 == 10)
    return now - datetime.timedelta(days=settings.PROSPECT_RETENTION_DAYS), count


def _guichet(url: str) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "guichet.settings", "DATABASE_URL": url, "DEBUG": "0",
           "CELERY_BROKER_URL": "memory://"}
    env.pop("REDIS_URL", None)
    from django.conf import settings

    done = subprocess.run([sys.executable, "-c", CHILD], cwd=settings.BASE_DIR, env=env,
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise harness.BenchError(f"retention: the run failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _remaining(url: str) -> int:
    with psycopg.connect(harness._libpq(url)) as db:
        return db.execute("SELECT count(*) FROM communication_prospect").fetchone()[0]


def run(run: Run) -> dict:
    from django.conf import settings
    from django.db import connections

    expired = SIZES[run.size.name]
    url = harness.own_database_url(run.database_url, "retention")
    harness.connect_alias("retention", url)
    try:
        _prepare(url)
        harness.log(f"retention: {expired // 10} rows, for the memory at a tenth of the size")
        _fill(url, expired // 10)
        small = _guichet(url)

        harness.log(f"retention: {expired} expired rows, Guichet's run")
        _cutoff, young = _fill(url, expired)
        guichet = _guichet(url)
        if guichet["erased"] != expired or _remaining(url) != young:
            raise harness.BenchError(f"retention: Guichet erased {guichet['erased']} of {expired}")

        harness.log("retention: the same rows, one DELETE")
        cutoff, young = _fill(url, expired)
        with psycopg.connect(harness._libpq(url)) as db:
            started = time.perf_counter()
            deleted = db.execute("DELETE FROM communication_prospect WHERE collected_at <= %s", [cutoff]).rowcount
            db.commit()
            raw_seconds = time.perf_counter() - started
        if deleted != expired:
            raise harness.BenchError(f"retention: the DELETE removed {deleted} of {expired}")
    finally:
        connections["retention"].close()
    return {
        "rows": expired, "batch": settings.RETENTION_BATCH_SIZE, "guichet_s": guichet["seconds"],
        "delete_s": raw_seconds,
        "rows_per_s": expired / guichet["seconds"] if guichet["seconds"] else 0.0,
        "peak_rss_mb_small": small["peak_rss_kb"] / 1024, "peak_rss_mb": guichet["peak_rss_kb"] / 1024,
        "ratio": raw_seconds / guichet["seconds"] if guichet["seconds"] else 0.0,
    }
