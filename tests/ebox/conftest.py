"""Fixtures of the e-Box tests: documents and print exports in a temporary folder, a real small PDF,
helpers to issue documents and to activate Marie's e-Box."""

import io

import pytest
from django.test import override_settings

from guichet.ebox import services

# A genuine one-page PDF, as a scanner or an office suite would produce.
_PDF = None


def real_pdf() -> bytes:
    """A small real PDF written by WeasyPrint (not sealed), cached for the run."""
    global _PDF
    if _PDF is None:
        from weasyprint import HTML

        _PDF = HTML(string="<p>Scanned letter</p>").write_pdf()
    return _PDF


def jpeg_bytes() -> bytes:
    """A genuine small JPEG, as a phone photo of a document would be (only smaller)."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 180, 160)).save(out, format="JPEG")
    return out.getvalue()


def png_bytes() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(
        b"IEND", b"")


def zip_bytes() -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("answer.pdf", real_pdf())
        archive.writestr("data.json", '{"person": "Marie"}')
    return out.getvalue()


@pytest.fixture(autouse=True)
def _documents(tmp_path, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                      "OPTIONS": {"location": tmp_path / "documents"}},
    }
    settings.GUICHET_EBOX_PRINT_EXPORT_DIR = str(tmp_path / "print")
    return tmp_path / "documents"


@pytest.fixture
def marie_ebox(member):
    """Marie's e-Box, activated by Marie."""
    services.set_ebox_active(member.person, True, actor=member.person)
    return member.person


def issue(person, **kwargs):
    values = {"doc_type": "letter", "title": "Your reimbursement of March", "context": "compulsory",
              "content": real_pdf()}
    values.update(kwargs)
    return services.issue_document(person, **values)


__all__ = ["issue", "override_settings", "png_bytes", "real_pdf", "zip_bytes"]
