"""COMM-12, RET-3: a register of call recordings with the notice given at the start of the call; the
recordings are erased after a shorter period than other data (one month by default), with their audio,
unless held as evidence."""

import datetime

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from guichet.communication.models import CallRecording
from guichet.communication.services import CommunicationError, erase_expired_recordings, register_recording

pytestmark = [pytest.mark.django_db, pytest.mark.rule("COMM-12", "RET-3")]


@pytest.fixture
def audio(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}}}
    return default_storage.save("calls/call-1.ogg", ContentFile(b"OggS..."))


def test_a_call_is_registered_with_the_notice_given_at_the_start(member, audio):
    start = timezone.now()
    recording = register_recording(started_at=start, notice_given_at=start, notice_language="fr",
                                   purpose="quality", audio=audio, person=member.person, caller_number="0470123456")
    assert recording.caller_number == "+32470123456" and recording.notice_given_at == start


@pytest.mark.parametrize("notice_delay", [None, datetime.timedelta(minutes=5)])
def test_a_call_without_the_notice_at_the_start_is_refused(db, notice_delay):
    start = timezone.now()
    with pytest.raises(CommunicationError, match="told"):
        register_recording(started_at=start, notice_given_at=None if notice_delay is None else start + notice_delay,
                           notice_language="fr", purpose="evidence", audio="calls/x.ogg")
    assert not CallRecording.objects.exists()


def test_recordings_are_erased_after_a_month_with_their_audio_unless_held(member, audio, settings):
    start = timezone.now()
    kept_as_evidence = register_recording(started_at=start, notice_given_at=start, notice_language="nl",
                                          purpose="evidence", audio="calls/held.ogg")
    CallRecording.objects.filter(pk=kept_as_evidence.pk).update(legal_hold=True)
    register_recording(started_at=start, notice_given_at=start, notice_language="fr", purpose="quality", audio=audio)
    with time_machine.travel(start + datetime.timedelta(days=29), tick=False):
        assert erase_expired_recordings() == 0
    with time_machine.travel(start + datetime.timedelta(days=settings.CALL_RECORDING_RETENTION_DAYS), tick=False):
        assert erase_expired_recordings() == 1
    assert not default_storage.exists(audio)
    assert list(CallRecording.objects.values_list("pk", flat=True)) == [kept_as_evidence.pk]
