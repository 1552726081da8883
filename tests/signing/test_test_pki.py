"""The test hierarchy and its OCSP responder: what the demo and the tests sign with, never production."""

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.x509 import ocsp
from django.core.management import CommandError, call_command

from guichet.signing.ocsp_responder import answer
from guichet.signing.testpki import TestPKI, is_test_certificate


def _ask(pki: TestPKI, cert: x509.Certificate, issuer: x509.Certificate) -> ocsp.OCSPResponse:
    request = ocsp.OCSPRequestBuilder().add_certificate(cert, issuer, hashes.SHA256()).build()
    from cryptography.hazmat.primitives import serialization

    return ocsp.load_der_ocsp_response(answer(pki, request.public_bytes(serialization.Encoding.DER)))


def test_the_responder_says_good_then_revoked(tmp_path):
    pki = TestPKI(tmp_path, "http://127.0.0.1:1/ocsp").ensure()
    credentials = pki.issue(first_name="Marie", last_name="Dubois", national_number="85031400226")
    assert _ask(pki, credentials.certificate, pki.ca).certificate_status == ocsp.OCSPCertStatus.GOOD
    pki.revoke(credentials.certificate)
    assert _ask(pki, credentials.certificate, pki.ca).certificate_status == ocsp.OCSPCertStatus.REVOKED


def test_the_responder_does_not_answer_for_another_authority(tmp_path):
    pki = TestPKI(tmp_path / "a", "http://127.0.0.1:1/ocsp").ensure()
    other = TestPKI(tmp_path / "b", "http://127.0.0.1:1/ocsp", name="Other").ensure()
    credentials = other.issue(first_name="Jan", last_name="Peeters", national_number="59031600103")
    response = _ask(pki, credentials.certificate, other.ca)
    assert response.response_status == ocsp.OCSPResponseStatus.UNAUTHORIZED


def test_the_eid_like_certificate_carries_name_national_number_and_usage(tmp_path):
    pki = TestPKI(tmp_path, "http://127.0.0.1:1/ocsp").ensure()
    cert = pki.issue(first_name="Marie", last_name="Dubois", national_number="85031400226").certificate
    assert cert.subject.get_attributes_for_oid(x509.oid.NameOID.SERIAL_NUMBER)[0].value == "85031400226"
    assert cert.extensions.get_extension_for_class(x509.KeyUsage).value.content_commitment
    assert is_test_certificate(cert) and is_test_certificate(pki.root)


def test_the_command_creates_the_hierarchy_outside_production(tmp_path, settings):
    settings.GUICHET_SIGNING_TEST_PKI_DIR = str(tmp_path / "demo")
    settings.GUICHET_SIGNING_ACCEPT_TEST_TOKEN = True
    call_command("signing_test_pki")
    assert (tmp_path / "demo" / "root.pem").exists()


def test_the_command_refuses_in_production(tmp_path, settings):
    settings.GUICHET_SIGNING_TEST_PKI_DIR = str(tmp_path / "prod")
    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("signing_test_pki")
    assert not (tmp_path / "prod").exists()


@pytest.mark.rule("SIGN-1")
def test_only_the_configured_responders_are_contacted(settings):
    from guichet.signing.config import revocation_url_allowed

    settings.GUICHET_SIGNING_TEST_OCSP_URL = "http://127.0.0.1:8089/ocsp"
    settings.GUICHET_SIGNING_ACCEPT_TEST_TOKEN = False
    assert revocation_url_allowed("http://ocsp.eid.belgium.be/2")
    assert revocation_url_allowed("http://crl.eid.belgium.be/belgium4.crl")
    assert revocation_url_allowed("http://certs.eid.belgium.be/belgiumrs4.crt")
    assert not revocation_url_allowed("http://ocsp.eid.belgium.be.example.com/2")
    assert not revocation_url_allowed("http://127.0.0.1:8089/ocsp")
    settings.GUICHET_SIGNING_ACCEPT_TEST_TOKEN = True
    assert revocation_url_allowed("http://127.0.0.1:8089/ocsp")


def _plain_root(path):
    """A root that is not of a test hierarchy (as the operator's Belgian roots are not)."""
    import datetime

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP384R1())
    name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "BE"),
                      x509.NameAttribute(NameOID.COMMON_NAME, "Belgium Root CA6 (look-alike)")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA384()))
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return cert


def test_production_keeps_the_configured_roots_and_drops_test_ones(tmp_path, settings):
    from guichet.signing.config import trust_anchors

    pki = TestPKI(tmp_path / "t", "http://127.0.0.1:1/ocsp").ensure()
    root = _plain_root(tmp_path / "brca6.pem")
    settings.GUICHET_SIGNING_ACCEPT_TEST_TOKEN = False
    settings.GUICHET_SIGNING_TRUST_ANCHORS = [str(tmp_path / "brca6.pem"), str(pki.root_path)]
    assert trust_anchors() == [root]


def test_the_system_check_names_a_missing_root_file_and_production_without_roots(tmp_path, settings):
    from guichet.signing.checks import trust_anchors_configured

    settings.GUICHET_SIGNING_TRUST_ANCHORS = [str(tmp_path / "missing.pem")]
    assert [problem.id for problem in trust_anchors_configured()] == ["signing.E001"]
    settings.GUICHET_SIGNING_TRUST_ANCHORS = []
    settings.PRODUCTION = True
    assert [problem.id for problem in trust_anchors_configured()] == ["signing.W001"]
