"""guichet-sign: its CMS building through a PKCS#11-like key (CKM_ECDSA returning r || s, as the card does),
fed by the test hierarchy's key, is accepted by Guichet's verification; the fingerprint guard."""

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, utils

from guichet.signing import cli, cms, services
from tests.signing.helpers import CONTENT, prepared

pytestmark = pytest.mark.django_db


class CardLikeKey:
    """Behaves as python-pkcs11's EC private key: sign(digest, mechanism=ECDSA) -> r || s."""

    def __init__(self, key):
        self._key = key
        self.mechanisms = []

    def sign(self, data, mechanism=None):
        self.mechanisms.append(mechanism)
        der = self._key.sign(data, ec.ECDSA(utils.Prehashed(hashes.SHA256())))
        r, s = utils.decode_dss_signature(der)
        size = (self._key.curve.key_size + 7) // 8
        return r.to_bytes(size, "big") + s.to_bytes(size, "big")


def _der(cert):
    return cert.public_bytes(serialization.Encoding.DER)


@pytest.mark.rule("SIGN-1")
def test_the_card_signer_builds_a_cms_guichet_accepts(pki, member):
    from pkcs11 import Mechanism

    marie = member.person
    credentials = pki.signature_credentials(marie)
    key = CardLikeKey(credentials.key)
    signer = cli.Pkcs11Signer(key, _der(credentials.certificate), [_der(c) for c in credentials.chain])
    signature = services.submit_signature(prepared(marie), cms.build(CONTENT, signer), actor=marie)
    assert signature.validation["valid"]
    assert key.mechanisms == [Mechanism.ECDSA]


def _write_test_card(tmp_path, credentials):
    key = tmp_path / "key.pem"
    key.write_bytes(credentials.key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                  serialization.NoEncryption()))
    cert = tmp_path / "cert.pem"
    cert.write_bytes(credentials.certificate.public_bytes(serialization.Encoding.PEM))
    chain = tmp_path / "chain.pem"
    chain.write_bytes(b"".join(c.public_bytes(serialization.Encoding.PEM) for c in credentials.chain))
    return key, cert, chain


@pytest.mark.rule("SIGN-1")
def test_the_command_signs_a_downloaded_document(pki, member, tmp_path):
    marie = member.person
    document = prepared(marie)
    content = tmp_path / "document.bin"
    content.write_bytes(bytes(document.content))
    key, cert, chain = _write_test_card(tmp_path, pki.signature_credentials(marie))
    out = tmp_path / "signature.p7s"
    status = cli.main(["--content", str(content), "--expect-sha256", document.content_sha256, "--out", str(out),
                       "--key-file", str(key), "--cert-file", str(cert), "--chain-file", str(chain)])
    assert status == 0
    assert services.submit_signature(document, out.read_bytes(), actor=marie).validation["valid"]


def test_the_command_refuses_bytes_that_are_not_the_ones_shown(pki, member, tmp_path):
    marie = member.person
    document = prepared(marie)
    content = tmp_path / "document.bin"
    content.write_bytes(bytes(document.content) + b" ")
    key, cert, chain = _write_test_card(tmp_path, pki.signature_credentials(marie))
    out = tmp_path / "signature.p7s"
    status = cli.main(["--content", str(content), "--expect-sha256", document.content_sha256, "--out", str(out),
                       "--key-file", str(key), "--cert-file", str(cert)])
    assert status == 2
    assert not out.exists()


@pytest.mark.rule("SIGN-1")
def test_the_install_puts_the_guichet_sign_command_on_the_path():
    """The page tells members to run `guichet-sign`: the package's install must provide that command."""
    import subprocess
    import sys
    from pathlib import Path

    command = Path(sys.executable).parent / "guichet-sign"
    assert command.exists(), "pip install did not create guichet-sign ([project.scripts] in pyproject.toml)"
    shown = subprocess.run([str(command), "--help"], capture_output=True, text=True, timeout=60, check=False)
    assert shown.returncode == 0 and "--expect-sha256" in shown.stdout
