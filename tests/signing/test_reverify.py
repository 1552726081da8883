"""Re-verifying a stored signature later, offline, from what was kept (SIGN-3, SIGN-4), and noticing any
change of the stored rows through the hashes the ledger holds."""

import json

import pytest

from guichet.ledger.models import LedgerEntry
from guichet.signing import services, test_token
from guichet.signing.models import Signature, SignatureRequest
from tests.signing.helpers import CONTENT, prepared

pytestmark = pytest.mark.django_db


@pytest.mark.rule("SIGN-3", "SIGN-4")
def test_it_re_verifies_offline_after_the_ocsp_responder_is_gone(private_pki, member):
    marie = member.person
    signature = services.submit_signature(prepared(marie), test_token.sign(CONTENT, marie), actor=marie)
    private_pki.stop()
    result = services.reverify(signature)
    assert result.valid, result.code
    assert result.offline
    assert result.checks["stored_unchanged"]
    assert result.signer_serial_number == marie.national_number
    assert result.revocation_sources == ["OCSP", "CRL"]  # the signer by OCSP, the Citizen CA by the root's CRL


@pytest.mark.rule("SIGN-4")
def test_a_certificate_revoked_after_the_signature_does_not_undo_it(pki, member):
    """The proof of the moment of signing stands: a later revocation is not retroactive."""
    marie = member.person
    credentials = pki.signature_credentials(marie)
    signature = services.submit_signature(prepared(marie), test_token.sign(CONTENT, marie, credentials=credentials),
                                          actor=marie)
    pki.revoke(credentials.certificate)
    assert services.reverify(signature).valid


@pytest.mark.rule("SIGN-4")
@pytest.mark.parametrize("change", ["cms", "validation", "revocation", "certificate"])
def test_it_notices_a_changed_signature_row(pki, member, change):
    marie = member.person
    signature = services.submit_signature(prepared(marie), test_token.sign(CONTENT, marie), actor=marie)
    if change == "cms":
        other = test_token.sign(CONTENT, marie)  # a valid CMS too, but not the one recorded
        Signature.objects.filter(pk=signature.pk).update(cms=other)
    elif change == "validation":
        Signature.objects.filter(pk=signature.pk).update(validation={**signature.validation, "signing_time": "x"})
    elif change == "revocation":
        Signature.objects.filter(pk=signature.pk).update(revocation={"ocsp": [], "crl": []})
    else:
        Signature.objects.filter(pk=signature.pk).update(certificate=b"\x30\x00")
    result = services.reverify(signature)
    assert not result.valid
    assert result.checks.get("stored_unchanged") is False


@pytest.mark.rule("SIGN-4")
def test_it_notices_a_changed_signed_document(pki, member):
    marie = member.person
    request = prepared(marie)
    signature = services.submit_signature(request, test_token.sign(CONTENT, marie), actor=marie)
    SignatureRequest.objects.filter(pk=request.pk).update(content=CONTENT.replace(b"12000", b"99000"))
    result = services.reverify(signature)
    assert not result.valid
    assert result.code == "not_over_document"
    assert result.checks["stored_unchanged"] is False


@pytest.mark.rule("SIGN-4")
def test_the_ledger_holds_the_hash_of_everything_stored(pki, member):
    marie = member.person
    signature = services.submit_signature(prepared(marie), test_token.sign(CONTENT, marie), actor=marie)
    recorded = json.loads(LedgerEntry.objects.get(sequence=signature.ledger_sequence).payload)
    for key, value in services.stored_hashes(signature).items():
        assert recorded[key] == value
    assert services.stored_integrity(signature) == {key: True for key in recorded if key.endswith("_sha256")}
