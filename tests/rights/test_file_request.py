"""Filing a request: from the account (the subject, or a parent or agent the policy allows), from the website
with both sides of the identity card, at an agency or by a dated and signed letter registered by staff."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from guichet.ledger.models import LedgerEntry
from guichet.rights import services
from guichet.rights.models import RequestChannel, RequestStatus, RightsRequest
from tests.mandates.helpers import give
from tests.rights.conftest import file_in_account, id_side, staff_in

pytestmark = pytest.mark.django_db


@pytest.mark.rule("DSR-12")
def test_it_files_a_request_from_the_account_with_the_identity_known(client, log_in, member):
    log_in(client, member)
    response = client.post(reverse("rights:new-request"), {"kind": "access", "details": "All of it, please."})
    filed = RightsRequest.objects.get(person=member.person)
    assert response.status_code == 302 and str(filed.public_id) in response.url
    assert filed.channel == RequestChannel.ACCOUNT and filed.status == RequestStatus.VERIFIED
    assert filed.reference.startswith("DSR-")
    page = client.get(response.url)
    assert filed.reference in page.content.decode()
    kinds = set(LedgerEntry.objects.filter(subject=member.person).values_list("kind", flat=True))
    assert {"rights.received", "rights.identity_verified"} <= kinds


@pytest.mark.rule("DSR-12")
def test_it_lets_a_parent_file_for_a_young_child(client, log_in, member, minor):
    from guichet.mandates.middleware import ACTING_FOR

    log_in(client, member)
    session = client.session
    session[ACTING_FOR] = str(minor.public_id)
    session.save()
    client.post(reverse("rights:new-request"), {"kind": "access"})
    filed = RightsRequest.objects.get(person=minor)
    assert filed.filed_by == member.person


def _acting_for(client, log_in, user, target):
    from guichet.mandates.middleware import ACTING_FOR

    log_in(client, user)
    session = client.session
    session[ACTING_FOR] = str(target.public_id)
    session.save()


@pytest.mark.rule("DSR-12")
def test_it_refuses_an_agent_without_the_privacy_scope(client, log_in, member, other_member):
    give(member.person, other_member.person, scopes=["consult"])
    _acting_for(client, log_in, other_member, member.person)
    assert client.get(reverse("rights:my-requests")).status_code == 404
    assert client.post(reverse("rights:new-request"), {"kind": "access"}).status_code == 404
    assert not RightsRequest.objects.filter(person=member.person).exists()


@pytest.mark.rule("DSR-12")
def test_it_lets_an_agent_with_the_privacy_scope_file_for_the_grantor(client, log_in, member, other_member):
    give(member.person, other_member.person, scopes=["privacy"])
    _acting_for(client, log_in, other_member, member.person)
    assert client.post(reverse("rights:new-request"), {"kind": "access"}).status_code == 302
    assert RightsRequest.objects.get(person=member.person).filed_by == other_member.person


@pytest.mark.rule("DSR-12", "DSR-15")
def test_it_does_not_duplicate_a_second_identical_open_request(client, log_in, member):
    first = file_in_account(member.person)
    log_in(client, member)
    response = client.post(reverse("rights:new-request"), {"kind": "access"})
    assert response.status_code == 200
    assert first.reference in response.content.decode()
    assert "No second request was recorded" in response.content.decode()
    assert RightsRequest.objects.count() == 1


def test_it_keeps_another_members_request_out_of_reach(client, log_in, member, other_member, stranger):
    filed = file_in_account(member.person)
    url = f"{reverse('rights:my-request')}?r={filed.public_id}"
    for intruder in (other_member, stranger):
        log_in(client, intruder)
        assert client.get(url).status_code == 404
        assert filed.reference not in client.get(reverse("rights:my-requests")).content.decode()
    assert client.get(f"{reverse('rights:my-request')}?r=not-an-id").status_code == 404


@pytest.mark.rule("DSR-13")
def test_it_refuses_a_website_request_without_both_sides_of_the_identity_card(client, personas):
    marie = personas["marie"]
    data = {"requester_name": "Marie Dupont", "requester_email": "marie@example.org",
            "national_number": marie.national_number, "kind": "erasure", "id_front": id_side()}
    response = client.post(reverse("rights:public-request"), data)
    assert response.status_code == 400
    assert "both sides of your identity card" in response.content.decode()
    assert not RightsRequest.objects.exists()


@pytest.mark.rule("DSR-13")
def test_it_refuses_a_fake_identity_card_copy(client, personas):
    data = {"requester_name": "Marie Dupont", "requester_email": "marie@example.org",
            "national_number": personas["marie"].national_number, "kind": "access",
            "id_front": id_side("front.png", b"<html><script>alert(1)</script></html>"), "id_back": id_side()}
    response = client.post(reverse("rights:public-request"), data)
    assert response.status_code == 400
    assert not RightsRequest.objects.exists()


@pytest.mark.rule("DSR-13", "DSR-12")
def test_it_records_a_website_request_with_the_id_copy_for_the_dpo_office_to_verify(client, personas, dpo):
    marie = personas["marie"]
    data = {"requester_name": "Marie Dupont", "requester_email": "marie@example.org",
            "national_number": marie.national_number, "kind": "access", "id_front": id_side(),
            "id_back": id_side("back.png")}
    response = client.post(reverse("rights:public-request"), data)
    assert response.status_code == 302
    filed = RightsRequest.objects.get()
    assert filed.person == marie and filed.status == RequestStatus.RECEIVED and filed.identity_verified_at is None
    assert filed.id_front and filed.id_back
    assert filed.reference in client.get(response.url).content.decode()
    with pytest.raises(services.RightsError, match="Verify the identity"):
        services.answer(filed, staff=dpo)
    services.verify_identity(filed, staff=dpo)
    filed.refresh_from_db()
    assert filed.status == RequestStatus.VERIFIED
    assert LedgerEntry.objects.filter(kind="rights.identity_verified", subject=marie).exists()


@pytest.mark.rule("DSR-16")
def test_it_registers_a_dated_signed_letter_with_the_id_copy(client, log_in, personas, agent):
    marie = personas["marie"]
    staff_in(client, agent)
    base = {"channel": "post", "national_number": marie.national_number, "kind": "objection",
            "processing": "profiling", "received_on": timezone.localdate().isoformat(),
            "letter_dated_on": (timezone.localdate() - datetime.timedelta(days=3)).isoformat()}
    unsigned = client.post(reverse("rights:register"), {**base, "id_front": id_side(), "id_back": id_side()})
    assert "must be signed" in unsigned.content.decode()
    no_copy = client.post(reverse("rights:register"), {**base, "letter_signed": "on"})
    assert "identity card" in no_copy.content.decode()
    assert not RightsRequest.objects.exists()
    done = client.post(reverse("rights:register"), {**base, "letter_signed": "on", "id_front": id_side(),
                                                    "id_back": id_side()})
    assert done.status_code == 302
    filed = RightsRequest.objects.get()
    assert filed.channel == RequestChannel.POST and filed.registered_by == agent
    assert filed.letter_signed and filed.letter_dated_on and not filed.electronic_answer
    assert filed.letters.count() == 1  # the acknowledgement goes by post: the channel the person used (DSR-14)


@pytest.mark.rule("DSR-12")
def test_it_registers_an_agency_request_with_the_identity_seen_at_the_counter(agent, personas):
    filed = services.file_request(kind="rectification", channel=RequestChannel.AGENCY, person=personas["marie"],
                                  registered_by=agent, target="last_name", proposed_value="Dupont-Martin")
    assert filed.identity_verified_at is not None and filed.status == RequestStatus.VERIFIED


@pytest.mark.rule("DSR-13")
def test_it_slows_down_a_flood_of_website_requests(client, personas, settings):
    data = {"requester_name": "Someone", "requester_email": "someone@example.org",
            "national_number": personas["marie"].national_number, "kind": "objection", "processing": "profiling"}
    statuses = [client.post(reverse("rights:public-request"), {**data, "id_front": id_side(),
                                                                 "id_back": id_side()}).status_code
                for _ in range(8)]
    assert statuses[0] == 302
    last = client.post(reverse("rights:public-request"), {**data, "id_front": id_side(), "id_back": id_side()})
    assert last.status_code == 400 and "Too many requests" in last.content.decode()


@pytest.mark.rule("DSR-13")
def test_only_the_dpo_office_opens_the_id_copy(client, personas, dpo, agent, member, log_in):
    filed = services.file_request(kind="access", channel=RequestChannel.WEBSITE, requester_name="Marie Dupont",
                                  requester_email="marie@example.org",
                                  national_number=personas["marie"].national_number, id_front=id_side(),
                                  id_back=id_side())
    url = reverse("rights:id-copy", args=[filed.public_id, "front"])
    staff_in(client, dpo)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert client.get(reverse("rights:id-copy", args=[filed.public_id, "side"])).status_code == 404
    staff_in(client, agent)
    assert client.get(url).status_code == 404
    log_in(client, member)
    assert client.get(url).status_code == 404


@pytest.mark.rule("DSR-15", "DSR-12")
def test_a_request_registered_later_keeps_its_day_of_receipt(client, personas, agent):
    staff_in(client, agent)
    received = timezone.localdate() - datetime.timedelta(days=10)
    base = {"channel": "agency", "national_number": personas["marie"].national_number, "kind": "access"}
    future = client.post(reverse("rights:register"), {**base, "received_on": (
        timezone.localdate() + datetime.timedelta(days=1)).isoformat()})
    assert "cannot be in the future" in future.content.decode() and not RightsRequest.objects.exists()
    client.post(reverse("rights:register"), {**base, "received_on": received.isoformat()})
    filed = RightsRequest.objects.get()
    assert filed.due_on == services.first_deadline(received)
