"""Documents of the mutual are PDFs on its letterhead, in the person's language, sealed with the
organisation's certificate (PAdES); anyone can check a document is genuine, and one changed byte shows."""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured

from guichet.ebox.pdf import render_html, render_pdf
from guichet.ebox.seal import seal_pdf, verify_seal
from tests.ebox.conftest import real_pdf


@pytest.mark.rule("EBOX-1")
def test_it_renders_a_sealed_pdf_that_checks_as_genuine():
    pdf = render_pdf("ebox/pdf/letter.html", {"title": "Attestation", "body": "Text"}, language="fr")
    assert pdf.startswith(b"%PDF-")
    result = verify_seal(pdf)
    assert result.genuine, result.reason
    assert "Guichet" in result.signer


@pytest.mark.rule("EBOX-1")
def test_it_writes_the_letter_in_the_persons_language():
    day = datetime.date(2026, 3, 5)
    french = render_html("ebox/pdf/letter.html", {"title": "T", "issued_on": day}, language="fr")
    english = render_html("ebox/pdf/letter.html", {"title": "T", "issued_on": day}, language="en")
    assert '<html lang="fr">' in french and '<html lang="en">' in english
    assert "5 mars 2026" in french and "March 5, 2026" in english


@pytest.mark.rule("EBOX-1")
def test_one_changed_byte_makes_the_check_fail():
    sealed = seal_pdf(real_pdf())
    assert verify_seal(sealed)
    middle = len(real_pdf()) // 2  # inside the original content, covered by the seal
    changed = bytearray(sealed)
    changed[middle] ^= 0x01
    assert not verify_seal(bytes(changed))


def test_content_added_after_the_seal_is_detected():
    sealed = seal_pdf(real_pdf())
    assert not verify_seal(sealed + b"\n% appended\n")


def test_an_unsealed_or_broken_file_is_not_genuine():
    assert not verify_seal(real_pdf())
    assert not verify_seal(b"not a pdf at all")
    assert not verify_seal(b"")


def test_production_refuses_to_seal_without_the_organisation_certificate(settings):
    settings.PRODUCTION = True
    settings.GUICHET_EBOX_SEAL_CERT_FILE = ""
    settings.GUICHET_EBOX_SEAL_KEY_FILE = ""
    with pytest.raises(ImproperlyConfigured):
        seal_pdf(real_pdf())


def test_a_seal_of_another_organisation_is_not_trusted(settings, tmp_path):
    """A certificate the verifier does not trust (another CA) does not pass for the mutual's seal."""
    from guichet.ebox import seal

    sealed_by_us = seal_pdf(real_pdf())
    other = tmp_path / "other"
    settings.VAR_DIR = other
    seal._generate_development_seal(other / seal.DEV_DIR_NAME)
    result = verify_seal(sealed_by_us)
    assert not result.genuine and result.reason
