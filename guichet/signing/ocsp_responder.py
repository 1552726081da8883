"""A small local OCSP responder for the test hierarchy (tests and the demo): a threaded HTTP server that
answers RFC 6960 requests (POST, or GET with the base64 request in the path) from the hierarchy's
revocation list, signed by the delegated OCSP responder certificate, echoing the nonce; it also serves the
root's CRL (GET .../root.crl), against which the Citizen CA is checked."""

from __future__ import annotations

import base64
import datetime
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp

from guichet.signing.testpki import TestPKI

REASONS = {"key_compromise": x509.ReasonFlags.key_compromise, "unspecified": x509.ReasonFlags.unspecified,
           "superseded": x509.ReasonFlags.superseded, "cessation_of_operation": x509.ReasonFlags.cessation_of_operation}


def answer(pki: TestPKI, request_der: bytes) -> bytes:
    """The DER OCSP response to one request, from the revocation list the hierarchy holds now."""
    try:
        request = ocsp.load_der_ocsp_request(request_der)
    except ValueError:
        return ocsp.OCSPResponseBuilder.build_unsuccessful(ocsp.OCSPResponseStatus.MALFORMED_REQUEST).public_bytes(
            serialization.Encoding.DER)
    ca = pki.ca
    algorithm = request.hash_algorithm
    issuer_key_hash = _key_hash(ca, algorithm)
    issuer_name_hash = _name_hash(ca, algorithm)
    if request.issuer_key_hash != issuer_key_hash or request.issuer_name_hash != issuer_name_hash:
        return ocsp.OCSPResponseBuilder.build_unsuccessful(ocsp.OCSPResponseStatus.UNAUTHORIZED).public_bytes(
            serialization.Encoding.DER)
    now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    this_update = now - datetime.timedelta(minutes=1)
    next_update = now + datetime.timedelta(days=1)
    builder = ocsp.OCSPResponseBuilder()
    cert = pki.certificate(request.serial_number)
    revoked = pki.revocations().get(format(request.serial_number, "x"))
    if cert is None:
        builder = builder.add_response_by_hash(
            issuer_name_hash=issuer_name_hash, issuer_key_hash=issuer_key_hash, serial_number=request.serial_number,
            algorithm=algorithm, cert_status=ocsp.OCSPCertStatus.UNKNOWN, this_update=this_update,
            next_update=next_update, revocation_time=None, revocation_reason=None)
    elif revoked:
        builder = builder.add_response(
            cert=cert, issuer=ca, algorithm=algorithm, cert_status=ocsp.OCSPCertStatus.REVOKED,
            this_update=this_update, next_update=next_update,
            revocation_time=datetime.datetime.fromisoformat(revoked["at"]).replace(microsecond=0),
            revocation_reason=REASONS.get(revoked.get("reason"), x509.ReasonFlags.unspecified))
    else:
        builder = builder.add_response(
            cert=cert, issuer=ca, algorithm=algorithm, cert_status=ocsp.OCSPCertStatus.GOOD,
            this_update=this_update, next_update=next_update, revocation_time=None, revocation_reason=None)
    responder = pki.ocsp_certificate
    builder = builder.responder_id(ocsp.OCSPResponderEncoding.HASH, responder).certificates([responder])
    try:
        nonce = request.extensions.get_extension_for_class(x509.OCSPNonce)
        builder = builder.add_extension(nonce.value, critical=False)
    except x509.ExtensionNotFound:
        pass
    return builder.sign(pki.ocsp_key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def _key_hash(cert: x509.Certificate, algorithm) -> bytes:
    public = cert.public_key().public_bytes(serialization.Encoding.DER,
                                            serialization.PublicFormat.SubjectPublicKeyInfo)
    from asn1crypto import keys

    bits = keys.PublicKeyInfo.load(public)["public_key"].contents[1:]  # drop the unused-bits byte
    digest = hashes.Hash(algorithm)
    digest.update(bits)
    return digest.finalize()


def _name_hash(cert: x509.Certificate, algorithm) -> bytes:
    digest = hashes.Hash(algorithm)
    digest.update(cert.subject.public_bytes(serialization.Encoding.DER))
    return digest.finalize()


class _Handler(BaseHTTPRequestHandler):
    server_version = "GuichetTestOCSP/1"

    def do_POST(self):  # noqa: N802 - http.server's naming
        length = int(self.headers.get("Content-Length") or 0)
        self._reply(answer(self.server.pki, self.rfile.read(min(length, 100_000))))

    def do_GET(self):  # noqa: N802
        if self.path.endswith("/root.crl"):
            self._reply(self.server.pki.root_crl(), content_type="application/pkix-crl")
            return
        encoded = urllib.parse.unquote(self.path.rsplit("/", 1)[-1])
        try:
            request = base64.b64decode(encoded)
        except ValueError:
            request = b""
        self._reply(answer(self.server.pki, request))

    def _reply(self, body: bytes, content_type: str = "application/ocsp-response") -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):  # noqa: A002 - quiet in tests
        pass


class OCSPResponder:
    """Start with `start()` (port 0 = a free port), read `url`, stop with `stop()`."""

    def __init__(self, pki: TestPKI | None = None, host: str = "127.0.0.1", port: int = 0, path: str = "/ocsp"):
        self.server = ThreadingHTTPServer((host, port), _Handler)
        self.server.daemon_threads = True
        self.server.pki = pki
        self.path = path
        self._thread: threading.Thread | None = None

    @property
    def pki(self) -> TestPKI | None:
        return self.server.pki

    @pki.setter
    def pki(self, value: TestPKI) -> None:
        self.server.pki = value

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}{self.path}"

    def start(self) -> OCSPResponder:
        self._thread = threading.Thread(target=self.server.serve_forever, name="test-ocsp", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def serve_forever(self) -> None:
        self.server.serve_forever()
