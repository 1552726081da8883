"""The registry of retention targets: which records each retention rule of the register covers (RET-1..8).

A target names a model, the register rule (context + rule key) whose duration and action apply, how to find
the expired records from the cut-off date (now minus the rule's duration: the start/end event is in the
filter), which field holds the person (so that legal holds, RET-4, spare their records), and for records
kept for statistics (action "anonymise") the identifying fields and what replaces them.

Public API, for the apps that hold personal data (call it from their AppConfig.ready)::

    from guichet.retention.registry import register_target

    register_target(
        "ebox.document",                      # unique key, shown in the plan and the runs
        model="ebox.Document",                # app_label.Model
        context="operations", rule="ops_client_file",   # the register's retention rule (key in that context)
        expired=lambda cutoff: Q(person__in=persons_left_before(cutoff)),  # the records past their period
        date_field="created_at",              # shown as "oldest" in the plan
        person_field="person",                # path to members.Person, for legal holds (None: no person)
        # for action "anonymise" (taken from the rule unless given):
        anonymise={"name": Value(""), ...},   # field -> value or expression; identifying fields only
        done=Q(name=""),                      # the records already anonymised (never counted again)
        erase=None,                           # optional callable(queryset) -> int, e.g. to delete files too
        duration=None,                        # optional callable() -> relativedelta/timedelta shortening the
                                              # register's period (the operator may shorten it)
    )

`persons_left_before(cutoff)` (here) gives the persons whose every affiliation ended on or before `cutoff`,
the end event of RET-1/5/6. The ledger is never a target: it is append-only evidence (hashes), and the
person rows it points to are anonymised, never deleted.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Exists, OuterRef, Q, QuerySet

from guichet.privacy.register import RetentionRule, load_register

ERASE, ANONYMISE = "erase", "anonymise"


@dataclass(frozen=True)
class RetentionTarget:
    key: str
    model_label: str
    context: str
    rule_key: str
    expired: Callable[[datetime.datetime], Q]
    date_field: str
    person_field: str | None = None
    action: str | None = None
    anonymise: dict = field(default_factory=dict)
    done: Q | None = None
    erase: Callable[[QuerySet], int] | None = None
    duration: Callable[[], object] | None = None
    contexts: tuple[str, ...] = ()  # the contexts a hold may name to cover these records (default: context)

    @property
    def model(self):
        return apps.get_model(self.model_label)

    @property
    def rule(self) -> RetentionRule:
        rule = next((r for r in load_register().context(self.context).retention if r.key == self.rule_key), None)
        if rule is None:
            raise LookupError(f"retention target {self.key}: no rule {self.rule_key!r} in context {self.context!r}")
        return rule

    @property
    def rule_ids(self) -> tuple[str, ...]:
        return self.rule.rule_ids

    @property
    def effective_action(self) -> str:
        return self.action or self.rule.action

    @property
    def categories(self) -> tuple[str, ...]:
        return self.rule.data_categories

    @property
    def hold_contexts(self) -> tuple[str, ...]:
        return self.contexts or (self.context,)

    def period(self):
        """The retention period: the register's, or the operator's shorter one."""
        return self.duration() if self.duration else self.rule.period.relativedelta()

    def cutoff(self, now: datetime.datetime) -> datetime.datetime:
        return now - self.period()


_TARGETS: dict[str, RetentionTarget] = {}


def register_target(key: str, *, model: str, context: str, rule: str, expired: Callable[[datetime.datetime], Q],
                    date_field: str, person_field: str | None = None, action: str | None = None,
                    anonymise: dict | None = None, done: Q | None = None,
                    erase: Callable[[QuerySet], int] | None = None, duration: Callable[[], object] | None = None,
                    contexts: tuple[str, ...] = ()) -> RetentionTarget:
    """Declare the records a retention rule covers (see the module docstring). Registering the same key
    again replaces it (apps may be reloaded in tests); a bad declaration raises ValueError at start-up."""
    if action not in (None, ERASE, ANONYMISE):
        raise ValueError(f"retention target {key}: action must be {ERASE!r} or {ANONYMISE!r}")
    target = RetentionTarget(key=key, model_label=model, context=context, rule_key=rule, expired=expired,
                             date_field=date_field, person_field=person_field, action=action,
                             anonymise=dict(anonymise or {}), done=done, erase=erase, duration=duration,
                             contexts=tuple(contexts))
    target.rule  # noqa: B018 - fails early when the register has no such rule
    if target.effective_action == ANONYMISE and (not target.anonymise or target.done is None):
        raise ValueError(f"retention target {key}: anonymising needs the fields to replace and a `done` filter")
    _TARGETS[key] = target
    return target


def unregister_target(key: str) -> None:
    _TARGETS.pop(key, None)


def targets() -> list[RetentionTarget]:
    """Every target, in registration order (the order of a run)."""
    return list(_TARGETS.values())


def target(key: str) -> RetentionTarget:
    return _TARGETS[key]


def persons_left_before(cutoff: datetime.datetime | datetime.date):
    """Persons affiliated at some point whose every affiliation ended on or before `cutoff` (the end event
    of RET-1/5/6: end of affiliation, change to a mutual outside the union, death, departure abroad)."""
    from guichet.members.models import Affiliation, Person

    day = cutoff.date() if isinstance(cutoff, datetime.datetime) else cutoff
    affiliations = Affiliation.objects.filter(person=OuterRef("pk"))
    return Person.objects.filter(Exists(affiliations)).exclude(
        Exists(affiliations.filter(Q(end__isnull=True) | Q(end__gt=day))))


def contract_ended_before(cutoff: datetime.datetime, context: str) -> Q:
    """Affiliations of `context` that ended on or before `cutoff` (RET-7: the end of the contract)."""
    return Q(context=context, end__isnull=False, end__lte=cutoff.date())
