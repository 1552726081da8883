"""The one access policy of the member area: may this actor do this action on this person's file, now?

`decide(actor, subject, action)` answers with a Decision and its reason: the actor's own file
(self), a mandate in force whose scopes hold the action (MAND-1, MAND-5), or parental authority over
a minor child (MIN-1 … MIN-5). It reads the life-event dates itself (death, legal incapacity,
bankruptcy: MAND-9) and the child's age (MIN-5), so nothing depends on a background job having run.
One query: the mandates between the two persons and the parental authority, together.
"""

import datetime
import enum
import functools
import json
from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from dateutil.relativedelta import relativedelta
from django.db import connections
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from guichet.accounts.models import StaffRole

AGE_OF_MAJORITY = 18


class Action(enum.StrEnum):
    OPEN_FILE = "open_file"  # open the file and see its home (every mandate includes it)
    VIEW_MY_DATA = "view_my_data"
    READ_EBOX = "read_ebox"
    CHANGE_CONTACT_DATA = "change_contact_data"
    ASK_REIMBURSEMENT = "ask_reimbursement"
    SIGN = "sign"
    REQUEST_DATA_ACCESS = "request_data_access"
    SHOP = "shop"
    # Only the person themself, never an agent or a parent:
    MANAGE_MANDATES = "manage_mandates"  # MAND-4: no sub-delegation, no grant on someone else's file
    ACCEPT_TERMS = "accept_terms"
    MANAGE_ACCOUNT = "manage_account"  # login, password, second factor
    # The e-mail and mobile that receive the codes and the password reset: whoever changes them can take the
    # account over, so an agent never may (the grantor's acts would no longer name both identities, MAND-2).
    CHANGE_LOGIN_CONTACT = "change_login_contact"
    CONTACT_DPO = "contact_dpo"
    # Acts that need a judge's approval for a minor (MIN-4): a person does them for themself only.
    SETTLE_CLAIM = "settle_claim"  # a settlement with a liable third party on the child's claim
    WAIVE_RIGHTS = "waive_rights"  # giving up a right or benefit of the child


@dataclass(frozen=True)
class Scope:
    key: str
    label: str
    actions: frozenset


SCOPES: dict[str, Scope] = {
    scope.key: scope
    for scope in (
        Scope(
            "consult",
            _("Consult the file, my data and the e-Box"),
            frozenset({Action.VIEW_MY_DATA, Action.READ_EBOX}),
        ),
        Scope("contact", _("Change the contact data"), frozenset({Action.CHANGE_CONTACT_DATA})),
        Scope("reimbursements", _("Ask for reimbursements"), frozenset({Action.ASK_REIMBURSEMENT})),
        Scope("signing", _("Sign documents"), frozenset({Action.SIGN})),
        Scope(
            "privacy",
            _("Exercise data protection rights (e.g. a copy of the data)"),
            frozenset({Action.REQUEST_DATA_ACCESS}),
        ),
        Scope("shop", _("Order in the e-shop"), frozenset({Action.SHOP})),
    )
}
SELF_ONLY = frozenset(
    {
        Action.MANAGE_MANDATES,
        Action.ACCEPT_TERMS,
        Action.MANAGE_ACCOUNT,
        Action.CHANGE_LOGIN_CONTACT,
        Action.CONTACT_DPO,
        Action.SETTLE_CLAIM,
        Action.WAIVE_RIGHTS,
    }
)
# MIN-4: the named list of acts that need the approval of a judge (justice of the peace) for a
# minor; they are never offered to parents.
ACTS_NEEDING_A_JUDGE = frozenset({Action.SETTLE_CLAIM, Action.WAIVE_RIGHTS})
# Under a joint mandate (MAND-3) these acts wait for every agent; consulting does not.
ACTS = frozenset(
    {
        Action.CHANGE_CONTACT_DATA,
        Action.ASK_REIMBURSEMENT,
        Action.SIGN,
        Action.REQUEST_DATA_ACCESS,
        Action.SHOP,
    }
)
PARENT_ACTIONS = frozenset(Action) - SELF_ONLY

MANDATES_STAFF_ACTIONS = {
    "manage_mandates": frozenset({StaffRole.AGENT, StaffRole.ADMINISTRATOR}),  # suspend, end (MAND-11)
    "record_life_events": frozenset({StaffRole.AGENT, StaffRole.ADMINISTRATOR}),  # MAND-9
    "record_court_decisions": frozenset({StaffRole.AGENT, StaffRole.ADMINISTRATOR}),  # MIN-3
}


def scope_of(action: Action) -> str | None:
    return next((key for key, scope in SCOPES.items() if action in scope.actions), None)


MESSAGES = {
    "self": _("This is your own file."),
    "mandate": _("You act under a mandate of this person."),
    "parental_authority": _("You act with parental authority for your child."),
    "no_actor": _("Only a member can open a member's file."),
    "no_link": _("You have no mandate or parental authority for this person."),
    "self_only": _("Only the person themself can do this; it cannot be done under a mandate or for a child."),
    "out_of_scope": _("Your mandate does not cover this."),
    "over_limit": _("This is above the ceiling per transaction of your mandate."),
    "not_accepted": _("The mandate was not accepted yet."),
    "not_started": _("The mandate has not started yet."),
    "expired": _("The mandate has ended (its end date has passed)."),
    "suspended": _("The mandate is suspended by the mutual."),
    "revoked": _("The mandate was revoked."),
    "ended": _("The mandate has ended."),
    "life_event": _("The mandate ended because of the death, legal incapacity or bankruptcy of one side."),
    "of_age": _("Your child has come of age: parental access has ended."),
    "excluded_by_court": _("A court decision gave the other parent exclusive charge of the child."),
    "needs_judge": _("This act needs a judge's approval and cannot be done online for a child."),
    "child_deceased": _("This person is recorded as deceased."),
}


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str
    basis: str | None = None  # "self" | "mandate" | "parental_authority"
    mandate: UUID | None = None  # the public id of the mandate used, or the one that explains a refusal
    scope: str | None = None
    joint: bool = False  # the act must wait for the other agents (MAND-3)
    amount_limit: Decimal | None = None

    def __bool__(self) -> bool:
        return self.allowed

    @property
    def message(self) -> str:
        return str(MESSAGES[self.reason])


SELF = Decision(True, "self", "self")


def _deny(reason: str, **details) -> Decision:
    return Decision(False, reason, **details)


def _day(at: datetime.datetime | datetime.date | None) -> datetime.date:
    if at is None:
        return timezone.localdate()
    if isinstance(at, datetime.datetime):
        return timezone.localdate(at)
    return at


def majority_date(birth_date: datetime.date) -> datetime.date:
    return birth_date + relativedelta(years=AGE_OF_MAJORITY)


LIFE_EVENTS = ("date_of_death", "legal_incapacity_on", "bankruptcy_on")
STATUS_REASONS = {
    "pending": "not_accepted",
    "suspended": "suspended",
    "revoked": "revoked",
    "refused": "revoked",
    "ended": "ended",
}


@functools.cache
def _pair_sql(vendor: str) -> str:
    """One query for the pair: every mandate the subject gave the actor (with both persons' life-event
    dates), then the actor's parental authority over the subject (with the child's birth and death
    dates and the parent named by the latest court decision on or before the day)."""
    from guichet.mandates.models import CourtDecision, Mandate, ParentalAuthority
    from guichet.members.models import Person

    mandate, person = Mandate._meta.db_table, Person._meta.db_table
    authority, court = ParentalAuthority._meta.db_table, CourtDecision._meta.db_table
    events = ", ".join(f"{side}.{event}" for side in ("g", "a") for event in LIFE_EVENTS)
    # Only table names from the models' metadata are put into the text; the values are parameters.
    return (
        f"SELECT 'm', "  # noqa: S608
        f"m.public_id, m.scopes, m.amount_limit, m.joint, m.starts_on, m.ends_on, m.status, "
        f"{events}, NULL, NULL "
        f"FROM {mandate} m JOIN {person} g ON g.id = m.grantor_id JOIN {person} a ON a.id = m.agent_id "
        f"WHERE m.grantor_id = %s AND m.agent_id = %s "
        f"UNION ALL "
        f"SELECT 'p', NULL, NULL, NULL, NULL, pa.since, pa.ended_on, NULL, c.date_of_death, "
        f"NULL, NULL, NULL, NULL, NULL, c.birth_date, "
        f"(SELECT cd.exclusive_parent_id FROM {court} cd WHERE cd.child_id = pa.child_id "
        f"AND cd.decided_on <= %s ORDER BY cd.decided_on DESC, cd.recorded_at DESC LIMIT 1) "
        f"FROM {authority} pa JOIN {person} c ON c.id = pa.child_id "
        f"WHERE pa.child_id = %s AND pa.parent_id = %s"
    )


def _date(value) -> datetime.date | None:
    """SQLite hands dates back as text; PostgreSQL as dates."""
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(value)


def _mandate_row(raw) -> dict:
    (_kind, public_id, scopes, limit, joint, starts_on, ends_on, status, *events) = raw[:14]
    return {
        "public_id": public_id if isinstance(public_id, UUID) else UUID(str(public_id)),
        "scopes": json.loads(scopes) if isinstance(scopes, str) else scopes,
        "amount_limit": Decimal(str(limit)) if limit is not None else None,
        "joint": bool(joint),
        "starts_on": _date(starts_on),
        "ends_on": _date(ends_on),
        "status": status,
        "events": [_date(value) for value in events],
    }


def _judge_mandate(row: dict, action: Action, day: datetime.date, amount) -> tuple[int, Decision]:
    """How far the mandate row goes towards allowing the action (the furthest explains a refusal)."""
    details = {"mandate": row["public_id"], "basis": "mandate"}
    if any(date is not None and date <= day for date in row["events"]):  # either side (MAND-9)
        return 0, _deny("life_event", **details)
    if row["status"] != "active":
        return 1, _deny(STATUS_REASONS[row["status"]], **details)
    if day < row["starts_on"]:
        return 2, _deny("not_started", **details)
    if row["ends_on"] is not None and day >= row["ends_on"]:
        return 2, _deny("expired", **details)
    scope = scope_of(action)
    if action != Action.OPEN_FILE and scope not in row["scopes"]:
        return 3, _deny("out_of_scope", **details)
    limit = row["amount_limit"]
    if amount is not None and limit is not None and Decimal(amount) > limit:
        return 4, _deny("over_limit", scope=scope, amount_limit=limit, **details)
    return 5, Decision(
        True, "mandate", scope=scope, joint=row["joint"] and action in ACTS, amount_limit=limit, **details
    )


def _judge_parent(raw, actor_pk: int, action: Action, day: datetime.date) -> Decision:
    since, ended_on, died_on, born_on, exclusive = (
        _date(raw[5]),
        _date(raw[6]),
        _date(raw[8]),
        _date(raw[14]),
        raw[15],
    )
    parental = {"basis": "parental_authority"}
    if day < since or (ended_on is not None and day >= ended_on):
        return _deny("no_link")
    if died_on is not None and died_on <= day:
        return _deny("child_deceased", **parental)
    if day >= majority_date(born_on):  # MIN-5
        return _deny("of_age", **parental)
    if exclusive is not None and exclusive != actor_pk:  # MIN-3
        return _deny("excluded_by_court", **parental)
    if action in ACTS_NEEDING_A_JUDGE:  # MIN-4
        return _deny("needs_judge", **parental)
    return Decision(True, "parental_authority", "parental_authority", scope=scope_of(action))


def decide(actor, subject, action, *, at=None, amount=None, using: str = "default") -> Decision:
    """May `actor` (a Person, or None for staff and visitors) do `action` on `subject`'s file on the
    day of `at` (default: now), for `amount` euros when the act has one? One query at most; every date
    it judges (life events, birth, court decisions) is read fresh from the database `using`."""
    action = Action(action)
    if actor is None or subject is None:
        return _deny("no_actor")
    if actor.pk == subject.pk:
        return SELF
    if action in SELF_ONLY:
        return _deny("self_only")
    day = _day(at)
    database = connections[using]
    with database.cursor() as cursor:
        cursor.execute(_pair_sql(database.vendor), [subject.pk, actor.pk, day, subject.pk, actor.pk])
        rows = cursor.fetchall()
    best: tuple[int, Decision] | None = None
    parent_row = None
    for raw in rows:
        if raw[0] == "p":
            parent_row = raw
            continue
        judged = _judge_mandate(_mandate_row(raw), action, day, amount)
        if best is None or judged[0] > best[0]:
            best = judged
    if best is not None and best[1].allowed:
        return best[1]
    if parent_row is not None:
        parental = _judge_parent(parent_row, actor.pk, action, day)
        if parental.allowed or best is None or parental.reason != "no_link":
            return parental
    return best[1] if best is not None else _deny("no_link")


def offered_actions(decision: Decision) -> frozenset:
    """What the page may offer under this decision (MIN-4: nothing that needs a judge)."""
    if decision.basis == "self":
        return frozenset(Action)
    if decision.basis == "parental_authority":
        return PARENT_ACTIONS - ACTS_NEEDING_A_JUDGE
    return frozenset()


def reason_text(reason: str) -> str:
    return str(MESSAGES[reason])


reason_text_lazy = lazy(reason_text, str)
