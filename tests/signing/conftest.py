"""Fixtures of the signing tests: a test eID hierarchy in a temporary directory, its OCSP responder on a
free 127.0.0.1 port (started once, stopped at the end), and the settings that trust it."""

import pytest

from guichet.signing.ocsp_responder import OCSPResponder
from guichet.signing.testpki import TestPKI


@pytest.fixture(scope="session")
def ocsp_responder(tmp_path_factory):
    responder = OCSPResponder().start()
    responder.pki = TestPKI(tmp_path_factory.mktemp("test-pki"), responder.url).ensure()
    yield responder
    responder.stop()


@pytest.fixture
def pki(ocsp_responder, settings) -> TestPKI:
    """The test hierarchy, trusted and its responder allowed, as in development."""
    settings.GUICHET_SIGNING_TEST_PKI_DIR = str(ocsp_responder.pki.directory)
    settings.GUICHET_SIGNING_TEST_OCSP_URL = ocsp_responder.url
    settings.GUICHET_SIGNING_ACCEPT_TEST_TOKEN = True
    settings.GUICHET_SIGNING_TRUST_ANCHORS = []
    return ocsp_responder.pki


@pytest.fixture
def foreign_pki(tmp_path, ocsp_responder) -> TestPKI:
    """Another hierarchy of the same shape that nobody configured as a trust anchor."""
    return TestPKI(tmp_path / "foreign", ocsp_responder.url, name="Foreign").ensure()


@pytest.fixture
def private_pki(tmp_path, settings):
    """A hierarchy and responder this test alone uses (it may revoke the CA, or stop the responder)."""
    responder = OCSPResponder().start()
    responder.pki = TestPKI(tmp_path / "private-pki", responder.url).ensure()
    settings.GUICHET_SIGNING_TEST_PKI_DIR = str(responder.pki.directory)
    settings.GUICHET_SIGNING_TEST_OCSP_URL = responder.url
    settings.GUICHET_SIGNING_ACCEPT_TEST_TOKEN = True
    settings.GUICHET_SIGNING_TRUST_ANCHORS = []
    yield responder
    responder.stop()
