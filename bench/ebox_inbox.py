"""`BENCH ebox-inbox`: the e-Box inbox page (GET /my/ebox/, EBOX-1, EBOX-5) of a member with 500 documents,
on PostgreSQL with 100,000 members and 5,000,000 document rows (`--size full`), against the bare one-query
view of the foundation benchmark (/_bench/person/<id>/) served by the same gunicorn on the same database,
in the same run. Target: ratio = inbox requests/s / bare requests/s >= 0.5.

Fields: `rps`, `p50_ms`, `p99_ms` of the inbox; `bare_rps`, `bare_p99_ms`; `p99_10k_ms` = p99 of the same
page on a database of 10,000 members and 500,000 documents (the page must stay flat as the table grows:
the inbox reads the index (person, is_read, issued_at desc, id desc) of e-Box documents, LIMIT 20, and
counts the person's 500 entries from the same index); `members`, `documents`, `errors`, `ratio`.

Data. Its own databases, `<bench database>_ebox` and `<bench database>_ebox10k`, built once and reused while
their fingerprints (sizes, DATA_VERSION, source files, ledger key) hold: the demo personas with their logins
and accepted terms (harness.build_data, in a child process on that database), the other members and the
document metadata bulk-generated with COPY (no PDF files: the page never reads them). Marie has 500 e-Box
documents, half read; every other member about 50. `--size tiny`: 1,000 members and 5,000 documents
(200 and 1,000 for the flat check), seconds.

Measure. Each client logs in as Marie through the real login page (a session each), opens the inbox once
as a browser does, then asks for it again and again; the inbox and the bare view alternate round by round
after a warm-up of each. A response counts only if it is a 200 carrying the inbox table.
"""

import datetime
import os
import random
import subprocess
import sys
import time
import uuid

import psycopg

from bench import harness
from bench.harness import Measure, Run

NAME = "ebox-inbox"
DATA_VERSION = 1
ALIAS = "ebox_bench"
MARKER = b'class="ebox-documents"'
MARIE_DOCUMENTS = 500
DEMO_MEMBERS = 200  # synthetic members made by load_demo (with affiliations); the rest come by COPY
# (members, documents) of the main database and of the flat check
SIZES = {"tiny": ((1_000, 5_000), (200, 1_000)), "full": ((100_000, 5_000_000), (10_000, 500_000))}
TYPES = ["letter", "reimbursement_statement", "tax_certificate", "contribution_notice"]


def inbox_check(status: int, body: bytes) -> bool:
    return status == 200 and MARKER in body


def _build_registry(url: str) -> None:
    """Personas, logins, terms and cookie choices, as the shared bench database has them: run in a child
    process whose Django speaks to `url` (build_data works on the default database)."""
    script = (
        "from bench import harness\n"
        "harness.setup_django()\n"
        "from django.core.management import call_command\n"
        "call_command('migrate', verbosity=0, interactive=False)\n"
        f"harness.build_data(harness.Size('ebox', members={DEMO_MEMBERS}, warmup_seconds=0, round_seconds=0,"
        " rounds=0, hashes=0))\n"
    )
    env = dict(os.environ, BENCH_DATABASE_URL=url)
    subprocess.run([sys.executable, "-c", script], cwd=harness.ROOT, env=env, check=True)


def _build(url: str, members: int, documents: int) -> None:
    from guichet.ebox.models import Document
    from guichet.members.models import Person

    rng = random.Random(20261122)  # noqa: S311 - synthetic data
    now = datetime.datetime.now(datetime.UTC)
    with psycopg.connect(harness._libpq(url)) as db:
        existing, last_id = db.execute("SELECT count(*), max(id) FROM members_person").fetchone()
        marie = db.execute(
            "SELECT p.id FROM members_person p JOIN accounts_user u ON u.person_id = p.id "
            "WHERE p.first_name = 'Marie' AND p.member_number LIKE '9%%' ORDER BY p.id LIMIT 1").fetchone()[0]
        extra = max(members - existing, 0)
        given = ["id", "public_id", "national_number", "member_number", "first_name", "last_name", "birth_date"]
        rest = harness.default_columns(Person, given)

        def people():
            for index in range(last_id + 1, last_id + 1 + extra):
                born = datetime.date(1940, 1, 1) + datetime.timedelta(days=rng.randint(0, 25_000))
                yield (index, uuid.UUID(int=rng.getrandbits(128), version=4), f"{80_000_000_000 + index:011d}",
                       f"B{index:09d}", "Prénom", "Nom", born, *rest.values())

        harness.copy_rows(db, Person._meta.db_table, given + list(rest), people())
        db.execute("SELECT setval(pg_get_serial_sequence('members_person', 'id'), %s)", [last_id + extra])
        person_ids = [row[0] for row in db.execute("SELECT id FROM members_person WHERE id <> %s", [marie])]
        columns = ["public_id", "person_id", "doc_type", "title", "file", "content_type", "size", "sha256",
                   "issued_at", "issued_by_id", "delivery", "is_read", "read_at", "notified_at"]
        assert set(columns) | {"id"} == {field.column for field in Document._meta.concrete_fields}

        def document(person: int, number: int):
            public_id = uuid.UUID(int=rng.getrandbits(128), version=4)
            issued = now - datetime.timedelta(minutes=rng.randint(0, 10 * 365 * 24 * 60))
            read = rng.random() < 0.5
            delivery = "ebox" if rng.random() < 0.9 else "post"
            return (public_id, person, rng.choice(TYPES), f"Document {number}",
                    f"ebox/bench/{public_id}.pdf", "application/pdf", 20_000, "0" * 64, issued.isoformat(), None,
                    delivery, "t" if read else "f", issued.isoformat() if read else None, None)

        def rows():
            for number in range(MARIE_DOCUMENTS):
                row = list(document(marie, number))
                row[10] = "ebox"
                yield tuple(row)
            for number in range(max(documents - MARIE_DOCUMENTS, 0)):
                yield document(rng.choice(person_ids), number)

        harness.copy_rows(db, Document._meta.db_table, columns, rows())
        db.execute("INSERT INTO ebox_eboxchoice (person_id, active, changed_at) VALUES (%s, true, %s)",
                   [marie, now])
        db.commit()
    with psycopg.connect(harness._libpq(url), autocommit=True) as db:
        db.execute("VACUUM ANALYZE")


def _prepare(url: str, members: int, documents: int) -> None:
    fingerprint = harness.data_fingerprint(members=members, documents=documents, ebox=DATA_VERSION)
    if harness._stored_fingerprint(url) == fingerprint:
        harness.log(f"ebox-inbox: reusing {harness.database_name(url)}")
        return
    harness.log(f"ebox-inbox: building {members} members and {documents} documents in {harness.database_name(url)}")
    started = time.perf_counter()
    harness._recreate_database(url)
    _build_registry(url)
    _build(url, members, documents)
    harness._store_fingerprint(url, fingerprint)
    harness.log(f"ebox-inbox: data built in {time.perf_counter() - started:.1f} s")


def _marie_login(url: str) -> tuple[str, str]:
    from guichet.accounts.demo import DEMO_MEMBER_PASSWORD

    with psycopg.connect(harness._libpq(url)) as db:
        number = db.execute(
            "SELECT p.national_number FROM members_person p JOIN accounts_user u ON u.person_id = p.id "
            "WHERE p.first_name = 'Marie' AND p.member_number LIKE '9%%' ORDER BY p.id LIMIT 1").fetchone()[0]
    return number, DEMO_MEMBER_PASSWORD


def _bare_requests(url: str, port: int, clients: int, per_client: int = 64) -> list[list[bytes]]:
    """The bare view's requests (as Run.bare_requests), for persons of this database."""
    with psycopg.connect(harness._libpq(url)) as db:
        ids = [row[0] for row in db.execute(
            "SELECT id FROM members_person ORDER BY random() LIMIT %s", [per_client * clients])]
    return [[harness.raw_get(port, f"/_bench/person/{pk}/") for pk in ids[i::clients]] for i in range(clients)]


def _inbox_requests(url: str, port: int, clients: int) -> list[list[bytes]]:
    login = _marie_login(url)
    requests = []
    for _ in range(clients):
        cookies = harness.log_in(port, *login)
        status, headers, body = harness.http_request(port, "GET", "/my/ebox/", cookies=cookies)
        if not inbox_check(status, body):
            raise harness.BenchError(f"/my/ebox/ answered {status} {headers.get('Location', '')} instead of the inbox")
        if body.count(b'<tr class="') != 20:
            raise harness.BenchError("the inbox does not show a full page of 20 documents")
        harness.update_cookies(cookies, headers)
        cookies.pop("messages", None)
        requests.append([harness.raw_get(port, "/my/ebox/", cookies)])
    return requests


def _measure(run: Run, url: str, *, with_bare: bool) -> tuple[Measure, Measure | None]:
    server = harness.Server(url, run.config).start()
    try:
        port = server.port
        sides = {"inbox": (_inbox_requests(url, port, run.config.clients), inbox_check)}
        if with_bare:
            sides["bare"] = (_bare_requests(url, port, run.config.clients), harness.bare_check)
        for requests, check in sides.values():
            harness.hammer(port, requests, run.size.warmup_seconds, check)
        pids = harness.CpuPids.of(server)
        measures = {side: Measure() for side in sides}
        for round_ in range(run.size.rounds):
            order = list(sides) if round_ % 2 == 0 else list(reversed(sides))
            for side in order:
                requests, check = sides[side]
                measures[side].add(harness.hammer(port, requests, run.size.round_seconds, check, pids))
        for side, measure in measures.items():
            if measure.first_error:
                harness.log(f"ebox-inbox: first error on the {side} side: {measure.first_error}")
        return measures["inbox"], measures.get("bare")
    finally:
        server.stop()


def run(run: Run) -> dict:
    (members, documents), (small_members, small_documents) = SIZES[run.size.name]
    url = harness.own_database_url(run.database_url, "ebox")
    small_url = harness.own_database_url(run.database_url, "ebox10k")
    _prepare(url, members, documents)
    _prepare(small_url, small_members, small_documents)
    inbox, bare = _measure(run, url, with_bare=True)
    small, _none = _measure(run, small_url, with_bare=False)
    return {
        "rps": inbox.rps, "p50_ms": inbox.p50_ms, "p99_ms": inbox.p99_ms,
        "cpu_ms": inbox.cpu_ms, "db_cpu_ms": inbox.db_cpu_ms,
        "bare_rps": bare.rps, "bare_p99_ms": bare.p99_ms,
        "p99_10k_ms": small.p99_ms,
        "members": members, "documents": documents, "errors": inbox.errors + bare.errors + small.errors,
        "ratio": inbox.rps / bare.rps if bare.rps else 0.0,
    }
