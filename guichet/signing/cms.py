"""Building a detached CMS SignedData over prepared bytes (the test token and the guichet-sign card signer
share it) and reading one back: the signer's certificate, the signed attributes and the signature check."""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from typing import Protocol

from asn1crypto import algos, cms, core
from asn1crypto import x509 as asn1_x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.x509 import load_der_x509_certificate

HASHES = {"sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512}


class CMSFormatError(ValueError):
    """The bytes are not a CMS SignedData Guichet can read (code tells which part)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


class CardSigner(Protocol):
    """What signs: a card through PKCS#11, or the software test token.

    certificate: DER of the signature certificate; chain: DER of the certificates above it;
    key_type: "ec" or "rsa"; sign(data, hash_name): the signature of `data` (the DER signed attributes)
    in its CMS encoding (ECDSA-Sig-Value DER, or RSA PKCS#1 v1.5)."""

    certificate: bytes
    chain: list[bytes]
    key_type: str

    def sign(self, data: bytes, hash_name: str) -> bytes: ...


def raw_ecdsa_to_der(raw: bytes) -> bytes:
    """PKCS#11 CKM_ECDSA returns r || s; CMS wants the DER ECDSA-Sig-Value."""
    half = len(raw) // 2
    return encode_dss_signature(int.from_bytes(raw[:half], "big"), int.from_bytes(raw[half:], "big"))


def signed_attributes_bytes(signed_attrs: cms.CMSAttributes) -> bytes:
    """The DER the signature covers: the signed attributes as a SET OF (RFC 5652 §5.4), not [0] IMPLICIT."""
    encoded = signed_attrs.dump()
    return b"\x31" + encoded[1:]


def build(content: bytes, signer: CardSigner, *, hash_name: str = "sha256",
          signing_time: datetime.datetime | None = None) -> bytes:
    """A detached CMS SignedData over `content` with content-type, signing-time and message-digest signed
    attributes, the signer identified by issuer and serial, its certificate and chain included."""
    digest = hashlib.new(hash_name, content).digest()
    certificate = asn1_x509.Certificate.load(signer.certificate)
    signing_time = signing_time or datetime.datetime.now(datetime.UTC)
    signed_attrs = cms.CMSAttributes([
        cms.CMSAttribute({"type": "content_type", "values": ["data"]}),
        cms.CMSAttribute({"type": "signing_time", "values": [cms.Time({"utc_time": core.UTCTime(signing_time)})]}),
        cms.CMSAttribute({"type": "message_digest", "values": [digest]}),
    ])
    signature = signer.sign(signed_attributes_bytes(signed_attrs), hash_name)
    if signer.key_type == "ec":
        signature_algorithm = {"algorithm": f"{hash_name}_ecdsa"}
    else:
        signature_algorithm = {"algorithm": "rsassa_pkcs1v15"}
    signer_info = cms.SignerInfo({
        "version": "v1",
        "sid": cms.SignerIdentifier({"issuer_and_serial_number": cms.IssuerAndSerialNumber({
            "issuer": certificate.issuer, "serial_number": certificate.serial_number})}),
        "digest_algorithm": algos.DigestAlgorithm({"algorithm": hash_name}),
        "signed_attrs": signed_attrs,
        "signature_algorithm": algos.SignedDigestAlgorithm(signature_algorithm),
        "signature": signature,
    })
    certificates = [certificate] + [asn1_x509.Certificate.load(der) for der in signer.chain]
    signed_data = cms.SignedData({
        "version": "v1",
        "digest_algorithms": [algos.DigestAlgorithm({"algorithm": hash_name})],
        "encap_content_info": {"content_type": "data"},
        "certificates": certificates,
        "signer_infos": [signer_info],
    })
    return cms.ContentInfo({"content_type": "signed_data", "content": signed_data}).dump()


@dataclass
class ParsedCMS:
    signer_certificate: asn1_x509.Certificate
    certificates: list[asn1_x509.Certificate]
    digest_algorithm: str
    message_digest: bytes
    signing_time: datetime.datetime | None
    encapsulated: bytes | None
    signed_bytes: bytes
    signature: bytes
    signature_algorithm: str


def parse(data: bytes) -> ParsedCMS:
    """Read a CMS SignedData with one signer and signed attributes; CMSFormatError otherwise.
    PEM ("-----BEGIN CMS-----" or PKCS7) is accepted as well as DER."""
    data = _unpem(data)
    try:
        info = cms.ContentInfo.load(data, strict=True)
        if info["content_type"].native != "signed_data":
            raise CMSFormatError("not_signed_data")
        signed_data = info["content"]
        signer_infos = signed_data["signer_infos"]
        if len(signer_infos) != 1:
            raise CMSFormatError("signers")
        signer_info = signer_infos[0]
        certificates = [choice.chosen for choice in signed_data["certificates"]
                        if choice.name == "certificate"] if signed_data["certificates"].native else []
        signer_cert = _find_signer(signer_info["sid"], certificates)
        signed_attrs = signer_info["signed_attrs"]
        if not signed_attrs.native:
            raise CMSFormatError("no_signed_attributes")
        digest = signing_time = content_type = None
        for attribute in signed_attrs:
            kind = attribute["type"].native
            if kind == "message_digest":
                digest = attribute["values"][0].native
            elif kind == "signing_time":
                signing_time = attribute["values"][0].native
            elif kind == "content_type":
                content_type = attribute["values"][0].native
        if digest is None or content_type != "data":
            raise CMSFormatError("no_signed_attributes")
        if signed_data["encap_content_info"]["content_type"].native != "data":  # must match the signed attribute
            raise CMSFormatError("content_type")
        encapsulated = signed_data["encap_content_info"]["content"]
        return ParsedCMS(
            signer_certificate=signer_cert,
            certificates=certificates,
            digest_algorithm=signer_info["digest_algorithm"]["algorithm"].native,
            message_digest=digest,
            signing_time=signing_time,
            encapsulated=encapsulated.native if encapsulated.native is not None else None,
            signed_bytes=signed_attributes_bytes(signed_attrs),
            signature=signer_info["signature"].native,
            signature_algorithm=signer_info["signature_algorithm"].signature_algo,
        )
    except CMSFormatError:
        raise
    except Exception:  # noqa: BLE001 - asn1crypto parses lazily: anything malformed is "not a CMS"
        raise CMSFormatError("not_cms") from None


def _unpem(data: bytes) -> bytes:
    stripped = data.strip()
    if stripped.startswith(b"-----BEGIN"):
        import base64

        lines = [line for line in stripped.splitlines() if line and not line.startswith(b"-----")]
        try:
            return base64.b64decode(b"".join(lines), validate=True)
        except ValueError:
            raise CMSFormatError("not_cms") from None
    return data


def _find_signer(sid: cms.SignerIdentifier, certificates: list) -> asn1_x509.Certificate:
    for cert in certificates:
        if sid.name == "issuer_and_serial_number":
            if (cert.issuer == sid.chosen["issuer"] and cert.serial_number == sid.chosen["serial_number"].native):
                return cert
        elif cert.key_identifier == sid.chosen.native:
            return cert
    raise CMSFormatError("no_signer_certificate")


def digest_matches(parsed: ParsedCMS, content: bytes) -> bool:
    if parsed.digest_algorithm not in HASHES:
        return False
    return hashlib.new(parsed.digest_algorithm, content).digest() == parsed.message_digest


def signature_is_valid(parsed: ParsedCMS) -> bool:
    """The signature over the signed attributes, with the signer certificate's public key."""
    try:
        public_key = load_der_x509_certificate(parsed.signer_certificate.dump()).public_key()
    except (ValueError, TypeError, UnsupportedAlgorithm):
        return False
    algorithm = HASHES.get(parsed.digest_algorithm)
    if algorithm is None:
        return False
    try:
        if isinstance(public_key, ec.EllipticCurvePublicKey) and parsed.signature_algorithm == "ecdsa":
            public_key.verify(parsed.signature, parsed.signed_bytes, ec.ECDSA(algorithm()))
        elif isinstance(public_key, rsa.RSAPublicKey) and parsed.signature_algorithm == "rsassa_pkcs1v15":
            public_key.verify(parsed.signature, parsed.signed_bytes, padding.PKCS1v15(), algorithm())
        else:
            return False
    except (InvalidSignature, ValueError, TypeError, UnsupportedAlgorithm):
        return False
    return True
