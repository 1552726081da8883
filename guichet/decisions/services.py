"""The decisions' services: record a decision with its inputs, rule set and explanation (AUTO-9), ask and
answer a human review (DSR-9), and the decisions themselves: holder codes (AUTO-1), BIM by automatic right
(AUTO-2) or after an income test (AUTO-3) and its effects (AUTO-4), the MAF (AUTO-5, in maf.py), the
accident declaration (AUTO-6), coverage (AUTO-7) and the blocking of incapacity benefits (AUTO-8).

Each service validates first and raises DecisionError with a message for the person; then it writes in one
transaction with its ledger evidence and its domain events."""

from __future__ import annotations

import datetime
import json
import uuid
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.decisions import explanations, kinds
from guichet.decisions.errors import DecisionError
from guichet.decisions.models import (
    BimRequest,
    BimRequestStatus,
    BimRight,
    BimSignature,
    BimSource,
    Decision,
    HouseholdIncome,
    IncapacityBlock,
    InsuranceStatus,
    Review,
    ReviewStatus,
    Scheme,
    Situation,
)
from guichet.decisions.rulesets import rule_set
from guichet.events.services import publish
from guichet.ledger.services import append
from guichet.members.models import Affiliation, AffiliationStatus, Context, Person
from guichet.members.services import age_on, household_members_on, members_of_household_on

DECIDED = "decisions.decided"
REVIEW_REQUESTED = "decisions.review_requested"
REVIEW_ANSWERED = "decisions.review_answered"
SITUATION_RECORDED = "decisions.situation_recorded"
BIM_STATEMENT = "bim_statement"  # the signing kind of the sworn statement (AUTO-3)
MAX_REASONS = 5000


# --- the engine: recording a decision and its review (AUTO-9, DSR-9) ----------------------------------------


def record_decision(kind: str, subject: Person, *, inputs: dict, outcome: str, result: dict | None = None,
                    explanation: dict[str, str], rules: str, actor=None, at=None) -> Decision:
    """Store a decision with what it read, its rule-set version and its explanation; ledger it; publish it.
    Called inside the caller's transaction; refuses a kind no context registered (AUTO-10)."""
    spec = kinds.get_kind(kind)
    decision = Decision.objects.create(
        kind=kind, context=spec.context, subject=subject, rule_set=rules, inputs=inputs, outcome=outcome,
        result=result or {}, explanation=explanation, decided_at=at or timezone.now(),
    )
    append(DECIDED, actor=actor, subject=subject, context=spec.context,
           payload={"decision": str(decision.public_id), "kind": kind, "outcome": outcome, "rule_set": rules,
                    "inputs": inputs})
    publish(DECIDED, person=subject, payload={"decision": str(decision.public_id), "kind": kind,
                                              "outcome": outcome})
    return decision


def decisions_of(person: Person):
    return Decision.objects.filter(subject=person).order_by("-decided_at", "-id")


def request_review(decision: Decision, *, actor, reasons: str) -> Review:
    """The person (or someone acting for them) asks a human to review an automated decision (AUTO-9,
    DSR-9). `actor` is the Person asking; the decision's subject must be them or someone whose file they
    may consult. One pending review at a time per decision."""
    from guichet.mandates.policy import Action, decide

    reasons = (reasons or "").strip()
    if not isinstance(actor, Person) or not decide(actor, decision.subject, Action.VIEW_MY_DATA).allowed:
        raise DecisionError(_("You cannot ask for a review of this decision."))
    if not reasons:
        raise DecisionError(_("Tell us why you disagree with the decision."))
    if len(reasons) > MAX_REASONS:
        raise DecisionError(_("Your reasons are too long (at most %(max)s characters).") % {"max": MAX_REASONS})
    with transaction.atomic():
        Decision.objects.select_for_update().filter(pk=decision.pk).first()
        if decision.reviews.filter(status=ReviewStatus.PENDING).exists():
            raise DecisionError(_("A review of this decision is already under way."))
        review = Review.objects.create(decision=decision, requested_by=actor, reasons=reasons,
                                       requested_at=timezone.now())
        append(REVIEW_REQUESTED, actor=actor, subject=decision.subject, context=decision.context,
               payload={"decision": str(decision.public_id), "review": str(review.public_id)})
        publish(REVIEW_REQUESTED, person=decision.subject,
                payload={"decision": str(decision.public_id), "review": str(review.public_id)})
    return review


def pending_reviews():
    return Review.objects.filter(status=ReviewStatus.PENDING).select_related("decision", "decision__subject") \
        .order_by("requested_at")


def answer_review(review: Review, *, reviewer, confirm: bool, reason: str) -> Review:
    """A staff reviewer confirms or overrides the decision, with a reason; the answer goes to the person's
    e-Box. The original decision is never changed: the review stands beside it."""
    reason = (reason or "").strip()
    if not reason:
        raise DecisionError(_("Give the reason of your answer: the member will read it."))
    if len(reason) > MAX_REASONS:
        raise DecisionError(_("The reason is too long (at most %(max)s characters).") % {"max": MAX_REASONS})
    with transaction.atomic():
        review = Review.objects.select_for_update().select_related("decision", "decision__subject").get(pk=review.pk)
        if review.status != ReviewStatus.PENDING:
            raise DecisionError(_("This review has already been answered."))
        review.status = ReviewStatus.CONFIRMED if confirm else ReviewStatus.OVERRIDDEN
        review.reviewer = reviewer
        review.answer = reason
        review.answered_at = timezone.now()
        decision = review.decision
        from guichet.decisions import documents

        document = documents.issue_review_answer(review)
        review.answer_document = getattr(document, "public_id", None)
        review.save()
        append(REVIEW_ANSWERED, actor=reviewer, subject=decision.subject, context=decision.context,
               payload={"decision": str(decision.public_id), "review": str(review.public_id),
                        "status": review.status, "reason": reason})
        publish(REVIEW_ANSWERED, person=decision.subject,
                payload={"decision": str(decision.public_id), "review": str(review.public_id),
                         "status": review.status})
    return review


# --- AUTO-1: holder codes ----------------------------------------------------------------------------------


def has_bim(person: Person, day: datetime.date) -> bool:
    return BimRight.objects.filter(person=person, start__lte=day).exclude(end__lte=day).exists()


def bim_rights_on(person: Person, day: datetime.date) -> list[BimRight]:
    return list(BimRight.objects.filter(person=person, start__lte=day).exclude(end__lte=day).order_by("start"))


def bim_effects(person: Person, day: datetime.date | None = None) -> list[str]:
    """AUTO-4: what the person's BIM gives them on `day` (empty without BIM), from the rule set's effects."""
    effects: list[str] = []
    for right in bim_rights_on(person, day or timezone.localdate()):
        effects += [effect for effect in right.effects if effect not in effects]
    return effects


def _bim_digit(code: str, bim: bool) -> str:
    return code[:-1] + ("1" if bim else "0")


def set_insurance_status(person: Person, *, scheme: str, status: str, day: datetime.date | None = None,
                         actor=None) -> InsuranceStatus:
    """Record the person's scheme and status and assign the holder codes that follow (AUTO-1)."""
    if scheme not in Scheme.values:
        raise DecisionError(_("Unknown insurance scheme."))
    with transaction.atomic():
        record, _created = InsuranceStatus.objects.update_or_create(
            person=person, defaults={"scheme": scheme, "status": status, "recorded_at": timezone.now()})
        assign_holder_codes(person, day=day, actor=actor)
    return record


def assign_holder_codes(person: Person, *, day: datetime.date | None = None, actor=None) -> Decision:
    """AUTO-1: CT1/CT2 from the scheme and status (the year's code table) and the BIM right (last digit)."""
    day = day or timezone.localdate()
    rules = rule_set(day.year)
    status = InsuranceStatus.objects.filter(person=person).first()
    if status is None:
        raise DecisionError(_("The insurance scheme and status of this person are not recorded."))
    try:
        ct1 = rules.ct1_base[status.scheme][status.status]
        ct2 = rules.ct2_base[status.scheme]
    except KeyError:
        raise DecisionError(
            _("The rules of %(year)s have no holder code for this scheme and status.") % {"year": day.year}
        ) from None
    bim = has_bim(person, day)
    codes = f"{_bim_digit(ct1, bim)}/{_bim_digit(ct2, bim)}"
    with transaction.atomic():
        Affiliation.objects.filter(person=person, context=Context.COMPULSORY,
                                   status=AffiliationStatus.ACTIVE).update(holder_codes=codes)
        return record_decision(
            kinds.HOLDER_CODES, person, actor=actor, rules=rules.label, outcome=codes,
            inputs={"day": day.isoformat(), "scheme": status.scheme, "status": status.status, "bim": bim},
            result={"ct1": codes[:3], "ct2": codes[4:]},
            explanation=explanations.explain("holder_codes", codes=codes, scheme=status.get_scheme_display(),
                                             status=status.status, **explanations.BIM_WORDS[bim]),
        )


# --- AUTO-2: BIM by automatic right --------------------------------------------------------------------------


def record_situation(person: Person, *, ground: str, start: datetime.date, source: str, actor=None) -> Situation:
    """Record an allowance or situation on the person; BIM by automatic right follows through the event
    (subscribers.grant_bim_on_situation), with no request from the person."""
    if not ground or len(ground) > 40:
        raise DecisionError(_("Name the allowance or situation."))
    with transaction.atomic():
        situation = Situation.objects.create(person=person, ground=ground, start=start, source=source,
                                             recorded_at=timezone.now())
        append(SITUATION_RECORDED, actor=actor, subject=person, context="compulsory",
               payload={"situation": str(situation.public_id), "ground": ground, "start": start.isoformat()})
        publish(SITUATION_RECORDED, person=person, payload={"situation": str(situation.public_id)})
    return situation


def grant_bim_automatic(situation: Situation, *, actor=None) -> Decision | None:
    """AUTO-2: grant BIM from the situation when the year's rules list its ground; None when it does not
    qualify or the person already has BIM then (idempotent: a redelivered event grants nothing twice)."""
    rules = rule_set(situation.start.year)
    if situation.ground not in rules.bim_automatic_grounds:
        return None
    person = situation.person
    with transaction.atomic():
        Person.objects.select_for_update().filter(pk=person.pk).first()
        if has_bim(person, situation.start):
            return None
        decision = record_decision(
            kinds.BIM_AUTOMATIC, person, actor=actor, rules=rules.label, outcome="granted",
            inputs={"situation": str(situation.public_id), "ground": situation.ground,
                    "start": situation.start.isoformat(), "source": situation.source},
            result={"effects": list(rules.bim_effects)},
            explanation=explanations.explain("bim_automatic", start=situation.start.isoformat(),
                                             ground=ground_label(situation.ground)),
        )
        BimRight.objects.create(person=person, source=BimSource.AUTOMATIC, ground=situation.ground,
                                start=situation.start, effects=list(rules.bim_effects), decision=decision)
        if InsuranceStatus.objects.filter(person=person).exists():
            assign_holder_codes(person, day=situation.start, actor=actor)
    return decision


GROUND_LABELS = {
    "integration_income": {"fr": "revenu d'intégration", "nl": "leefloon", "en": "integration income"},
    "income_guarantee_elderly": {"fr": "GRAPA", "nl": "IGO", "en": "income guarantee for the elderly"},
    "disability_allowance": {"fr": "allocation aux personnes handicapées",
                             "nl": "tegemoetkoming aan personen met een handicap",
                             "en": "allowance for persons with a disability"},
    "elderly_care_allowance": {"fr": "allocation pour l'aide aux personnes âgées",
                               "nl": "tegemoetkoming hulp aan bejaarden", "en": "allowance for help to the elderly"},
    "flemish_care_budget_elderly": {"fr": "budget de soins flamand pour personnes âgées",
                                    "nl": "zorgbudget voor ouderen met een zorgnood",
                                    "en": "Flemish care budget for the elderly"},
    "child_disability_66": {"fr": "enfant handicapé à 66 % au moins", "nl": "kind met een handicap van minstens 66 %",
                            "en": "child with a disability of at least 66 %"},
    "unaccompanied_minor": {"fr": "mineur étranger non accompagné", "nl": "niet-begeleide minderjarige vreemdeling",
                            "en": "unaccompanied foreign minor"},
    "orphan": {"fr": "orphelin", "nl": "wees", "en": "orphan"},
}


def ground_label(ground: str) -> dict[str, str]:
    return GROUND_LABELS.get(ground, {"fr": ground, "nl": ground, "en": ground})


# --- AUTO-3: BIM after an income test --------------------------------------------------------------------------


def parse_amount(raw, *, what: str) -> int:
    """A non-negative amount in euros (text or number) as cents; DecisionError for anything else."""
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise DecisionError(_("%(what)s: “%(raw)s” is not an amount.") % {"what": what, "raw": raw}) from None
    if not value.is_finite() or value < 0:
        raise DecisionError(_("%(what)s: an amount cannot be negative.") % {"what": what})
    if value != value.quantize(Decimal("0.01")):
        raise DecisionError(_("%(what)s: at most two decimals.") % {"what": what})
    return int(value * 100)


def keep_supporting_document(upload) -> dict:
    """Store a supporting document of the sworn statement through the one validated upload path (a PDF
    only, the usual size limit, a random name); returns its name, SHA-256 and storage path."""
    from guichet.ebox.errors import UploadRefused
    from guichet.ebox.uploads import PDF, store_upload

    try:
        stored = store_upload(upload, purpose="bim_statement", allowed=frozenset({PDF}))
    except UploadRefused as refusal:
        raise DecisionError(refusal.message) from None
    return {"name": (upload.name or "document.pdf")[:100], "sha256": stored.sha256, "path": stored.name}


def file_bim_request(requester: Person, *, incomes: dict, upload, actor=None) -> BimRequest:
    """AUTO-3 from the form: keep the supporting document, then record the request; a refused request
    leaves no document behind."""
    from guichet.ebox.storage import documents_storage

    document = keep_supporting_document(upload)
    try:
        return request_bim(requester, incomes=incomes, documents=[document], actor=actor)
    except DecisionError:
        documents_storage().delete(document["path"])
        raise


def request_bim(requester: Person, *, incomes: dict, documents: list[str], actor=None,
                day: datetime.date | None = None) -> BimRequest:
    """AUTO-3: a household member asks for BIM with a sworn statement of every member's income (keys:
    Person) and the names of the supporting documents; every adult of the household is asked to sign it."""
    from guichet.decisions import signing_bridge

    day = day or timezone.localdate()
    rule_set(day.year)  # refuse at once a year without rules
    memberships = household_members_on(requester, day)
    if not memberships:
        raise DecisionError(_("We have no household on record for you: the request cannot be examined."))
    members = [membership.person for membership in memberships]
    missing = [person for person in members if person not in incomes]
    if missing:
        raise DecisionError(_("Give the income of every member of the household (missing: %(names)s).")
                            % {"names": ", ".join(person.first_name for person in missing)})
    if not documents:
        raise DecisionError(_("Add the supporting documents of the incomes."))
    amounts = {str(person.public_id): parse_amount(incomes[person], what=person.first_name) for person in members}
    adults = [person for person in members if age_on(person, day) >= 18]
    with transaction.atomic():
        request = BimRequest.objects.create(
            requested_by=requester, household=memberships[0].household, requested_on=day,
            statement={"incomes": amounts, "documents": list(documents),
                       "members": [str(person.public_id) for person in members]},
        )
        content = json.dumps({"request": str(request.public_id), **request.statement}, sort_keys=True).encode()
        for adult in adults:
            reference = f"bim:{request.public_id}:{adult.public_id}"
            BimSignature.objects.create(request=request, signer=adult, reference=reference)
            signing_bridge.prepare(adult, kind=BIM_STATEMENT, reference=reference, content=content, actor=actor,
                                   title=_("Sworn statement of household income (increased reimbursement)"))
        append("decisions.bim_requested", actor=actor or requester, subject=requester, context="compulsory",
               payload={"request": str(request.public_id), "signers": len(adults)})
    return request


def record_signature(reference: str) -> Decision | None:
    """A member signed the sworn statement (the signing app's `signing.signed` event); when the last adult
    has signed, the income test is decided. Idempotent: a second delivery changes nothing."""
    with transaction.atomic():
        signature = BimSignature.objects.select_for_update().filter(reference=reference).first()
        if signature is None or signature.signed_at is not None:
            return None
        signature.signed_at = timezone.now()
        signature.save(update_fields=["signed_at"])
        request = BimRequest.objects.select_for_update().get(pk=signature.request_id)
        if request.status != BimRequestStatus.AWAITING_SIGNATURES:
            return None
        if request.signatures.filter(signed_at__isnull=True).exists():
            return None
        return decide_bim_income_test(request)


def decide_bim_income_test(request: BimRequest, *, actor=None) -> Decision:
    """AUTO-3: the household's income against the year's ceiling (base + per additional member)."""
    rules = rule_set(request.requested_on.year)
    incomes = request.statement["incomes"]
    size = len(incomes)
    total = sum(int(value) for value in incomes.values())
    ceiling = rules.bim_ceiling_cents(size)
    granted = total <= ceiling
    members = members_of_household_on(request.household, request.requested_on)
    with transaction.atomic():
        decisions = []
        for person in members:
            decision = record_decision(
                kinds.BIM_INCOME_TEST, person, actor=actor, rules=rules.label,
                outcome="granted" if granted else "refused",
                inputs={"request": str(request.public_id), "incomes": incomes, "household_size": size,
                        "documents": request.statement["documents"]},
                result={"income_cents": total, "ceiling_cents": ceiling},
                explanation=explanations.explain(
                    "bim_income_test_granted" if granted else "bim_income_test_refused", members=size,
                    income_cents=total, ceiling_cents=ceiling, year=rules.year,
                    start=request.requested_on.isoformat()),
            )
            decisions.append(decision)
            if granted and not has_bim(person, request.requested_on):
                BimRight.objects.create(person=person, source=BimSource.INCOME_TEST, ground="income_test",
                                        start=request.requested_on, effects=list(rules.bim_effects),
                                        decision=decision)
        request.status = BimRequestStatus.DECIDED
        own = next((d for d in decisions if d.subject_id == request.requested_by_id), decisions[0])
        from guichet.decisions import documents

        documents.issue_decision(own.subject, own)  # the decision letter, to the e-Box or by post
        request.decision = own
        request.save(update_fields=["status", "decision"])
    return own


# --- incomes (MAF input) -----------------------------------------------------------------------------------


def set_household_income(household, *, year: int, amount, actor=None) -> HouseholdIncome:
    amount_cents = parse_amount(amount, what=_("Household income"))
    with transaction.atomic():
        income, _created = HouseholdIncome.objects.update_or_create(
            household=household, year=year, defaults={"amount_cents": amount_cents})
    return income


# --- AUTO-6..8: event-driven decisions ---------------------------------------------------------------------


def person_by_number(national_number: str) -> Person:
    person = Person.objects.filter(national_number=(national_number or "").strip()).first()
    if person is None:
        raise DecisionError(_("No person with this national register number is known to the mutual."))
    return person


def send_accident_declaration(person: Person, *, care_date: datetime.date, care: str, provider: str,
                              actor=None) -> Decision:
    """AUTO-6: third-party-payer data show care after an accident caused by a third party: an accident
    declaration form is issued to the person's e-Box on the mutual's own initiative."""
    from guichet.decisions import documents

    care = (care or "").strip()
    if not care:
        raise DecisionError(_("Describe the care concerned."))
    with transaction.atomic():
        decision = record_decision(
            kinds.ACCIDENT_DECLARATION, person, actor=actor, rules="third-party-payer", outcome="form_sent",
            inputs={"care_date": care_date.isoformat(), "care": care, "provider": provider},
            explanation=explanations.explain("accident_declaration", date=care_date.isoformat(), care=care),
        )
        document = documents.issue_accident_declaration(person, decision)
        decision.result = {"document": str(getattr(document, "public_id", ""))}
        decision.save(update_fields=["result"])
    return decision


def decide_coverage(person: Person, *, provider: str, care: str, care_date: datetime.date, actor=None) -> Decision:
    """AUTO-7: a provider's notification: covered when the person had a compulsory affiliation that day."""
    care, provider = (care or "").strip(), (provider or "").strip()
    if not care or not provider:
        raise DecisionError(_("The notification must name the provider and the care."))
    affiliated = Affiliation.objects.filter(person=person, context=Context.COMPULSORY, start__lte=care_date) \
        .exclude(end__lte=care_date).exclude(status=AffiliationStatus.SUSPENDED).exists()
    reason = {"fr": "vous n'étiez pas affilié(e) à l'assurance obligatoire ce jour-là",
              "nl": "u was die dag niet aangesloten bij de verplichte verzekering",
              "en": "you were not affiliated to the compulsory insurance that day"}
    with transaction.atomic():
        return record_decision(
            kinds.COVERAGE, person, actor=actor, rules="affiliation",
            outcome="covered" if affiliated else "not_covered",
            inputs={"provider": provider, "care": care, "care_date": care_date.isoformat(), "affiliated": affiliated},
            explanation=explanations.explain(
                "coverage_decision_covered" if affiliated else "coverage_decision_not_covered",
                provider=provider, care=care, date=care_date.isoformat(), reason_fr=reason["fr"],
                reason_nl=reason["nl"], reason_en=reason["en"]),
        )


def block_incapacity(person: Person, *, insurer: str, case_reference: str, since: datetime.date,
                     actor=None) -> Decision:
    """AUTO-8: a work-accident insurer notifies that it covers the case: incapacity benefits are blocked."""
    insurer, case_reference = (insurer or "").strip(), (case_reference or "").strip()
    if not insurer or not case_reference:
        raise DecisionError(_("The notification must name the insurer and its case reference."))
    with transaction.atomic():
        existing = IncapacityBlock.objects.filter(person=person, insurer=insurer, case_reference=case_reference).first()
        if existing is not None:
            return existing.decision
        decision = record_decision(
            kinds.INCAPACITY_BLOCKING, person, actor=actor, rules="work-accident-notification", outcome="blocked",
            inputs={"insurer": insurer, "case": case_reference, "since": since.isoformat()},
            explanation=explanations.explain("incapacity_blocking", insurer=insurer, case=case_reference,
                                             since=since.isoformat()),
        )
        IncapacityBlock.objects.create(person=person, insurer=insurer, case_reference=case_reference, since=since,
                                       decision=decision)
    return decision


def incapacity_benefits_blocked(person: Person, day: datetime.date) -> bool:
    return IncapacityBlock.objects.filter(person=person, since__lte=day).exists()


def new_reference() -> str:
    return uuid.uuid4().hex
