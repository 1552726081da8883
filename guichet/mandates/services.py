"""The actions on mandates and parental authority: grant (structured and checked, MAND-1, MAND-10),
accept or refuse, revoke (MAND-6, MAND-7, MAND-8), end on a life event (MAND-9), staff suspension and
ending (MAND-11), joint acts (MAND-3), acts recorded with both identities (MAND-2), parental authority
and court decisions (MIN-1, MIN-3), switching files. Each checks first (`check_*`), then writes in
one transaction with its ledger entries; notices leave once the transaction has committed."""

import datetime
import functools
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.mandates import evidence
from guichet.mandates.models import (
    CourtDecision,
    EndReason,
    JointAct,
    JointActStatus,
    Mandate,
    MandateLog,
    MandateLogKind,
    MandateStatus,
    ParentalAuthority,
)
from guichet.mandates.policy import SCOPES, Action, Decision, decide, majority_date
from guichet.members.models import Person

OPEN = (MandateStatus.PENDING, MandateStatus.ACTIVE, MandateStatus.SUSPENDED)
MAX_AGENTS = 5


class MandateError(Exception):
    """An action on a mandate was refused; `message` is for the person, already translated; `field`
    names the form field it is about (None: the whole form)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def today() -> datetime.date:
    return timezone.localdate()


def _log(mandate: Mandate, kind: str, *, by_person=None, by_staff=None, detail: str = "") -> None:
    MandateLog.objects.create(
        mandate=mandate,
        kind=kind,
        at=timezone.now(),
        by_person=by_person,
        by_staff=by_staff,
        detail=detail[:500],
    )


def _identities(mandate: Mandate) -> dict:
    return {
        "mandate": str(mandate.public_id),
        "grantor": str(mandate.grantor.public_id),
        "agent": str(mandate.agent.public_id),
    }


def _notify_later(person: Person, text: Callable[[], str]) -> None:
    def send() -> None:
        from guichet.messaging.sms import SmsDeliveryError

        try:
            evidence.notify(person, text)
        except SmsDeliveryError:
            pass  # a notice only: the mandate is changed and both sides see it in their account

    transaction.on_commit(send, robust=True)


# --- grant (MAND-1, MAND-4, MAND-5, MAND-10) ---------------------------------------------------------


@dataclass(frozen=True)
class AgentInput:
    national_number: str
    first_name: str
    last_name: str


@dataclass(frozen=True)
class GrantInput:
    agents: tuple[Person, ...]
    scopes: tuple[str, ...]
    amount_limit: Decimal | None
    joint: bool
    starts_on: datetime.date
    ends_on: datetime.date | None


def _normal(name: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", " ".join((name or "").split()).casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char)).replace("-", " ")


def _is_minor(person: Person, day: datetime.date) -> bool:
    return day < majority_date(person.birth_date)


def _life_event(person: Person, day: datetime.date) -> bool:
    return any(
        value is not None and value <= day
        for value in (person.date_of_death, person.legal_incapacity_on, person.bankruptcy_on)
    )


def check_may_manage(actor: Person | None, grantor: Person) -> None:
    """MAND-4: only the grantor themself grants or revokes on their file; never an agent or a parent."""
    if not decide(actor, grantor, Action.MANAGE_MANDATES).allowed:
        raise MandateError(_("Only the person themself can give or revoke a mandate on their file."))


def check_grant(
    grantors: list[Person], agents: list[AgentInput], *, scopes, amount_limit, joint: bool, starts_on, ends_on
) -> GrantInput:
    """The grant as it will be recorded, or MandateError: nothing imprecise, incomplete or contradictory
    gets in (MAND-10)."""
    day = today()
    if not agents:
        raise MandateError(_("Name at least one agent."), "agent_national_number")
    if len(agents) > MAX_AGENTS:
        raise MandateError(_("At most %(count)d agents on one form.") % {"count": MAX_AGENTS})
    scopes = tuple(dict.fromkeys(scopes or ()))
    if not scopes:
        raise MandateError(_("Choose at least one thing the agent may do."), "scopes")
    if any(scope not in SCOPES for scope in scopes):
        raise MandateError(_("Choose the scopes from the list."), "scopes")
    if amount_limit not in (None, ""):
        try:
            amount_limit = Decimal(str(amount_limit)).quantize(Decimal("0.01"))
        except (InvalidOperation, ValueError):
            raise MandateError(_("Enter an amount in euros, e.g. 250 or 250.50."), "amount_limit") from None
        if amount_limit <= 0 or amount_limit >= Decimal("100000000"):
            raise MandateError(_("The ceiling must be a positive amount in euros."), "amount_limit")
        if not {"reimbursements", "shop"} & set(scopes):
            raise MandateError(
                _("A ceiling per transaction needs a scope with amounts (reimbursements or the e-shop)."),
                "amount_limit",
            )
    else:
        amount_limit = None
    if joint and len(agents) < 2:
        raise MandateError(_("Acting jointly needs at least two agents."), "joint")
    if starts_on is None:
        raise MandateError(_("Give the start date."), "starts_on")
    if starts_on < day:
        raise MandateError(_("The mandate cannot start in the past."), "starts_on")
    if ends_on is not None and ends_on <= starts_on:
        raise MandateError(_("The end date must come after the start date."), "ends_on")
    for grantor in Person.objects.filter(
        pk__in=[grantor.pk for grantor in grantors]
    ):  # fresh, not a stale copy
        if _is_minor(grantor, day) or _life_event(grantor, day):
            raise MandateError(_("This person cannot give a mandate."))
    found: list[Person] = []
    for number, entry in enumerate(agents, start=1):
        field = "agent_national_number" if number == 1 else f"agent{number}_national_number"
        digits = "".join(char for char in (entry.national_number or "") if char.isdigit())
        person = Person.objects.filter(national_number=digits).first() if len(digits) == 11 else None
        if person is None or (_normal(person.first_name), _normal(person.last_name)) != (
            _normal(entry.first_name),
            _normal(entry.last_name),
        ):
            raise MandateError(
                _("No member matches this national register number and name. Check both."), field
            )
        if any(person.pk == grantor.pk for grantor in grantors):
            raise MandateError(_("You cannot give a mandate to yourself."), field)
        if person in found:
            raise MandateError(_("The same agent is named twice."), field)
        if _is_minor(person, day) or _life_event(person, day):
            raise MandateError(
                _("This person cannot be an agent (a minor, or a person who cannot act)."), field
            )
        if Mandate.objects.open().filter(grantor__in=grantors, agent=person).exists():
            raise MandateError(
                _("This agent already has a mandate from you: revoke it before giving a new one."), field
            )
        found.append(person)
    return GrantInput(
        agents=tuple(found),
        scopes=scopes,
        amount_limit=amount_limit,
        joint=bool(joint),
        starts_on=starts_on,
        ends_on=ends_on,
    )


@transaction.atomic
def grant_mandate(
    actor: Person | None, grantors: list[Person], grant: GrantInput, *, by_staff=None
) -> list[Mandate]:
    """Record the grant form: one pending row per grantor and agent, all with the same form id. A member
    grants for themself only (MAND-4); staff record a form signed at the agency (several grantors, MAND-7)."""
    if by_staff is None:
        for grantor in grantors:
            check_may_manage(actor, grantor)
    form = uuid.uuid4()
    now = timezone.now()
    made = []
    for grantor in grantors:
        for agent in grant.agents:
            mandate = Mandate.objects.create(
                form=form,
                grantor=grantor,
                agent=agent,
                scopes=list(grant.scopes),
                amount_limit=grant.amount_limit,
                joint=grant.joint,
                starts_on=grant.starts_on,
                ends_on=grant.ends_on,
                granted_at=now,
            )
            _log(
                mandate,
                MandateLogKind.GRANTED,
                by_person=actor if by_staff is None else None,
                by_staff=by_staff,
            )
            evidence.record(
                "mandates.granted",
                actor=by_staff or grantor,
                subject=grantor,
                payload={
                    **_identities(mandate),
                    "scopes": list(grant.scopes),
                    "amount_limit": str(grant.amount_limit) if grant.amount_limit is not None else None,
                    "joint": grant.joint,
                    "starts_on": grant.starts_on.isoformat(),
                    "ends_on": grant.ends_on.isoformat() if grant.ends_on else None,
                },
            )
            name = grantor.full_name
            _notify_later(
                agent,
                lambda name=name: (
                    _("%(name)s gave you a mandate on Guichet. Log in to accept or refuse it.")
                    % {"name": name}
                ),
            )
            made.append(mandate)
    return made


# --- acceptance --------------------------------------------------------------------------------------


def _locked(mandate: Mandate) -> Mandate:
    return Mandate.objects.select_for_update().select_related("grantor", "agent").get(pk=mandate.pk)


@transaction.atomic
def accept_mandate(agent: Person, mandate: Mandate) -> Mandate:
    mandate = _locked(mandate)
    if mandate.agent_id != agent.pk or mandate.status != MandateStatus.PENDING:
        raise MandateError(_("This mandate cannot be accepted (it is not waiting for you)."))
    if _life_event(mandate.grantor, today()) or _life_event(mandate.agent, today()):
        raise MandateError(_("This mandate can no longer be accepted."))
    mandate.status = MandateStatus.ACTIVE
    mandate.accepted_at = timezone.now()
    mandate.save(update_fields=["status", "accepted_at"])
    _log(mandate, MandateLogKind.ACCEPTED, by_person=agent)
    evidence.record("mandates.accepted", actor=agent, subject=mandate.grantor, payload=_identities(mandate))
    name = agent.full_name
    _notify_later(mandate.grantor, lambda: _("%(name)s accepted your mandate on Guichet.") % {"name": name})
    return mandate


@transaction.atomic
def refuse_mandate(agent: Person, mandate: Mandate) -> Mandate:
    mandate = _locked(mandate)
    if mandate.agent_id != agent.pk or mandate.status != MandateStatus.PENDING:
        raise MandateError(_("This mandate cannot be refused (it is not waiting for you)."))
    _finish(mandate, MandateStatus.REFUSED, EndReason.REFUSED)
    _log(mandate, MandateLogKind.REFUSED, by_person=agent)
    evidence.record("mandates.refused", actor=agent, subject=mandate.grantor, payload=_identities(mandate))
    return mandate


def _finish(mandate: Mandate, status: str, reason: str, staff_reason: str = "") -> None:
    mandate.status = status
    mandate.end_reason = reason
    mandate.finished_at = timezone.now()
    mandate.staff_reason = staff_reason or mandate.staff_reason
    mandate.save(update_fields=["status", "end_reason", "finished_at", "staff_reason"])


# --- revocation (MAND-6, MAND-7, MAND-8) -------------------------------------------------------------------


def mutual_group(mandate: Mandate) -> list[Mandate]:
    """MAND-8: when the persons of this mandate gave each other mandates, the open mandates among all
    persons linked by such reciprocal pairs (transitively); otherwise the mandate alone."""
    persons = {mandate.grantor_id, mandate.agent_id}
    while True:
        among = list(Mandate.objects.open().filter(Q(grantor_id__in=persons) | Q(agent_id__in=persons)))
        pairs = {(row.grantor_id, row.agent_id) for row in among}
        linked = set(persons)
        for grantor, agent in pairs:
            if (agent, grantor) in pairs and (grantor in linked or agent in linked):
                linked |= {grantor, agent}
        if linked == persons:
            break
        persons = linked
    pairs = {(row.grantor_id, row.agent_id) for row in among}
    if (mandate.agent_id, mandate.grantor_id) not in pairs:
        return [mandate]
    return [
        row
        for row in among
        if row.grantor_id in persons and row.agent_id in persons and (row.agent_id, row.grantor_id) in pairs
    ] or [mandate]


@transaction.atomic
def revoke_mandate(actor: Person, mandate: Mandate) -> list[Mandate]:
    """The grantor revokes their mandate at once (MAND-6): from the next request it no longer opens
    anything. Co-grantors of the same form are told (MAND-7); mutual mandates fall together (MAND-8)."""
    mandate = _locked(mandate)
    check_may_manage(actor, mandate.grantor)
    if mandate.status not in OPEN:
        raise MandateError(_("This mandate is already finished."))
    group = mutual_group(mandate)
    revoked = []
    for row in (
        Mandate.objects.select_for_update()
        .select_related("grantor", "agent")
        .filter(pk__in=[item.pk for item in group])
        .order_by("pk")
    ):
        reason = EndReason.REVOKED if row.pk == mandate.pk else EndReason.MUTUAL_REVOCATION
        _finish(row, MandateStatus.REVOKED, reason)
        _log(
            row,
            MandateLogKind.REVOKED,
            by_person=actor,
            detail="" if row.pk == mandate.pk else str(mandate.public_id),
        )
        evidence.record(
            "mandates.revoked",
            actor=actor,
            subject=row.grantor,
            payload={**_identities(row), "reason": reason, "because_of": str(mandate.public_id)},
        )
        name = row.grantor.full_name
        _notify_later(
            row.agent,
            lambda name=name: _("The mandate %(name)s gave you on Guichet was revoked.") % {"name": name},
        )
        revoked.append(row)
    co_grantors = (
        Person.objects.filter(
            mandates_given__form=mandate.form,
            mandates_given__agent=mandate.agent,
            mandates_given__status__in=OPEN,
        )
        .exclude(pk=mandate.grantor_id)
        .distinct()
    )
    for other in co_grantors:
        name = mandate.grantor.full_name
        _notify_later(
            other,
            lambda name=name: (
                _("%(name)s revoked their part of a mandate you gave together on Guichet.") % {"name": name}
            ),
        )
    return revoked


# --- ending events (MAND-9) and staff measures (MAND-11) -------------------------------------------------


@transaction.atomic
def end_mandates_of(person: Person, reason: str) -> list[Mandate]:
    """End at once every open mandate the person gave or received (death, legal incapacity, bankruptcy);
    the other side is told. Idempotent: finished mandates are left alone."""
    ended = []
    for mandate in (
        Mandate.objects.open()
        .select_for_update()
        .select_related("grantor", "agent")
        .filter(Q(grantor=person) | Q(agent=person))
        .order_by("pk")
    ):
        _finish(mandate, MandateStatus.ENDED, reason)
        _log(mandate, MandateLogKind.ENDED, detail=reason)
        evidence.record(
            "mandates.ended",
            actor=None,
            subject=mandate.grantor,
            payload={**_identities(mandate), "reason": reason},
        )
        other = mandate.agent if mandate.grantor_id == person.pk else mandate.grantor
        _notify_later(
            other, lambda: _("A mandate you hold or gave on Guichet has ended. Log in for details.")
        )
        ended.append(mandate)
    return ended


def check_staff_reason(reason: str) -> str:
    text = " ".join((reason or "").split())
    if len(text) < 5:
        raise MandateError(_("Give the reason (a few words at least)."), "reason")
    if len(text) > 500:
        raise MandateError(_("At most %(count)d characters.") % {"count": 500}, "reason")
    return text


@transaction.atomic
def suspend_mandate(staff, mandate: Mandate, reason: str) -> Mandate:
    """MAND-11: the mutual suspends a mandate out of prudence, with a recorded reason."""
    mandate = _switch_by_staff(
        staff, mandate, reason, expected=MandateStatus.ACTIVE, to=MandateStatus.SUSPENDED,
        log_kind=MandateLogKind.SUSPENDED, kind="mandates.suspended",
        refusal=_("Only a mandate in force can be suspended."),
    )
    for person in (mandate.grantor, mandate.agent):
        _notify_later(person, lambda: _("The mutual suspended a mandate on Guichet. Log in for details."))
    return mandate


@transaction.atomic
def resume_mandate(staff, mandate: Mandate, reason: str) -> Mandate:
    return _switch_by_staff(
        staff, mandate, reason, expected=MandateStatus.SUSPENDED, to=MandateStatus.ACTIVE,
        log_kind=MandateLogKind.RESUMED, kind="mandates.resumed",
        refusal=_("Only a suspended mandate can be resumed."),
    )


def _switch_by_staff(staff, mandate: Mandate, reason: str, *, expected, to, log_kind, kind: str,
                     refusal: str) -> Mandate:
    """Move a mandate between in force and suspended, with the staff reason in its log and the ledger."""
    reason = check_staff_reason(reason)
    mandate = _locked(mandate)
    if mandate.status != expected:
        raise MandateError(refusal)
    mandate.status = to
    mandate.staff_reason = reason
    mandate.save(update_fields=["status", "staff_reason"])
    _log(mandate, log_kind, by_staff=staff, detail=reason)
    evidence.record(kind, actor=staff, subject=mandate.grantor, payload={**_identities(mandate), "reason": reason})
    return mandate


@transaction.atomic
def end_mandate_by_staff(staff, mandate: Mandate, reason: str) -> Mandate:
    """MAND-11: the mutual ends a mandate, e.g. in the grantor's manifest interest, with a reason."""
    reason = check_staff_reason(reason)
    mandate = _locked(mandate)
    if mandate.status not in OPEN:
        raise MandateError(_("This mandate is already finished."))
    _finish(mandate, MandateStatus.ENDED, EndReason.STAFF, reason)
    _log(mandate, MandateLogKind.ENDED, by_staff=staff, detail=reason)
    evidence.record(
        "mandates.ended",
        actor=staff,
        subject=mandate.grantor,
        payload={**_identities(mandate), "reason": EndReason.STAFF, "staff_reason": reason},
    )
    for person in (mandate.grantor, mandate.agent):
        _notify_later(person, lambda: _("The mutual ended a mandate on Guichet. Log in for details."))
    return mandate


# --- acts under a mandate (MAND-2) and joint acts (MAND-3) ------------------------------------------------


def record_act(actor: Person, subject: Person, decision: Decision, action: str, detail: str = "") -> None:
    """Evidence of an act done for someone else: both identities, the basis, the mandate (MAND-2)."""
    with transaction.atomic():
        evidence.record(
            "mandates.act",
            actor=actor,
            subject=subject,
            payload={
                "action": str(action),
                "basis": decision.basis,
                "agent": str(actor.public_id),
                "grantor": str(subject.public_id),
                "mandate": str(decision.mandate) if decision.mandate else None,
                "detail": detail[:200],
            },
        )
        if decision.mandate is not None:
            mandate = Mandate.objects.filter(public_id=decision.mandate).first()
            if mandate is not None:
                _log(mandate, MandateLogKind.ACT, by_person=actor, detail=f"{action} {detail}"[:500])


JointHandler = Callable[[Person, Person, dict], object]
JOINT_HANDLERS: dict[str, JointHandler] = {}


def joint_handler(action: str):
    """Register what runs an act of `action` once every agent approved it (MAND-3)."""

    def register(handler: JointHandler) -> JointHandler:
        JOINT_HANDLERS[str(Action(action))] = handler
        return handler

    return register


def _required_agents(act: JointAct) -> set[int]:
    """Every agent the form names: a joint act needs them all, not only those whose mandate is active."""
    return set(Mandate.objects.filter(form=act.form, grantor=act.grantor).values_list("agent_id", flat=True))


def _check_every_agent_in_force(form, grantor: Person) -> None:
    """MAND-3: while one of the joint agents has not accepted, or was suspended, revoked or ended, the
    others cannot act together without them."""
    if Mandate.objects.filter(form=form, grantor=grantor).exclude(status=MandateStatus.ACTIVE).exists():
        raise MandateError(_("This mandate is joint and not every agent's mandate is in force: the act cannot "
                             "be done."))


@transaction.atomic
def propose_joint_act(actor: Person, subject: Person, action: str, payload: dict, *, amount=None) -> JointAct:
    """An agent under a joint mandate proposes an act; it waits for the other agents' approval."""
    decision = decide(actor, subject, action, amount=amount)
    if not decision.allowed:
        raise MandateError(decision.message)
    if str(action) not in JOINT_HANDLERS:
        raise MandateError(_("This act cannot be proposed for joint approval."))
    mandate = Mandate.objects.get(public_id=decision.mandate)
    _check_every_agent_in_force(mandate.form, subject)
    act = JointAct.objects.create(
        form=mandate.form,
        grantor=subject,
        action=str(action),
        payload=payload,
        amount=amount,
        proposed_at=timezone.now(),
    )
    evidence.record(
        "mandates.joint_act_proposed",
        actor=actor,
        subject=subject,
        payload={"act": str(act.public_id), "action": str(action), "agent": str(actor.public_id)},
    )
    return approve_joint_act(actor, act)


@transaction.atomic
def approve_joint_act(actor: Person, act: JointAct) -> JointAct:
    """Approve as one of the agents; when the last required agent approves, the act runs exactly once."""
    act = JointAct.objects.select_for_update().select_related("grantor").get(pk=act.pk)
    if act.status != JointActStatus.WAITING:
        raise MandateError(_("This act is no longer waiting for approval."))
    decision = decide(actor, act.grantor, act.action, amount=act.amount)
    if not decision.allowed or not Mandate.objects.filter(public_id=decision.mandate, form=act.form).exists():
        raise MandateError(
            decision.message if not decision.allowed else _("You are not an agent of this mandate.")
        )
    _check_every_agent_in_force(act.form, act.grantor)
    act.approved_by.add(actor)
    evidence.record(
        "mandates.joint_act_approved",
        actor=actor,
        subject=act.grantor,
        payload={"act": str(act.public_id), "agent": str(actor.public_id)},
    )
    if _required_agents(act) <= set(act.approved_by.values_list("pk", flat=True)):
        JOINT_HANDLERS[act.action](actor, act.grantor, act.payload)
        act.status = JointActStatus.DONE
        act.done_at = timezone.now()
        act.save(update_fields=["status", "done_at"])
        evidence.record(
            "mandates.joint_act_done",
            actor=actor,
            subject=act.grantor,
            payload={
                "act": str(act.public_id),
                "action": act.action,
                "agents": sorted(str(pk) for pk in act.approved_by.values_list("public_id", flat=True)),
            },
        )
    return act


# --- parental authority (MIN-1 … MIN-5) ----------------------------------------------------------------


@transaction.atomic
def record_parental_authority(
    parent: Person, child: Person, since: datetime.date | None = None, *, by=None
) -> ParentalAuthority:
    """The registry says `parent` holds parental authority over `child` (idempotent)."""
    if parent.pk == child.pk:
        raise MandateError(_("A person cannot be their own parent."))
    authority, created = ParentalAuthority.objects.get_or_create(
        parent=parent, child=child, defaults={"since": since or child.birth_date}
    )
    if created:
        evidence.record(
            "mandates.parental_authority",
            actor=by,
            subject=child,
            payload={
                "parent": str(parent.public_id),
                "child": str(child.public_id),
                "since": authority.since.isoformat(),
            },
        )
    return authority


def sniff_proof(upload: UploadedFile) -> str:
    """The proof's type read from its bytes and structure by Guichet's one upload path (never from its
    name or the browser's claim), or MandateError: only PDF, JPEG or PNG up to COURT_DECISION_MAX_BYTES."""
    from guichet.ebox.uploads import UploadRefused, sniff

    if upload is None:
        raise MandateError(_("Attach the court decision (PDF, JPEG or PNG)."), "proof")
    try:
        return sniff(upload, max_bytes=settings.COURT_DECISION_MAX_BYTES)
    except UploadRefused as refused:
        raise MandateError(refused.message, "proof") from refused


def _store_proof(upload: UploadedFile):
    """Keep the proof through the one upload path: validated again while copied, under a random name in
    the storage of CourtDecision.proof."""
    from guichet.ebox.uploads import UploadRefused, store_upload

    try:
        return store_upload(upload, purpose="court_decision", max_bytes=settings.COURT_DECISION_MAX_BYTES,
                            storage="default")
    except UploadRefused as refused:
        raise MandateError(refused.message, "proof") from refused


@transaction.atomic
def record_court_decision(
    staff,
    child: Person,
    exclusive_parent: Person,
    *,
    decided_on: datetime.date,
    court: str,
    proof: UploadedFile,
) -> CourtDecision:
    """MIN-3: a court gave `exclusive_parent` exclusive charge of the child's health affairs; from the
    next request the other parent can no longer act for the child. The decision is kept as proof."""
    kind = sniff_proof(proof)
    court = " ".join((court or "").split())
    if not court or len(court) > 200:
        raise MandateError(_("Name the court (at most 200 characters)."), "court")
    if decided_on is None or decided_on > today():
        raise MandateError(_("The date of the decision cannot be in the future."), "decided_on")
    if not _is_minor(child, today()):
        raise MandateError(_("This person is not a minor."))
    if not ParentalAuthority.objects.filter(
        child=child, parent=exclusive_parent, ended_on__isnull=True
    ).exists():
        raise MandateError(_("This parent holds no parental authority over the child."), "exclusive_parent")
    decision = CourtDecision(
        child=child,
        exclusive_parent=exclusive_parent,
        decided_on=decided_on,
        court=court,
        proof_type=kind,
        recorded_at=timezone.now(),
        recorded_by=staff,
    )
    stored = _store_proof(proof)
    decision.proof_type = stored.content_type
    decision.proof.name = stored.name
    decision.save()
    evidence.record(
        "mandates.court_decision",
        actor=staff,
        subject=child,
        payload={
            "decision": str(decision.public_id),
            "exclusive_parent": str(exclusive_parent.public_id),
            "decided_on": decided_on.isoformat(),
        },
    )
    for authority in (
        ParentalAuthority.objects.filter(child=child)
        .exclude(parent=exclusive_parent)
        .select_related("parent")
    ):
        _notify_later(
            authority.parent,
            lambda: _("A court decision about your child was recorded on Guichet. Log in for details."),
        )
    return decision


# --- switching files -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenableFile:
    person: Person
    decision: Decision


@functools.cache
def _candidates_sql() -> str:
    """The persons whose file the actor may be able to open: grantors of the mandates in force the
    actor received, children under the actor's parental authority. Two index lookups (Mandate's
    (agent, grantor) index, ParentalAuthority's (parent, child) constraint), not a scan of the registry;
    usually they find nothing."""
    mandate, authority = Mandate._meta.db_table, ParentalAuthority._meta.db_table
    person = Person._meta.db_table
    # Only table names from the models' metadata are put into the text; the values are parameters.
    return (
        f"SELECT * FROM {person} WHERE id IN ("  # noqa: S608
        f"SELECT grantor_id FROM {mandate} WHERE agent_id = %s AND status = %s "
        f"UNION SELECT child_id FROM {authority} WHERE parent_id = %s AND ended_on IS NULL"
        f") AND id <> %s ORDER BY first_name, last_name, id"
    )


def files_open_to(actor: Person | None) -> list[OpenableFile]:
    """The files the actor may open now: their own, their grantors' (mandates in force), their minor
    children's. Their own file costs no query (the policy answers "self" by itself); the candidates
    are one query, usually empty; the policy then judges each candidate (one query each, few), so a
    revoked mandate or a child come of age disappears from the list at once."""
    if actor is None:
        return []
    files = [OpenableFile(actor, decide(actor, actor, Action.OPEN_FILE))]
    params = [actor.pk, MandateStatus.ACTIVE.value, actor.pk, actor.pk]
    for person in Person.objects.raw(_candidates_sql(), params):
        decision = decide(actor, person, Action.OPEN_FILE)
        if decision.allowed:
            files.append(OpenableFile(person, decision))
    return files


def switch_file(actor: Person, subject: Person) -> Decision:
    """Open `subject`'s file (the "acting for" switcher); the switch is in the ledger."""
    decision = decide(actor, subject, Action.OPEN_FILE)
    if not decision.allowed:
        raise MandateError(decision.message)
    if actor.pk != subject.pk:
        with transaction.atomic():
            evidence.record(
                "mandates.switched",
                actor=actor,
                subject=subject,
                payload={
                    "agent": str(actor.public_id),
                    "grantor": str(subject.public_id),
                    "basis": decision.basis,
                    "mandate": str(decision.mandate) if decision.mandate else None,
                },
            )
    return decision


def end_expired_mandates(day: datetime.date | None = None) -> int:
    """Mark as ended the mandates whose end date has passed (the policy already refuses them from that
    day; this keeps the lists tidy and tells both sides). How many were ended."""
    day = day or today()
    ended = 0
    for mandate in (
        Mandate.objects.open().filter(ends_on__lte=day).select_related("grantor", "agent").iterator()
    ):
        with transaction.atomic():
            locked = _locked(mandate)
            if locked.status not in OPEN:
                continue
            _finish(locked, MandateStatus.ENDED, EndReason.EXPIRED)
            _log(locked, MandateLogKind.ENDED, detail=EndReason.EXPIRED)
            evidence.record(
                "mandates.ended",
                actor=None,
                subject=locked.grantor,
                payload={**_identities(locked), "reason": EndReason.EXPIRED},
            )
            ended += 1
    return ended
