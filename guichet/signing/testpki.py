"""A local test certificate hierarchy that mirrors the Belgian eID one (root, Citizen CA, a signature and an
authentication certificate per person, an OCSP responder certificate), for the demo and the tests only.

Every certificate carries the test policy OID and the organisation "Guichet test eID hierarchy", so a
production configuration recognises and refuses it even when its root is configured. Keys are EC
(P-384 for the root like Belgium Root CA6, P-256 below), fast to generate. Files live in one directory:
PEM certificates and keys, `index.json` (issued certificates) and `revoked.json` (the revocation list the
local OCSP responder answers from)."""

from __future__ import annotations

import datetime
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

# 2.999 is the ITU-T/ISO arc reserved for examples and documentation: never a real policy.
TEST_POLICY_OID = "2.999.7.1"
TEST_ORGANISATION = "Guichet test eID hierarchy"
SIGNATURE = "signature"
AUTHENTICATION = "authentication"

_lock = threading.Lock()


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _key_pem(key) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _write(path: Path, data: bytes, *, secret: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(data)
    if secret:
        os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def is_test_certificate(cert: x509.Certificate) -> bool:
    """True for a certificate of a Guichet test hierarchy (its policy OID or its organisation)."""
    try:
        policies = cert.extensions.get_extension_for_class(x509.CertificatePolicies).value
        if any(p.policy_identifier.dotted_string == TEST_POLICY_OID for p in policies):
            return True
    except x509.ExtensionNotFound:
        pass
    organisations = cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    return any(attr.value == TEST_ORGANISATION for attr in organisations)


@dataclass
class Credentials:
    """A person's certificate, its private key and the chain above it (CA, root)."""

    certificate: x509.Certificate
    key: ec.EllipticCurvePrivateKey
    chain: list[x509.Certificate]


class TestPKI:
    """The hierarchy stored in `directory`; `ocsp_url` goes into the AIA of the certificates it issues."""

    __test__ = False  # not a pytest test class

    def __init__(self, directory: str | Path, ocsp_url: str, *, name: str = "Guichet TEST"):
        self.directory = Path(directory)
        self.ocsp_url = ocsp_url
        self.name = name

    # -- the hierarchy -------------------------------------------------------------------------------

    def ensure(self) -> TestPKI:
        """Create the root, the Citizen CA and the OCSP responder certificate when missing."""
        with _lock:
            if not (self.directory / "ocsp.pem").exists():
                self._create_hierarchy()
        return self

    def _name(self, common_name: str, **extra) -> x509.Name:
        attributes = [x509.NameAttribute(NameOID.COUNTRY_NAME, "BE"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, TEST_ORGANISATION),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
        if "serial" in extra:
            attributes.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, extra["serial"]))
        return x509.Name(attributes)

    @staticmethod
    def _policies() -> x509.CertificatePolicies:
        return x509.CertificatePolicies([x509.PolicyInformation(x509.ObjectIdentifier(TEST_POLICY_OID), None)])

    def _create_hierarchy(self) -> None:
        now = _now() - datetime.timedelta(days=1)
        root_key = ec.generate_private_key(ec.SECP384R1())
        root_name = self._name(f"Belgium Root CA ({self.name})")
        root = (x509.CertificateBuilder().subject_name(root_name).issuer_name(root_name)
                .public_key(root_key.public_key()).serial_number(x509.random_serial_number())
                .not_valid_before(now).not_valid_after(now + datetime.timedelta(days=3650))
                .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                .add_extension(_ca_key_usage(), critical=True)
                .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), critical=False)
                .add_extension(self._policies(), critical=False)
                .sign(root_key, hashes.SHA384()))
        ca_key = ec.generate_private_key(ec.SECP256R1())
        # Like the eID's, the Citizen CA is checked against its root's CRL (served next to the OCSP responder).
        crl_point = x509.CRLDistributionPoints([x509.DistributionPoint(
            full_name=[x509.UniformResourceIdentifier(self.crl_url)], relative_name=None, reasons=None,
            crl_issuer=None)])
        ca = (x509.CertificateBuilder().subject_name(self._name(f"Citizen CA ({self.name})", serial="202002"))
              .issuer_name(root.subject).public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
              .not_valid_before(now).not_valid_after(now + datetime.timedelta(days=3000))
              .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
              .add_extension(crl_point, critical=False)
              .add_extension(_ca_key_usage(), critical=True)
              .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
              .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()),
                             critical=False)
              .add_extension(self._policies(), critical=False)
              .sign(root_key, hashes.SHA384()))
        ocsp_key = ec.generate_private_key(ec.SECP256R1())
        ocsp_cert = (x509.CertificateBuilder().subject_name(self._name(f"OCSP responder ({self.name})"))
                     .issuer_name(ca.subject).public_key(ocsp_key.public_key())
                     .serial_number(x509.random_serial_number())
                     .not_valid_before(now).not_valid_after(now + datetime.timedelta(days=2000))
                     .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                     .add_extension(_leaf_key_usage(digital_signature=True), critical=True)
                     .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.OCSP_SIGNING]), critical=False)
                     .add_extension(x509.OCSPNoCheck(), critical=False)
                     .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                                    critical=False)
                     .add_extension(self._policies(), critical=False)
                     .sign(ca_key, hashes.SHA256()))
        _write(self.directory / "root-key.pem", _key_pem(root_key), secret=True)
        _write(self.directory / "root.pem", _pem(root))
        _write(self.directory / "ca-key.pem", _key_pem(ca_key), secret=True)
        _write(self.directory / "ca.pem", _pem(ca))
        _write(self.directory / "ocsp-key.pem", _key_pem(ocsp_key), secret=True)
        _write(self.directory / "ocsp.pem", _pem(ocsp_cert))

    @property
    def crl_url(self) -> str:
        """The root's CRL, on the same server as the OCSP responder."""
        return self.ocsp_url.rsplit("/", 1)[0] + "/root.crl"

    def root_crl(self) -> bytes:
        """A fresh CRL of the root (DER): the CAs it revoked (none unless `revoke_ca`)."""
        now = _now().replace(microsecond=0)
        builder = (x509.CertificateRevocationListBuilder().issuer_name(self.root.subject)
                   .last_update(now - datetime.timedelta(minutes=1)).next_update(now + datetime.timedelta(days=1))
                   .add_extension(x509.CRLNumber(int(now.timestamp())), critical=False))
        for serial, revoked in self.revocations().items():
            if revoked.get("ca"):
                builder = builder.add_revoked_certificate(
                    x509.RevokedCertificateBuilder().serial_number(int(serial, 16))
                    .revocation_date(datetime.datetime.fromisoformat(revoked["at"])).build())
        return builder.sign(self._key("root-key.pem"), hashes.SHA384()).public_bytes(serialization.Encoding.DER)

    def _cert(self, name: str) -> x509.Certificate:
        return x509.load_pem_x509_certificate((self.directory / name).read_bytes())

    def _key(self, name: str):
        return serialization.load_pem_private_key((self.directory / name).read_bytes(), password=None)

    @property
    def root_path(self) -> Path:
        return self.directory / "root.pem"

    @property
    def root(self) -> x509.Certificate:
        return self._cert("root.pem")

    @property
    def ca(self) -> x509.Certificate:
        return self._cert("ca.pem")

    @property
    def ca_key(self):
        return self._key("ca-key.pem")

    @property
    def ocsp_certificate(self) -> x509.Certificate:
        return self._cert("ocsp.pem")

    @property
    def ocsp_key(self):
        return self._key("ocsp-key.pem")

    # -- people's certificates -----------------------------------------------------------------------

    def issue(self, *, first_name: str, last_name: str, national_number: str, usage: str = SIGNATURE,
              not_before: datetime.datetime | None = None, not_after: datetime.datetime | None = None,
              non_repudiation: bool | None = None) -> Credentials:
        """A new card certificate for a person, like the eID's: CN "First Last (Signature)", surname, given
        name and the national number as serialNumber; nonRepudiation for the signature certificate,
        digitalSignature for the authentication one; the OCSP URL in the AIA."""
        self.ensure()
        not_before = not_before or _now() - datetime.timedelta(minutes=1)
        not_after = not_after or not_before + datetime.timedelta(days=3650)
        if non_repudiation is None:
            non_repudiation = usage == SIGNATURE
        label = "Signature" if usage == SIGNATURE else "Authentication"
        key = ec.generate_private_key(ec.SECP256R1())
        ca_key = self.ca_key
        subject = x509.Name([
            x509.NameAttribute(NameOID.COUNTRY_NAME, "BE"),
            x509.NameAttribute(NameOID.COMMON_NAME, f"{first_name} {last_name} ({label})"),
            x509.NameAttribute(NameOID.SURNAME, last_name),
            x509.NameAttribute(NameOID.GIVEN_NAME, first_name),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, national_number),
        ])
        cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(self.ca.subject)
                .public_key(key.public_key()).serial_number(x509.random_serial_number())
                .not_valid_before(not_before).not_valid_after(not_after)
                .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                .add_extension(_leaf_key_usage(digital_signature=not non_repudiation,
                                               non_repudiation=non_repudiation), critical=True)
                .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                               critical=False)
                .add_extension(x509.AuthorityInformationAccess([x509.AccessDescription(
                    x509.oid.AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(self.ocsp_url))]),
                    critical=False)
                .add_extension(self._policies(), critical=False)
                .sign(ca_key, hashes.SHA256()))
        serial = format(cert.serial_number, "x")
        with _lock:
            _write(self.directory / "people" / f"{serial}.pem", _pem(cert))
            _write(self.directory / "people" / f"{serial}-key.pem", _key_pem(key), secret=True)
            index = self._index()
            index.append({"serial": serial, "national_number": national_number, "usage": usage,
                          "not_before": not_before.isoformat(), "not_after": not_after.isoformat()})
            _write(self.directory / "index.json", json.dumps(index, indent=1).encode())
        return Credentials(cert, key, [self.ca, self.root])

    def issue_for(self, person, **options) -> Credentials:
        return self.issue(first_name=person.first_name, last_name=person.last_name,
                          national_number=person.national_number, **options)

    def _index(self) -> list[dict]:
        path = self.directory / "index.json"
        return json.loads(path.read_text()) if path.exists() else []

    def certificate(self, serial: int) -> x509.Certificate | None:
        path = self.directory / "people" / f"{serial:x}.pem"
        return x509.load_pem_x509_certificate(path.read_bytes()) if path.exists() else None

    def credentials(self, serial: int) -> Credentials:
        cert = self.certificate(serial)
        key = self._key(f"people/{serial:x}-key.pem")
        return Credentials(cert, key, [self.ca, self.root])

    def signature_credentials(self, person, *, issued_after: datetime.datetime | None = None) -> Credentials:
        """The person's current signature certificate (the newest valid, not revoked, issued after
        `issued_after`: a card reported lost is replaced by a new one), issued when there is none."""
        now = _now()
        revoked = self.revocations()
        for entry in reversed(self._index()):
            not_before = datetime.datetime.fromisoformat(entry["not_before"])
            if (entry["national_number"] == person.national_number and entry["usage"] == SIGNATURE
                    and entry["serial"] not in revoked
                    and (issued_after is None or not_before >= issued_after)
                    and not_before <= now < datetime.datetime.fromisoformat(entry["not_after"])):
                return self.credentials(int(entry["serial"], 16))
        not_before = now - datetime.timedelta(minutes=1)
        if issued_after is not None and issued_after + datetime.timedelta(seconds=1) > not_before:
            not_before = issued_after + datetime.timedelta(seconds=1)
        return self.issue_for(person, not_before=not_before)

    # -- revocation ----------------------------------------------------------------------------------

    def revocations(self) -> dict[str, dict]:
        path = self.directory / "revoked.json"
        return json.loads(path.read_text()) if path.exists() else {}

    def revoke(self, cert: x509.Certificate, *, at: datetime.datetime | None = None,
               reason: str = "key_compromise") -> None:
        """Put the certificate on the revocation list the local OCSP responder answers from (a CA
        certificate goes on the root's CRL)."""
        is_ca = cert.subject == self.ca.subject
        with _lock:
            revoked = self.revocations()
            revoked[format(cert.serial_number, "x")] = {"at": (at or _now()).replace(microsecond=0).isoformat(),
                                                        "reason": reason, "ca": is_ca}
            _write(self.directory / "revoked.json", json.dumps(revoked, indent=1).encode())


def _ca_key_usage() -> x509.KeyUsage:
    return x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                         data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                         encipher_only=False, decipher_only=False)


def _leaf_key_usage(*, digital_signature: bool = False, non_repudiation: bool = False) -> x509.KeyUsage:
    return x509.KeyUsage(digital_signature=digital_signature, content_commitment=non_repudiation,
                         key_encipherment=False, data_encipherment=False, key_agreement=False,
                         key_cert_sign=False, crl_sign=False, encipher_only=False, decipher_only=False)


def default_pki() -> TestPKI:
    """The demo hierarchy under VAR_DIR (or GUICHET_SIGNING_TEST_PKI_DIR), created on first use."""
    from django.conf import settings

    directory = getattr(settings, "GUICHET_SIGNING_TEST_PKI_DIR", "") or Path(settings.VAR_DIR) / "signing-test-pki"
    url = getattr(settings, "GUICHET_SIGNING_TEST_OCSP_URL", "http://127.0.0.1:8089/ocsp")
    return TestPKI(directory, url).ensure()
