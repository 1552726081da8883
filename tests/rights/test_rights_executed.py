"""Each right executed when staff answer: rectification through the registry (DSR-6), erasure checked against
legal bases and holds (DSR-7), objection and restriction read by the processing code (DSR-8, DSR-11), transfer
to another mutual (DSR-10), human review of an automated decision (DSR-9), refusal with the reason."""

import datetime
import io
import json
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from guichet.communication.audience import AudienceFilter, audience, report
from guichet.communication.models import Campaign, CampaignChannel, CampaignRecipient
from guichet.communication.policy import may_profile, receives_offers
from guichet.ledger.models import LedgerEntry
from guichet.members.models import Affiliation, AffiliationEndReason, AffiliationStatus
from guichet.members.services import current_address
from guichet.rights import services
from guichet.rights.models import ProcessingFlag, RequestStatus, RightsRequest
from tests.rights.conftest import file_in_account, staff_in

pytestmark = pytest.mark.django_db


@pytest.mark.rule("DSR-6")
def test_it_corrects_the_address_through_the_registry_and_tells_the_member(client, log_in, member, dpo):
    log_in(client, member)
    client.post(reverse("rights:new-request"), {
        "kind": "rectification", "target_field": "address", "street": "Rue Neuve", "number": "12",
        "postcode": "1000", "city": "Bruxelles"})
    filed = RightsRequest.objects.get(person=member.person)
    services.answer(filed, staff=dpo)
    address = current_address(member.person)
    assert (address.street, address.number, address.postcode) == ("Rue Neuve", "12", "1000")
    assert address.source == "staff"
    filed.refresh_from_db()
    assert "Rue Neuve 12" in filed.answer
    page = client.get(f"{reverse('rights:my-request')}?r={filed.public_id}").content.decode()
    assert "Rue Neuve 12" in page


@pytest.mark.rule("DSR-6")
def test_it_keeps_the_address_when_the_proposal_is_wrong(member, dpo):
    before = current_address(member.person)
    filed = file_in_account(member.person, kind="rectification", target="address",
                            proposed_value=json.dumps({"street": "Rue Neuve", "number": "12", "postcode": "99",
                                                       "city": "Bruxelles"}))
    with pytest.raises(services.RightsError, match="postcode|4 digits"):
        services.answer(filed, staff=dpo)
    assert current_address(member.person) == before
    filed.refresh_from_db()
    assert filed.is_open


@pytest.mark.rule("DSR-6")
def test_it_refuses_a_rectification_without_the_data_to_correct(member):
    with pytest.raises(services.RightsError):
        file_in_account(member.person, kind="rectification", target="", proposed_value="x")
    with pytest.raises(services.RightsError):
        file_in_account(member.person, kind="rectification", target="last_name")
    assert not RightsRequest.objects.exists()


def _campaign_receipt(person, staff_user):
    campaign = Campaign.objects.create(name="Spring", channel=CampaignChannel.EMAIL, created_by=staff_user)
    return CampaignRecipient.objects.create(campaign=campaign, person=person, email=person.email or "x@example.org",
                                            language="fr", tracking=True, status="sent", sent_at=timezone.now(),
                                            opened_at=timezone.now(), clicked_at=timezone.now(), clicked_link=0)


@pytest.mark.rule("DSR-7")
def test_it_erases_what_may_go_and_lists_what_must_stay_with_the_reason(member, dpo):
    receipt = _campaign_receipt(member.person, dpo)
    filed = file_in_account(member.person, kind="erasure")
    services.answer(filed, staff=dpo)
    receipt.refresh_from_db()
    assert receipt.opened_at is None and receipt.clicked_at is None and receipt.clicked_link is None
    filed.refresh_from_db()
    assert "legal obligation" in filed.answer  # e.g. the identification the insurance law requires
    member.person.refresh_from_db()
    assert member.person.national_number  # kept


@pytest.mark.rule("DSR-7")
def test_it_keeps_records_under_a_legal_hold_and_says_why(member, dpo):
    from guichet.retention.holds import place_hold

    receipt = _campaign_receipt(member.person, dpo)
    place_hold(member.person, by=dpo, reason="Litigation", case_reference="CASE-1", category="campaign_tracking")
    filed = file_in_account(member.person, kind="erasure")
    services.answer(filed, staff=dpo)
    receipt.refresh_from_db()
    assert receipt.opened_at is not None
    filed.refresh_from_db()
    assert filed.status == RequestStatus.ANSWERED and "legal hold" in filed.answer


def _email_selection():
    return AudienceFilter(channel=CampaignChannel.EMAIL, context="", product="", language="", for_group_entity=False,
                          requires_consent=False)


@pytest.mark.rule("DSR-8")
def test_an_objection_stops_profiling_and_campaigns(member, dpo):
    marie = member.person
    assert may_profile(marie)
    in_audience = audience(_email_selection()).filter(pk=marie.pk).exists()
    filed = file_in_account(marie, kind="objection", target="direct_marketing", details="No offers, thanks.")
    services.answer(filed, staff=dpo)
    assert ProcessingFlag.objects.filter(person=marie, kind="objection", processing="direct_marketing").exists()
    assert not may_profile(marie)
    assert not receives_offers(marie, "email")
    assert not audience(_email_selection()).filter(pk=marie.pk).exists()
    if in_audience:
        assert dict((key, count) for key, _label, count in report(_email_selection()).excluded).get("objected") == 1


@pytest.mark.rule("DSR-8")
def test_the_dpo_office_refuses_an_objection_on_compelling_grounds(member, dpo, mailoutbox):
    marie = member.person
    filed = file_in_account(marie, kind="objection", target="all")
    services.refuse(filed, staff=dpo, reason="An investigation of fraud is under way.",
                    compelling_grounds="Fraud case F-2026-12: the processing is needed to fight fraud.")
    filed.refresh_from_db()
    assert filed.status == RequestStatus.REFUSED and filed.compelling_grounds.startswith("Fraud case")
    assert not ProcessingFlag.objects.filter(person=marie).exists()
    assert may_profile(marie)
    assert LedgerEntry.objects.filter(kind="rights.refused", subject=marie).exists()


@pytest.mark.rule("DSR-11")
def test_a_restriction_keeps_the_data_stored_but_unused(member, dpo):
    marie = member.person
    filed = file_in_account(marie, kind="restriction", target="profiling", details="I contest the accuracy.")
    services.answer(filed, staff=dpo)
    assert not may_profile(marie)
    assert ProcessingFlag.objects.filter(person=marie, kind="restriction", processing="profiling").exists()
    marie.refresh_from_db()
    assert marie.national_number  # stored, not erased


@pytest.mark.rule("DSR-10")
def test_a_transfer_gives_a_documented_package_and_ends_the_affiliation(member, marie_ebox, dpo):
    from guichet.ebox.models import Document

    marie = member.person
    filed = file_in_account(marie, kind="transfer", target="Mutualité Exemple")
    with pytest.raises(services.RightsError, match="date of the change"):
        services.answer(filed, staff=dpo)
    services.answer(filed, staff=dpo, confirm_on=timezone.localdate())
    affiliations = Affiliation.objects.filter(person=marie)
    assert affiliations and all(a.status == AffiliationStatus.ENDED for a in affiliations)
    assert {a.end_reason for a in affiliations} == {AffiliationEndReason.CHANGE_OF_MUTUAL}
    filed.refresh_from_db()
    document = Document.objects.get(public_id=filed.answer_document)
    with document.file.open("rb") as handle, zipfile.ZipFile(io.BytesIO(handle.read())) as archive:
        package = json.loads(archive.read("mutation-package.json"))
    assert package["person"]["national_number"] == marie.national_number
    assert package["new_mutual"] == "Mutualité Exemple"
    assert set(package["schema"]) >= {"person", "addresses", "affiliations", "households"}
    assert "health" not in json.dumps(package).lower()


def _decision(person):
    from django.db import transaction

    from guichet.decisions import kinds
    from guichet.decisions.services import record_decision

    key = next(iter(kinds.all_kinds()))
    with transaction.atomic():
        return record_decision(key, person, inputs={"year": 2026}, outcome="refused",
                               explanation={"fr": "Refusé", "nl": "Geweigerd", "en": "Refused"}, rules="2026")


@pytest.mark.rule("DSR-9")
def test_a_human_review_goes_to_the_decisions_review_queue_with_the_reasons(client, log_in, member):
    from guichet.decisions.models import Review

    decision = _decision(member.person)
    log_in(client, member)
    form = client.get(reverse("rights:new-request")).content.decode()
    assert str(decision.public_id) in form
    client.post(reverse("rights:new-request"), {"kind": "human_review", "decision": str(decision.public_id),
                                                "details": "My income fell this year."})
    review = Review.objects.get(decision=decision)
    assert review.reasons == "My income fell this year." and review.requested_by == member.person
    filed = RightsRequest.objects.get(person=member.person)
    assert filed.status == RequestStatus.ANSWERED


@pytest.mark.rule("DSR-9")
def test_a_review_of_someone_elses_decision_is_refused(member, other_member):
    decision = _decision(other_member.person)
    with pytest.raises(services.RightsError, match="no such automated decision"):
        file_in_account(member.person, kind="human_review", target=str(decision.public_id), details="Why?")
    with pytest.raises(services.RightsError, match="reasons"):
        file_in_account(member.person, kind="human_review", target=str(decision.public_id))


def test_a_refusal_needs_a_reason_and_staff_of_the_dpo_office(member, dpo, agent):
    filed = file_in_account(member.person, kind="erasure")
    with pytest.raises(services.RightsError):
        services.refuse(filed, staff=dpo, reason="  ")
    with pytest.raises(services.RightsError, match="role"):
        services.refuse(filed, staff=agent, reason="No.")
    filed.refresh_from_db()
    assert filed.is_open


def test_staff_steps_by_the_pages_show_a_clear_message(client, member, dpo):
    filed = file_in_account(member.person, kind="access", received_at=timezone.now() - datetime.timedelta(days=45))
    staff_in(client, dpo)
    page = client.post(reverse("rights:extend", args=[filed.public_id]), {"reason": "volume"}, follow=True)
    assert page.status_code == 200 and "can no longer be extended" in page.content.decode()
    page = client.post(reverse("rights:refuse", args=[filed.public_id]), {"reason": "Identity not proven."},
                       follow=True)
    filed.refresh_from_db()
    assert filed.status == RequestStatus.REFUSED and "Identity not proven." in page.content.decode()
