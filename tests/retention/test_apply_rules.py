"""The register's retention rules as the engine applies them (RET-1, RET-2, RET-3, RET-5, RET-6, RET-7, RET-8):
expired records are erased, or anonymised where they serve statistics; the others are kept."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from guichet.communication.models import CallRecording, Prospect
from guichet.cookies.models import Visit, VisitPage
from guichet.ledger.models import LedgerEntry
from guichet.members.models import Address, Affiliation, ContactChange, Person
from guichet.retention import engine
from guichet.traffic.models import Connection
from tests.retention.helpers import person_who_left

pytestmark = pytest.mark.django_db


@pytest.mark.rule("RET-1", "RET-5")
def test_it_anonymises_a_member_who_left_thirty_years_ago_and_keeps_one_who_left_six_years_ago():
    gone = person_who_left(31, reason="change_of_mutual")
    recent = person_who_left(6, reason="change_of_mutual")
    active = person_who_left(None)

    engine.run()

    gone.refresh_from_db()
    assert (gone.first_name, gone.last_name, gone.email, gone.mobile) == ("", "", "", "")
    assert gone.national_number == f"~{gone.pk}" and gone.member_number == f"~{gone.pk}"
    assert gone.birth_date == datetime.date(1950, 1, 1)  # the year stays, for statistics
    assert (gone.sex, gone.language) == ("F", "fr")
    assert not Address.objects.filter(person=gone).exists()
    assert not ContactChange.objects.filter(person=gone).exists()
    assert Affiliation.objects.filter(person=gone).exists()  # statistics: an anonymous person's affiliation
    for kept in (recent, active):
        fresh = Person.objects.get(pk=kept.pk)
        assert (fresh.first_name, fresh.national_number, fresh.email) == (kept.first_name, kept.national_number,
                                                                          kept.email)
        assert Address.objects.filter(person=kept).exists() and ContactChange.objects.filter(person=kept).exists()


@pytest.mark.rule("RET-5")
def test_it_counts_death_and_departure_abroad_as_end_events():
    dead = person_who_left(30.5, reason="death")
    abroad = person_who_left(29, reason="departure_abroad")

    engine.run()

    assert Person.objects.get(pk=dead.pk).first_name == ""
    assert Person.objects.get(pk=abroad.pk).first_name == abroad.first_name


@pytest.mark.rule("RET-6")
def test_it_keeps_a_complementary_member_until_thirty_years_after_the_last_affiliation_ends():
    person = person_who_left(31, context="complementary")
    Affiliation.objects.create(person=person, context="compulsory", start=datetime.date(1970, 1, 1),
                               end=timezone.localdate() - relativedelta(years=10), end_reason="change_of_mutual",
                               status="ended")

    engine.run()
    assert Person.objects.get(pk=person.pk).first_name == person.first_name  # the later end counts

    Affiliation.objects.filter(person=person).update(end=timezone.localdate() - relativedelta(years=31))
    engine.run()
    assert Person.objects.get(pk=person.pk).first_name == ""


@pytest.mark.rule("RET-7")
def test_it_erases_an_insurance_contract_five_years_after_it_ended():
    ended_long_ago = person_who_left(5.2, context="insurance_company", reason="end_of_contract")
    ended_recently = person_who_left(4.5, context="insurance_company", reason="end_of_contract")

    engine.run()

    assert not Affiliation.objects.filter(person=ended_long_ago, context="insurance_company").exists()
    assert Affiliation.objects.filter(person=ended_recently, context="insurance_company").exists()


@pytest.mark.rule("RET-1")
def test_it_anonymises_connection_data_after_three_years_keeping_the_statistics_fields():
    old_at = timezone.now() - relativedelta(years=3, days=2)
    old = Connection.objects.create(at=old_at, ip_prefix="192.0.2.0", browser_family="Firefox",
                                    device_family="mobile", path="/my/", language="nl", authenticated=True)
    young = Connection.objects.create(at=timezone.now() - relativedelta(years=2), ip_prefix="192.0.2.0",
                                      browser_family="Firefox", device_family="mobile", path="/", language="fr")

    engine.run()

    old.refresh_from_db()
    assert (old.ip_prefix, old.browser_family) == ("", "")
    assert (old.at, old.device_family, old.path, old.language, old.authenticated) == (
        old_at, "mobile", "/my/", "nl", True)
    young.refresh_from_db()
    assert (young.ip_prefix, young.browser_family) == ("192.0.2.0", "Firefox")


@pytest.mark.rule("RET-2")
def test_it_erases_prospects_after_one_year():
    now = timezone.now()
    old = Prospect.objects.create(first_name="Paul", last_name="Old", email="p@example.be", source="event",
                                  collected_at=now - datetime.timedelta(days=366))
    young = Prospect.objects.create(first_name="Lea", last_name="New", email="l@example.be", source="event",
                                    collected_at=now - datetime.timedelta(days=300))

    engine.run()

    assert not Prospect.objects.filter(pk=old.pk).exists()
    assert Prospect.objects.filter(pk=young.pk).exists()


@pytest.mark.rule("RET-3", "RET-4")
def test_it_erases_call_recordings_and_their_audio_after_a_month_unless_held_as_evidence(tmp_path, settings):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    old_start = timezone.now() - datetime.timedelta(days=31)
    names = [default_storage.save(f"calls/{n}.ogg", ContentFile(b"audio")) for n in range(3)]
    common = dict(notice_given_at=old_start, notice_language="fr", purpose="quality")
    expired = CallRecording.objects.create(started_at=old_start, audio=names[0], **common)
    evidence = CallRecording.objects.create(started_at=old_start, audio=names[1], legal_hold=True, **common)
    recent = CallRecording.objects.create(started_at=timezone.now() - datetime.timedelta(days=20), audio=names[2],
                                          **common)

    engine.run()

    assert not CallRecording.objects.filter(pk=expired.pk).exists()
    assert not default_storage.exists(names[0])
    assert CallRecording.objects.filter(pk__in=[evidence.pk, recent.pk]).count() == 2
    assert default_storage.exists(names[1]) and default_storage.exists(names[2])


@pytest.mark.rule("RET-8")
def test_it_erases_analytics_visits_and_their_pages_after_24_months():
    old_at = timezone.now() - relativedelta(months=24, days=2)
    old = Visit.objects.create(visitor="a" * 64, started_at=old_at, last_seen_at=old_at, pages=1)
    VisitPage.objects.create(visit=old, at=old_at, path="/")
    young_at = timezone.now() - relativedelta(months=23)
    young = Visit.objects.create(visitor="b" * 64, started_at=young_at, last_seen_at=young_at, pages=1)
    VisitPage.objects.create(visit=young, at=young_at, path="/")

    engine.run()

    assert not Visit.objects.filter(pk=old.pk).exists() and not VisitPage.objects.filter(visit_id=old.pk).exists()
    assert VisitPage.objects.filter(visit=young).count() == 1


@pytest.mark.rule("RET-1", "RET-9")
def test_it_never_erases_the_ledger():
    from django.db import transaction

    from guichet.ledger.services import append

    gone = person_who_left(31)
    with transaction.atomic():
        append("retention.hold_placed", actor=None, subject=gone, payload={"test": True})
    before = list(LedgerEntry.objects.values_list("pk", "hash"))

    engine.run()

    after = LedgerEntry.objects.values_list("pk", "hash")
    assert set(before) <= set(after)  # nothing erased or changed, only the run's summary added
    assert LedgerEntry.objects.get(pk=before[0][0]).subject_id == gone.pk
