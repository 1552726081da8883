"""The software test token: signs prepared bytes with a person's key of the local test hierarchy and returns
the CMS, so the demo and browser tests sign without a card. Refused when the configuration does not accept
the test hierarchy (production)."""

from __future__ import annotations

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.utils.translation import gettext as _

from guichet.signing import cms
from guichet.signing.errors import SigningError
from guichet.signing.testpki import Credentials, TestPKI, default_pki


class SoftwareSigner:
    """A CardSigner backed by a private key held in memory (the test hierarchy's)."""

    key_type = "ec"

    def __init__(self, credentials: Credentials):
        self._key = credentials.key
        self.certificate = credentials.certificate.public_bytes(serialization.Encoding.DER)
        self.chain = [cert.public_bytes(serialization.Encoding.DER) for cert in credentials.chain]

    def sign(self, data: bytes, hash_name: str) -> bytes:
        return self._key.sign(data, ec.ECDSA(cms.HASHES[hash_name]()))


def allowed() -> bool:
    from guichet.signing.config import accept_test_hierarchy

    return accept_test_hierarchy()


def sign(content: bytes, person, *, pki: TestPKI | None = None, credentials: Credentials | None = None) -> bytes:
    """The CMS of `content` signed with the person's current test signature certificate."""
    if not allowed():
        raise SigningError(_("The test card is not available on this site."), "test_token")
    if credentials is None:
        from guichet.signing.services import latest_lost_card_report

        # After a lost card report the test "card" is replaced, like a new eID card would be.
        credentials = (pki or default_pki()).signature_credentials(
            person, issued_after=latest_lost_card_report(person))
    return cms.build(content, SoftwareSigner(credentials))
