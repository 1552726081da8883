"""`BENCH authz`: access-policy decisions per second (guichet.mandates.policy.decide) on PostgreSQL with
1,000,000 persons, 300,000 mandates and 200,000 minors with their parents, in the same run next to
(a) one hand-written SQL query answering the same question (the floor) and (b) pycasbin's
`enforce()` over the same relationships loaded as an RBAC-with-domains policy (what a team might pick
instead; it knows no dates, so it cannot see deaths, end dates or a child's 18th birthday).

`ratio` = Guichet decisions/s / SQL decisions/s (target >= 0.5); `casbin_ratio` = Guichet / casbin;
`p99_ms` the 99th percentile of one Guichet decision; `queries_per_decision` (target <= 2);
`casbin_agreement` the share of casbin's answers equal to the policy's. Guichet and the SQL must agree
on every decision of the sample, or the benchmark fails.

Data. Its own database, `<bench database>_authz`, built with COPY once and reused while its
fingerprint (sizes, DATA_VERSION, source files, ledger key) holds; `--size tiny` builds 2,000 persons in a second.
Persons 1..80 % are adults, the rest minors; 1 % of the adults have a life event (death, legal
incapacity or bankruptcy); mandates go from a random adult to another with 1 to 3 scopes, 90 % in
force, some pending, revoked, suspended or with an end date; each minor has one or two parents with
authority, and 2 % a court decision giving one parent exclusive charge.

Measure. A fixed sample of questions (40 % agent -> grantor of a mandate, 35 % parent -> child, 25 %
unrelated pairs; actions drawn from the scopes, some needing a judge), asked one after the other on
one connection, each side in turn for `rounds` rounds after a warm-up; decisions/s from the median round.
"""

import datetime
import json
import random
import statistics
import time
import uuid

import psycopg
from psycopg import sql

from bench import harness
from bench.harness import Run

NAME = "authz"
DATA_VERSION = 1
ALIAS = "authz"
SIZES = {"tiny": (2_000, 600, 400, 400), "full": (1_000_000, 300_000, 200_000, 20_000)}  # + sample size
CASBIN_MODEL = """
[request_definition]
r = sub, dom, act

[policy_definition]
p = sub, dom, act

[role_definition]
g = _, _, _

[policy_effect]
e = some(where (p.eft == allow))

[matchers]
m = g(r.sub, p.sub, r.dom) && keyMatch(r.dom, p.dom) && r.act == p.act
"""

HAND_WRITTEN_SQL = """
SELECT %(agent)s = %(subject)s
 OR (NOT %(self_only)s AND EXISTS (
      SELECT 1 FROM mandates_mandate m
        JOIN members_person g ON g.id = m.grantor_id JOIN members_person a ON a.id = m.agent_id
       WHERE m.grantor_id = %(subject)s AND m.agent_id = %(agent)s AND m.status = 'active'
         AND m.starts_on <= %(day)s AND (m.ends_on IS NULL OR m.ends_on > %(day)s)
         AND (%(scope)s::text IS NULL OR m.scopes ? %(scope)s)
         AND NOT COALESCE(g.date_of_death <= %(day)s OR g.legal_incapacity_on <= %(day)s
                          OR g.bankruptcy_on <= %(day)s OR a.date_of_death <= %(day)s
                          OR a.legal_incapacity_on <= %(day)s OR a.bankruptcy_on <= %(day)s, false)))
 OR (NOT %(self_only)s AND NOT %(needs_judge)s AND EXISTS (
      SELECT 1 FROM mandates_parentalauthority pa JOIN members_person c ON c.id = pa.child_id
       WHERE pa.child_id = %(subject)s AND pa.parent_id = %(agent)s AND pa.since <= %(day)s
         AND (pa.ended_on IS NULL OR pa.ended_on > %(day)s)
         AND (c.date_of_death IS NULL OR c.date_of_death > %(day)s)
         AND c.birth_date + interval '18 years' > %(day)s
         AND COALESCE((SELECT cd.exclusive_parent_id FROM mandates_courtdecision cd
                        WHERE cd.child_id = pa.child_id AND cd.decided_on <= %(day)s
                        ORDER BY cd.decided_on DESC, cd.recorded_at DESC LIMIT 1),
                  pa.parent_id) = pa.parent_id))
"""










def _build(url: str, persons: int, mandates: int, minors: int) -> None:
    from guichet.accounts.models import User
    from guichet.mandates.models import CourtDecision, Mandate, ParentalAuthority
    from guichet.mandates.policy import SCOPES
    from guichet.members.models import Person

    rng = random.Random(20261122)  # noqa: S311 - synthetic data
    today = datetime.datetime.now(datetime.UTC).date()
    now = datetime.datetime.now(datetime.UTC).isoformat()
    adults = persons - minors
    scope_keys = sorted(SCOPES)
    person_given = [
        "id",
        "public_id",
        "national_number",
        "member_number",
        "first_name",
        "last_name",
        "birth_date",
        "date_of_death",
        "legal_incapacity_on",
        "bankruptcy_on",
    ]
    person_rest = harness.default_columns(Person, person_given)

    def people():
        for index in range(1, persons + 1):
            if index <= adults:
                born = today - datetime.timedelta(days=rng.randint(19 * 365, 90 * 365))
            else:
                born = today - datetime.timedelta(days=rng.randint(0, 18 * 365 - 1))
            events = [None, None, None]
            if index <= adults and rng.random() < 0.01:
                events[rng.randrange(3)] = today - datetime.timedelta(days=rng.randint(0, 900))
            yield (
                index,
                uuid.UUID(int=rng.getrandbits(128), version=4),
                f"{index:011d}",
                f"A{index:09d}",
                "Prénom",
                "Nom",
                born,
                *events,
                *person_rest.values(),
            )

    mandate_given = [
        "public_id",
        "form",
        "grantor_id",
        "agent_id",
        "scopes",
        "amount_limit",
        "joint",
        "starts_on",
        "ends_on",
        "status",
        "granted_at",
        "accepted_at",
        "finished_at",
        "end_reason",
        "staff_reason",
    ]
    assert set(mandate_given) | {"id"} == {field.column for field in Mandate._meta.concrete_fields}

    def mandate_rows():
        for _ in range(mandates):
            grantor = rng.randint(1, adults)
            agent = rng.randint(1, adults - 1)
            agent += agent >= grantor
            scopes = rng.sample(scope_keys, rng.randint(1, 3))
            status = rng.choices(["active", "pending", "revoked", "suspended"], [90, 4, 4, 2])[0]
            ends_on = today + datetime.timedelta(days=rng.randint(-300, 700)) if rng.random() < 0.2 else None
            starts_on = today - datetime.timedelta(days=rng.randint(0, 1500))
            if ends_on is not None and ends_on <= starts_on:
                ends_on = starts_on + datetime.timedelta(days=1)
            scopes_json = "[" + ", ".join(f'"{key}"' for key in scopes) + "]"
            yield (
                uuid.UUID(int=rng.getrandbits(128), version=4),
                uuid.UUID(int=rng.getrandbits(128), version=4),
                grantor,
                agent,
                scopes_json,
                "250.00" if "reimbursements" in scopes and rng.random() < 0.5 else None,
                "f",
                starts_on,
                ends_on,
                status,
                now,
                now if status != "pending" else None,
                None,
                "",
                "",
            )

    def authorities():
        for child in range(adults + 1, persons + 1):
            parents = rng.sample(range(1, adults + 1), 2 if rng.random() < 0.7 else 1)
            for parent in parents:
                yield (parent, child, today - datetime.timedelta(days=6600), None)

    with psycopg.connect(harness._libpq(url)) as db:
        harness.copy_rows(db, Person._meta.db_table, person_given + list(person_rest), people())
        harness.copy_rows(db, Mandate._meta.db_table, mandate_given, mandate_rows())
        harness.copy_rows(
            db,
            ParentalAuthority._meta.db_table,
            ["parent_id", "child_id", "since", "ended_on"],
            authorities(),
        )
        staff = User.objects.using(ALIAS).create(username="bench-staff", staff_role="agent")
        decisions = []
        with db.cursor() as cursor:
            cursor.execute(
                "SELECT child_id, min(parent_id) FROM mandates_parentalauthority GROUP BY child_id "
                "HAVING count(*) = 2 ORDER BY child_id"
            )
            for child, parent in cursor.fetchall():
                if rng.random() < 0.02:
                    decisions.append(
                        (
                            uuid.uuid4(),
                            child,
                            parent,
                            today - datetime.timedelta(days=rng.randint(0, 900)),
                            "Tribunal de la famille",
                            "mandates/court-decisions/bench.pdf",
                            "application/pdf",
                            now,
                            staff.pk,
                        )
                    )
        harness.copy_rows(
            db,
            CourtDecision._meta.db_table,
            [
                "public_id",
                "child_id",
                "exclusive_parent_id",
                "decided_on",
                "court",
                "proof",
                "proof_type",
                "recorded_at",
                "recorded_by_id",
            ],
            decisions,
        )
        db.execute(
            sql.SQL("SELECT setval(pg_get_serial_sequence({}, 'id'), %s)").format(
                sql.Literal(Person._meta.db_table)
            ),
            [persons],
        )
        db.commit()
    with psycopg.connect(harness._libpq(url), autocommit=True) as db:
        db.execute("VACUUM ANALYZE")


def _prepare(url: str, size: tuple) -> None:
    from django.core.management import call_command
    from django.db import connections

    persons, mandates, minors, _sample = size
    fingerprint = harness.data_fingerprint(size=list(size), authz=DATA_VERSION)
    if harness._stored_fingerprint(url) != fingerprint:
        harness.log(f"authz: building {persons} persons, {mandates} mandates, {minors} minors with parents")
        connections[ALIAS].close()
        harness._recreate_database(url)
        started = time.perf_counter()
        call_command("migrate", database=ALIAS, verbosity=0, interactive=False)
        _build(url, persons, mandates, minors)
        harness._store_fingerprint(url, fingerprint)
        harness.log(f"authz: data built in {time.perf_counter() - started:.1f} s")
    else:
        harness.log(f"authz: reusing {harness.database_name(url)}")


def _questions(sample: int) -> list[tuple[int, int, str]]:
    """(agent, subject, action): mandates, parents and unrelated pairs, drawn from the database."""
    from django.db import connections

    from guichet.mandates.policy import ACTS_NEEDING_A_JUDGE, SCOPES, Action

    rng = random.Random(7)  # noqa: S311
    actions = [action for scope in SCOPES.values() for action in sorted(scope.actions)] + [Action.OPEN_FILE]
    with connections[ALIAS].cursor() as cursor:
        cursor.execute(
            "SELECT agent_id, grantor_id FROM mandates_mandate TABLESAMPLE SYSTEM (5) LIMIT %s", [sample]
        )
        mandated = cursor.fetchall() or []
        cursor.execute(
            "SELECT parent_id, child_id FROM mandates_parentalauthority TABLESAMPLE SYSTEM (5) LIMIT %s",
            [sample],
        )
        parented = cursor.fetchall() or []
        cursor.execute("SELECT max(id) FROM members_person")
        last = cursor.fetchone()[0]
    if len(mandated) < sample // 2:  # small tables: TABLESAMPLE may return few rows
        with connections[ALIAS].cursor() as cursor:
            cursor.execute("SELECT agent_id, grantor_id FROM mandates_mandate LIMIT %s", [sample])
            mandated = cursor.fetchall()
            cursor.execute("SELECT parent_id, child_id FROM mandates_parentalauthority LIMIT %s", [sample])
            parented = cursor.fetchall()
    questions = []
    for _ in range(sample):
        draw = rng.random()
        if draw < 0.40:
            agent, subject = rng.choice(mandated)
        elif draw < 0.75:
            agent, subject = rng.choice(parented)
        else:
            agent, subject = rng.randint(1, last), rng.randint(1, last)
        action = (
            rng.choice(actions + sorted(ACTS_NEEDING_A_JUDGE)) if rng.random() < 0.05 else rng.choice(actions)
        )
        questions.append((agent, subject, str(action)))
    return questions


def _load_casbin():
    """The same relationships as an RBAC-with-domains policy: a role per scope (and one for parents) in
    the domain of each grantor's or child's file; only links in force today (casbin has no dates)."""
    import casbin
    from django.db import connections

    from guichet.mandates.policy import PARENT_ACTIONS, SCOPES

    model = casbin.Enforcer.new_model(text=CASBIN_MODEL)
    enforcer = casbin.Enforcer(model)
    policies = [
        [f"scope:{key}", "file:*", str(action)] for key, scope in SCOPES.items() for action in scope.actions
    ]
    policies += [[f"scope:{key}", "file:*", "open_file"] for key in SCOPES]
    policies += [["parent", "file:*", str(action)] for action in sorted(PARENT_ACTIONS)]
    enforcer.add_policies(policies)
    links = []
    with connections[ALIAS].cursor() as cursor:
        cursor.execute("SELECT agent_id, grantor_id, scopes FROM mandates_mandate WHERE status = 'active'")
        for agent, grantor, scopes in cursor.fetchall():
            scopes = (
                json.loads(scopes) if isinstance(scopes, str) else scopes
            )  # Django hands jsonb over as text
            links += [[f"p{agent}", f"scope:{key}", f"file:p{grantor}"] for key in scopes]
        cursor.execute(
            "SELECT pa.parent_id, pa.child_id FROM mandates_parentalauthority pa WHERE pa.ended_on IS NULL"
        )
        links += [[f"p{parent}", "parent", f"file:p{child}"] for parent, child in cursor.fetchall()]
    enforcer.add_named_grouping_policies("g", links)
    return enforcer, len(policies) + len(links)


class _Person:
    """What decide needs of a person: its primary key (the middleware holds the loaded persons)."""

    __slots__ = ("pk",)

    def __init__(self, pk: int):
        self.pk = pk


def run(run: Run) -> dict:
    from django.db import connections
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from guichet.mandates.policy import ACTS_NEEDING_A_JUDGE, SELF_ONLY, Action, decide, scope_of

    size = SIZES[run.size.name]
    url = harness.own_database_url(run.database_url, "authz")
    harness.connect_alias(ALIAS, url)
    try:
        _prepare(url, size)
        questions = _questions(size[3])
        day = timezone.localdate()
        people = {pk: _Person(pk) for agent, subject, _action in questions for pk in (agent, subject)}
        connection = connections[ALIAS]
        connection.ensure_connection()

        latencies: list[float] = []

        def guichet() -> list[bool]:
            answers = []
            for agent, subject, action in questions:
                started = time.perf_counter()
                answers.append(decide(people[agent], people[subject], action, at=day, using=ALIAS).allowed)
                latencies.append(time.perf_counter() - started)
            return answers

        params = [
            {
                "agent": agent,
                "subject": subject,
                "day": day,
                "scope": None if action == Action.OPEN_FILE else scope_of(Action(action)),
                "self_only": Action(action) in SELF_ONLY,
                "needs_judge": Action(action) in ACTS_NEEDING_A_JUDGE,
            }
            for agent, subject, action in questions
        ]

        def hand_written() -> list[bool]:
            answers = []
            with connection.cursor() as cursor:
                for values in params:
                    cursor.execute(HAND_WRITTEN_SQL, values)
                    answers.append(bool(cursor.fetchone()[0]))
            return answers

        started = time.perf_counter()
        enforcer, casbin_rules = _load_casbin()
        casbin_load_s = time.perf_counter() - started
        casbin_requests = [(f"p{agent}", f"file:p{subject}", action) for agent, subject, action in questions]

        def with_casbin() -> list[bool]:
            return [enforcer.enforce(*request) for request in casbin_requests]

        sides = {"guichet": guichet, "sql": hand_written, "casbin": with_casbin}
        answers = {side: function() for side, function in sides.items()}  # warm-up
        disagreements = sum(a != b for a, b in zip(answers["guichet"], answers["sql"], strict=True))
        if disagreements:
            raise harness.BenchError(f"authz: the policy and the SQL disagree on {disagreements} questions")
        casbin_agreement = sum(
            a == b for a, b in zip(answers["guichet"], answers["casbin"], strict=True)
        ) / len(questions)
        with CaptureQueriesContext(connection) as captured:
            for agent, subject, action in questions[:200]:
                decide(people[agent], people[subject], action, at=day, using=ALIAS)
        queries_per_decision = len(captured) / min(200, len(questions))
        latencies.clear()
        times: dict[str, list[float]] = {side: [] for side in sides}
        for round_ in range(max(run.size.rounds, 3)):
            order = list(sides) if round_ % 2 == 0 else list(reversed(sides))
            for side in order:
                begun = time.perf_counter()
                sides[side]()
                times[side].append(time.perf_counter() - begun)
        rate = {side: len(questions) / statistics.median(values) for side, values in times.items()}
        allowed = sum(answers["guichet"])
    finally:
        connections[ALIAS].close()
    persons, mandates, minors, sample = size
    return {
        "persons": persons,
        "mandates": mandates,
        "minors": minors,
        "questions": sample,
        "allowed": allowed,
        "decisions_per_s": rate["guichet"],
        "sql_per_s": rate["sql"],
        "casbin_per_s": rate["casbin"],
        "p50_ms": harness.percentile(latencies, 50) * 1000,
        "p99_ms": harness.percentile(latencies, 99) * 1000,
        "queries_per_decision": queries_per_decision,
        "casbin_rules": casbin_rules,
        "casbin_load_s": casbin_load_s,
        "casbin_agreement": casbin_agreement,
        "casbin_ratio": rate["guichet"] / rate["casbin"],
        "ratio": rate["guichet"] / rate["sql"],
    }
