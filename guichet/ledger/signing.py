"""The organisation's Ed25519 key that signs checkpoints, and the public key the verifier trusts.

Production reads the private key from GUICHET_LEDGER_SIGNING_KEY_FILE (PEM, PKCS#8). In development and
tests, when no file is set, a key is generated once into VAR_DIR and a warning says so. The verifier uses
GUICHET_LEDGER_PUBLIC_KEY_FILE when set (so a checker needs no private key), else the signing key's.
"""

from __future__ import annotations

import hashlib
import logging
import os
from functools import lru_cache
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger("guichet.ledger")

DEVELOPMENT_KEY_NAME = "ledger-signing-key.pem"


def signing_key_path() -> Path:
    configured = getattr(settings, "GUICHET_LEDGER_SIGNING_KEY_FILE", "")
    if configured:
        return Path(configured)
    if settings.PRODUCTION:
        raise ImproperlyConfigured(
            "GUICHET_LEDGER_SIGNING_KEY_FILE must name the ledger's Ed25519 key in production.")
    return Path(settings.VAR_DIR) / DEVELOPMENT_KEY_NAME


def signing_key() -> Ed25519PrivateKey:
    path = signing_key_path()
    if not path.exists() and not getattr(settings, "GUICHET_LEDGER_SIGNING_KEY_FILE", ""):
        _generate_development_key(path)
    return _load_private(str(path), path.stat().st_mtime_ns)


def public_key() -> Ed25519PublicKey:
    configured = getattr(settings, "GUICHET_LEDGER_PUBLIC_KEY_FILE", "")
    if configured:
        return _load_public(configured, Path(configured).stat().st_mtime_ns)
    return signing_key().public_key()


def fingerprint(key: Ed25519PublicKey) -> str:
    """SHA-256 (hex) of the raw 32-byte public key: which key signed a checkpoint."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def checkpoint_message(sequence: int, head_hash: str) -> bytes:
    return f"guichet-ledger-checkpoint\x1f{sequence}\x1f{head_hash}".encode("ascii")


def sign(sequence: int, head_hash: str) -> tuple[str, str]:
    """(signature hex, public key fingerprint) of the head hash at `sequence`."""
    key = signing_key()
    return key.sign(checkpoint_message(sequence, head_hash)).hex(), fingerprint(key.public_key())


def signature_is_valid(key: Ed25519PublicKey, sequence: int, head_hash: str, signature_hex: str) -> bool:
    try:
        key.verify(bytes.fromhex(signature_hex), checkpoint_message(sequence, head_hash))
    except (InvalidSignature, ValueError):
        return False
    return True


def _generate_development_key(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    # O_EXCL: two processes starting together keep the first key, never overwrite it.
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(descriptor, "wb") as file:
        file.write(pem)
    logger.warning("Generated a development ledger signing key at %s; production must set "
                   "GUICHET_LEDGER_SIGNING_KEY_FILE.", path)


@lru_cache(maxsize=4)
def _load_private(path: str, _mtime_ns: int) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured(f"{path} is not an Ed25519 private key.")
    return key


@lru_cache(maxsize=4)
def _load_public(path: str, _mtime_ns: int) -> Ed25519PublicKey:
    key = serialization.load_pem_public_key(Path(path).read_bytes())
    if not isinstance(key, Ed25519PublicKey):
        raise ImproperlyConfigured(f"{path} is not an Ed25519 public key.")
    return key
