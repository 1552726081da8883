"""`BENCH maf`: the yearly maximum-billing batch (guichet.decisions.maf.run_maf, AUTO-5) on PostgreSQL with
1,000,000 households (about 2.2 million persons) and 30,000,000 care lines, next to DuckDB running the same
aggregation and ceiling comparison over the same data exported to Parquet, in the same run.

`ratio` = DuckDB seconds / Guichet seconds (target >= 0.2: the batch in the database is at most five times
slower than a columnar engine reading Parquet, and Guichet also writes the accounts and refunds).
`guichet_s` = the whole batch (one transaction): `aggregate_s` (the one-pass aggregation per household into a
temporary table), `write_s` (accounts upserted, refunds inserted, accounts updated); `duckdb_s` the same
SELECT over Parquet; `rerun_refunds` the refunds a second batch paid (must be 0: idempotent);
`peak_rss_mb` the peak memory of this process (Python and the in-process DuckDB). Guichet and DuckDB must
agree on the number of households refunded and the total, or the benchmark fails. The decisions, ledger
entries and e-Box certificates that follow each refund are not timed here (they run per refunded household,
about 8.5 %).

Data. Its own database, `<bench database>_maf`, built once and reused while its fingerprint holds: persons,
households (1 to 4 members, the 1 January National Register household), memberships, incomes of N-2 (97 % of
households), BIM rights (12 % of persons) with COPY; the care lines with one INSERT ... SELECT over
generate_series (random dates of 2024, amounts 0-30 EUR; 30 million rows from Python would take longer
than the rest of the run). The Parquet files are exported from the database with COPY TO and DuckDB, kept in
var/bench/maf-<fingerprint>/. `--size tiny`: 2,000 households and 60,000 care lines.
"""

# ruff: noqa: S608 - the SQL is built from our own table names and bound parameters only
import datetime
import hashlib
import json
import random
import resource
import time
import uuid
from pathlib import Path

import psycopg

from bench import harness
from bench.harness import Run

NAME = "maf"
DATA_VERSION = 2
ALIAS = "maf"
YEAR = 2024
SIZES = {"tiny": (2_000, 60_000), "full": (1_000_000, 30_000_000)}
TABLES = {
    "members_person": "SELECT id, birth_date FROM members_person",
    "members_householdmembership":
        'SELECT household_id, person_id, role, start, "end" FROM members_householdmembership',
    "decisions_bimright": 'SELECT person_id, start, "end" FROM decisions_bimright',
    "decisions_householdincome": "SELECT household_id, year, amount_cents FROM decisions_householdincome",
    "decisions_careline": "SELECT person_id, care_date, amount_cents FROM decisions_careline",
}


def _build(url: str, households: int, care_lines: int) -> None:
    from guichet.decisions.models import BimRight, CareLine, Decision, HouseholdIncome
    from guichet.members.models import Household, HouseholdMembership, Person

    rng = random.Random(20240101)  # noqa: S311 - synthetic data
    now = datetime.datetime.now(datetime.UTC).isoformat()
    sizes = [rng.choices([1, 2, 3, 4], [30, 30, 20, 20])[0] for _ in range(households)]
    persons = sum(sizes)
    person_given = ["id", "public_id", "national_number", "member_number", "first_name", "last_name", "birth_date"]
    person_rest = harness.default_columns(Person, person_given)

    def people():
        index = 0
        for size in sizes:
            for position in range(size):
                index += 1
                child = position >= 2 or (size == 2 and position == 1 and rng.random() < 0.3)
                born = datetime.date(rng.randint(2006, 2023) if child else rng.randint(1935, 2000),
                                     rng.randint(1, 12), rng.randint(1, 28))
                yield (index, uuid.UUID(int=rng.getrandbits(128), version=4), f"{index:011d}", f"M{index:010d}",
                       "Prénom", "Nom", born, *person_rest.values())

    def homes():
        for index in range(1, households + 1):
            yield (index, uuid.UUID(int=rng.getrandbits(128), version=4), now)

    def memberships():
        index = 0
        for home, size in enumerate(sizes, start=1):
            for position in range(size):
                index += 1
                role = "reference" if position == 0 else "partner" if position == 1 else "child"
                yield (home, index, role, datetime.date(2015, 1, 1), None)

    def incomes():
        for home in range(1, households + 1):
            if rng.random() < 0.97:
                yield (home, YEAR - 2, rng.randint(500_000, 9_000_000), "tax_administration")

    with psycopg.connect(harness._libpq(url)) as db:
        harness.copy_rows(db, Person._meta.db_table, person_given + list(person_rest), people())
        harness.copy_rows(db, Household._meta.db_table, ["id", "public_id", "created_at"], homes())
        harness.copy_rows(db, HouseholdMembership._meta.db_table, ["household_id", "person_id", "role", "start", "end"],
                          memberships())
        harness.copy_rows(db, HouseholdIncome._meta.db_table, ["household_id", "year", "amount_cents", "source"],
                          incomes())
        db.execute(f"INSERT INTO {Decision._meta.db_table} (public_id, kind, context, subject_id, rule_set, inputs, "
                   f"outcome, result, explanation, decided_at) VALUES (%s, 'bim_automatic', 'compulsory', 1, "
                   f"'bench', '{{}}', 'granted', '{{}}', '{{}}', now())", [uuid.uuid4()])
        decision_id = db.execute(f"SELECT max(id) FROM {Decision._meta.db_table}").fetchone()[0]
        harness.copy_rows(db, BimRight._meta.db_table, ["person_id", "source", "ground", "start", "end", "effects",
                                                        "decision_id"],
                          ((person, "automatic", "integration_income", datetime.date(2020, 1, 1), None, "[]",
                            decision_id) for person in range(1, persons + 1) if rng.random() < 0.12))
        db.execute("SELECT setseed(0.42)")
        # Generated persons only: the foreign-key check of each of the 30 million rows is skipped (superuser).
        db.execute(f"ALTER TABLE {CareLine._meta.db_table} DISABLE TRIGGER ALL")
        # Its secondary indexes are dropped during the load and built again after it (much faster at this size).
        indexes = db.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT LIKE "
                             "'%%pkey'", [CareLine._meta.db_table]).fetchall()
        for name, _definition in indexes:
            db.execute(f'DROP INDEX "{name}"')
        db.execute(f"""
            INSERT INTO {CareLine._meta.db_table} (person_id, care_date, amount_cents, recorded_at)
            SELECT 1 + floor(random() * %s)::int, DATE '{YEAR}-01-01' + floor(random() * 366)::int,
                   floor(random() * 3000)::int, now()
              FROM generate_series(1, %s)""", [persons, care_lines])
        for _name, definition in indexes:
            db.execute(definition)
        db.execute(f"ALTER TABLE {CareLine._meta.db_table} ENABLE TRIGGER ALL")
        for table in ("members_person", "members_household"):
            db.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        db.commit()
    with psycopg.connect(harness._libpq(url), autocommit=True) as db:
        db.execute("VACUUM ANALYZE")


def _prepare(url: str, size: tuple) -> dict:
    from django.core.management import call_command
    from django.db import connections

    households, care_lines = size
    fingerprint = harness.data_fingerprint(size=list(size), maf=DATA_VERSION)
    if harness._stored_fingerprint(url) != fingerprint:
        harness.log(f"maf: building {households} households and {care_lines} care lines")
        connections[ALIAS].close()
        harness._recreate_database(url)
        started = time.perf_counter()
        call_command("migrate", database=ALIAS, verbosity=0, interactive=False)
        _build(url, households, care_lines)
        harness._store_fingerprint(url, fingerprint)
        harness.log(f"maf: data built in {time.perf_counter() - started:.1f} s")
    else:
        harness.log(f"maf: reusing {harness.database_name(url)}")
    return fingerprint


def _export(url: str, fingerprint: dict) -> Path:
    """The same data as Parquet files (one per table), exported once per fingerprint."""
    import duckdb
    from django.conf import settings

    digest = hashlib.sha256(json.dumps(fingerprint, sort_keys=True, default=str).encode()).hexdigest()[:16]
    directory = Path(settings.VAR_DIR) / "bench" / f"maf-{digest}"
    if (directory / "done").exists():
        return directory
    directory.mkdir(parents=True, exist_ok=True)
    harness.log("maf: exporting the tables to Parquet")
    converter = duckdb.connect()
    converter.execute("SET enable_progress_bar = false")
    with psycopg.connect(harness._libpq(url)) as db:
        for table, select in TABLES.items():
            csv_path = directory / f"{table}.csv"
            with csv_path.open("wb") as out, db.cursor() as cursor, \
                    cursor.copy(f"COPY ({select}) TO STDOUT (FORMAT csv, HEADER true)") as copy:
                for block in copy:
                    out.write(block)
            dates = {column: "DATE" for column in ("start", "end", "care_date", "birth_date") if f" {column}" in select
                     or f'"{column}"' in select}
            converter.execute(f"COPY (SELECT * FROM read_csv('{csv_path}', header = true, types = {dates!r})) TO "
                       f"'{directory / table}.parquet' (FORMAT parquet)")
            csv_path.unlink()
    (directory / "done").write_text("ok")
    return directory


def _literal(value) -> str:
    if isinstance(value, datetime.date):
        return f"DATE '{value.isoformat()}'"
    if isinstance(value, int):
        return str(value)
    raise harness.BenchError(f"maf: unexpected parameter {value!r}")


def _duckdb(directory: Path) -> tuple[float, int, int]:
    """The same aggregation and ceiling comparison (the same SELECT) over the Parquet files."""
    import duckdb

    from guichet.decisions.maf import _due_select
    from guichet.decisions.rulesets import rule_set

    select, params = _due_select(rule_set(YEAR), None)
    query = select % {key: _literal(value) for key, value in params.items()}
    db = duckdb.connect()
    db.execute("SET enable_progress_bar = false")  # stdout carries only the BENCH line
    for table in TABLES:
        db.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{directory / table}.parquet')")
    started = time.perf_counter()
    db.execute(f"CREATE TEMP TABLE due AS {query}")
    count, total = db.execute("SELECT count(*), coalesce(sum(due), 0) FROM due WHERE due > 0").fetchone()
    elapsed = time.perf_counter() - started
    db.close()
    return elapsed, int(count), int(total)


def run(run: Run) -> dict:
    from django.db import connections

    from guichet.decisions.maf import run_maf

    size = SIZES[run.size.name]
    url = harness.own_database_url(run.database_url, "maf")
    harness.connect_alias(ALIAS, url)
    try:
        fingerprint = _prepare(url, size)
        directory = _export(url, fingerprint)
        with connections[ALIAS].cursor() as cursor:  # each run measures the whole batch from zero
            cursor.execute("TRUNCATE decisions_mafrefund, decisions_mafaccount")
        started = time.perf_counter()
        report = run_maf(YEAR, using=ALIAS, decisions=False, run="bench")
        guichet_s = time.perf_counter() - started
        rerun = run_maf(YEAR, using=ALIAS, decisions=False, run="bench-rerun")
        duckdb_s, duck_count, duck_total = _duckdb(directory)
    finally:
        connections[ALIAS].close()
    if (report.refunds, report.refunded_cents) != (duck_count, duck_total):
        raise harness.BenchError(f"maf: Guichet refunded {report.refunds} households {report.refunded_cents} cents, "
                                 f"DuckDB finds {duck_count} and {duck_total}")
    households, care_lines = size
    return {
        "households": households,
        "care_lines": care_lines,
        "refunded_households": report.refunds,
        "refunded_eur": report.refunded_cents // 100,
        "without_income": report.without_income,
        "guichet_s": guichet_s,
        "aggregate_s": report.timings["aggregate_s"],
        "write_s": report.timings["write_s"],
        "duckdb_s": duckdb_s,
        "rerun_refunds": rerun.refunds,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "ratio": duckdb_s / guichet_s,
    }
