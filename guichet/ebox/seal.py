"""The organisation's seal on the documents it issues (PAdES, pyHanko) and the check anyone can run.

Production reads the organisation's certificate, its private key and the trust anchors from
GUICHET_EBOX_SEAL_CERT_FILE, GUICHET_EBOX_SEAL_KEY_FILE and GUICHET_EBOX_SEAL_TRUST_FILE (PEM) and refuses
to seal without them. In development and tests, when none is set, a local CA and an organisation
certificate are generated once into VAR_DIR (as the ledger does with its key) and a warning says so.
"""

from __future__ import annotations

import datetime
import io
import logging
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

logger = logging.getLogger("guichet.ebox")

DEV_DIR_NAME = "ebox-seal"
SEAL_FIELD = "GuichetSeal"


@dataclass(frozen=True)
class SealFiles:
    cert: Path
    key: Path
    trust: Path


@dataclass(frozen=True)
class SealCheck:
    """The outcome of verify_seal: `genuine` only when the seal is intact, trusted and covers the whole
    file (nothing added or changed after sealing)."""

    genuine: bool
    signer: str = ""
    signed_at: datetime.datetime | None = None
    reason: str = ""

    def __bool__(self) -> bool:
        return self.genuine


def seal_files() -> SealFiles:
    cert = getattr(settings, "GUICHET_EBOX_SEAL_CERT_FILE", "")
    key = getattr(settings, "GUICHET_EBOX_SEAL_KEY_FILE", "")
    trust = getattr(settings, "GUICHET_EBOX_SEAL_TRUST_FILE", "")
    if cert or key:
        if not (cert and key):
            raise ImproperlyConfigured("GUICHET_EBOX_SEAL_CERT_FILE and GUICHET_EBOX_SEAL_KEY_FILE go together.")
        return SealFiles(Path(cert), Path(key), Path(trust or cert))
    if settings.PRODUCTION:
        raise ImproperlyConfigured(
            "GUICHET_EBOX_SEAL_CERT_FILE and GUICHET_EBOX_SEAL_KEY_FILE must name the organisation's "
            "sealing certificate and key in production.")
    folder = Path(settings.VAR_DIR) / DEV_DIR_NAME
    files = SealFiles(folder / "organisation-cert.pem", folder / "organisation-key.pem", folder / "ca-cert.pem")
    if not (files.cert.exists() and files.key.exists() and files.trust.exists()):
        _generate_development_seal(folder)
    return files


def seal_pdf(pdf: bytes) -> bytes:
    """The PDF with the organisation's PAdES seal added (an incremental update: the content is unchanged)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    signer = _signer(*_stamp(seal_files().key), *_stamp(seal_files().cert))
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    metadata = signers.PdfSignatureMetadata(
        field_name=SEAL_FIELD,
        subfilter=fields.SigSeedSubFilter.PADES,
        reason="Issued by " + settings.ORGANISATION_NAME,
        md_algorithm="sha256",
    )
    output = io.BytesIO()
    _outside_event_loop(lambda: signers.sign_pdf(writer, metadata, signer=signer, output=output))
    return output.getvalue()


def verify_seal(pdf: bytes) -> SealCheck:
    """Is this the document the organisation sealed, byte for byte? Never raises on bad input."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        seals = [each for each in reader.embedded_signatures if each.field_name == SEAL_FIELD]
        if not seals:
            return SealCheck(False, reason=_("The document carries no seal of the mutual."))
        context = ValidationContext(trust_roots=_trust_roots(*_stamp(seal_files().trust)), allow_fetching=False)
        status = _outside_event_loop(lambda: validate_pdf_signature(seals[-1], context))
    except Exception:  # noqa: BLE001 - a damaged file is an answer ("not genuine"), not a crash
        logger.info("seal check failed on an unreadable document", exc_info=True)
        return SealCheck(False, reason=_("The document is damaged or is not a PDF sealed by the mutual."))
    signer = status.signing_cert.subject.human_friendly if status.signing_cert else ""
    if not (status.intact and status.valid):
        return SealCheck(False, signer=signer, reason=_("The document was changed after the mutual sealed it."))
    if not status.trusted:
        return SealCheck(False, signer=signer, reason=_("The seal is not the mutual's."))
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        return SealCheck(False, signer=signer, reason=_("Something was added to the document after it was sealed."))
    return SealCheck(True, signer=signer, signed_at=status.signer_reported_dt)


def _outside_event_loop(call):
    """pyHanko's synchronous API runs its own asyncio loop: from a thread that already runs one (an async
    view, a test driving a browser), do the work in a short-lived thread instead."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return call()
    with ThreadPoolExecutor(max_workers=1) as worker:
        return worker.submit(call).result()


def _stamp(path: Path) -> tuple[str, int]:
    """(path, mtime) so a replaced file is read again while the loaded one stays cached."""
    return str(path), path.stat().st_mtime_ns


@lru_cache(maxsize=4)
def _signer(key_path: str, _key_mtime: int, cert_path: str, _cert_mtime: int):
    from pyhanko.sign import signers

    signer = signers.SimpleSigner.load(key_path, cert_path)
    if signer is None:
        raise ImproperlyConfigured(f"Cannot load the sealing key {key_path} and certificate {cert_path}.")
    return signer


@lru_cache(maxsize=4)
def _trust_roots(path: str, _mtime: int) -> list:
    from pyhanko.keys import load_certs_from_pemder

    return list(load_certs_from_pemder([path]))


def _generate_development_seal(folder: Path) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    folder.mkdir(parents=True, exist_ok=True)
    # One process creates the set; another that starts at the same time waits for the lock file to go.
    lock = folder / ".lock"
    try:
        descriptor = os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        _wait_for(folder / "ca-cert.pem")
        return
    try:
        now = datetime.datetime.now(datetime.UTC)
        ca_key = ec.generate_private_key(ec.SECP256R1())
        ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Guichet development CA")])
        ca_cert = (
            x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
            .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .sign(ca_key, hashes.SHA256())
        )
        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([
            x509.NameAttribute(NameOID.COUNTRY_NAME, "BE"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, settings.ORGANISATION_NAME),
            x509.NameAttribute(NameOID.COMMON_NAME, f"{settings.ORGANISATION_NAME} document seal (development)"),
        ])
        cert = (
            x509.CertificateBuilder().subject_name(name).issuer_name(ca_name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=1825))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
            .sign(ca_key, hashes.SHA256())
        )
        pem = serialization.Encoding.PEM
        _write(folder / "organisation-key.pem", key.private_bytes(
            pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
        _write(folder / "organisation-cert.pem", cert.public_bytes(pem))
        # Written last: its presence means the set is complete.
        _write(folder / "ca-cert.pem", ca_cert.public_bytes(pem))
        logger.warning("Generated a development document seal in %s; production must set "
                       "GUICHET_EBOX_SEAL_CERT_FILE and GUICHET_EBOX_SEAL_KEY_FILE.", folder)
    finally:
        os.close(descriptor)
        lock.unlink(missing_ok=True)


def _write(path: Path, data: bytes) -> None:
    temporary = path.with_suffix(".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)
    os.replace(temporary, path)


def _wait_for(path: Path) -> None:
    import time

    for _attempt in range(100):
        if path.exists():
            return
        time.sleep(0.05)
    raise ImproperlyConfigured(f"The development seal in {path.parent} was not created.")
