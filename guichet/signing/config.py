"""The signing settings, read at call time: trust anchors (PEM files), the revocation URLs Guichet may
reach, and whether the local test hierarchy is accepted (never in production)."""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

from cryptography import x509
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from guichet.signing.testpki import default_pki, is_test_certificate

logger = logging.getLogger("guichet.signing")

# Fedict's eID viewer only talks to these (facts file §5.4); the current EC PKI adds the eidpki hosts.
# The default of settings.GUICHET_SIGNING_REVOCATION_URLS.
BELGIAN_EID_REVOCATION_URLS = [
    "http://ocsp.eid.belgium.be",
    "http://ocsp.eidpki.belgium.be",
    "http://crl.eid.belgium.be",
    "http://crl.eidpki.belgium.be",
    # Where the CA certificates are published (the certificates' caIssuers addresses):
    "http://certs.eid.belgium.be",
    "http://crt.eidpki.belgium.be",
]


def accept_test_hierarchy() -> bool:
    """The test hierarchy and the test card: only when configured AND not in production."""
    return bool(getattr(settings, "GUICHET_SIGNING_ACCEPT_TEST_TOKEN", False)) and not settings.PRODUCTION


def _load_pem_file(path: str) -> list[x509.Certificate]:
    file = Path(path)
    try:
        return _load_pem_bytes(str(file), file.stat().st_mtime_ns)
    except (OSError, ValueError) as exc:
        raise ImproperlyConfigured(f"GUICHET_SIGNING_TRUST_ANCHORS: cannot read {path}: {exc}") from exc


@lru_cache(maxsize=32)
def _load_pem_bytes(path: str, _mtime: int) -> list[x509.Certificate]:
    data = Path(path).read_bytes()
    if b"-----BEGIN" in data:
        return x509.load_pem_x509_certificates(data)
    return [x509.load_der_x509_certificate(data)]


def trust_anchors() -> list[x509.Certificate]:
    """The configured roots (production: the Belgian eID roots the operator installs), plus the local
    test root when the test hierarchy is accepted. Test roots are dropped otherwise, even if configured."""
    anchors: list[x509.Certificate] = []
    for path in getattr(settings, "GUICHET_SIGNING_TRUST_ANCHORS", []) or []:
        anchors.extend(_load_pem_file(path))
    if accept_test_hierarchy():
        anchors.append(default_pki().root)
    else:
        kept = [cert for cert in anchors if not is_test_certificate(cert)]
        if len(kept) != len(anchors):
            logger.warning("A test root is configured in GUICHET_SIGNING_TRUST_ANCHORS; it is ignored because "
                           "the test hierarchy is not accepted here.")
        anchors = kept
    unique = {cert.fingerprint(_sha256()): cert for cert in anchors}
    return list(unique.values())


def _sha256():
    from cryptography.hazmat.primitives import hashes

    return hashes.SHA256()


def revocation_url_allowed(url: str) -> bool:
    """Only responders of the allow-list (and the local test responder when the test hierarchy is accepted)."""
    prefixes = list(getattr(settings, "GUICHET_SIGNING_REVOCATION_URLS", None) or BELGIAN_EID_REVOCATION_URLS)
    if accept_test_hierarchy():
        test_url = getattr(settings, "GUICHET_SIGNING_TEST_OCSP_URL", "")
        prefixes += [test_url, test_url.rsplit("/", 1)[0] + "/root.crl"] if test_url else []
    return any(prefix and (url == prefix or url.startswith(prefix.rstrip("/") + "/")) for prefix in prefixes)
