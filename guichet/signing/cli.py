"""`guichet-sign`: the command-line signer. It reads (or fetches) the exact bytes Guichet prepared, checks
their SHA-256 against the one shown on the page, signs them with the signature key of the Belgian eID card
through PKCS#11 (the Belgian eID middleware's module), and writes the detached CMS (.p7s) to upload.

    guichet-sign --content document.bin --expect-sha256 <hex> --out signature.p7s \\
                 --module /usr/lib/x86_64-linux-gnu/libbeidpkcs11.so.0

The PIN is asked by the card reader's pinpad or on the terminal. For the test hierarchy only, a software key
(--key-file/--cert-file) replaces the card."""

from __future__ import annotations

import argparse
import getpass
import hashlib
import sys
import urllib.request
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from guichet.signing import cms

DEFAULT_MODULE = "/usr/lib/x86_64-linux-gnu/libbeidpkcs11.so.0"
# The Belgian eID middleware labels the card's objects "Authentication", "Signature", "CA" and "Root".
SIGNATURE_LABEL = "Signature"
CHAIN_LABELS = ("CA", "Root")


class Pkcs11Signer:
    """A CardSigner over a PKCS#11 private key object (python-pkcs11's `PrivateKey`, or anything with the
    same `sign(data, mechanism=...)`). EC keys sign the digest with CKM_ECDSA, which returns r || s; RSA keys
    use CKM_SHA256_RSA_PKCS (and its SHA-384/512 siblings)."""

    def __init__(self, key, certificate: bytes, chain: list[bytes]):
        self._key = key
        self.certificate = certificate
        self.chain = chain
        public_key = x509.load_der_x509_certificate(certificate).public_key()
        self.key_type = "ec" if isinstance(public_key, ec.EllipticCurvePublicKey) else "rsa"

    def sign(self, data: bytes, hash_name: str) -> bytes:
        from pkcs11 import Mechanism

        if self.key_type == "ec":
            digest = hashlib.new(hash_name, data).digest()
            return cms.raw_ecdsa_to_der(self._key.sign(digest, mechanism=Mechanism.ECDSA))
        mechanism = {"sha256": Mechanism.SHA256_RSA_PKCS, "sha384": Mechanism.SHA384_RSA_PKCS,
                     "sha512": Mechanism.SHA512_RSA_PKCS}[hash_name]
        return self._key.sign(data, mechanism=mechanism)


def open_card(module: str, *, pin: str | None):
    """(session, signer) for the first card present; the caller closes the session."""
    import pkcs11
    from pkcs11 import Attribute, ObjectClass

    library = pkcs11.lib(module)
    slots = library.get_slots(token_present=True)
    if not slots:
        raise SystemExit("No eID card found in a reader.")
    session = slots[0].get_token().open(user_pin=pin)

    def certificate(label: str) -> bytes:
        for found in session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.LABEL: label}):
            return bytes(found[Attribute.VALUE])
        raise SystemExit(f"The card has no certificate labelled {label!r}.")

    key = session.get_key(object_class=ObjectClass.PRIVATE_KEY, label=SIGNATURE_LABEL)
    chain = [certificate(label) for label in CHAIN_LABELS]
    return session, Pkcs11Signer(key, certificate(SIGNATURE_LABEL), chain)


class SoftwareKeySigner:
    """A CardSigner from PEM files (the test hierarchy's keys; never a real eID)."""

    def __init__(self, key_file: str, cert_file: str, chain_file: str | None):
        self._key = serialization.load_pem_private_key(Path(key_file).read_bytes(), password=None)
        self.certificate = x509.load_pem_x509_certificate(Path(cert_file).read_bytes()).public_bytes(
            serialization.Encoding.DER)
        chain = x509.load_pem_x509_certificates(Path(chain_file).read_bytes()) if chain_file else []
        self.chain = [cert.public_bytes(serialization.Encoding.DER) for cert in chain]
        self.key_type = "ec"

    def sign(self, data: bytes, hash_name: str) -> bytes:
        return self._key.sign(data, ec.ECDSA(cms.HASHES[hash_name]()))


def read_content(args) -> bytes:
    if args.content:
        return Path(args.content).read_bytes()
    if not args.url.startswith(("https://", "http://")):
        raise SystemExit("--url must be an http(s) address of Guichet.")
    request = urllib.request.Request(args.url)  # noqa: S310 - http(s) checked above
    if args.cookie:
        request.add_header("Cookie", args.cookie)
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - http(s) checked above
        return response.read()


def parser() -> argparse.ArgumentParser:
    arguments = argparse.ArgumentParser(prog="guichet-sign", description=__doc__.split("\n\n")[0])
    source = arguments.add_mutually_exclusive_group(required=True)
    source.add_argument("--content", help="file holding the exact bytes to sign (downloaded from the page)")
    source.add_argument("--url", help="address of the bytes to sign on Guichet")
    arguments.add_argument("--cookie", help="session cookie to send with --url")
    arguments.add_argument("--expect-sha256", help="the SHA-256 shown on the page; nothing is signed otherwise")
    arguments.add_argument("--out", required=True, help="where to write the signature (.p7s)")
    arguments.add_argument("--module", default=DEFAULT_MODULE, help="the Belgian eID PKCS#11 module")
    arguments.add_argument("--pin", help="the signature PIN (asked when not given and the reader has no pinpad)")
    arguments.add_argument("--pinpad", action="store_true", help="the reader has a pinpad: do not ask the PIN")
    arguments.add_argument("--key-file", help="test hierarchy only: a software key instead of the card")
    arguments.add_argument("--cert-file", help="test hierarchy only: the certificate of --key-file")
    arguments.add_argument("--chain-file", help="test hierarchy only: the CA certificates (PEM)")
    return arguments


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    content = read_content(args)
    digest = hashlib.sha256(content).hexdigest()
    if args.expect_sha256 and args.expect_sha256.strip().lower() != digest:
        print(f"Refused: the bytes have SHA-256 {digest}, not the one shown on the page.", file=sys.stderr)
        return 2
    print(f"Signing {len(content)} bytes, SHA-256 {digest}", file=sys.stderr)
    if args.key_file:
        if not args.cert_file:
            print("--key-file needs --cert-file.", file=sys.stderr)
            return 2
        signature = cms.build(content, SoftwareKeySigner(args.key_file, args.cert_file, args.chain_file))
    else:
        pin = None if args.pinpad else (args.pin or getpass.getpass("Signature PIN: "))
        session, signer = open_card(args.module, pin=pin)
        try:
            signature = cms.build(content, signer)
        finally:
            session.close()
    Path(args.out).write_bytes(signature)
    print(f"Signature written to {args.out}: upload it on the document's page.", file=sys.stderr)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
