"""The rights of the person as actions (DSR-6..16): filing a request from any channel, verifying identity,
extending the deadline, answering (each right executed) or refusing with a reason, the staff queue and its
reminders. Each action validates first (RightsError with a message for the person), then writes in one
transaction with its evidence in the ledger and its domain event in the outbox."""

from __future__ import annotations

import datetime
import io
import json
import logging
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from guichet.events.services import publish
from guichet.ledger.services import append
from guichet.members import nrn
from guichet.members.models import Person
from guichet.privacy.register import Period, load_register
from guichet.rights.models import (
    ELECTRONIC_CHANNELS,
    OPEN_STATUSES,
    ExtensionReason,
    Letter,
    Processing,
    ProcessingFlag,
    RequestChannel,
    RequestKind,
    RequestStatus,
    RightsRequest,
)

logger = logging.getLogger("guichet.rights")

LEDGER_CONTEXT = "operations"
RECEIVED_EVENT = "rights.received"
ANSWERED_EVENT = "rights.answered"

# DSR-6: what a member may ask to correct here; the address is applied through the registry's service.
RECTIFIABLE = ("address", "first_name", "last_name", "birth_date", "other")
MAX_DETAILS = 5000


class RightsError(Exception):
    """An action was refused; `message` is for the person, already translated; `field` names the form field."""

    def __init__(self, message: str, field: str | None = None, *, existing: RightsRequest | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.existing = existing


# --- deadlines (DSR-15) ------------------------------------------------------------------------------------

def _period(duration: str) -> object:
    return Period.parse(duration).relativedelta()


def first_deadline(received: datetime.date) -> datetime.date:
    """One month after receipt (the register's rights.deadline.response)."""
    return received + _period(load_register().rights.deadline.response)


def extended_deadline(received: datetime.date) -> datetime.date:
    deadline = load_register().rights.deadline
    return first_deadline(received) + _period(deadline.extension)


def local_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localdate(moment)


# --- filing (DSR-12, DSR-13, DSR-16) -----------------------------------------------------------------------

@dataclass
class IdCopy:
    front: str
    back: str


def _store_id_copy(front, back) -> IdCopy:
    """DSR-13: both sides of the identity card, through the one validated upload path."""
    from guichet.ebox.errors import EboxError
    from guichet.ebox.uploads import store_upload

    if front is None or back is None:
        raise RightsError(_("Attach a copy of both sides of your identity card (front and back)."),
                          "id_front" if front is None else "id_back")
    storage = "documents" if "documents" in settings.STORAGES else "default"
    stored = []
    for field, upload in (("id_front", front), ("id_back", back)):
        try:
            kept = store_upload(upload, purpose="rights_id_copy", storage=storage)
        except EboxError as error:
            raise RightsError(error.message, field) from None
        stored.append(f"{kept.storage}:{kept.name}")
    return IdCopy(*stored)


def _check_kind_input(kind: str, target: str, proposed_value: str, details: str) -> None:
    if kind not in RequestKind.values:
        raise RightsError(_("Choose what you ask for."), "kind")
    if len(details) > MAX_DETAILS:
        raise RightsError(_("At most %(count)d characters.") % {"count": MAX_DETAILS}, "details")
    if kind == RequestKind.RECTIFICATION:
        if target not in RECTIFIABLE:
            raise RightsError(_("Choose the data to correct."), "target")
        if not proposed_value.strip() and not details.strip():
            raise RightsError(_("Say what the correct data are."), "proposed_value")
    if kind in (RequestKind.OBJECTION, RequestKind.RESTRICTION) and target not in Processing.values:
        raise RightsError(_("Choose the processing concerned."), "target")
    if kind == RequestKind.HUMAN_REVIEW:
        if not target.strip():
            raise RightsError(_("Give the reference of the decision you disagree with."), "target")
        if not details.strip():
            raise RightsError(_("Give your reasons: the person who reviews the decision reads them."), "details")
    if kind == RequestKind.TRANSFER and not target.strip():
        raise RightsError(_("Name the mutual you are moving to."), "target")


def _duplicate(kind: str, target: str, person: Person | None, national_number: str) -> RightsRequest | None:
    same = RightsRequest.objects.filter(kind=kind, target=target, status__in=OPEN_STATUSES)
    if person is not None:
        return same.filter(Q(person=person) | Q(national_number=person.national_number)).first()
    return same.filter(national_number=national_number).first()


def file_request(*, kind: str, channel: str, person: Person | None = None, filed_by: Person | None = None,
                 registered_by=None, details: str = "", target: str = "", proposed_value: str = "",
                 requester_name: str = "", requester_email: str = "", national_number: str = "",
                 id_front=None, id_back=None, letter_dated_on: datetime.date | None = None,
                 letter_signed: bool = False, electronic_answer: bool | None = None,
                 received_at: datetime.datetime | None = None, language: str | None = None) -> RightsRequest:
    """Record a request. `person` is the subject when known (the account, or staff who found them);
    from the website the requester gives name, e-mail, national number and the ID copy (DSR-13); a letter
    is dated, signed and has the ID copy (DSR-16). A second identical open request is not duplicated:
    RightsError names the one already open (`existing`)."""
    details, target, proposed_value = details.strip(), target.strip(), proposed_value.strip()
    if channel not in RequestChannel.values:
        raise RightsError(_("Unknown channel."), "channel")
    _check_kind_input(kind, target, proposed_value, details)
    now = timezone.now()
    received_at = received_at or now
    if received_at > now:
        raise RightsError(_("The date of receipt cannot be in the future."), "received_at")
    if channel == RequestChannel.ACCOUNT:
        if person is None:
            raise RightsError(_("Log in to your account to file a request there."))
    elif channel == RequestChannel.WEBSITE:
        if not requester_name.strip():
            raise RightsError(_("Give your name."), "requester_name")
        try:
            validate_email(requester_email)
        except ValidationError:
            raise RightsError(_("Give a valid e-mail address, so that we can answer you."), "requester_email") from None
    else:  # an agency or a letter: registered by staff of a role that may
        from guichet.backoffice.policy import staff_may

        if registered_by is None or not staff_may(registered_by, "register_rights_request"):
            raise RightsError(_("Only staff of an agency or of the DPO office register these requests."))
        if person is None:
            raise RightsError(_("Find the person in the registry first."), "member")
        if channel == RequestChannel.POST:
            if letter_dated_on is None:
                raise RightsError(_("A letter must be dated: give its date."), "letter_dated_on")
            if letter_dated_on > local_day(now):
                raise RightsError(_("The date of the letter cannot be in the future."), "letter_dated_on")
            if not letter_signed:
                raise RightsError(_("A letter must be signed: an unsigned letter is not a request."), "letter_signed")
    if channel == RequestChannel.WEBSITE or channel == RequestChannel.POST:
        if id_front is None or id_back is None:
            raise RightsError(_("A request made outside your online account needs a copy of both sides of your "
                                "identity card (front and back)."), "id_front" if id_front is None else "id_back")
    if channel == RequestChannel.WEBSITE:
        try:
            national_number = nrn.normalise(national_number)
        except nrn.InvalidNationalNumber:
            raise RightsError(_("This national register number is not valid."), "national_number") from None
        # The subject is found by number; the requester is not told whether it matched (no disclosure).
        person = Person.objects.filter(national_number=national_number).first()
    elif person is not None:
        national_number = person.national_number
    if kind == RequestKind.HUMAN_REVIEW and person is not None:
        from guichet.rights.review import decision_of

        if decision_of(person, target) is None:
            raise RightsError(_("There is no such automated decision about you."), "target")
    existing = _duplicate(kind, target, person, national_number)
    if existing is not None:
        raise RightsError(_("The same request is already open (reference %(reference)s): we answer it by "
                            "%(due)s. No second request was recorded.")
                          % {"reference": existing.reference, "due": existing.due_on.strftime("%d/%m/%Y")},
                          existing=existing)
    id_copy = _store_id_copy(id_front, id_back) if channel in (RequestChannel.WEBSITE, RequestChannel.POST) else None
    if language is None:
        language = person.language if person is not None else (translation.get_language() or "fr")[:2]
    if electronic_answer is None:
        electronic_answer = channel in ELECTRONIC_CHANNELS  # DSR-14
    with transaction.atomic():
        request = RightsRequest.objects.create(
            person=person, filed_by=filed_by if filed_by != person else None, registered_by=registered_by,
            kind=kind, channel=channel, language=language[:2], requester_name=requester_name.strip(),
            requester_email=requester_email.strip() or (person.email if person else ""),
            national_number=national_number, details=details, target=target, proposed_value=proposed_value,
            electronic_answer=electronic_answer, id_front=id_copy.front if id_copy else "",
            id_back=id_copy.back if id_copy else "", letter_dated_on=letter_dated_on, letter_signed=letter_signed,
            received_at=received_at, due_on=first_deadline(local_day(received_at)),
        )
        request.reference = f"DSR-{local_day(received_at).year}-{request.pk:06d}"
        # Inside the account (or at the counter, card in hand) the person is already identified.
        if channel in (RequestChannel.ACCOUNT, RequestChannel.AGENCY):
            request.identity_verified_at = received_at
            request.status = RequestStatus.VERIFIED
        request.save(update_fields=["reference", "identity_verified_at", "status"])
        _evidence("rights.received", request, actor=filed_by or (person if channel == RequestChannel.ACCOUNT
                                                                  else registered_by), extra={
            "channel": channel, "filed_by": str(filed_by.public_id) if filed_by and filed_by != person else None})
        if request.identity_verified_at:
            _evidence("rights.identity_verified", request, actor=registered_by or person,
                      extra={"how": "account" if channel == RequestChannel.ACCOUNT else "identity_card_at_counter"})
        if kind == RequestKind.HUMAN_REVIEW and channel == RequestChannel.ACCOUNT:
            _forward_review(request)
        if person is not None:
            publish(RECEIVED_EVENT, person=person, payload={"request": str(request.public_id), "kind": kind})
    _acknowledge(request)
    return request


def _forward_review(request: RightsRequest) -> None:
    """DSR-9 from the account: the person is identified, so the review is asked at once (decisions' queue)."""
    from guichet.rights.review import send_to_review

    send_to_review(request)
    with translation.override(request.language):
        request.answer = _("Your request is in the queue of the staff who review automated decisions, with your "
                           "reasons; you will receive the outcome of the review.")
    request.status = RequestStatus.ANSWERED
    request.closed_at = timezone.now()
    request.save(update_fields=["answer", "status", "closed_at"])
    _evidence("rights.answered", request, actor=request.filed_by or request.person,
              extra={"forwarded_to": "decisions.review"})


def _evidence(kind: str, request: RightsRequest, *, actor, extra: dict | None = None) -> None:
    payload = {"request": str(request.public_id), "reference": request.reference, "kind": request.kind,
               "due_on": request.due_on.isoformat(), **(extra or {})}
    append(kind, actor=actor, subject=request.person, context=LEDGER_CONTEXT, payload=payload)


# --- telling the person, in their language and channel (DSR-14) --------------------------------------------

def _tell(request: RightsRequest, subject_and_body) -> None:
    """Electronic request: an e-mail (the content of an answer goes to the e-Box); paper: a letter to print."""
    if request.electronic_answer and request.requester_email:
        from guichet.messaging.services import email_to

        try:
            email_to(request.requester_email, request.language, subject_and_body)
        except Exception:  # recorded anyway; the DPO office sees the request in its queue
            logger.exception("notice of %s not sent", request.reference)
    else:
        with translation.override(request.language):
            subject, body = subject_and_body()
        Letter.objects.create(request=request, subject=str(subject), body=str(body), language=request.language)


def _acknowledge(request: RightsRequest) -> None:
    def message():
        return (_("Your request about your data: %(reference)s") % {"reference": request.reference},
                _("We have received your request (%(kind)s). Its reference is %(reference)s. We answer it by "
                  "%(due)s at the latest.") % {"kind": request.get_kind_display(), "reference": request.reference,
                                               "due": request.due_on.strftime("%d/%m/%Y")})

    _tell(request, message)


# --- staff steps -------------------------------------------------------------------------------------------

def _staff(staff, action: str = "handle_rights_requests") -> None:
    from guichet.backoffice.policy import staff_may

    if not staff_may(staff, action):
        raise RightsError(_("Your role does not allow handling requests about personal data."))


def _locked(request: RightsRequest) -> RightsRequest:
    return RightsRequest.objects.select_for_update().get(pk=request.pk)


def _open(request: RightsRequest) -> None:
    if not request.is_open:
        raise RightsError(_("This request is closed: it was %(status)s.") % {"status": request.get_status_display()})


def verify_identity(request: RightsRequest, *, staff, person: Person | None = None) -> RightsRequest:
    """The DPO office checked the ID copy (front and back) against the requester and found the subject."""
    _staff(staff)
    with transaction.atomic():
        request = _locked(request)
        _open(request)
        if request.identity_verified_at is not None:
            raise RightsError(_("The identity is already verified."))
        if not (request.id_front and request.id_back):
            raise RightsError(_("There is no copy of both sides of the identity card: the identity cannot be "
                                "verified. Refuse the request with this reason."))
        if request.person is None:
            if person is None:
                raise RightsError(_("No member has this national register number: refuse the request or find "
                                    "the person."), "member")
            request.person = person
        request.identity_verified_at = timezone.now()
        request.status = RequestStatus.VERIFIED
        request.save(update_fields=["person", "identity_verified_at", "status"])
        _evidence("rights.identity_verified", request, actor=staff, extra={"how": "identity_card_copy"})
    return request


def extend(request: RightsRequest, *, staff, reason: str, today: datetime.date | None = None) -> RightsRequest:
    """DSR-15: two more months for complexity or volume, decided and told within the first month only."""
    _staff(staff)
    if reason not in ExtensionReason.values:
        raise RightsError(_("Choose why the deadline is extended: complexity or number of requests."), "reason")
    today = today or timezone.localdate()
    with transaction.atomic():
        request = _locked(request)
        _open(request)
        if request.extended_at is not None:
            raise RightsError(_("The deadline was already extended once."))
        first = first_deadline(local_day(request.received_at))
        if today >= first:
            raise RightsError(_("The first month after receipt has ended (%(date)s): the deadline can no longer be "
                                "extended. Answer the request now.") % {"date": first.strftime("%d/%m/%Y")})
        request.extended_at = timezone.now()
        request.extension_reason = reason
        request.due_on = extended_deadline(local_day(request.received_at))
        request.save(update_fields=["extended_at", "extension_reason", "due_on"])
        _evidence("rights.extended", request, actor=staff, extra={"reason": reason})

        def message():
            return (_("Your request %(reference)s: we need more time") % {"reference": request.reference},
                    _("Because of %(reason)s, we need more time to answer your request %(reference)s. We will "
                      "answer by %(due)s at the latest.") % {
                        "reason": ExtensionReason(reason).label, "reference": request.reference,
                        "due": request.due_on.strftime("%d/%m/%Y")})

        _tell(request, message)
    return request


def refuse(request: RightsRequest, *, staff, reason: str, compelling_grounds: str = "") -> RightsRequest:
    """Close the request with the reason told to the person (missing ID copy, a legal obligation, compelling
    legitimate grounds against an objection, DSR-8, recorded by the DPO office)."""
    _staff(staff)
    reason, compelling_grounds = reason.strip(), compelling_grounds.strip()
    if not reason:
        raise RightsError(_("Give the reason of the refusal: the person is told."), "reason")
    if compelling_grounds and request.kind != RequestKind.OBJECTION:
        raise RightsError(_("Compelling legitimate grounds concern an objection only."), "compelling_grounds")
    with transaction.atomic():
        request = _locked(request)
        _open(request)
        request.status = RequestStatus.REFUSED
        request.refusal_reason = reason
        request.compelling_grounds = compelling_grounds
        request.closed_at = timezone.now()
        request.save(update_fields=["status", "refusal_reason", "compelling_grounds", "closed_at"])
        _evidence("rights.refused", request, actor=staff, extra={"reason": reason,
                                                                 "compelling_grounds": bool(compelling_grounds)})

        def message():
            return (_("Your request %(reference)s") % {"reference": request.reference},
                    _("We cannot grant your request %(reference)s, for this reason: %(reason)s\nIf you disagree, you "
                      "can complain to the Data Protection Authority.") % {"reference": request.reference,
                                                                        "reason": reason})

        _tell(request, message)
    return request


# --- answering: each right executed ------------------------------------------------------------------------

@dataclass
class Outcome:
    text: str
    document: str = ""


def answer(request: RightsRequest, *, staff, note: str = "", confirm_on: datetime.date | None = None) -> RightsRequest:
    """Execute the right and close the request; the answer goes to the person in their channel (DSR-14).
    Nothing is executed before the identity is verified."""
    _staff(staff)
    request = RightsRequest.objects.get(pk=request.pk)
    _open(request)
    if request.identity_verified_at is None or request.person is None:
        raise RightsError(_("Verify the identity of the requester before answering."))
    executor = EXECUTORS[request.kind]
    with transaction.atomic():
        request = _locked(request)
        _open(request)
        outcome = executor(request, staff=staff, note=note.strip(), confirm_on=confirm_on)
        request.status = RequestStatus.ANSWERED
        request.answer = outcome.text
        request.answer_document = outcome.document
        request.closed_at = timezone.now()
        request.save(update_fields=["status", "answer", "answer_document", "closed_at"])
        _evidence("rights.answered", request, actor=staff, extra={"document": outcome.document or None})
        publish(ANSWERED_EVENT, person=request.person, payload={"request": str(request.public_id),
                                                                "kind": request.kind})

        has_account = getattr(request.person, "account", None) is not None

        def message():
            subject = _("Your request %(reference)s is answered") % {"reference": request.reference}
            if request.electronic_answer and has_account:
                # An e-mail announces; the answer itself is read in the account (messaging: notices carry no content).
                return subject, _("Read the answer to your request %(reference)s in your online account, under "
                                  "“My requests about my data”.") % {"reference": request.reference}
            return subject, outcome.text

        _tell(request, message)
    return request


def _issue(request: RightsRequest, *, doc_type: str, title: str, content: bytes, filename: str, staff) -> str:
    from guichet.ebox.errors import EboxError
    from guichet.ebox.services import issue_document

    try:
        document = issue_document(request.person, doc_type=doc_type, title=title, context=LEDGER_CONTEXT,
                                  content=content, filename=filename, actor=staff)
    except EboxError as error:  # nothing answered: the request stays open, staff see why
        raise RightsError(error.message) from None
    return str(getattr(document, "public_id", document.pk))


def _answer_access(request, *, staff, note, confirm_on) -> Outcome:
    from guichet.ebox.services import is_active, issue_document
    from guichet.rights import export

    person = request.person
    with translation.override(request.language):
        title = _("Your data (access request %(reference)s)") % {"reference": request.reference}
        if is_active(person):  # DSR-14: the access answer is delivered in the account
            archive = export.access_zip(person, language=request.language)
            document = _issue(request, doc_type="access_answer", title=title, content=archive,
                              filename=f"{request.reference}.zip", staff=staff)
            text = _("The copy of your data is in your e-Box: a ZIP file with a readable PDF and the same data in "
                     "JSON. It is free of charge. Medical data are not in it: ask your attending physician.")
        else:  # no e-Box: the readable copy goes by post (a ZIP cannot be printed); the e-Box renders and seals it
            answer = export.assemble(person, language=request.language)
            issued = issue_document(person, doc_type="access_answer", title=title, context=LEDGER_CONTEXT,
                                    template=export.PDF_TEMPLATE, template_context=export.pdf_context(answer),
                                    actor=staff)
            document = str(issued.public_id)
            text = _("The copy of your data is sent to you by post. It is free of charge. Medical data are not in "
                     "it: ask your attending physician.")
    return Outcome(text=f"{text}\n{note}".strip(), document=document)


def _answer_rectification(request, *, staff, note, confirm_on) -> Outcome:
    from guichet.members import services as registry

    # Errors are for the staff member (their language); the answer is in the person's.
    if request.target == "address":
        try:
            parts = json.loads(request.proposed_value)
            new = registry.check_address(**{key: parts.get(key, "") for key in
                                            ("street", "number", "box", "postcode", "city", "country")})
            registry.change_address(request.person, new, by_staff=staff, channel=_contact_channel(request.channel))
        except (ValueError, TypeError, AttributeError):
            raise RightsError(_("The proposed address is incomplete: correct it with the member or refuse "
                                "the request.")) from None
        except registry.RegistryError as error:
            raise RightsError(error.message) from None
        with translation.override(request.language):
            text = _("Your address is corrected: %(address)s.") % {"address": new.as_text()}
    else:
        if not note:
            raise RightsError(_("Say what was corrected: the member is told."), "note")
        with translation.override(request.language):
            text = _("Your data are corrected.")
    return Outcome(text=f"{text}\n{note}".strip())


def _contact_channel(channel: str) -> str:
    from guichet.members.models import ContactChannel

    return {RequestChannel.AGENCY: ContactChannel.AGENCY, RequestChannel.POST: ContactChannel.POST}.get(
        channel, ContactChannel.ONLINE)


def _answer_erasure(request, *, staff, note, confirm_on) -> Outcome:
    from guichet.rights.erasure import assess, erase

    assessment = assess(request.person)
    erased = erase(request.person, assessment, request=request)
    with translation.override(request.language):
        lines = [_("Erased or anonymised: %(what)s.") % {"what": ", ".join(erased) or _("nothing")}]
        for kept in assessment.kept:
            lines.append(_("Kept: %(what)s. Reason: %(reason)s") % {"what": kept.title, "reason": kept.reason})
    return Outcome(text="\n".join(lines + ([note] if note else [])))


def _set_flag(request, kind: str) -> None:
    if not ProcessingFlag.objects.filter(person=request.person, kind=kind, processing=request.target,
                                         lifted_at__isnull=True).exists():
        ProcessingFlag.objects.create(person=request.person, kind=kind, processing=request.target, request=request,
                                      since=timezone.now())


def _answer_objection(request, *, staff, note, confirm_on) -> Outcome:
    _set_flag(request, ProcessingFlag.Kind.OBJECTION)
    with translation.override(request.language):
        text = _("Your objection is recorded: we no longer use your data for %(processing)s.") % {
            "processing": Processing(request.target).label}
    return Outcome(text=f"{text}\n{note}".strip())


def _answer_restriction(request, *, staff, note, confirm_on) -> Outcome:
    _set_flag(request, ProcessingFlag.Kind.RESTRICTION)
    with translation.override(request.language):
        text = _("The processing of your data for %(processing)s is restricted: they are only stored.") % {
            "processing": Processing(request.target).label}
    return Outcome(text=f"{text}\n{note}".strip())


def _answer_transfer(request, *, staff, note, confirm_on) -> Outcome:
    from guichet.ebox.services import is_active
    from guichet.members import services as registry
    from guichet.rights.transfer import transfer_package

    if confirm_on is None:
        raise RightsError(_("Give the date of the change of mutual, once the new mutual has confirmed it."),
                          "confirm_on")
    package = transfer_package(request.person, new_mutual=request.target)
    document = ""
    with translation.override(request.language):
        title = _("Data transferred to %(mutual)s") % {"mutual": request.target}
        text = _("The data you gave us as a client were transferred to %(mutual)s; your affiliation with us ends on "
                 "%(date)s (change of mutual).") % {"mutual": request.target, "date": confirm_on.strftime("%d/%m/%Y")}
    # A copy for the person while their e-Box is still theirs (before the affiliation ends).
    if is_active(request.person):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("mutation-package.json", json.dumps(package, ensure_ascii=False, indent=1))
        document = _issue(request, doc_type="rights_answer", title=title, content=buffer.getvalue(),
                          filename=f"{request.reference}-transfer.zip", staff=staff)
    try:
        registry.record_change_of_mutual(request.person, confirm_on, by=staff)
    except registry.RegistryError as error:
        raise RightsError(error.message, "confirm_on") from None
    return Outcome(text=f"{text}\n{note}".strip(), document=document)


def _answer_human_review(request, *, staff, note, confirm_on) -> Outcome:
    from guichet.rights.review import send_to_review

    send_to_review(request, staff=staff)
    with translation.override(request.language):
        text = _("A staff member reviews the decision %(decision)s with your reasons; you will receive the outcome "
                 "of the review.") % {"decision": request.target}
    return Outcome(text=f"{text}\n{note}".strip())


EXECUTORS = {
    RequestKind.ACCESS: _answer_access,
    RequestKind.RECTIFICATION: _answer_rectification,
    RequestKind.ERASURE: _answer_erasure,
    RequestKind.OBJECTION: _answer_objection,
    RequestKind.RESTRICTION: _answer_restriction,
    RequestKind.TRANSFER: _answer_transfer,
    RequestKind.HUMAN_REVIEW: _answer_human_review,
}


# --- the queue and its reminders (DSR-15) ------------------------------------------------------------------

@dataclass
class QueueCounters:
    open: int
    overdue: int
    due_this_week: int
    extended: int


def queue(today: datetime.date | None = None):
    """Open requests by due date, and the counters of the queue (one query each)."""
    today = today or timezone.localdate()
    open_requests = RightsRequest.objects.filter(status__in=OPEN_STATUSES)
    counts = open_requests.aggregate(
        open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)),
        due_this_week=Count("pk", filter=Q(due_on__gte=today, due_on__lt=today + datetime.timedelta(days=7))),
        extended=Count("pk", filter=Q(extended_at__isnull=False)),
    )
    rows = open_requests.select_related("person").order_by("due_on", "received_at")
    return rows, QueueCounters(**counts)


def reminder_days() -> int:
    return getattr(settings, "GUICHET_RIGHTS_REMINDER_DAYS", 7)


def remind_staff(today: datetime.date | None = None) -> int:
    """E-mail the DPO office the open requests due within `reminder_days()`: each once per deadline (again
    after an extension, before the new deadline)."""
    from django.core.mail import send_mail
    from django.db.models import F

    from guichet.accounts.models import StaffRole, User

    today = today or timezone.localdate()
    due = list(RightsRequest.objects.filter(status__in=OPEN_STATUSES,
                                            due_on__lte=today + datetime.timedelta(days=reminder_days()))
               .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lt=F("extended_at"))).order_by("due_on"))
    if not due:
        return 0
    handlers = list(User.objects.filter(staff_role=StaffRole.DPO_OFFICE, is_active=True).exclude(email="")
                    .values_list("email", flat=True))
    if handlers:
        lines = "\n".join(_("%(reference)s: %(kind)s, due by %(due)s") % {
            "reference": r.reference, "kind": r.get_kind_display(), "due": r.due_on.strftime("%d/%m/%Y")} for r in due)
        subject = _("%(count)d request(s) about personal data due soon") % {"count": len(due)}
        send_mail(subject, lines, settings.DEFAULT_FROM_EMAIL, handlers)
    RightsRequest.objects.filter(pk__in=[r.pk for r in due]).update(reminded_at=timezone.now())
    return len(due)


# --- the member's view ------------------------------------------------------------------------------------

def requests_of(person: Person):
    return RightsRequest.objects.filter(person=person).order_by("-received_at")


def id_copy_file(stored: str):
    """Open an ID copy kept as "storage:name" (staff only see it, through their request page)."""
    from django.core.files.storage import storages

    alias, _sep, name = stored.partition(":")
    return storages[alias].open(name, "rb")

