"""Verifying a CMS signature over prepared bytes (SIGN-1, SIGN-2): the message digest, the signature over
the signed attributes, the certificate is the signer's eID signature certificate (national number,
nonRepudiation), its chain up to the configured trust anchors, its validity and its revocation status by
OCSP or CRL (pyhanko-certvalidator, hard-fail). Live, fetching from the allowed responders; or offline
(SIGN-4) from the chain and revocation data stored at signing time."""

from __future__ import annotations

import asyncio
import base64
import datetime
import hashlib
import logging
from dataclasses import asdict, dataclass, field

from asn1crypto import crl as asn1_crl
from asn1crypto import ocsp as asn1_ocsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.utils.translation import gettext_lazy as _
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator import errors as cv_errors

from guichet.signing import cms, config
from guichet.signing.testpki import is_test_certificate

logger = logging.getLogger("guichet.signing")

MESSAGES = {
    "ok": _("The signature is valid."),
    "not_cms": _("This file is not an electronic signature (CMS) Guichet can read."),
    "not_over_document": _("The signature is not over this document: the signed content differs."),
    "bad_signature": _("The signature does not match its certificate: it is damaged or forged."),
    "not_signer": _("The certificate is not yours: it belongs to someone else."),
    "no_non_repudiation": _("The certificate has no non-repudiation usage: use the signature certificate of "
                            "your eID card, not the authentication one."),
    "untrusted": _("The certificate is not issued by a recognised eID authority."),
    "expired": _("The certificate is expired."),
    "not_yet_valid": _("The certificate is not valid yet."),
    "revoked": _("The certificate is revoked."),
    "revocation_unavailable": _("The revocation status of the certificate could not be checked; try again later."),
    "lost_card": _("The card was reported lost or stolen: its certificates are no longer accepted."),
    "tampered": _("What was stored about this signature changed after it was recorded."),
}


@dataclass
class ValidationResult:
    """The outcome of one verification; stored as JSON with the signature (without the raw revocation data,
    stored beside it)."""

    valid: bool
    code: str
    validated_at: str = ""
    offline: bool = False
    signer_subject: str = ""
    signer_serial_number: str = ""  # the national number in the certificate's subject
    certificate_serial: str = ""
    certificate_issuer: str = ""
    certificate_not_before: str = ""
    certificate_not_after: str = ""
    signing_time: str = ""
    digest_algorithm: str = ""
    content_sha256: str = ""
    path: list[str] = field(default_factory=list)
    revocation_sources: list[str] = field(default_factory=list)
    checks: dict = field(default_factory=dict)
    # Not serialised into `as_json` (stored in their own columns):
    chain_der: list[bytes] = field(default_factory=list, repr=False)
    ocsp_der: list[bytes] = field(default_factory=list, repr=False)
    crl_der: list[bytes] = field(default_factory=list, repr=False)
    signer_der: bytes = field(default=b"", repr=False)

    @property
    def message(self) -> str:
        return str(MESSAGES.get(self.code, MESSAGES["untrusted"]))

    def as_json(self) -> dict:
        data = asdict(self)
        for key in ("chain_der", "ocsp_der", "crl_der", "signer_der"):
            data.pop(key)
        return data

    @classmethod
    def from_json(cls, data: dict) -> ValidationResult:
        known = {key: value for key, value in data.items() if key in cls.__dataclass_fields__}
        return cls(**known)


def _name(name: x509.Name) -> str:
    return name.rfc4514_string()


def _national_number(cert: x509.Certificate) -> str:
    values = cert.subject.get_attributes_for_oid(x509.oid.NameOID.SERIAL_NUMBER)
    return str(values[0].value) if values else ""


def _has_non_repudiation(cert: x509.Certificate) -> bool:
    try:
        return cert.extensions.get_extension_for_class(x509.KeyUsage).value.content_commitment
    except x509.ExtensionNotFound:
        return False


def _revocation_urls(cert: x509.Certificate, *, with_issuers: bool = False) -> list[str]:
    """The OCSP responders and CRL distribution points the certificate names (and, with_issuers, the
    caIssuers addresses the validator may fetch an issuer from)."""
    urls = []
    try:
        for description in cert.extensions.get_extension_for_class(x509.AuthorityInformationAccess).value:
            ocsp_method = description.access_method == x509.oid.AuthorityInformationAccessOID.OCSP
            if ocsp_method or with_issuers:
                urls.append(description.access_location.value)
    except x509.ExtensionNotFound:
        pass
    try:
        for point in cert.extensions.get_extension_for_class(x509.CRLDistributionPoints).value:
            for name in point.full_name or []:
                urls.append(name.value)
    except x509.ExtensionNotFound:
        pass
    return urls


def verify(content: bytes, cms_bytes: bytes, *, national_number: str, card_reported_lost_at=None,
           offline: dict | None = None) -> ValidationResult:
    """Verify `cms_bytes` as a signature over `content` (see _verify); whatever goes wrong is a refusal."""
    try:
        return _verify(content, cms_bytes, national_number=national_number,
                       card_reported_lost_at=card_reported_lost_at, offline=offline)
    except Exception:  # noqa: BLE001 - a check that crashes refuses, it never lets a signature through
        logger.exception("Signature verification failed unexpectedly.")
        return ValidationResult(valid=False, code="untrusted",
                                validated_at=datetime.datetime.now(datetime.UTC).isoformat(),
                                offline=offline is not None, content_sha256=hashlib.sha256(content).hexdigest())


def _verify(content: bytes, cms_bytes: bytes, *, national_number: str, card_reported_lost_at=None,
            offline: dict | None = None) -> ValidationResult:
    """Verify `cms_bytes` as a signature over `content` by the person with `national_number`.

    card_reported_lost_at: the person's earliest lost/stolen card report (SIGN-5): a certificate issued
    before it is refused. offline: {"moment": datetime, "certs": [DER], "ocsp": [DER], "crl": [DER]} to
    re-verify from stored data without any network access."""
    now = datetime.datetime.now(datetime.UTC)
    result = ValidationResult(valid=False, code="not_cms", validated_at=now.isoformat(), offline=offline is not None,
                              content_sha256=hashlib.sha256(content).hexdigest())
    try:
        parsed = cms.parse(cms_bytes)
        signer = x509.load_der_x509_certificate(parsed.signer_certificate.dump())
        signer.extensions  # noqa: B018 - a malformed extension raises here, not in the middle of the checks
    except Exception:  # noqa: BLE001 - malformed input from the outside: not a signature we can read
        return result
    result.signer_der = parsed.signer_certificate.dump()
    result.signer_subject = _name(signer.subject)
    result.signer_serial_number = _national_number(signer)
    result.certificate_serial = format(signer.serial_number, "x")
    result.certificate_issuer = _name(signer.issuer)
    result.certificate_not_before = signer.not_valid_before_utc.isoformat()
    result.certificate_not_after = signer.not_valid_after_utc.isoformat()
    result.signing_time = parsed.signing_time.isoformat() if parsed.signing_time else ""
    result.digest_algorithm = parsed.digest_algorithm
    checks = result.checks

    def refuse(code: str) -> ValidationResult:
        result.code = code
        return result

    checks["message_digest"] = cms.digest_matches(parsed, content) and (
        parsed.encapsulated is None or parsed.encapsulated == content)
    if not checks["message_digest"]:
        return refuse("not_over_document")
    checks["signature"] = cms.signature_is_valid(parsed)
    if not checks["signature"]:
        return refuse("bad_signature")
    checks["signer"] = bool(national_number) and result.signer_serial_number == national_number
    if not checks["signer"]:
        return refuse("not_signer")
    checks["non_repudiation"] = _has_non_repudiation(signer)
    if not checks["non_repudiation"]:
        return refuse("no_non_repudiation")
    if card_reported_lost_at is not None:
        checks["card_not_reported"] = signer.not_valid_before_utc >= card_reported_lost_at
        if not checks["card_not_reported"]:
            return refuse("lost_card")
    accept_test = config.accept_test_hierarchy()
    try:
        cms_certs = [x509.load_der_x509_certificate(cert.dump()) for cert in parsed.certificates]
        for cert in cms_certs:
            cert.extensions  # noqa: B018 - parse them now (see above)
    except Exception:  # noqa: BLE001 - as above
        return refuse("not_cms")
    if not accept_test and any(is_test_certificate(cert) for cert in cms_certs):
        checks["recognised_authority"] = False
        return refuse("untrusted")
    urls = _revocation_urls(signer)
    if offline is None:
        # Hard-fail only checks what a certificate declares: an eID signature certificate always declares it.
        checks["revocation_declared"] = bool(urls)
        if not urls:
            return refuse("revocation_unavailable")
        for cert in cms_certs:
            for url in _revocation_urls(cert, with_issuers=True):
                if not config.revocation_url_allowed(url):
                    checks["revocation_responder_allowed"] = False
                    return refuse("untrusted")
    anchors = config.trust_anchors()
    if not anchors:
        checks["recognised_authority"] = False
        return refuse("untrusted")
    code = asyncio.run(_validate_chain(parsed, anchors, result, offline))
    if code != "ok":
        return refuse(code)
    if not accept_test and any(is_test_certificate(x509.load_der_x509_certificate(der)) for der in result.chain_der):
        checks["recognised_authority"] = False
        return refuse("untrusted")
    checks["chain"] = checks["revocation"] = checks["validity"] = True
    result.valid = True
    result.code = "ok"
    return result


async def _validate_chain(parsed: cms.ParsedCMS, anchors: list[x509.Certificate], result: ValidationResult,
                          offline: dict | None) -> str:
    roots = [asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)) for cert in anchors]
    if offline is None:
        context = ValidationContext(trust_roots=roots, other_certs=parsed.certificates, allow_fetching=True,
                                    revocation_mode="hard-fail")
    else:
        context = ValidationContext(
            trust_roots=roots,
            other_certs=[asn1_x509.Certificate.load(der) for der in offline["certs"]] + parsed.certificates,
            moment=offline["moment"],
            allow_fetching=False,
            ocsps=[asn1_ocsp.OCSPResponse.load(der) for der in offline["ocsp"]],
            crls=[asn1_crl.CertificateList.load(der) for der in offline["crl"]],
            revocation_mode="hard-fail",
        )
    validator = CertificateValidator(parsed.signer_certificate, validation_context=context)
    try:
        path = await validator.async_validate_usage({"non_repudiation"})
    except cv_errors.RevokedError:
        return "revoked"
    except cv_errors.ExpiredError:
        return "expired"
    except cv_errors.NotYetValidError:
        return "not_yet_valid"
    except cv_errors.InsufficientRevinfoError:
        return "revocation_unavailable"
    except cv_errors.InvalidCertificateError:
        return "no_non_repudiation"
    except (cv_errors.PathBuildingError, cv_errors.PathValidationError, cv_errors.ValidationError):
        return "untrusted"
    except Exception:  # noqa: BLE001 - a malformed certificate or answer is a refusal, never a crash
        logger.exception("Signature certificate validation failed unexpectedly.")
        return "untrusted"
    finally:
        await context.aclose()
    certs = list(path.iter_certs(include_root=True))
    certs.reverse()  # signer first
    result.chain_der = [cert.dump() for cert in certs]
    result.path = [cert.subject.human_friendly for cert in certs]
    result.ocsp_der = [response.dump() for response in context.ocsps]
    result.crl_der = [crl.dump() for crl in context.crls]
    result.revocation_sources = (["OCSP"] * len(result.ocsp_der)) + (["CRL"] * len(result.crl_der))
    return "ok"


def b64(items: list[bytes]) -> list[str]:
    return [base64.b64encode(item).decode("ascii") for item in items]


def unb64(items: list[str]) -> list[bytes]:
    return [base64.b64decode(item) for item in items]
