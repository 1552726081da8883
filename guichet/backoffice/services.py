"""Back-office actions: health-data delegations (ACL-3) and the disclosure desk (DISC-1..3, PRIV-5, PRIV-6).

Each action validates first (raising BackofficeError with a message for the staff member; nothing is
written) and then writes in one transaction together with its ledger entry. Opening a file is in
`access.py`; the confidentiality acknowledgement in `confidentiality.py`.
"""

from __future__ import annotations

import datetime
import logging
import re
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.backoffice import ledger_kinds, policy
from guichet.backoffice.models import Delegation, DisclosureRequest, DisclosureStatus
from guichet.ledger.services import append
from guichet.members import nrn
from guichet.members.models import Person
from guichet.privacy.register import load_register
from guichet.privacy.services import transfer_allowed

security_log = logging.getLogger("guichet.security")


class BackofficeError(Exception):
    """An action was refused; `message` is meant for the staff member, already translated."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


# --- health-data delegations (ACL-3) -------------------------------------------------------------------


def health_contexts() -> list[str]:
    """The register contexts that hold a medical data category: what a delegation can cover."""
    return [
        context.key
        for context in load_register().contexts
        if any(category.medical for category in context.data_categories)
    ]


def check_delegation(physician, delegate, *, scope: str, expires_at: datetime.datetime) -> None:
    if not policy.staff_may(physician, "grant_delegation"):
        raise BackofficeError(_("Only an advising physician can delegate the processing of health data."))
    if delegate is None or not delegate.is_active or not policy.may_receive_delegation(delegate.staff_role):
        raise BackofficeError(
            _("This account cannot receive a delegation: choose a member of the delegated medical staff."),
            field="delegate",
        )
    if scope not in health_contexts():
        raise BackofficeError(_("Choose a context of the register that holds health data."), field="scope")
    now = timezone.now()
    if expires_at is None or expires_at <= now:
        raise BackofficeError(_("The end of the delegation must be in the future."), field="expires_at")
    if expires_at > now + datetime.timedelta(days=settings.BACKOFFICE_DELEGATION_MAX_DAYS):
        raise BackofficeError(
            _("A delegation lasts %(days)d days at most.")
            % {"days": settings.BACKOFFICE_DELEGATION_MAX_DAYS},
            field="expires_at",
        )


def grant_delegation(physician, delegate, *, scope: str, expires_at: datetime.datetime) -> Delegation:
    """The physician lets `delegate` see health data of the context `scope` until `expires_at`."""
    check_delegation(physician, delegate, scope=scope, expires_at=expires_at)
    with transaction.atomic():
        delegation = Delegation.objects.create(
            physician=physician,
            delegate=delegate,
            scope=scope,
            granted_at=timezone.now(),
            expires_at=expires_at,
        )
        append(
            ledger_kinds.DELEGATION_GRANTED,
            actor=physician,
            context=scope,
            visible_to_subject=False,
            payload={
                "delegation": str(delegation.public_id),
                "delegate": str(delegate.public_id),
                "delegate_role": delegate.staff_role,
                "scope": scope,
                "expires_at": expires_at.isoformat(),
            },
        )
    return delegation


def revoke_delegation(physician, delegation: Delegation) -> Delegation:
    """End a delegation at once (only the physician who granted it)."""
    with transaction.atomic():
        delegation = Delegation.objects.select_for_update().get(pk=delegation.pk)
        if delegation.physician_id != physician.pk or not policy.staff_may(physician, "grant_delegation"):
            raise BackofficeError(_("Only the physician who granted this delegation can revoke it."))
        if delegation.revoked_at is not None:
            raise BackofficeError(_("This delegation was already revoked."))
        delegation.revoked_at = timezone.now()
        delegation.save(update_fields=["revoked_at"])
        append(
            ledger_kinds.DELEGATION_REVOKED,
            actor=physician,
            context=delegation.scope,
            visible_to_subject=False,
            payload={
                "delegation": str(delegation.public_id),
                "revoked_at": delegation.revoked_at.isoformat(),
            },
        )
    return delegation


# --- disclosures to third parties (DISC-1..3) ----------------------------------------------------------

# PRIV-5: grounds that amount to selling data. They are not grounds of DISC-1, so they can never be
# granted; they are named only to give the clearest refusal.
SALE_GROUNDS = frozenset({"sale", "commercial_resale", "purchase", "data_brokerage"})
COUNTRY_RE = re.compile(r"^[A-Za-z]{2}$")
TEXT_MAX = 200


def disclosure_grounds() -> list[str]:
    """DISC-1: the grounds on which a third party's request can be answered, from the register's notice."""
    return [item.key for item in load_register().notice["third_party_requests"].items]


def recipient_kinds() -> list[str]:
    """Every recipient key of the register, in any context (DISC-2 then checks the request's context)."""
    keys: dict[str, None] = {}
    for context in load_register().contexts:
        for recipient in context.recipients:
            keys.setdefault(recipient.key)
    return list(keys)


def check_disclosure_input(
    *,
    received_by,
    requester_name: str,
    requester_organisation: str,
    recipient: str,
    country: str,
    context: str,
    ground: str,
    categories: Iterable[str],
    person: Person | None,
) -> list[str]:
    """Validate what the desk typed (nothing written on error); returns the categories, deduplicated."""
    if not policy.staff_may(received_by, "receive_disclosure_request"):
        raise BackofficeError(_("Your role may not record third parties' requests."))
    if not requester_name.strip() or len(requester_name) > TEXT_MAX:
        raise BackofficeError(
            _("Give the name of the person who asks (200 characters at most)."), field="requester_name"
        )
    if not requester_organisation.strip() or len(requester_organisation) > TEXT_MAX:
        raise BackofficeError(
            _("Give the organisation that asks (200 characters at most)."), field="requester_organisation"
        )
    if not recipient or len(recipient) > 60:
        raise BackofficeError(_("Say what kind of requester this is."), field="recipient")
    if not COUNTRY_RE.match(country or ""):
        raise BackofficeError(
            _("Give the requester's country as a two-letter code (BE, FR, US...)."), field="country"
        )
    register = load_register()
    if not register.has_context(context):
        raise BackofficeError(_("Choose a context of the register."), field="context")
    if not ground or len(ground) > 40:
        raise BackofficeError(_("Say on which ground the data are asked."), field="ground")
    asked = list(dict.fromkeys(categories))
    if not asked:
        raise BackofficeError(_("Choose the data asked."), field="categories")
    unknown = [key for key in asked if register.category_in(context, key) is None]
    if unknown:
        raise BackofficeError(
            _("These data are not held in this context: %(keys)s.") % {"keys": ", ".join(unknown)},
            field="categories",
        )
    if person is None:
        raise BackofficeError(_("There is no member file with this reference."), field="person")
    return asked


def automatic_refusal(
    *,
    recipient: str,
    processor: str,
    country: str,
    context: str,
    ground: str,
    transfer_ground: str,
    categories: list[str],
) -> str | None:
    """Why the rules refuse the request by themselves, or None when the DPO office must decide."""
    register = load_register()
    if ground in SALE_GROUNDS:
        return _("Data are never sold (PRIV-5).")
    if ground not in disclosure_grounds():
        return _("The ground claimed is not one on which data can be disclosed (DISC-1).")
    if not register.is_allowed_recipient(context, recipient):
        return _(
            "This kind of recipient is not among the recipients of this context in the register (DISC-2)."
        )
    if register.context(context).recipient(recipient).kind == "processor":
        task = next((p for p in register.context(context).processors if p.key == processor), None)
        if task is None:
            return _("This processor has no task defined by the mutual in this context (DISC-3).")
        outside = [key for key in categories if key not in task.data_categories]
        if outside:
            return _(
                "A processor only gets the data of the task the mutual defined; these are outside it: "
                "%(keys)s (DISC-3)."
            ) % {"keys": ", ".join(outside)}
    transfer = transfer_allowed(context, country, transfer_ground or None)
    if not transfer.allowed:
        return _("Transfer refused (PRIV-6): %(reason)s") % {"reason": transfer.reason}
    return None


def receive_disclosure_request(
    *,
    received_by,
    requester_name: str,
    requester_organisation: str,
    recipient: str,
    country: str,
    context: str,
    ground: str,
    categories: Iterable[str],
    person: Person | None,
    processor: str = "",
    transfer_ground: str = "",
) -> DisclosureRequest:
    """Record a third party's request. The rules refuse it by themselves (recorded, with the reason) when the
    ground, the recipient, a processor's task or the transfer is not allowed; otherwise the DPO decides."""
    asked = check_disclosure_input(
        received_by=received_by,
        requester_name=requester_name,
        requester_organisation=requester_organisation,
        recipient=recipient,
        country=country,
        context=context,
        ground=ground,
        categories=categories,
        person=person,
    )
    country = country.upper()
    refusal = automatic_refusal(
        recipient=recipient,
        processor=processor,
        country=country,
        context=context,
        ground=ground,
        transfer_ground=transfer_ground,
        categories=asked,
    )
    now = timezone.now()
    with transaction.atomic():
        request = DisclosureRequest.objects.create(
            requester_name=requester_name.strip(),
            requester_organisation=requester_organisation.strip(),
            recipient=recipient,
            processor=processor[:60],
            country=country,
            context=context,
            ground=ground,
            transfer_ground=transfer_ground[:40],
            categories=asked,
            person=person,
            received_by=received_by,
            received_at=now,
            status=DisclosureStatus.REFUSED_BY_RULE if refusal else DisclosureStatus.PENDING,
            reason=refusal or "",
            decided_at=now if refusal else None,
        )
        append(
            ledger_kinds.DISCLOSURE_REFUSED if refusal else ledger_kinds.DISCLOSURE_RECEIVED,
            actor=received_by,
            subject=person,
            context=context,
            payload=_disclosure_payload(request),
        )
    if refusal:
        security_log.info("disclosure request %s refused by rule: %s", request.public_id, refusal)
    return request


def decide_disclosure(
    request: DisclosureRequest, *, by, grant: bool, reason: str, categories: Iterable[str] | None = None
) -> DisclosureRequest:
    """The DPO office grants (sending `categories`, by default all those asked) or refuses, with a reason."""
    if not policy.staff_may(by, "decide_disclosure"):
        raise BackofficeError(_("Only the data protection office decides on disclosures."))
    if not reason.strip() or len(reason) > 2000:
        raise BackofficeError(_("Give the reason of the decision (2000 characters at most)."), field="reason")
    with transaction.atomic():
        request = DisclosureRequest.objects.select_for_update().get(pk=request.pk)
        if request.status != DisclosureStatus.PENDING:
            raise BackofficeError(_("This request was already decided."))
        sent = list(dict.fromkeys(categories)) if categories is not None else list(request.categories)
        if grant:
            if not sent:
                raise BackofficeError(_("Choose the data to send."), field="categories")
            if set(sent) - set(request.categories):
                raise BackofficeError(_("Only data that were asked can be sent."), field="categories")
            # The register may have changed since the request came in: the rules are checked again.
            refusal = automatic_refusal(
                recipient=request.recipient,
                processor=request.processor,
                country=request.country,
                context=request.context,
                ground=request.ground,
                transfer_ground=request.transfer_ground,
                categories=sent,
            )
            if refusal:
                raise BackofficeError(refusal)
        request.status = DisclosureStatus.GRANTED if grant else DisclosureStatus.REFUSED
        request.reason = reason.strip()
        request.decided_by, request.decided_at = by, timezone.now()
        request.sent_categories = sent if grant else []
        request.save(update_fields=["status", "reason", "decided_by", "decided_at", "sent_categories"])
        append(
            ledger_kinds.DISCLOSURE_GRANTED if grant else ledger_kinds.DISCLOSURE_REFUSED,
            actor=by,
            subject=request.person,
            context=request.context,
            payload=_disclosure_payload(request),
        )
    return request


def _disclosure_payload(request: DisclosureRequest) -> dict:
    return {
        "request": str(request.public_id),
        "status": request.status,
        "requester": request.requester_name,
        "organisation": request.requester_organisation,
        "recipient": request.recipient,
        "processor": request.processor,
        "country": request.country,
        "ground": request.ground,
        "transfer_ground": request.transfer_ground,
        "asked": list(request.categories),
        "sent": list(request.sent_categories),
        "reason": request.reason,
    }


# --- finding a file ------------------------------------------------------------------------------------


def find_person(number: str) -> Person | None:
    """The person with this national register number (any usual notation) or membership number."""
    number = (number or "").strip()
    if not number:
        return None
    try:
        by_national_number = Person.objects.filter(national_number=nrn.normalise(number)).first()
    except nrn.InvalidNationalNumber:
        by_national_number = None
    return by_national_number or Person.objects.filter(member_number=number).first()
