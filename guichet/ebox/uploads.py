"""THE validated upload path of Guichet: the size is checked before and while reading (never the whole
file in memory), the type is read from the bytes and the file's structure (PDF, JPEG or PNG only; never
the name or the browser's claim), files that are also HTML, script or an archive (polyglots) are refused,
and what is kept gets a random name in a storage outside the web root (served only as an attachment)."""

from __future__ import annotations

import hashlib
import re
import tempfile
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.files import File
from django.core.files.storage import storages
from django.utils.translation import gettext as _

from guichet.ebox.errors import UploadRefused

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
EXTENSIONS = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png"}
ALLOWED = frozenset(EXTENSIONS)
CHUNK = 64 * 1024
TAIL = 64 * 1024 + 22  # a ZIP's end record sits in the last 64 KiB + 22 bytes

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_END = b"\x00\x00\x00\x00IEND\xaeB`\x82"
# Markup a browser or an interpreter would act on; none belongs in a scanned letter or a photo.
ACTIVE_MARKUP = re.compile(rb"<\s*(?:script|html|!doctype|body|iframe|svg|object|embed|meta)\b|<\?php|javascript:",
                           re.IGNORECASE)
PDF_ACTIVE = re.compile(rb"/(?:JavaScript|JS|Launch|EmbeddedFile|RichMedia|XFA)\b")


@dataclass(frozen=True)
class StoredUpload:
    """A validated file as kept: `name` in the storage `storage`, never the uploaded name."""

    name: str
    storage: str
    content_type: str
    size: int
    sha256: str
    purpose: str

    def open(self):
        return storages[self.storage].open(self.name, "rb")


def default_max_bytes() -> int:
    return getattr(settings, "GUICHET_UPLOAD_MAX_BYTES", 10_000_000)


def sniff(uploaded_file, *, max_bytes: int | None = None, allowed: frozenset[str] = ALLOWED) -> str:
    """The file's real type (PDF, JPEG or PNG), or UploadRefused. Reads in chunks and stops as soon as the
    file is larger than `max_bytes`; leaves the file at its start."""
    return _inspect(uploaded_file, max_bytes=max_bytes, allowed=allowed, copy_to=None)[0]


def store_upload(uploaded_file, *, purpose: str, max_bytes: int | None = None, storage: str = "documents",
                 allowed: frozenset[str] = ALLOWED) -> StoredUpload:
    """Validate `uploaded_file` (sniff, among the `allowed` types) and keep it under a random name in the
    storage alias `storage`. Nothing is stored when it is refused."""
    if not re.fullmatch(r"[a-z][a-z0-9_]{0,39}", purpose or ""):
        raise ValueError(f"{purpose!r} is not an upload purpose")
    with tempfile.SpooledTemporaryFile(max_size=1_000_000) as copy:
        content_type, size, digest = _inspect(uploaded_file, max_bytes=max_bytes, allowed=allowed, copy_to=copy)
        copy.seek(0)
        name = f"uploads/{purpose}/{uuid.uuid4().hex}{EXTENSIONS[content_type]}"
        saved = storages[storage].save(name, File(copy, name=name))
    return StoredUpload(name=saved, storage=storage, content_type=content_type, size=size, sha256=digest,
                        purpose=purpose)


def _inspect(uploaded_file, *, max_bytes, allowed, copy_to):
    limit = default_max_bytes() if max_bytes is None else max_bytes
    if uploaded_file is None:
        raise UploadRefused(_("Attach a file (PDF, JPEG or PNG)."))
    declared = getattr(uploaded_file, "size", None)
    if declared is not None and declared > limit:
        raise _too_large(limit)
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    head = b""
    tail = b""
    carry = b""
    total = 0
    digest = hashlib.sha256()
    markup = pdf_active = False
    for chunk in _chunks(uploaded_file):
        total += len(chunk)
        # The declared size can lie (a stream): count what is actually read and stop at the limit.
        if total > limit:
            raise _too_large(limit)
        if len(head) < 1024:
            head += chunk[: 1024 - len(head)]
        window = carry + chunk
        markup = markup or bool(ACTIVE_MARKUP.search(window))
        pdf_active = pdf_active or bool(PDF_ACTIVE.search(window))
        carry = window[-32:]
        tail = (tail + chunk)[-TAIL:]
        digest.update(chunk)
        if copy_to is not None:
            copy_to.write(chunk)
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    if total == 0:
        raise UploadRefused(_("The file is empty."))
    content_type = _type_of(head)
    if content_type is None or content_type not in allowed:
        if allowed == {PDF}:
            raise UploadRefused(_("The document must be a PDF."))
        raise UploadRefused(_("The file must be a PDF, JPEG or PNG document."))
    if markup or b"PK\x05\x06" in tail or b"PK\x03\x04" in head:
        raise UploadRefused(_("The file contains web page, script or archive content: it cannot be accepted."))
    if not _structure_is_sound(content_type, tail):
        raise UploadRefused(_("The file is damaged or is not a complete PDF, JPEG or PNG document."))
    if content_type == PDF and pdf_active:
        raise UploadRefused(_("The PDF contains scripts, embedded files or actions: it cannot be accepted."))
    parsed = copy_to if copy_to is not None else uploaded_file
    if hasattr(parsed, "seek") and not _parses(content_type, parsed):
        raise UploadRefused(_("The file is damaged or is not a complete PDF, JPEG or PNG document."))
    return content_type, total, digest.hexdigest()


def _parses(content_type: str, file) -> bool:
    """The whole file reads as what its first bytes claim: a PDF with its cross-reference table and at least
    one page (pyHanko's parser), a JPEG or PNG whose image data decode (Pillow); a header and an end marker
    around anything else are not enough. Leaves the file at its start."""
    file.seek(0)
    try:
        if content_type == PDF:
            from pyhanko.pdf_utils.reader import PdfFileReader

            return PdfFileReader(file, strict=False).root["/Pages"]["/Count"] >= 1
        from PIL import Image

        with Image.open(file) as image:
            if image.format != {JPEG: "JPEG", PNG: "PNG"}[content_type]:
                return False
            image.verify()
        return True
    except Exception:  # noqa: BLE001 - any parser failure means "not a sound file of that type"
        return False
    finally:
        file.seek(0)


def _chunks(uploaded_file):
    if hasattr(uploaded_file, "chunks"):
        yield from uploaded_file.chunks(CHUNK)
        return
    while chunk := uploaded_file.read(CHUNK):
        yield chunk


def _type_of(head: bytes) -> str | None:
    if head.startswith(b"%PDF-1.") or head.startswith(b"%PDF-2."):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(PNG_SIGNATURE) and head[12:16] == b"IHDR":
        return PNG
    return None


def _structure_is_sound(content_type: str, tail: bytes) -> bool:
    """The file ends as its format says (nothing hidden after the end: a second file in a polyglot)."""
    if content_type == PDF:
        return b"%%EOF" in tail[-1024:]
    stripped = tail.rstrip(b"\x00\r\n ")
    if content_type == JPEG:
        return stripped.endswith(b"\xff\xd9")
    return tail.endswith(PNG_END)


def _too_large(limit: int) -> UploadRefused:
    return UploadRefused(_("The file is too large (at most %(megabytes)d MB).")
                         % {"megabytes": max(limit // 1_000_000, 1)})
