"""A court decision gives one parent exclusive charge (MIN-3): recorded by staff with the decision as
proof (PDF, JPEG or PNG, size-limited, type read from the file); the other parent loses access at once."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.models import StaffRole
from guichet.mandates import services
from guichet.mandates.models import CourtDecision
from guichet.mandates.policy import Action, decide
from tests.ebox.conftest import real_pdf

pytestmark = pytest.mark.django_db

PDF = real_pdf()  # the proof of the court decision, scanned


@pytest.fixture
def father(personas):
    services.record_parental_authority(personas["tom"], personas["emma"])
    return personas["tom"]


@pytest.fixture(autouse=True)
def _media(tmp_path, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }


def post(client, child, parent, content=PDF, name="decision.pdf", **extra):
    data = {
        "exclusive_parent": str(parent.public_id),
        "decided_on": timezone.localdate().isoformat(),
        "court": "Tribunal de la famille de Bruxelles",
        "proof": SimpleUploadedFile(name, content),
    }
    data.update(extra)
    return client.post(reverse("mandates:staff-court-decision", args=[child.public_id]), data)


@pytest.mark.rule("MIN-3")
def test_the_other_parent_loses_access_once_the_decision_is_recorded(
    client, log_in, staff, member, minor, father
):
    assert decide(father, minor, Action.OPEN_FILE).allowed
    log_in(client, staff(StaffRole.AGENT))
    response = post(client, minor, member.person)
    assert response.status_code == 302
    decision = CourtDecision.objects.get()
    assert decision.proof_type == "application/pdf" and decision.proof.read() == PDF
    assert decision.proof.name.endswith(".pdf") and "decision" not in decision.proof.name.rsplit("/", 1)[-1]
    refused = decide(father, minor, Action.OPEN_FILE)
    assert not refused.allowed and refused.reason == "excluded_by_court"
    assert decide(member.person, minor, Action.OPEN_FILE).allowed


@pytest.mark.rule("MIN-3")
@pytest.mark.parametrize(
    "content, name",
    [
        (b"<html><script>alert(1)</script></html>", "decision.pdf"),  # the name lies: the bytes decide
        (b"MZ\x90\x00 executable", "decision.png"),
        (b"", "decision.pdf"),
    ],
)
def test_it_refuses_a_proof_that_is_not_a_pdf_jpeg_or_png(
    client, log_in, staff, member, minor, father, content, name
):
    log_in(client, staff(StaffRole.AGENT))
    response = post(client, minor, member.person, content=content, name=name)
    assert response.status_code == 200 and response.context["form"].errors
    assert not CourtDecision.objects.exists()
    assert decide(father, minor, Action.OPEN_FILE).allowed


@pytest.mark.rule("MIN-3")
@override_settings(COURT_DECISION_MAX_BYTES=100)
def test_it_refuses_a_proof_too_large(client, log_in, staff, member, minor, father):
    log_in(client, staff(StaffRole.AGENT))
    response = post(client, minor, member.person, content=PDF + b"x" * 200)
    assert "too large" in response.content.decode()
    assert not CourtDecision.objects.exists()


@pytest.mark.rule("MIN-3")
def test_it_refuses_a_future_decision_or_a_missing_proof(client, log_in, staff, member, minor, father):
    log_in(client, staff(StaffRole.AGENT))
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    assert post(client, minor, member.person, decided_on=tomorrow).status_code == 200
    response = client.post(
        reverse("mandates:staff-court-decision", args=[minor.public_id]),
        {
            "exclusive_parent": str(member.person.public_id),
            "decided_on": timezone.localdate().isoformat(),
            "court": "Tribunal",
        },
    )
    assert response.status_code == 200
    assert not CourtDecision.objects.exists()


@pytest.mark.rule("MIN-3")
def test_a_parent_cannot_record_a_court_decision(client, log_in, member, minor, father):
    log_in(client, member)
    assert post(client, minor, member.person).status_code == 404
    assert not CourtDecision.objects.exists()
