"""`BENCH audience`: computing a campaign's audience (guichet.communication.audience: one ORM query of
EXISTS / NOT EXISTS subqueries) over 1,000,000 members on PostgreSQL, with their affiliations,
preferences, consents and a 2,000,000-number do-not-call list, next to the same selection written by
hand as one SQL query, in the same run. ratio = SQL time / Guichet time (target >= 0.5). Also
`import_rows_per_s`: the do-not-call import (guichet.communication.donotcall, the code staff run)
of the whole list from a CSV file, every run.

Data. Its own database, `<bench database>_audience` (the members of `BENCH home` stay 10,000), built
with COPY once and reused while its fingerprint (sizes, DATA_VERSION, source files, ledger key) holds; `--size tiny`
builds 2,000 members and 4,000 numbers in a second or two. About 30 % of the members have preferences
(some declining the phone, some refusing sharing, a few declining every channel), 10 % a consent,
15 % of the members' mobiles are on the list, 1 % are dead and the ages run from 0 to 95.

Measure. The campaign: phone, complementary insurance, for another entity of the group (so the
phone preference, the refusal to share and the do-not-call list all count). Each side fetches the
ids of the audience; the sides alternate for `rounds` rounds after one warm-up each; the ratio is
that of the medians (`*_best_ms`: the fastest round of each side, less disturbed by other jobs on the
machine). Both must find the same members, or the benchmark fails.
"""

import datetime
import os
import random
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
from psycopg import sql

from bench import harness
from bench.harness import Run

NAME = "audience"
DATA_VERSION = 1
ALIAS = "audience"
SIZES = {"tiny": (2_000, 4_000), "full": (1_000_000, 2_000_000)}  # members, do-not-call numbers
FIRST_NAMES = ["Marie", "Jan", "Tom", "Sophie", "Lucas", "Emma", "Noah", "Louise", "Arthur", "Olivia"]
LAST_NAMES = ["Dubois", "Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Lambert"]

HAND_WRITTEN_SQL = """
SELECT p.id FROM members_person p
 WHERE EXISTS (SELECT 1 FROM members_affiliation a
                WHERE a.person_id = p.id AND a.status = 'active' AND a.context = 'complementary')
   AND p.date_of_death IS NULL
   AND p.birth_date <= %(born_by)s
   AND p.mobile <> ''
   AND NOT EXISTS (SELECT 1 FROM communication_preferences c
                    WHERE c.person_id = p.id AND (NOT c.phone_offers OR NOT c.share_with_group))
   AND NOT EXISTS (SELECT 1 FROM communication_donotcallnumber d WHERE d.number = p.mobile)
"""






def _prepare(url: str, members: int, numbers: int) -> Path:
    """The database with its data (built unless the fingerprint matches) and the CSV file of the list."""
    from django.core.management import call_command
    from django.db import connections

    fingerprint = harness.data_fingerprint(members=members, numbers=numbers, audience=DATA_VERSION)
    if harness._stored_fingerprint(url) != fingerprint:
        harness.log(f"audience: building {members} members and {numbers} do-not-call numbers")
        connections[ALIAS].close()
        harness._recreate_database(url)
        started = time.perf_counter()
        call_command("migrate", database=ALIAS, verbosity=0, interactive=False)
        _build(url, members, numbers)
        harness._store_fingerprint(url, fingerprint)
        harness.log(f"audience: data built in {time.perf_counter() - started:.1f} s")
    else:
        harness.log(f"audience: reusing {harness.database_name(url)}")
    csv = Path(tempfile.gettempdir()) / f"guichet-bench-do-not-call-{numbers}-v{DATA_VERSION}.csv"
    if not csv.exists():
        _write_list(csv, members, numbers)
    return csv


def _mobile(index: int) -> str:
    return f"+3247{index:07d}"  # +32 47x xx xx xx: valid Belgian mobiles, one per member






def _build(url: str, members: int, numbers: int) -> None:
    from guichet.communication.models import Preferences
    from guichet.members.models import Affiliation, Person
    from guichet.privacy.models import Consent

    rng = random.Random(20261122)  # noqa: S311 - synthetic data
    today = datetime.datetime.now(datetime.UTC).date()
    now = datetime.datetime.now(datetime.UTC).isoformat()
    person_given = ["id", "public_id", "national_number", "member_number", "first_name", "last_name", "birth_date",
                    "sex", "language", "mobile", "email", "date_of_death"]
    person_rest = harness.default_columns(Person, person_given)

    def people():
        for index in range(1, members + 1):
            born = today - datetime.timedelta(days=rng.randint(0, 95 * 365))
            yield (index, uuid.UUID(int=rng.getrandbits(128), version=4), f"{index:011d}", f"B{index:09d}",
                   rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES), born, rng.choice("MF"),
                   rng.choices(["fr", "nl", "en"], [45, 50, 5])[0],
                   _mobile(index) if rng.random() < 0.85 else "",
                   f"m{index}@example.org" if rng.random() < 0.75 else "",
                   today - datetime.timedelta(days=rng.randint(1, 3000)) if rng.random() < 0.01 else None,
                   *person_rest.values())

    affiliation_given = ["person_id", "public_id", "context", "product", "status", "start"]
    affiliation_rest = harness.default_columns(Affiliation, affiliation_given)

    def affiliations():
        for index in range(1, members + 1):
            start = datetime.date(2000 + index % 25, 1, 1)
            yield (index, uuid.UUID(int=rng.getrandbits(128), version=4), "compulsory", "", "active", start,
                   *affiliation_rest.values())
            if rng.random() < 0.7:
                status = "active" if rng.random() < 0.95 else "ended"
                yield (index, uuid.UUID(int=rng.getrandbits(128), version=4), "complementary",
                       rng.choice(["basic", "dental", "hospital"]), status, start, *affiliation_rest.values())

    preference_columns = ["person_id", "email_offers", "post_offers", "phone_offers", "sms_offers", "app_offers",
                          "share_with_group", "tracking_objected", "profiling_objected", "updated_at"]

    def preferences():
        for index in range(1, members + 1):
            if rng.random() >= 0.3:
                continue
            if rng.random() < 0.05:
                offers = [False] * 5
            else:
                offers = [rng.random() > 0.3 for _ in range(5)]
            yield (index, *offers, rng.random() > 0.2, rng.random() < 0.1, rng.random() < 0.1, now)

    consent_columns = ["public_id", "person_id", "subject_key", "context", "purpose", "given_at", "how"]

    def consents():
        for index in range(1, members + 1):
            if rng.random() < 0.1:
                yield (uuid.UUID(int=rng.getrandbits(128), version=4), index, "", "operations", "direct_marketing",
                       now, "web")

    with psycopg.connect(harness._libpq(url)) as db:
        harness.copy_rows(db, Person._meta.db_table, person_given + list(person_rest), people())
        harness.copy_rows(db, Affiliation._meta.db_table, affiliation_given + list(affiliation_rest), affiliations())
        assert set(preference_columns) | {"id"} == {f.column for f in Preferences._meta.concrete_fields}
        harness.copy_rows(db, Preferences._meta.db_table, preference_columns, preferences())
        harness.copy_rows(db, Consent._meta.db_table, consent_columns, consents())
        db.execute(sql.SQL("SELECT setval(pg_get_serial_sequence({}, 'id'), %s)").format(
            sql.Literal(Person._meta.db_table)), [members])
        db.commit()
    with psycopg.connect(harness._libpq(url), autocommit=True) as db:
        db.execute("VACUUM ANALYZE")


def _write_list(path: Path, members: int, numbers: int) -> None:
    """The national list as a CSV in the formats people type: 15 % are members' mobiles, the others
    other mobiles and landlines; a few bad lines, reported by the import."""
    rng = random.Random(7)  # noqa: S311 - synthetic data
    members_on_list = rng.sample(range(1, members + 1), k=int(members * 0.15))
    temporary = path.with_suffix(".part")
    with temporary.open("w", encoding="utf-8") as out:
        out.write("number\n")
        for index in members_on_list:
            out.write(_mobile(index) + "\n")
        for index in range(numbers - len(members_on_list)):
            if index % 100_000 == 99_999:
                out.write("not a number\n")
                continue
            kind = index % 3
            if kind == 0:
                out.write(f"04{8 + index % 2}{index % 10_000_000:07d}\n")  # 048x/049x mobiles, national format
            elif kind == 1:
                out.write(f"+32 4{6 + index % 2}{index % 10_000_000:07d}\n")
            else:
                digits = f"5{index % 1_000_000:06d}"
                out.write(f"02 {digits[:3]} {digits[3:5]} {digits[5:]}\n")  # Brussels landlines (02 5xx)
    os.replace(temporary, path)


def _time(function) -> tuple[float, int]:
    started = time.perf_counter()
    count = function()
    return time.perf_counter() - started, count


def run(run: Run) -> dict:
    from dateutil.relativedelta import relativedelta
    from django.conf import settings
    from django.db import connections
    from django.utils import timezone

    from guichet.communication.audience import AudienceFilter, audience
    from guichet.communication.donotcall import import_do_not_call

    members, numbers = SIZES[run.size.name]
    url = harness.own_database_url(run.database_url, "audience")
    harness.connect_alias(ALIAS, url)
    try:
        csv = _prepare(url, members, numbers)
        started = time.perf_counter()
        with csv.open("rb") as lines:
            report = import_do_not_call(lines, file_name=csv.name, using=ALIAS)
        import_seconds = time.perf_counter() - started
        with connections[ALIAS].cursor() as cursor:
            cursor.execute("ANALYZE communication_donotcallnumber")

        selection = AudienceFilter(channel="phone", context="complementary", for_group_entity=True)
        now = timezone.now()
        born_by = timezone.localdate(now) - relativedelta(years=settings.CAMPAIGN_MINIMUM_AGE)

        def guichet() -> int:
            return len(list(audience(selection, now).using(ALIAS).values_list("pk", flat=True)))

        def hand_written() -> int:
            with connections[ALIAS].cursor() as cursor:
                cursor.execute(HAND_WRITTEN_SQL, {"born_by": born_by})
                return len(cursor.fetchall())

        sides = {"guichet": guichet, "sql": hand_written}
        counts = {side: function() for side, function in sides.items()}  # warm-up
        if counts["guichet"] != counts["sql"]:
            raise harness.BenchError(f"audience: Guichet found {counts['guichet']} members, the SQL {counts['sql']}")
        times: dict[str, list[float]] = {side: [] for side in sides}
        for round_ in range(max(run.size.rounds, 3)):
            order = ("sql", "guichet") if round_ % 2 == 0 else ("guichet", "sql")
            for side in order:
                seconds, _count = _time(sides[side])
                times[side].append(seconds)
        guichet_ms = statistics.median(times["guichet"]) * 1000
        sql_ms = statistics.median(times["sql"]) * 1000
        best = {side: min(values) * 1000 for side, values in times.items()}  # the least disturbed round
    finally:
        connections[ALIAS].close()
    return {
        "members": members, "dnc_numbers": report.imported, "reached": counts["guichet"],
        "guichet_ms": guichet_ms, "sql_ms": sql_ms, "guichet_best_ms": best["guichet"], "sql_best_ms": best["sql"],
        "import_lines": report.lines, "import_rejected": report.rejected,
        "import_rows_per_s": report.lines / import_seconds if import_seconds else 0.0,
        "ratio": sql_ms / guichet_ms if guichet_ms else 0.0,
    }

