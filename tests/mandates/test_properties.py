"""Property-based test of the policy: random sequences of grants, acceptances, revocations, staff
suspensions, deaths and other ending events, court decisions and birthdays, run through the services;
after every step `decide` must agree with a small reference model of the rules written here from
the rule texts (MAND-1, 3, 4, 6, 8, 9, 11, MIN-1 … MIN-5). Each example runs in a transaction that is
rolled back, and no event is delivered: the policy must be right on its own."""

import datetime
from dataclasses import dataclass, field

import pytest
from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guichet.accounts.models import StaffRole, User
from guichet.mandates import services
from guichet.mandates.policy import ACTS_NEEDING_A_JUDGE, SCOPES, SELF_ONLY, Action, decide, scope_of
from guichet.members import services as registry
from tests.ebox.conftest import real_pdf
from tests.mandates.helpers import agent_input

pytestmark = pytest.mark.django_db

PEOPLE = ["marie", "jan", "tom", "emma", "lucas"]  # Emma (10) and Lucas (16) are minors
CHECKED_ACTIONS = [
    Action.OPEN_FILE,
    Action.CHANGE_CONTACT_DATA,
    Action.READ_EBOX,
    Action.SETTLE_CLAIM,
    Action.MANAGE_MANDATES,
]
SCOPE_KEYS = sorted(SCOPES)
LIFE_EVENTS = ["death", "legal_incapacity", "bankruptcy"]

person = st.sampled_from(PEOPLE)
steps = st.lists(
    st.one_of(
        st.tuples(
            st.just("grant"),
            person,
            person,
            st.sets(st.sampled_from(SCOPE_KEYS), min_size=1, max_size=2),
            st.one_of(st.none(), st.integers(1, 800)),
        ),
        st.tuples(st.just("accept"), st.integers(0, 7)),
        st.tuples(st.just("accept"), st.integers(0, 7)),
        st.tuples(st.just("revoke"), st.integers(0, 7)),
        st.tuples(st.just("suspend"), st.integers(0, 7)),
        st.tuples(st.just("resume"), st.integers(0, 7)),
        st.tuples(st.just("life_event"), person, st.sampled_from(LIFE_EVENTS)),
        st.tuples(st.just("court"), st.sampled_from(["emma", "lucas"]), person),
        st.tuples(st.just("days"), st.integers(1, 4000)),
    ),
    min_size=1,
    max_size=10,
)


@dataclass
class Row:
    grantor: str
    agent: str
    scopes: set
    ends_on: datetime.date | None
    status: str = "pending"


@dataclass
class Model:
    """The rules, naively: a list of mandates, the recorded life events, parents, court decisions."""

    today: datetime.date
    births: dict
    day: datetime.date = None
    rows: list = field(default_factory=list)
    events: dict = field(default_factory=dict)  # person -> {kind: date}
    parents: set = field(default_factory=set)  # (parent, child)
    court: dict = field(default_factory=dict)  # child -> exclusive parent

    def adult(self, who: str, day: datetime.date) -> bool:
        return day >= self.births[who] + relativedelta(years=18)

    def gone(self, who: str, day: datetime.date) -> bool:
        return any(date <= day for date in self.events.get(who, {}).values())

    def may_grant(self, grantor, agent) -> bool:
        return (
            grantor != agent
            and self.adult(grantor, self.today)
            and self.adult(agent, self.today)
            and not self.gone(grantor, self.today)
            and not self.gone(agent, self.today)
            and not any(r.grantor == grantor and r.agent == agent and r.status in OPEN for r in self.rows)
        )

    def revoke(self, index: int) -> None:
        row = self.rows[index]
        open_pairs = {(r.grantor, r.agent) for r in self.rows if r.status in OPEN}
        if (row.agent, row.grantor) not in open_pairs:
            row.status = "revoked"
            return
        linked = {row.grantor, row.agent}
        grown = True
        while grown:
            grown = False
            for grantor, agent in open_pairs:
                if (
                    (agent, grantor) in open_pairs
                    and ({grantor, agent} & linked)
                    and not {grantor, agent} <= linked
                ):
                    linked |= {grantor, agent}
                    grown = True
        for r in self.rows:
            if (
                r.status in OPEN
                and r.grantor in linked
                and r.agent in linked
                and (r.agent, r.grantor) in open_pairs
            ):
                r.status = "revoked"

    def allows(self, actor: str, subject: str, action: Action) -> bool:
        day = self.day
        if actor == subject:
            return True
        if action in SELF_ONLY:
            return False
        for r in self.rows:
            if (
                (r.grantor, r.agent) == (subject, actor)
                and r.status == "active"
                and not (self.gone(subject, day) or self.gone(actor, day))
                and (r.ends_on is None or day < r.ends_on)
                and (action == Action.OPEN_FILE or scope_of(action) in r.scopes)
            ):
                return True
        return (
            (actor, subject) in self.parents
            and not self.gone_by_death(subject, day)
            and not self.adult(subject, day)
            and self.court.get(subject, actor) == actor
            and action not in ACTS_NEEDING_A_JUDGE
        )

    def gone_by_death(self, who: str, day: datetime.date) -> bool:
        death = self.events.get(who, {}).get("death")
        return death is not None and death <= day


OPEN = ("pending", "active", "suspended")
RECORD = {
    "death": registry.record_death,
    "legal_incapacity": registry.record_legal_incapacity,
    "bankruptcy": registry.record_bankruptcy,
}
PDF = real_pdf()  # the proof of the court decision, scanned


class Rollback(Exception):
    pass


def _run(personas, staff, sequence, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    people = {key: personas[key] for key in PEOPLE}
    model = Model(today=timezone.localdate(), births={k: p.birth_date for k, p in people.items()})
    model.day = model.today
    model.parents = {("marie", "emma"), ("tom", "emma"), ("jan", "lucas")}
    services.record_parental_authority(people["tom"], people["emma"])
    services.record_parental_authority(people["jan"], people["lucas"])
    mandates = []
    for step in sequence:
        kind = step[0]
        refused = False
        try:
            if kind == "grant":
                _kind, grantor, agent, scopes, ends_in = step
                ends_on = model.today + datetime.timedelta(days=ends_in) if ends_in else None
                expected_ok = model.may_grant(grantor, agent)
                checked = services.check_grant(
                    [people[grantor]],
                    [agent_input(people[agent])],
                    scopes=sorted(scopes),
                    amount_limit=None,
                    joint=False,
                    starts_on=model.today,
                    ends_on=ends_on,
                )
                mandates.extend(services.grant_mandate(people[grantor], [people[grantor]], checked))
                model.rows.append(Row(grantor, agent, set(scopes), ends_on))
            elif kind in ("accept", "revoke", "suspend", "resume"):
                index = step[1]
                expected_ok = index < len(model.rows)
                if expected_ok:
                    row = model.rows[index]
                    expected_ok = {
                        "accept": row.status == "pending"
                        and not model.gone(row.grantor, model.today)
                        and not model.gone(row.agent, model.today),
                        "revoke": row.status in OPEN,
                        "suspend": row.status == "active",
                        "resume": row.status == "suspended",
                    }[kind]
                if index >= len(mandates):
                    raise services.MandateError("no such mandate")
                mandate = mandates[index]
                if kind == "accept":
                    services.accept_mandate(mandate.agent, mandate)
                    row.status = "active"
                elif kind == "revoke":
                    services.revoke_mandate(mandate.grantor, mandate)
                    model.revoke(index)
                elif kind == "suspend":
                    services.suspend_mandate(staff, mandate, "prudence: checking")
                    row.status = "suspended"
                else:
                    services.resume_mandate(staff, mandate, "checked: all fine")
                    row.status = "active"
            elif kind == "life_event":
                _kind, who, event = step
                recorded = model.events.get(who, {})
                expected_ok = "death" not in recorded and event not in recorded
                RECORD[event](people[who], model.today, by=None)
                model.events.setdefault(who, {})[event] = model.today
            elif kind == "court":
                _kind, child, parent = step
                expected_ok = (parent, child) in model.parents
                services.record_court_decision(
                    staff,
                    people[child],
                    people[parent],
                    decided_on=model.today,
                    court="Tribunal de la famille",
                    proof=SimpleUploadedFile("d.pdf", PDF),
                )
                model.court[child] = parent
            else:
                expected_ok = True
                model.day = model.day + datetime.timedelta(days=step[1])
        except (services.MandateError, registry.RegistryError):
            refused = True
        assert refused == (not expected_ok), (step, model)
        for actor in PEOPLE:
            for subject in PEOPLE:
                for action in CHECKED_ACTIONS:
                    got = decide(people[actor], people[subject], action, at=model.day).allowed
                    assert got == model.allows(actor, subject, action), (
                        actor,
                        subject,
                        action,
                        model.day,
                        model,
                    )


@pytest.mark.rule("MAND-1", "MAND-3", "MAND-4", "MAND-6", "MAND-8", "MAND-9", "MAND-11")
@pytest.mark.rule("MIN-1", "MIN-2", "MIN-3", "MIN-4", "MIN-5")
@settings(
    max_examples=500,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sequence=steps)
def test_the_policy_agrees_with_the_reference_model_at_every_step(personas, tmp_path, sequence):
    from django.test import override_settings

    staff = User.objects.get(staff_role=StaffRole.AGENT)
    storages = {
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        try:
            with transaction.atomic():
                _run(personas, staff, sequence, tmp_path)
                raise Rollback
        except Rollback:
            pass
