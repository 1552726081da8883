"""The one validated upload path: the type comes from the bytes and the structure (PDF, JPEG, PNG), the
size is checked without reading everything, polyglots and disguised HTML are refused, and a refused file
leaves nothing behind; an accepted one gets a random name."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.utils import translation

from guichet.ebox.errors import UploadRefused
from guichet.ebox.uploads import sniff, store_upload
from tests.ebox.conftest import jpeg_bytes, png_bytes, real_pdf

JPEG = jpeg_bytes()


class HugeStream(io.RawIOBase):
    """A 200 MB upload that is never in memory: it produces PDF-looking bytes on demand and counts how
    much was read."""

    def __init__(self, size: int):
        self.size, self.position, self.read_bytes = size, 0, 0

    def readable(self):
        return True

    def readinto(self, buffer):
        if self.position >= self.size:
            return 0
        count = min(len(buffer), self.size - self.position)
        start = b"%PDF-1.7\n" if self.position == 0 else b""
        buffer[:count] = (start + b" " * count)[:count]
        self.position += count
        self.read_bytes += count
        return count

    def seek(self, offset, whence=0):
        self.position = offset
        return offset


def stored_files(folder):
    return [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []


@pytest.mark.parametrize("content, kind", [(real_pdf, "application/pdf"), (png_bytes, "image/png"),
                                           (lambda: JPEG, "image/jpeg")])
def test_it_keeps_a_pdf_jpeg_or_png_under_a_random_name(_documents, content, kind):
    stored = store_upload(SimpleUploadedFile("my letter.html", content()), purpose="test")
    assert stored.content_type == kind and stored.size == len(content())
    assert "letter" not in stored.name and stored.name.startswith("uploads/test/")
    with stored.open() as file:
        assert file.read() == content()


@pytest.mark.parametrize("content, name", [
    (b"Just some text, not a PDF", "letter.pdf"),
    (b"<!DOCTYPE html><html><script>alert(1)</script></html>", "letter.pdf"),  # HTML renamed .pdf
    (b"MZ\x90\x00\x03 an executable", "photo.png"),
    (b"", "empty.pdf"),
    (b"%PDF-1.4\n1 0 obj <<>> endobj\n", "truncated.pdf"),  # no end: an incomplete PDF
    (b"%PDF-1.4\nx\n%%EOF", "hollow.pdf"),  # a header and an end around nothing: no page, no xref
    (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64 + b"\xff\xd9", "hollow.jpg"),  # markers, no image
])
def test_it_refuses_what_is_not_really_a_pdf_jpeg_or_png(_documents, content, name):
    with pytest.raises(UploadRefused) as refused:
        store_upload(SimpleUploadedFile(name, content), purpose="test")
    assert refused.value.message
    assert stored_files(_documents) == []


@pytest.mark.parametrize("content", [
    # A PDF that is also a web page: a browser sniffing it would run the script.
    b"%PDF-1.4\n<html><body><script>fetch('/my/data')</script></body></html>\n%%EOF\n",
    # A PDF with a ZIP archive appended (PDF + JAR/ZIP polyglot).
    real_pdf() + b"PK\x03\x04" + b"\x00" * 26 + b"PK\x05\x06" + b"\x00" * 18,
    # A JPEG followed by a script after its end marker.
    JPEG + b"<script>alert(1)</script>",
    # A PDF that runs JavaScript when opened.
    b"%PDF-1.4\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj\n%%EOF\n",
])
def test_it_refuses_polyglots_and_active_content(_documents, content):
    with pytest.raises(UploadRefused):
        store_upload(SimpleUploadedFile("scan.pdf", content), purpose="test")
    assert stored_files(_documents) == []


def test_it_refuses_a_200_mb_upload_without_reading_it(_documents):
    stream = HugeStream(200_000_000)
    upload = UploadedFile(file=stream, name="big.pdf", content_type="application/pdf", size=200_000_000)
    with pytest.raises(UploadRefused) as refused, translation.override("en"):
        store_upload(upload, purpose="test", max_bytes=10_000_000)
    assert refused.value.message == "The file is too large (at most 10 MB)."
    assert stream.read_bytes == 0  # refused on its size, before reading
    assert stored_files(_documents) == []


def test_it_stops_reading_a_stream_that_lies_about_its_size(_documents):
    stream = HugeStream(200_000_000)
    upload = UploadedFile(file=stream, name="big.pdf", content_type="application/pdf", size=1000)
    with pytest.raises(UploadRefused):
        store_upload(upload, purpose="test", max_bytes=1_000_000)
    assert stream.read_bytes < 2_000_000  # stopped just past the limit
    assert stored_files(_documents) == []


def test_sniff_reads_the_bytes_not_the_name():
    assert sniff(SimpleUploadedFile("photo.jpg", real_pdf())) == "application/pdf"
    with pytest.raises(UploadRefused):
        sniff(SimpleUploadedFile("photo.jpg", real_pdf()), allowed=frozenset({"image/jpeg"}))
