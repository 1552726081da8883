"""`BENCH dsr-access`: the time to assemble the whole access answer of one member (DSR-1..5: the JSON, the
readable PDF rendered by WeasyPrint and sealed, both zipped) with ten years of history, on PostgreSQL with
100,000 members (`--size full`; 2,000 for `--size tiny`).

Fields: `seconds` = median time of `guichet.rights.export.access_files` (JSON + PDF + ZIP), target <= 1.0 s;
`json_seconds` = median time of the JSON part alone (`assemble` + serialisation), target <= 0.25 s;
`queries` = SQL queries of one assembly (one per data set and link to the person: it must not grow with the
history); `rows` = data items in the answer; `ratio` = 1.0 s / `seconds` (>= 1 meets the target; the JSON's
own ratio is `json_ratio` = 0.25 s / `json_seconds`).

Data. Its own database, `<bench database>_dsr`, built with COPY once and reused while its fingerprint
(sizes, DATA_VERSION, source files, ledger key) holds. Every member has an address, an affiliation and a
ledger entry (so the tables are large); the member measured (id 1) has ten years of history: 40 contact
changes and 10 addresses, 3 affiliations, 30 consents, 10 mandates given or received, 20 automated
decisions, 120 e-Box documents and 3,000 ledger entries.

Measure. One warm-up, then `rounds` timed assemblies of each part, alternated; the medians are reported.
"""

import datetime
import json
import random
import statistics
import time
import uuid

import psycopg

from bench import harness
from bench.harness import Run

NAME = "dsr-access"
DATA_VERSION = 1
ALIAS = "dsr"
SUBJECT = 1
SIZES = {"tiny": (2_000, 3), "full": (100_000, 7)}  # members, timed rounds
SECONDS_TARGET = 1.0
JSON_SECONDS_TARGET = 0.25
YEARS = 10


def _copy(db, model, rows: list[dict]) -> None:
    """COPY dicts of column -> value into the model's table; the other columns get their defaults."""
    if not rows:
        return
    given = list(rows[0])
    rest = harness.default_columns(model, given)
    columns = given + list(rest)
    harness.copy_rows(db, model._meta.db_table, columns, (tuple(row[c] for c in given) + tuple(rest.values())
                                                          for row in rows))


def _build(url: str, members: int) -> None:
    from guichet.decisions.models import Decision
    from guichet.ebox.models import Document
    from guichet.ledger.models import LedgerEntry
    from guichet.mandates.models import Mandate
    from guichet.members.models import Address, Affiliation, ContactChange, Person
    from guichet.privacy.models import Consent

    rng = random.Random(20261122)  # noqa: S311 - synthetic data
    now = datetime.datetime.now(datetime.UTC)
    today = now.date()

    def ago(days: int) -> datetime.datetime:
        return now - datetime.timedelta(days=days)

    def uid() -> uuid.UUID:
        return uuid.UUID(int=rng.getrandbits(128), version=4)

    people = [{"id": index, "public_id": uid(), "national_number": f"{index:011d}", "member_number": f"D{index:09d}",
               "first_name": "Prénom", "last_name": f"Nom{index}",
               "birth_date": today - datetime.timedelta(days=rng.randint(19 * 365, 90 * 365)),
               "language": "fr", "email": f"m{index}@example.org"} for index in range(1, members + 1)]
    addresses = [{"public_id": uid(), "person_id": index, "street": "Rue de la Loi", "number": str(index % 200 + 1),
                  "postcode": "1000", "city": "Bruxelles", "country": "BE", "valid_from": today - datetime.timedelta(
                      days=365), "valid_to": None, "source": "member"} for index in range(1, members + 1)]
    for year in range(YEARS):  # the subject moved every year
        addresses.append({"public_id": uid(), "person_id": SUBJECT, "street": f"Avenue {year}", "number": "1",
                          "postcode": "1050", "city": "Ixelles", "country": "BE",
                          "valid_from": today - datetime.timedelta(days=365 * (YEARS - year) + 400),
                          "valid_to": today - datetime.timedelta(days=365 * (YEARS - year - 1) + 400),
                          "source": "member"})
    affiliations = [{"public_id": uid(), "person_id": index, "context": "compulsory", "product": "", "status": "active",
                     "start": today - datetime.timedelta(days=3650), "end": None, "end_reason": "", "holder_id": None,
                     "holder_codes": "110110"} for index in range(1, members + 1)]
    affiliations += [{"public_id": uid(), "person_id": SUBJECT, "context": context, "product": "", "status": "active",
                      "start": today - datetime.timedelta(days=3650), "end": None, "end_reason": "",
                      "holder_id": None, "holder_codes": ""} for context in ("complementary", "insurance_company")]
    changes = [{"public_id": uid(), "person_id": SUBJECT, "kind": ("email", "mobile", "address")[n % 3],
                "old_value": f"old {n}", "new_value": f"new {n}", "changed_at": ago(90 * n),
                "changed_by_person_id": SUBJECT, "channel": "online", "verified_at": ago(90 * n)} for n in range(40)]
    consents = [{"public_id": uid(), "person_id": SUBJECT, "context": "operations", "purpose": "direct_marketing",
                 "given_at": ago(120 * n + 10), "how": "online", "withdrawn_at": ago(120 * n)} for n in range(30)]
    mandates = [{"public_id": uid(), "form": uid(), "grantor_id": SUBJECT if n % 2 else 2 + n,
                 "agent_id": 2 + n if n % 2 else SUBJECT, "scopes": '["consult"]', "amount_limit": None,
                 "joint": "f", "starts_on": today - datetime.timedelta(days=300 * n + 30), "ends_on": None,
                 "status": "active", "granted_at": ago(300 * n + 30), "accepted_at": ago(300 * n + 29),
                 "finished_at": None, "end_reason": ""} for n in range(10)]
    decisions = [{"public_id": uid(), "kind": "bim_automatic", "context": "compulsory", "subject_id": SUBJECT,
                  "rule_set": "2026", "inputs": '{"income": 1}', "outcome": "granted", "result": "{}",
                  "explanation": '{"fr": "Accordé", "nl": "Toegekend", "en": "Granted"}',
                  "decided_at": ago(180 * n)} for n in range(20)]
    documents = [{"public_id": uid(), "person_id": SUBJECT, "doc_type": "statement", "title": f"Relevé {n}",
                  "file": f"documents/bench/{n}.pdf", "content_type": "application/pdf", "size": 20_000,
                  "sha256": "0" * 64, "issued_at": ago(30 * n), "issued_by_id": None, "delivery": "ebox",
                  "is_read": "t", "read_at": ago(30 * n - 1), "notified_at": ago(30 * n)} for n in range(120)]
    ledger = [{"sequence": index, "recorded_at": ago(rng.randint(0, 3650)), "kind": "members.contact_changed",
               "actor_kind": "person", "actor_ref": "", "actor_label": "", "actor_role": "", "subject_id": index,
               "context": "operations", "payload": "{}", "previous_hash": "0" * 64, "hash": "0" * 64,
               "visible_to_subject": "t"} for index in range(1, members + 1)]
    ledger += [{"sequence": members + n + 1, "recorded_at": ago(n), "kind": "ebox.document_issued",
                "actor_kind": "system", "actor_ref": "", "actor_label": "", "actor_role": "", "subject_id": SUBJECT,
                "context": "operations", "payload": json.dumps({"n": n}), "previous_hash": "0" * 64,
                "hash": "0" * 64, "visible_to_subject": "t" if n % 50 else "f"} for n in range(3000)]
    with psycopg.connect(harness._libpq(url)) as db:
        for model, rows in ((Person, people), (Address, addresses), (Affiliation, affiliations),
                            (ContactChange, changes), (Consent, consents), (Mandate, mandates), (Decision, decisions),
                            (Document, documents), (LedgerEntry, ledger)):
            _copy(db, model, rows)
        db.execute("SELECT setval(pg_get_serial_sequence('members_person', 'id'), %s)", [members])
        db.commit()
    with psycopg.connect(harness._libpq(url), autocommit=True) as db:
        db.execute("VACUUM ANALYZE")


def _prepare(url: str, members: int) -> None:
    from django.core.management import call_command
    from django.db import connections

    fingerprint = harness.data_fingerprint(members=members, dsr=DATA_VERSION)
    if harness._stored_fingerprint(url) != fingerprint:
        harness.log(f"dsr-access: building {members} members and one with {YEARS} years of history")
        connections[ALIAS].close()
        harness._recreate_database(url)
        started = time.perf_counter()
        call_command("migrate", database=ALIAS, verbosity=0, interactive=False)
        _build(url, members)
        harness._store_fingerprint(url, fingerprint)
        harness.log(f"dsr-access: data built in {time.perf_counter() - started:.1f} s")
    else:
        harness.log(f"dsr-access: reusing {harness.database_name(url)}")


def run(run: Run) -> dict:
    from django.db import connections
    from django.test.utils import CaptureQueriesContext

    from guichet.members.models import Person
    from guichet.rights.export import access_files, assemble, to_json

    members, rounds = SIZES[run.size.name]
    url = harness.own_database_url(run.database_url, "dsr")
    harness.connect_alias(ALIAS, url)
    try:
        _prepare(url, members)
        person = Person.objects.using(ALIAS).get(pk=SUBJECT)

        def whole() -> bytes:
            return access_files(person, language="fr", using=ALIAS)[0]

        def json_part() -> bytes:
            return to_json(assemble(person, language="fr", using=ALIAS))

        whole()  # warm-up: fonts, templates, the register part of the answer
        json_part()
        with CaptureQueriesContext(connections[ALIAS]) as captured:
            answer = assemble(person, language="fr", using=ALIAS)
        rows = sum(data_set["count"] for data_set in answer["data"])
        times: dict[str, list[float]] = {"whole": [], "json": []}
        for _round in range(rounds):
            for side, function in (("whole", whole), ("json", json_part)):
                started = time.perf_counter()
                function()
                times[side].append(time.perf_counter() - started)
        seconds = statistics.median(times["whole"])
        json_seconds = statistics.median(times["json"])
        return {"members": members, "rows": rows, "queries": len(captured), "seconds": seconds,
                "json_seconds": json_seconds, "json_ratio": JSON_SECONDS_TARGET / json_seconds,
                "ratio": SECONDS_TARGET / seconds}
    finally:
        connections[ALIAS].close()
