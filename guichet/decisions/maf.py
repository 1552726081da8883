"""The maximum billing (MAF, AUTO-5): the co-payments of each MAF household of a year (the National Register
household on 1 January) against its ceiling, everything above it refunded.

The computation is set-based SQL in the database: one pass aggregates the year's care lines per person, joins
them to the households of 1 January, and gives per household the counted total, the ceilings (income bracket
of the rule set's income year; the social MAF for the BIM sub-household; the individual child ceiling) and the
amount due above them. Refunds pay `due - already refunded`, so a rerun (batch or running counter) never
pays twice. The same query runs for one household (the running counter, after each care line) and for all
(the yearly batch).

Counters and what is due: the income counter covers the whole household; the social counter (when a reference
person or partner has BIM on 1 January) covers the reference person, the partner and the children, plus any
other member with BIM; each child under `child_age_below` on 1 January has an individual counter. A euro is
refunded once, so the household is due the most favourable of: the income excess, the social excess, the sum
of the children's individual excesses. Households without income data for the income year are skipped (the
income MAF cannot be set; nothing is paid) and counted in the report.
"""

# ruff: noqa: S608 - the SQL is built from our own table names and bound parameters only
from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.decisions import explanations, kinds
from guichet.decisions.errors import DecisionError
from guichet.decisions.models import CareLine, HouseholdIncome, MafAccount, MafRefund
from guichet.decisions.rulesets import RuleSet, rule_set
from guichet.members.models import Household, HouseholdMembership, Person
from guichet.members.services import household_on

MAF_REFUNDED = "decisions.maf_refunded"
DUE_TABLE = "decisions_maf_due"


def _due_select(rules: RuleSet, household_ids: list[int] | None) -> tuple[str, dict]:
    """The SELECT giving, per household of 1 January, its counted total, ceiling, amount due and basis."""
    year = rules.year
    jan1 = datetime.date(year, 1, 1)
    params = {
        "jan1": jan1,
        "next_jan1": datetime.date(year + 1, 1, 1),
        "child_born_after": jan1.replace(year=year - rules.child_age_below),
        "income_year": year - rules.income_year_offset,
        "social_ceiling": rules.social_ceiling_cents,
        "child_ceiling": rules.child_ceiling_cents,
    }
    whens = []
    for index, bracket in enumerate(rules.brackets):
        params[f"ceiling_{index}"] = bracket.ceiling_cents
        if bracket.up_to_cents is None:
            whens.append(f"ELSE %(ceiling_{index})s")
        else:
            params[f"up_to_{index}"] = bracket.up_to_cents
            whens.append(f"WHEN i.amount_cents <= %(up_to_{index})s THEN %(ceiling_{index})s")
    if not whens[-1].startswith("ELSE"):
        whens.append("ELSE NULL")
    bracket_case = "CASE " + " ".join(whens) + " END"
    only = ""
    if household_ids is not None:
        params.update({f"hh_{n}": value for n, value in enumerate(household_ids)})
        only = "AND hm.household_id IN (" + ", ".join(f"%(hh_{n})s" for n in range(len(household_ids))) + ")"
    person_filter = ""
    if household_ids is not None:
        person_filter = f"AND cl.person_id IN (SELECT hm.person_id FROM members_householdmembership hm WHERE " \
                        f"hm.start <= %(jan1)s AND (hm.\"end\" IS NULL OR hm.\"end\" > %(jan1)s) {only})"
    sql = f"""
WITH members AS (
    SELECT hm.household_id AS hh, hm.person_id AS pid, hm.role AS role,
           CASE WHEN p.birth_date > %(child_born_after)s THEN 1 ELSE 0 END AS is_child,
           CASE WHEN EXISTS (SELECT 1 FROM decisions_bimright b WHERE b.person_id = hm.person_id
                              AND b.start <= %(jan1)s AND (b."end" IS NULL OR b."end" > %(jan1)s))
                THEN 1 ELSE 0 END AS bim
      FROM members_householdmembership hm JOIN members_person p ON p.id = hm.person_id
     WHERE hm.start <= %(jan1)s AND (hm."end" IS NULL OR hm."end" > %(jan1)s) {only}
),
marked AS (
    SELECT m.*, MAX(CASE WHEN m.bim = 1 AND m.role IN ('reference', 'partner') THEN 1 ELSE 0 END)
                OVER (PARTITION BY m.hh) AS core_bim
      FROM members m
),
spent AS (
    SELECT cl.person_id AS pid, SUM(cl.amount_cents) AS total
      FROM decisions_careline cl
     WHERE cl.care_date >= %(jan1)s AND cl.care_date < %(next_jan1)s {person_filter}
     GROUP BY cl.person_id
),
per_household AS (
    SELECT k.hh,
           SUM(COALESCE(s.total, 0)) AS counted,
           SUM(CASE WHEN k.bim = 1 OR (k.core_bim = 1 AND k.role IN ('reference', 'partner', 'child'))
                    THEN COALESCE(s.total, 0) ELSE 0 END) AS social_counted,
           MAX(CASE WHEN k.bim = 1 OR k.core_bim = 1 THEN 1 ELSE 0 END) AS has_social,
           SUM(CASE WHEN k.is_child = 1 AND COALESCE(s.total, 0) > %(child_ceiling)s
                    THEN COALESCE(s.total, 0) - %(child_ceiling)s ELSE 0 END) AS child_excess
      FROM marked k LEFT JOIN spent s ON s.pid = k.pid
     GROUP BY k.hh
),
ceilings AS (
    SELECT h.*, {bracket_case} AS income_ceiling
      FROM per_household h JOIN decisions_householdincome i
        ON i.household_id = h.hh AND i.year = %(income_year)s
),
excesses AS (
    SELECT c.*,
           CASE WHEN c.counted > c.income_ceiling THEN c.counted - c.income_ceiling ELSE 0 END AS income_excess,
           CASE WHEN c.has_social = 1 AND c.social_counted > %(social_ceiling)s
                THEN c.social_counted - %(social_ceiling)s ELSE 0 END AS social_excess
      FROM ceilings c
)
SELECT e.hh AS household_id, e.counted,
       CASE WHEN e.has_social = 1 AND %(social_ceiling)s < e.income_ceiling THEN %(social_ceiling)s
            ELSE e.income_ceiling END AS ceiling,
       CASE WHEN e.income_excess >= e.social_excess AND e.income_excess >= e.child_excess THEN e.income_excess
            WHEN e.social_excess >= e.child_excess THEN e.social_excess ELSE e.child_excess END AS due,
       CASE WHEN e.income_excess >= e.social_excess AND e.income_excess >= e.child_excess THEN 'income'
            WHEN e.social_excess >= e.child_excess THEN 'social' ELSE 'child' END AS basis
  FROM excesses e
"""
    return sql, params


@dataclass
class MafRun:
    year: int
    run: str
    households: int = 0
    refunds: int = 0
    refunded_cents: int = 0
    without_income: int = 0
    decisions: list = field(default_factory=list)
    timings: dict = field(default_factory=dict)


def _lock(connection, year: int) -> None:
    """One MAF computation at a time per year (PostgreSQL); SQLite already has a single writer."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [4_046_653, year])
            # The per-person and per-household hash aggregates of a national batch fit in memory with this.
            cursor.execute("SELECT set_config('work_mem', %s, true)", [settings.MAF_WORK_MEM])


def run_maf(year: int, *, household_ids: list[int] | None = None, actor=None, run: str | None = None,
            decisions: bool = True, using: str = "default") -> MafRun:
    """Compute the year for all MAF households (the yearly batch) or for `household_ids` (the running
    counter), pay what is newly due and record one decision per refund (with `decisions`; the benchmark
    measures the SQL alone on its own database `using`). Idempotent."""
    import time

    rules = rule_set(year)
    report = MafRun(year=year, run=run or f"maf-{year}-{uuid.uuid4().hex[:12]}")
    now = timezone.now()
    select, params = _due_select(rules, household_ids)
    params = {**params, "year": year, "now": now, "run": report.run}
    connection = connections[using]
    with transaction.atomic(using=using):
        _lock(connection, year)
        with connection.cursor() as cursor:
            started = time.perf_counter()
            cursor.execute(f"DROP TABLE IF EXISTS {DUE_TABLE}")
            cursor.execute(f"CREATE TEMP TABLE {DUE_TABLE} AS {select}", params)
            report.timings["aggregate_s"] = time.perf_counter() - started
            started = time.perf_counter()
            cursor.execute(f"""
                INSERT INTO decisions_mafaccount (household_id, year, ceiling_cents, counted_cents, refunded_cents,
                                                  updated_at)
                SELECT d.household_id, %(year)s, d.ceiling, d.counted, 0, %(now)s FROM {DUE_TABLE} d WHERE 1 = 1
                ON CONFLICT (household_id, year) DO UPDATE
                   SET ceiling_cents = excluded.ceiling_cents, counted_cents = excluded.counted_cents,
                       updated_at = excluded.updated_at""", params)
            report.households = cursor.rowcount
            cursor.execute(f"""
                INSERT INTO decisions_mafrefund (account_id, amount_cents, due_cents, run, created_at)
                SELECT a.id, d.due - a.refunded_cents, d.due, %(run)s, %(now)s
                  FROM {DUE_TABLE} d JOIN decisions_mafaccount a ON a.household_id = d.household_id
                                                                 AND a.year = %(year)s
                 WHERE d.due > a.refunded_cents""", params)
            cursor.execute("""
                UPDATE decisions_mafaccount SET refunded_cents = (
                    SELECT r.due_cents FROM decisions_mafrefund r WHERE r.account_id = decisions_mafaccount.id
                       AND r.run = %(run)s)
                 WHERE id IN (SELECT account_id FROM decisions_mafrefund WHERE run = %(run)s)""", params)
            cursor.execute("SELECT COUNT(*), COALESCE(SUM(r.amount_cents), 0) FROM decisions_mafrefund r "
                           "WHERE r.run = %(run)s", params)
            report.refunds, report.refunded_cents = cursor.fetchone()
            report.timings["write_s"] = time.perf_counter() - started
            if household_ids is None:
                cursor.execute("SELECT COUNT(DISTINCT hm.household_id) FROM members_householdmembership hm "
                               "WHERE hm.start <= %(jan1)s AND (hm.\"end\" IS NULL OR hm.\"end\" > %(jan1)s) "
                               "AND NOT EXISTS (SELECT 1 FROM decisions_householdincome i WHERE "
                               "i.household_id = hm.household_id AND i.year = %(income_year)s)", params)
                report.without_income = cursor.fetchone()[0]
            basis = {}
            if decisions:
                cursor.execute(f"SELECT household_id, basis FROM {DUE_TABLE} d WHERE EXISTS (SELECT 1 FROM "
                               f"decisions_mafrefund r JOIN decisions_mafaccount a ON a.id = r.account_id "
                               f"WHERE r.run = %(run)s AND a.household_id = d.household_id)", params)
                basis = dict(cursor.fetchall())
            cursor.execute(f"DROP TABLE {DUE_TABLE}")
        if decisions:
            started = time.perf_counter()
            report.decisions = _record_refund_decisions(rules, report, basis, actor=actor)
            report.timings["decisions_s"] = time.perf_counter() - started
    return report


def _addressee(household_id: int, jan1: datetime.date) -> Person | None:
    """Whom the MAF decision of a household is addressed to: its reference person on 1 January (else the
    eldest member)."""
    memberships = HouseholdMembership.objects.filter(household_id=household_id, start__lte=jan1) \
        .exclude(end__lte=jan1).select_related("person").order_by("person__birth_date")
    chosen = None
    for membership in memberships:
        if membership.role == "reference":
            return membership.person
        chosen = chosen or membership.person
    return chosen


def _record_refund_decisions(rules: RuleSet, report: MafRun, basis: dict, *, actor=None) -> list:
    from guichet.decisions.services import record_decision
    from guichet.events.services import publish

    jan1 = datetime.date(rules.year, 1, 1)
    made = []
    refunds = MafRefund.objects.filter(run=report.run).select_related("account")
    for refund in refunds.iterator(chunk_size=2000):
        account = refund.account
        person = _addressee(account.household_id, jan1)
        if person is None:
            continue
        first = account.refunded_cents == refund.amount_cents
        kind_basis = basis.get(account.household_id, "income")
        decision = record_decision(
            kinds.MAF, person, actor=actor, rules=rules.label, outcome="refund",
            inputs={"year": rules.year, "household": str(Household.objects.values_list("public_id", flat=True)
                                                         .get(pk=account.household_id)),
                    "counted_cents": account.counted_cents, "ceiling_cents": account.ceiling_cents,
                    "income_year": rules.year - rules.income_year_offset, "basis": kind_basis,
                    "already_refunded_cents": account.refunded_cents - refund.amount_cents},
            result={"refund_cents": refund.amount_cents, "refunded_total_cents": account.refunded_cents},
            explanation=explanations.explain(
                "maf", counted_cents=account.counted_cents, year=rules.year, ceiling_cents=account.ceiling_cents,
                refund_cents=refund.amount_cents, total_cents=account.refunded_cents,
                **explanations.MAF_BASIS[kind_basis]),
        )
        refund.decision = decision
        refund.save(update_fields=["decision"])
        publish(MAF_REFUNDED, person=person, payload={"decision": str(decision.public_id), "first": first})
        made.append(decision)
    return made


def record_care_line(person: Person, *, care_date: datetime.date, amount, actor=None) -> CareLine:
    """Record a co-payment and advance the household's running counter (refunding what passed the
    ceiling). Refused: a negative or non-numeric amount, a year without rules."""
    from guichet.decisions.services import parse_amount

    amount_cents = parse_amount(amount, what=_("Co-payment"))
    rule_set(care_date.year)
    with transaction.atomic():
        line = CareLine.objects.create(person=person, care_date=care_date, amount_cents=amount_cents,
                                       recorded_at=timezone.now())
        household = household_on(person, datetime.date(care_date.year, 1, 1))
        if household is not None and HouseholdIncome.objects.filter(
                household=household, year=care_date.year - rule_set(care_date.year).income_year_offset).exists():
            run_maf(care_date.year, household_ids=[household.pk], actor=actor)
    return line


def import_care_lines(text: str, *, actor=None) -> int:
    """Import lines `national_number;YYYY-MM-DD;amount` (a header line is allowed). All or nothing: the first
    bad line (unknown person, bad date, negative or non-numeric amount) refuses the whole file, by number."""
    from guichet.decisions.services import parse_amount

    parsed = []
    numbers = set()
    rows = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        raw = raw.strip()
        if not raw or (number == 1 and raw.lower().startswith("national")):
            continue
        parts = [part.strip() for part in raw.split(";")]
        if len(parts) != 3:
            raise DecisionError(_("Line %(n)s: expected national number;date;amount.") % {"n": number})
        rows.append((number, *parts))
        numbers.add(parts[0])
    people = {person.national_number: person for person in Person.objects.filter(national_number__in=numbers)}
    for number, national_number, day, amount in rows:
        person = people.get(national_number)
        if person is None:
            raise DecisionError(_("Line %(n)s: no person with this national register number.") % {"n": number})
        try:
            care_date = datetime.date.fromisoformat(day)
        except ValueError:
            raise DecisionError(_("Line %(n)s: the date must be written YYYY-MM-DD.") % {"n": number}) from None
        try:
            cents = parse_amount(amount, what=_("Line %(n)s") % {"n": number})
            rule_set(care_date.year)
        except DecisionError:
            raise
        parsed.append(CareLine(person=person, care_date=care_date, amount_cents=cents, recorded_at=timezone.now()))
    with transaction.atomic():
        CareLine.objects.bulk_create(parsed, batch_size=2000)
        for year in sorted({line.care_date.year for line in parsed}):
            households = {household_on(line.person, datetime.date(year, 1, 1)) for line in parsed
                          if line.care_date.year == year}
            ids = [household.pk for household in households if household is not None]
            if ids:
                run_maf(year, household_ids=ids, actor=actor)
    return len(parsed)


def maf_overview(person: Person, year: int) -> dict:
    """The person's MAF household of `year`, its counter and ceiling, and the co-payments month by month
    (running total) for the chart. DecisionError when the year has no rules or the household no income."""
    rules = rule_set(year)
    jan1 = datetime.date(year, 1, 1)
    household = household_on(person, jan1)
    if household is None:
        raise DecisionError(_("You had no household on record on 1 January %(year)s.") % {"year": year})
    income = HouseholdIncome.objects.filter(household=household, year=year - rules.income_year_offset).first()
    if income is None:
        raise DecisionError(_("The income of your household for %(year)s is not known yet: the ceiling cannot be "
                              "set.") % {"year": year - rules.income_year_offset})
    account = MafAccount.objects.filter(household=household, year=year).first()
    member_ids = HouseholdMembership.objects.filter(household=household, start__lte=jan1).exclude(end__lte=jan1) \
        .values_list("person_id", flat=True)
    monthly = [0] * 12
    for care_date, cents in CareLine.objects.filter(person_id__in=list(member_ids), care_date__year=year) \
            .values_list("care_date", "amount_cents"):
        monthly[care_date.month - 1] += cents
    running, total = [], 0
    for cents in monthly:
        total += cents
        running.append(total)
    ceiling = account.ceiling_cents if account else rules.income_ceiling_cents(income.amount_cents)
    return {"year": year, "household": household, "ceiling_cents": ceiling, "monthly_cents": monthly,
            "running_cents": running, "counted_cents": total,
            "refunded_cents": account.refunded_cents if account else 0,
            "refunds": list(MafRefund.objects.filter(account=account).order_by("created_at")) if account else []}
