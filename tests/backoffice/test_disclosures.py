"""DISC-1..3, PRIV-5, PRIV-6: the desk records a third party's request; the rules refuse by themselves an
unknown ground or a sale, a recipient the context does not list, a processor asking outside its task and
a transfer that is not allowed, with the reason recorded; otherwise the DPO office decides; the decision
and the data sent go to the ledger."""

import pytest
from django.urls import reverse

from guichet.accounts.models import StaffRole
from guichet.backoffice import services
from guichet.backoffice.models import DisclosureRequest, DisclosureStatus
from guichet.ledger.models import LedgerEntry

pytestmark = pytest.mark.django_db


def ask(desk, concerned, **changes):
    fields = dict(
        received_by=desk,
        requester_name="A. Janssens",
        requester_organisation="Control Office",
        recipient="control_office",
        country="BE",
        context="compulsory",
        ground="law_or_legitimate_interest",
        categories=["identification", "affiliation"],
        person=concerned,
    )
    fields.update(changes)
    return services.receive_disclosure_request(**fields)


@pytest.fixture
def desk(acknowledged_staff):
    return acknowledged_staff(StaffRole.AGENT)


@pytest.fixture
def dpo(acknowledged_staff):
    return acknowledged_staff(StaffRole.DPO_OFFICE)


@pytest.mark.rule("DISC-1")
@pytest.mark.rule("DISC-2")
def test_it_waits_for_the_dpo_when_the_rules_allow_the_request(desk, personas):
    request = ask(desk, personas["marie"])
    assert request.status == DisclosureStatus.PENDING
    entry = LedgerEntry.objects.get(kind="backoffice.disclosure_received")
    assert entry.subject == personas["marie"] and entry.context == "compulsory"


@pytest.mark.rule("DISC-1")
@pytest.mark.parametrize("ground", ["curiosity", "marketing"])
def test_it_refuses_by_itself_a_ground_that_is_not_one_of_disc_1(desk, personas, ground):
    request = ask(desk, personas["marie"], ground=ground)
    assert request.status == DisclosureStatus.REFUSED_BY_RULE
    assert "(DISC-1)" in request.reason
    assert LedgerEntry.objects.filter(kind="backoffice.disclosure_refused").count() == 1


@pytest.mark.rule("PRIV-5")
@pytest.mark.rule("DISC-3")
@pytest.mark.parametrize("ground", sorted(services.SALE_GROUNDS))
def test_it_never_sells_data(desk, dpo, personas, ground):
    request = ask(desk, personas["marie"], ground=ground)
    assert request.status == DisclosureStatus.REFUSED_BY_RULE
    assert request.reason == "Data are never sold (PRIV-5)."
    with pytest.raises(services.BackofficeError):  # and nobody can grant it afterwards
        services.decide_disclosure(request, by=dpo, grant=True, reason="override")
    assert not set(services.SALE_GROUNDS) & set(services.disclosure_grounds())


@pytest.mark.rule("DISC-2")
@pytest.mark.parametrize(
    ("context", "recipient"),
    [
        ("compulsory", "banks"),  # a recipient of operations, not of compulsory insurance
        ("operations", "fedris"),
        ("complementary", "other"),
    ],
)
def test_it_refuses_by_itself_a_recipient_the_context_does_not_list(desk, personas, context, recipient):
    request = ask(
        desk, personas["marie"], context=context, recipient=recipient, categories=["identification"]
    )
    assert request.status == DisclosureStatus.REFUSED_BY_RULE
    assert "(DISC-2)" in request.reason


@pytest.mark.rule("DISC-3")
def test_it_gives_a_processor_only_the_categories_of_its_task(desk, dpo, personas):
    outside = ask(
        desk,
        personas["marie"],
        context="operations",
        recipient="processors",
        processor="call_centres",
        ground="contract",
        categories=["identification", "health"],
    )
    assert outside.status == DisclosureStatus.REFUSED_BY_RULE
    assert "health" in outside.reason and "(DISC-3)" in outside.reason
    unknown_task = ask(
        desk,
        personas["marie"],
        context="operations",
        recipient="processors",
        processor="resellers",
        ground="contract",
        categories=["identification"],
    )
    assert unknown_task.status == DisclosureStatus.REFUSED_BY_RULE
    within = ask(
        desk,
        personas["marie"],
        context="operations",
        recipient="processors",
        processor="call_centres",
        ground="contract",
        categories=["identification", "contact"],
    )
    assert within.status == DisclosureStatus.PENDING
    services.decide_disclosure(within, by=dpo, grant=True, reason="contract of the campaign")
    assert LedgerEntry.objects.filter(kind="backoffice.disclosure_granted").count() == 1


@pytest.mark.rule("PRIV-6")
@pytest.mark.rule("DISC-2")
def test_it_refuses_by_itself_a_transfer_outside_the_eea_that_is_not_allowed(desk, personas):
    request = ask(
        desk,
        personas["marie"],
        context="operations",
        recipient="group_entities",
        country="US",
        ground="contract",
        transfer_ground="contract_in_interest",
        categories=["identification"],
    )
    assert request.status == DisclosureStatus.REFUSED_BY_RULE
    assert request.reason.startswith("Transfer refused (PRIV-6)")


@pytest.mark.rule("PRIV-6")
def test_it_lets_the_dpo_decide_a_transfer_the_register_allows(desk, personas):
    request = ask(
        desk,
        personas["marie"],
        recipient="assistance_abroad",
        country="US",
        ground="vital_interests",
        transfer_ground="vital_interests",
        categories=["identification", "health"],
    )
    assert request.status == DisclosureStatus.PENDING


@pytest.mark.rule("DISC-1")
def test_it_records_the_dpo_decision_and_what_was_sent(desk, dpo, personas):
    request = ask(desk, personas["marie"], categories=["identification", "affiliation", "payments"])
    services.decide_disclosure(
        request,
        by=dpo,
        grant=True,
        reason="Legal request ref. 12/2026",
        categories=["identification", "affiliation"],
    )
    request.refresh_from_db()
    assert request.status == DisclosureStatus.GRANTED and request.decided_by == dpo
    assert request.sent_categories == ["identification", "affiliation"]
    entry = LedgerEntry.objects.get(kind="backoffice.disclosure_granted")
    assert '"sent":["identification","affiliation"]' in entry.payload and entry.subject == personas["marie"]
    with pytest.raises(services.BackofficeError):
        services.decide_disclosure(request, by=dpo, grant=False, reason="changed my mind")


@pytest.mark.rule("DISC-1")
def test_it_sends_only_what_was_asked(desk, dpo, personas):
    request = ask(desk, personas["marie"])
    with pytest.raises(services.BackofficeError):
        services.decide_disclosure(request, by=dpo, grant=True, reason="ok", categories=["health"])
    request.refresh_from_db()
    assert request.status == DisclosureStatus.PENDING


@pytest.mark.rule("DISC-1")
def test_it_lets_only_the_dpo_office_decide(desk, personas):
    request = ask(desk, personas["marie"])
    with pytest.raises(services.BackofficeError):
        services.decide_disclosure(request, by=desk, grant=True, reason="I am helpful")
    assert DisclosureRequest.objects.get().status == DisclosureStatus.PENDING


@pytest.mark.rule("DISC-1")
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"requester_name": " "}, "requester_name"),
        ({"country": "Belgium"}, "country"),
        ({"context": "shop"}, "context"),
        ({"categories": []}, "categories"),
        ({"categories": ["camera_images"]}, "categories"),  # not held in compulsory insurance
        ({"person": None}, "person"),
    ],
)
def test_it_refuses_bad_input_and_writes_nothing(desk, personas, changes, field):
    with pytest.raises(services.BackofficeError) as refused:
        ask(desk, personas["marie"], **changes)
    assert refused.value.field == field
    assert not DisclosureRequest.objects.exists()
    assert not LedgerEntry.objects.filter(kind__startswith="backoffice.disclosure").exists()


@pytest.mark.rule("DISC-1")
@pytest.mark.rule("DISC-2")
def test_it_works_through_the_pages(staff_client, personas):
    agent, dpo = staff_client(StaffRole.AGENT), staff_client(StaffRole.DPO_OFFICE)
    marie = personas["marie"]
    response = agent.post(
        reverse("backoffice:new-disclosure"),
        {
            "requester_name": "A. Janssens",
            "requester_organisation": "Banque X",
            "recipient": "banks",
            "country": "BE",
            "context": "compulsory",
            "ground": "contract",
            "categories": ["identification"],
            "person_number": marie.member_number,
        },
    )
    refused = DisclosureRequest.objects.get()
    assert response.status_code == 302 and refused.status == DisclosureStatus.REFUSED_BY_RULE
    assert "(DISC-2)" in agent.get(response.url).content.decode()
    agent.post(
        reverse("backoffice:new-disclosure"),
        {
            "requester_name": "A. Janssens",
            "requester_organisation": "INAMI",
            "recipient": "inami",
            "country": "BE",
            "context": "compulsory",
            "ground": "law_or_legitimate_interest",
            "categories": ["identification", "affiliation"],
            "person_number": marie.national_number,
        },
    )
    pending = DisclosureRequest.objects.get(status=DisclosureStatus.PENDING)
    url = reverse("backoffice:disclosure", kwargs={"request_id": pending.public_id})
    assert agent.post(url, {"decision": "grant", "reason": "x"}).status_code == 404  # an agent cannot decide
    response = dpo.post(
        url, {"decision": "grant", "reason": "Legal obligation", "categories": ["identification"]}
    )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == DisclosureStatus.GRANTED and pending.sent_categories == ["identification"]


def test_it_says_when_the_person_is_unknown(staff_client):
    response = staff_client(StaffRole.AGENT).post(
        reverse("backoffice:new-disclosure"),
        {
            "requester_name": "A",
            "requester_organisation": "B",
            "recipient": "inami",
            "country": "BE",
            "context": "compulsory",
            "ground": "contract",
            "categories": ["identification"],
            "person_number": "000",
        },
    )
    assert response.status_code == 200
    assert "There is no member file with this reference." in response.content.decode()
    assert not DisclosureRequest.objects.exists()
