"""The signing services (SIGN-1..5): prepare the exact bytes to sign, verify and keep a submitted CMS
signature with everything that proved it, re-verify it offline later, and record lost or stolen cards.

Other apps call `prepare(...)` then let the person sign; they learn of the signature through the domain
event `signing.signed` {"request", "kind", "reference", "signer"} published in the same transaction."""

from __future__ import annotations

import datetime
import hashlib
import json
import re

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.events.services import publish
from guichet.ledger import chain
from guichet.ledger.models import LedgerEntry
from guichet.ledger.services import append, describe_actor
from guichet.members.models import Person
from guichet.signing import verify as verification
from guichet.signing.errors import SigningError
from guichet.signing.models import LostCardReport, RefusedSignature, RequestStatus, Signature, SignatureRequest
from guichet.signing.verify import ValidationResult

__all__ = ["SigningError", "prepare", "submit_signature", "reverify", "report_lost_card", "stored_integrity"]

SIGNED_EVENT = "signing.signed"
KIND_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_CONTENT_BYTES = 5_000_000
MAX_CMS_BYTES = 200_000
CONTEXT = "operations"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _actor_label(actor) -> str:
    return describe_actor(actor)[2] if actor is not None else ""


def prepare(signer: Person, *, kind: str, reference: str, title: str, content: bytes,
            content_type: str = "application/json", actor=None) -> SignatureRequest:
    """Keep the exact bytes `signer` is asked to sign, with their SHA-256; ledger `signing.prepared`."""
    if not isinstance(signer, Person) or signer.pk is None:
        raise SigningError(_("The signer is not a person of the registry."), "signer")
    if not isinstance(kind, str) or not KIND_RE.match(kind):
        raise SigningError(_("The kind of document to sign is not valid."), "kind")
    reference = str(reference or "").strip()
    title = str(title or "").strip()
    if not reference or len(reference) > 100:
        raise SigningError(_("The document to sign needs a reference (100 characters at most)."), "reference")
    if not title or len(title) > 200:
        raise SigningError(_("The document to sign needs a title (200 characters at most)."), "title")
    if not isinstance(content, bytes | bytearray | memoryview) or not bytes(content):
        raise SigningError(_("There is nothing to sign."), "content")
    content = bytes(content)
    if len(content) > MAX_CONTENT_BYTES:
        raise SigningError(_("The document to sign is too large."), "content")
    if not content_type or len(content_type) > 100:
        raise SigningError(_("The document to sign has no valid content type."), "content_type")
    digest = sha256(content)
    with transaction.atomic():
        request = SignatureRequest.objects.create(
            signer=signer, kind=kind, reference=reference, title=title, content=content,
            content_type=content_type, content_sha256=digest, prepared_at=timezone.now(),
            prepared_by=_actor_label(actor))
        append("signing.prepared", actor=actor, subject=signer, context=CONTEXT,
               payload={"request": str(request.public_id), "kind": kind, "reference": reference,
                        "content_sha256": digest})
    return request


def latest_lost_card_report(person: Person, *, before: datetime.datetime | None = None):
    """The moment of the person's latest lost/stolen card report (optionally made before `before`)."""
    reports = LostCardReport.objects.filter(person=person)
    if before is not None:
        reports = reports.filter(reported_at__lte=before)
    return reports.aggregate(latest=Max("reported_at"))["latest"]


def submit_signature(request: SignatureRequest, cms: bytes, *, actor) -> Signature:
    """Verify `cms` as the signer's eID signature over the prepared bytes; keep it with its proof.

    Raises SigningError (translated, `code` says why) on any refusal; the refusal is recorded as refused
    (RefusedSignature + ledger `signing.refused`), never as valid. On success: Signature stored, request
    signed, ledger `signing.signed` holding the hashes of what was stored, event `signing.signed`."""
    request = SignatureRequest.objects.select_related("signer").get(pk=request.pk)
    if request.status != RequestStatus.PENDING:
        raise SigningError(_("This document is already signed."), "already_signed")
    if not isinstance(cms, bytes | bytearray | memoryview) or not bytes(cms):
        raise SigningError(_("Choose the signature file (CMS, .p7s) to send."), "not_cms")
    cms = bytes(cms)
    if len(cms) > MAX_CMS_BYTES:
        raise SigningError(str(verification.MESSAGES["not_cms"]), "not_cms")
    signer = request.signer
    content = bytes(request.content)
    if sha256(content) != request.content_sha256:
        raise SigningError(_("The prepared document was changed after it was prepared; it cannot be signed."),
                           "tampered")
    # Network access (OCSP) happens here, outside any transaction.
    result = verification.verify(content, cms, national_number=signer.national_number,
                                 card_reported_lost_at=latest_lost_card_report(signer))
    if not result.valid:
        _record_refusal(request, cms, result, actor)
        raise SigningError(result.message, result.code)
    with transaction.atomic():
        locked = SignatureRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status != RequestStatus.PENDING:
            raise SigningError(_("This document is already signed."), "already_signed")
        # A card reported lost while we were verifying still wins (SIGN-5).
        reported = latest_lost_card_report(signer)
        if reported is not None and datetime.datetime.fromisoformat(result.certificate_not_before) < reported:
            result.valid, result.code = False, "lost_card"
        else:
            signature = Signature.objects.create(
                request=locked, signer=signer, content_sha256=locked.content_sha256, cms=cms,
                cms_sha256=sha256(cms), certificate=result.signer_der, chain=verification.b64(result.chain_der),
                certificate_subject=result.signer_subject[:500], certificate_serial=result.certificate_serial,
                certificate_issuer=result.certificate_issuer[:500],
                revocation={"ocsp": verification.b64(result.ocsp_der), "crl": verification.b64(result.crl_der)},
                validation=result.as_json(),
                signing_time=datetime.datetime.fromisoformat(result.signing_time) if result.signing_time else None,
                validated_at=datetime.datetime.fromisoformat(result.validated_at),
            )
            locked.status = RequestStatus.SIGNED
            locked.save(update_fields=["status"])
            entry = append("signing.signed", actor=actor, subject=signer, context=CONTEXT,
                           payload={"request": str(locked.public_id), "kind": locked.kind,
                                    "reference": locked.reference, **stored_hashes(signature)})
            signature.ledger_sequence = entry.sequence
            signature.save(update_fields=["ledger_sequence"])
            publish(SIGNED_EVENT, person=signer,
                    payload={"request": str(locked.public_id), "kind": locked.kind, "reference": locked.reference,
                             "signer": str(signer.public_id)})
            return signature
    _record_refusal(request, cms, result, actor)
    raise SigningError(result.message, result.code)


def _record_refusal(request: SignatureRequest, cms: bytes, result: ValidationResult, actor) -> None:
    with transaction.atomic():
        RefusedSignature.objects.create(request=request, at=timezone.now(), reason=result.code,
                                        message=result.message[:300], cms_sha256=sha256(cms))
        append("signing.refused", actor=actor, subject=request.signer, context=CONTEXT,
               payload={"request": str(request.public_id), "reason": result.code, "cms_sha256": sha256(cms),
                        "certificate_serial": result.certificate_serial})


def stored_hashes(signature: Signature) -> dict:
    """SHA-256 of every stored part of a signature; the ledger entry keeps them (SIGN-4)."""
    return {
        "content_sha256": sha256(bytes(signature.request.content)),
        "cms_sha256": sha256(bytes(signature.cms)),
        "certificate_sha256": sha256(bytes(signature.certificate)),
        "chain_sha256": sha256(json.dumps(signature.chain).encode()),
        "revocation_sha256": sha256(chain.canonical_json(signature.revocation).encode()),
        "validation_sha256": sha256(chain.canonical_json(signature.validation).encode()),
    }


def stored_integrity(signature: Signature) -> dict[str, bool]:
    """Each stored part compared with the hash the ledger recorded when the signature was accepted."""
    entry = LedgerEntry.objects.filter(sequence=signature.ledger_sequence, kind="signing.signed").first()
    recorded = json.loads(entry.payload) if entry is not None else {}
    return {key: recorded.get(key) == value for key, value in stored_hashes(signature).items()}


def reverify(signature: Signature) -> ValidationResult:
    """Re-verify a stored signature OFFLINE (SIGN-4): from the stored bytes, CMS, chain and OCSP/CRL data,
    at the moment it was validated, and check that nothing stored changed since (the ledger's hashes)."""
    signature = Signature.objects.select_related("request", "signer").get(pk=signature.pk)
    integrity = stored_integrity(signature)
    reported = latest_lost_card_report(signature.signer, before=signature.validated_at)
    result = verification.verify(
        bytes(signature.request.content), bytes(signature.cms), national_number=signature.signer.national_number,
        card_reported_lost_at=reported,
        offline={"moment": signature.validated_at, "certs": verification.unb64(signature.chain),
                 "ocsp": verification.unb64(signature.revocation.get("ocsp", [])),
                 "crl": verification.unb64(signature.revocation.get("crl", []))})
    result.checks["stored_unchanged"] = all(integrity.values())
    if result.valid and not result.checks["stored_unchanged"]:
        result.valid, result.code = False, "tampered"
    return result


def report_lost_card(person: Person, *, by, reason: str, at: datetime.datetime | None = None,
                     channel: str = "account") -> LostCardReport:
    """SIGN-5: from `at` (default now) the person's certificates issued before it are refused, whatever
    OCSP says. `by` is the person themself or a staff user (a phone call, the counter)."""
    if not isinstance(person, Person) or person.pk is None:
        raise SigningError(_("The person is not in the registry."), "person")
    reason = str(reason or "").strip()
    if not reason:
        raise SigningError(_("Say what happened to the card (lost, stolen, misused)."), "reason")
    if len(reason) > 500:
        raise SigningError(_("Keep the explanation under 500 characters."), "reason")
    now = timezone.now()
    at = at or now
    if at > now + datetime.timedelta(minutes=1):
        raise SigningError(_("The report cannot be dated in the future."), "at")
    if channel not in {"account", "phone", "counter"}:
        raise SigningError(_("Choose how the report was made."), "channel")
    with transaction.atomic():
        report = LostCardReport.objects.create(person=person, reported_at=at, recorded_at=now,
                                               reported_by=_actor_label(by)[:200], channel=channel,
                                               reason=reason)
        append("signing.card_reported_lost", actor=by, subject=person, context=CONTEXT,
               payload={"reported_at": at.isoformat(), "channel": channel, "reason": reason})
        # The person hears of it at once, so a report made in their name by someone else does not go unnoticed.
        transaction.on_commit(lambda: _tell_card_reported(person), robust=True)
    return report


def _tell_card_reported(person: Person) -> None:
    from guichet.messaging.services import email_to, sms_to_person

    def text() -> str:
        return _("Guichet: a report that your eID card is lost or stolen was recorded. Signatures with that card "
                 "are refused from now on. If you did not ask for this, contact your mutual.")

    if person.mobile:
        sms_to_person(person, text)
    elif person.email:
        email_to(person.email, person.language, lambda: (_("Your eID card was reported lost or stolen"), text()))


def message_for(code: str) -> str:
    return str(verification.MESSAGES.get(code, verification.MESSAGES["untrusted"]))


def mandate_content(mandate) -> bytes:
    """The mandate form as the grantor signs it: canonical JSON of who gives what to whom, when."""
    return chain.canonical_json({
        "document": "mandate",
        "mandate": str(mandate.public_id),
        "form": str(mandate.form),
        "grantor": {"name": mandate.grantor.full_name, "national_number": mandate.grantor.national_number},
        "agent": {"name": mandate.agent.full_name, "national_number": mandate.agent.national_number},
        "scopes": sorted(mandate.scopes),
        "amount_limit": str(mandate.amount_limit) if mandate.amount_limit is not None else None,
        "joint": mandate.joint,
        "starts_on": mandate.starts_on.isoformat(),
        "ends_on": mandate.ends_on.isoformat() if mandate.ends_on else None,
        "granted_at": mandate.granted_at.isoformat(),
    }).encode("utf-8")


def prepare_mandate(actor: Person, mandate) -> SignatureRequest:
    """The grantor signs the mandate they granted (kind "mandate", reference the mandate id); the request
    already prepared for it is returned again."""
    if actor is None or mandate.grantor_id != actor.pk:
        raise SigningError(_("Only the person who granted the mandate signs it."), "signer")
    if not mandate.is_open:
        raise SigningError(_("This mandate has ended: there is nothing left to sign."), "mandate")
    existing = SignatureRequest.objects.filter(signer=actor, kind="mandate",
                                               reference=str(mandate.public_id)).order_by("-prepared_at").first()
    content = mandate_content(mandate)
    if existing is not None and existing.content_sha256 == sha256(content):
        return existing
    title = _("Mandate to %(agent)s") % {"agent": mandate.agent.full_name}
    return prepare(actor, kind="mandate", reference=str(mandate.public_id), title=title, content=content,
                   actor=actor)
