"""Fixtures of the rights tests: documents and uploads in a temporary folder, a genuine ID copy (PNG), Marie's
e-Box active, and helpers to file a request as each channel would."""

import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from guichet.accounts.models import StaffRole
from guichet.rights import services
from guichet.rights.models import RequestChannel


def png_bytes() -> bytes:
    """A genuine 1x1 PNG, as a phone photo of an identity card would be (only smaller)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
            + chunk(b"IEND", b""))


def id_side(name: str = "front.png", content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes() if content is None else content, content_type="image/png")


@pytest.fixture(autouse=True)
def _storages(tmp_path, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
        "documents": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                      "OPTIONS": {"location": tmp_path / "documents"}},
    }
    settings.GUICHET_EBOX_PRINT_EXPORT_DIR = str(tmp_path / "print")


@pytest.fixture
def dpo(staff):
    return staff(StaffRole.DPO_OFFICE)


@pytest.fixture
def agent(staff):
    return staff(StaffRole.AGENT)


@pytest.fixture
def marie_ebox(member):
    from guichet.ebox.services import set_ebox_active

    set_ebox_active(member.person, True, actor=member.person)
    return member.person


def file_in_account(person, kind="access", **kwargs):
    return services.file_request(kind=kind, channel=RequestChannel.ACCOUNT, person=person, **kwargs)


def staff_in(client, user):
    """Log staff in with the confidentiality undertaking acknowledged (ACL-2), as the back office asks first."""
    from guichet.backoffice.confidentiality import acknowledge, current_text
    from tests.conftest import PASSWORD  # noqa: F401 - same suite conventions

    client.force_login(user, backend="guichet.accounts.backends.AccountBackend")
    import time

    from guichet.accounts.middleware import LAST_ACTIVITY, STARTED

    session = client.session
    session[STARTED] = session[LAST_ACTIVITY] = time.time()
    session.save()
    acknowledge(user, shown_text=current_text())
    return client
