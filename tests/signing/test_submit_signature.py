"""Submitting a CMS signature: a valid eID signature over the prepared bytes is accepted and kept with its
proof; every kind of bad signature is refused with a precise message and recorded as refused only."""

import datetime
import json

import pytest

from guichet.events.models import OutboxEvent
from guichet.ledger.models import LedgerEntry
from guichet.signing import services, test_token, verify
from guichet.signing.models import RefusedSignature, RequestStatus, Signature
from guichet.signing.ocsp_responder import OCSPResponder
from guichet.signing.testpki import AUTHENTICATION, TestPKI
from tests.signing.helpers import CONTENT, prepared, signed_with

pytestmark = pytest.mark.django_db


def _refused(request, cms_bytes, person, code):
    with pytest.raises(services.SigningError) as raised:
        services.submit_signature(request, cms_bytes, actor=person)
    assert raised.value.code == code
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING
    assert not Signature.objects.filter(request=request).exists()
    assert not OutboxEvent.objects.filter(kind=services.SIGNED_EVENT).exists()
    # The precise message for the person, in the active language (the catalogue translates it).
    assert raised.value.message == str(verify.MESSAGES[code])
    refusal = RefusedSignature.objects.get(request=request)
    assert refusal.reason == code
    assert LedgerEntry.objects.filter(kind="signing.refused", subject=person).count() == 1
    return raised.value


@pytest.mark.rule("SIGN-1", "SIGN-2")
def test_it_accepts_a_valid_eid_signature_and_publishes_the_event(pki, member):
    marie = member.person
    request = prepared(marie)
    signature = services.submit_signature(request, test_token.sign(CONTENT, marie), actor=marie)
    request.refresh_from_db()
    assert request.status == RequestStatus.SIGNED
    assert signature.validation["valid"] is True
    assert signature.validation["signer_serial_number"] == marie.national_number
    assert signature.revocation["ocsp"], "the OCSP response used is kept"
    assert signature.revocation["crl"], "and the root's CRL the Citizen CA was checked against"
    assert len(signature.chain) == 3
    event = OutboxEvent.objects.get(kind=services.SIGNED_EVENT)
    assert event.payload == {"request": str(request.public_id), "kind": "form", "reference": "F-1",
                             "signer": str(marie.public_id)}
    entry = LedgerEntry.objects.get(kind="signing.signed", subject=marie)
    assert json.loads(entry.payload)["cms_sha256"] == signature.cms_sha256


@pytest.mark.rule("SIGN-2")
def test_it_refuses_a_signature_when_one_byte_of_the_content_differs(pki, member):
    marie = member.person
    request = prepared(marie)
    changed = CONTENT.replace(b"12000", b"12001")
    _refused(request, test_token.sign(changed, marie), marie, "not_over_document")


@pytest.mark.rule("SIGN-1")
def test_it_refuses_a_certificate_of_a_foreign_authority(pki, foreign_pki, member):
    marie = member.person
    _refused(prepared(marie), signed_with(foreign_pki.issue_for(marie)), marie, "untrusted")


@pytest.mark.rule("SIGN-1")
def test_it_refuses_a_certificate_the_ocsp_responder_says_is_revoked(pki, member):
    marie = member.person
    credentials = pki.issue_for(marie)
    pki.revoke(credentials.certificate)
    _refused(prepared(marie), signed_with(credentials), marie, "revoked")


@pytest.mark.rule("SIGN-1")
def test_it_refuses_a_signature_under_a_revoked_citizen_ca(private_pki, member):
    """The CA is checked against the root's CRL, as the eID viewer does."""
    marie = member.person
    credentials = private_pki.pki.issue_for(marie)
    private_pki.pki.revoke(private_pki.pki.ca)
    _refused(prepared(marie), signed_with(credentials), marie, "revoked")


@pytest.mark.rule("SIGN-1")
def test_it_refuses_an_expired_certificate(pki, member):
    marie = member.person
    now = datetime.datetime.now(datetime.UTC)
    credentials = pki.issue_for(marie, not_before=now - datetime.timedelta(days=3000),
                                not_after=now - datetime.timedelta(days=1))
    _refused(prepared(marie), signed_with(credentials), marie, "expired")


@pytest.mark.rule("SIGN-1")
def test_it_refuses_a_certificate_without_non_repudiation(pki, member):
    marie = member.person
    credentials = pki.issue_for(marie, non_repudiation=False)
    _refused(prepared(marie), signed_with(credentials), marie, "no_non_repudiation")


@pytest.mark.rule("SIGN-1")
def test_it_refuses_the_authentication_certificate_instead_of_the_signature_one(pki, member):
    marie = member.person
    credentials = pki.issue_for(marie, usage=AUTHENTICATION)
    _refused(prepared(marie), signed_with(credentials), marie, "no_non_repudiation")


@pytest.mark.rule("SIGN-2")
def test_it_refuses_someone_elses_certificate(pki, member, other_member):
    marie, jan = member.person, other_member.person
    _refused(prepared(marie), signed_with(pki.issue_for(jan)), marie, "not_signer")


@pytest.mark.rule("SIGN-1")
@pytest.mark.parametrize("garbage", [b"not a signature at all", b"\x30\x03\x02\x01\x05",
                                     b"-----BEGIN CMS-----\n!!!\n-----END CMS-----\n"])
def test_it_refuses_garbage_instead_of_a_cms(pki, member, garbage):
    marie = member.person
    _refused(prepared(marie), garbage, marie, "not_cms")


@pytest.mark.rule("SIGN-1")
def test_it_refuses_a_signature_whose_signed_attributes_were_altered(pki, member):
    marie = member.person
    cms_bytes = bytearray(test_token.sign(CONTENT, marie))
    # Flip one bit of the signature value (the last bytes of the DER).
    cms_bytes[-3] ^= 0x01
    _refused(prepared(marie), bytes(cms_bytes), marie, "bad_signature")


@pytest.mark.rule("SIGN-1")
def test_it_refuses_when_the_revocation_status_cannot_be_checked(pki, tmp_path, settings, member):
    """Hard fail: a responder that does not answer is a refusal, not a pass."""
    marie = member.person
    silent = OCSPResponder().start()
    url = silent.url
    silent.stop()  # nothing listens there any more
    offline_pki = TestPKI(tmp_path / "unreachable", url).ensure()
    settings.GUICHET_SIGNING_TEST_PKI_DIR = str(offline_pki.directory)
    settings.GUICHET_SIGNING_TEST_OCSP_URL = url
    _refused(prepared(marie), signed_with(offline_pki.issue_for(marie)), marie, "revocation_unavailable")


@pytest.mark.rule("SIGN-1")
def test_it_refuses_a_certificate_whose_responder_is_not_allowed(pki, tmp_path, member, ocsp_responder):
    """Only the configured OCSP/CRL responders are contacted (the eID viewer does the same)."""
    marie = member.person
    rogue = TestPKI(tmp_path / "rogue-url", "http://127.0.0.1:9/elsewhere").ensure()
    # Same hierarchy files as the trusted one, but a certificate pointing to another responder:
    rogue.directory = pki.directory
    credentials = rogue.issue_for(marie)
    _refused(prepared(marie), signed_with(credentials), marie, "untrusted")


@pytest.mark.rule("SIGN-1")
def test_production_refuses_the_test_hierarchy_even_when_its_root_is_configured(pki, settings, member):
    marie = member.person
    credentials = pki.issue_for(marie)
    settings.GUICHET_SIGNING_ACCEPT_TEST_TOKEN = False
    settings.GUICHET_SIGNING_TRUST_ANCHORS = [str(pki.root_path)]
    _refused(prepared(marie), signed_with(credentials), marie, "untrusted")


@pytest.mark.rule("SIGN-1")
def test_production_refuses_the_test_card_whatever_the_setting(pki, settings, member):
    marie = member.person
    settings.PRODUCTION = True
    settings.GUICHET_SIGNING_ACCEPT_TEST_TOKEN = True
    assert not test_token.allowed()
    with pytest.raises(services.SigningError):
        test_token.sign(CONTENT, marie)


def test_it_does_not_accept_a_second_signature_of_the_same_document(pki, member):
    marie = member.person
    request = prepared(marie)
    services.submit_signature(request, test_token.sign(CONTENT, marie), actor=marie)
    with pytest.raises(services.SigningError) as raised:
        services.submit_signature(request, test_token.sign(CONTENT, marie), actor=marie)
    assert raised.value.code == "already_signed"
    assert Signature.objects.count() == 1


def test_it_refuses_to_prepare_nothing(member):
    with pytest.raises(services.SigningError):
        services.prepare(member.person, kind="form", reference="F", title="T", content=b"")
    with pytest.raises(services.SigningError):
        services.prepare(member.person, kind="Not A Kind", reference="F", title="T", content=b"x")


@pytest.mark.rule("SIGN-2")
def test_a_truncated_or_corrupted_cms_is_never_a_crash_nor_valid_for_other_bytes(pki, member):
    marie = member.person
    cms_bytes = test_token.sign(CONTENT, marie)
    for end in range(0, len(cms_bytes), 41):
        assert not verify.verify(CONTENT, cms_bytes[:end], national_number=marie.national_number).valid
    for position in range(0, len(cms_bytes), 29):
        corrupted = bytearray(cms_bytes)
        corrupted[position] ^= 0x40
        verify.verify(CONTENT, bytes(corrupted), national_number=marie.national_number)  # no exception
        assert not verify.verify(CONTENT + b" ", bytes(corrupted), national_number=marie.national_number).valid


def test_the_ledger_entries_have_labels_for_the_member():
    from guichet.ledger.kinds import label_of
    from guichet.signing.apps import KINDS

    for kind, label in KINDS.items():
        assert label_of(kind) == str(label)
