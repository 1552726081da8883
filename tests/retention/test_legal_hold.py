"""RET-4: a legal hold keeps a person's data as evidence whatever the date; lifting it lets the rules apply
again; both are in the ledger; only the data protection office places and lifts holds."""

import pytest

from guichet.accounts.models import StaffRole
from guichet.ledger.models import LedgerEntry
from guichet.members.models import Address, Person
from guichet.retention import engine
from guichet.retention.holds import RetentionError, is_held, lift_hold, place_hold
from guichet.retention.models import LegalHold
from tests.conftest import english_client
from tests.retention.helpers import person_who_left

pytestmark = [pytest.mark.django_db, pytest.mark.rule("RET-4")]


@pytest.fixture
def dpo(staff):
    return staff(StaffRole.DPO_OFFICE)


def test_it_keeps_held_data_whatever_the_date(dpo):
    held = person_who_left(45)
    free = person_who_left(45)
    place_hold(held, by=dpo, reason="Dispute over reimbursements", case_reference="TPI-2026-17")

    engine.run()

    assert Person.objects.get(pk=held.pk).first_name == held.first_name
    assert Address.objects.filter(person=held).exists()
    assert Person.objects.get(pk=free.pk).first_name == ""
    assert is_held(held) and not is_held(free)


def test_it_erases_the_data_once_the_hold_is_lifted(dpo):
    held = person_who_left(31)
    hold = place_hold(held, by=dpo, reason="Dispute", case_reference="C-1")
    engine.run()
    assert Person.objects.get(pk=held.pk).first_name == held.first_name

    lift_hold(hold, by=dpo, reason="Judgment final")
    engine.run()

    assert Person.objects.get(pk=held.pk).first_name == ""
    assert not is_held(held)
    assert is_held(held, at=hold.placed_at)  # it stood then


def test_it_holds_only_the_context_or_category_named(dpo):
    person = person_who_left(6, context="insurance_company", reason="end_of_contract")
    place_hold(person, by=dpo, reason="Dispute on the contract", case_reference="C-2", context="compulsory")

    assert is_held(person, context="compulsory") and not is_held(person, context="insurance_company")
    assert is_held(person, context="compulsory", category="health")
    engine.run()
    assert not person.affiliations.filter(context="insurance_company").exists()  # not held in that context

    other = person_who_left(6, context="insurance_company", reason="end_of_contract")
    place_hold(other, by=dpo, reason="Dispute", case_reference="C-3", context="insurance_company",
               category="affiliation")
    assert is_held(other, category="affiliation") and not is_held(other, category="health")
    engine.run()
    assert other.affiliations.filter(context="insurance_company").exists()


def test_it_records_placing_and_lifting_in_the_ledger(dpo):
    person = person_who_left(1)
    hold = place_hold(person, by=dpo, reason="Dispute", case_reference="C-4")
    lift_hold(hold, by=dpo, reason="Settled")

    kinds = list(LedgerEntry.objects.filter(subject=person).order_by("sequence").values_list("kind", flat=True))
    assert kinds == ["retention.hold_placed", "retention.hold_lifted"]


def test_it_refuses_a_hold_without_reason_or_case_and_a_second_lifting(dpo):
    person = person_who_left(1)
    with pytest.raises(RetentionError):
        place_hold(person, by=dpo, reason=" ", case_reference="C-5")
    with pytest.raises(RetentionError):
        place_hold(person, by=dpo, reason="Dispute", case_reference="")
    with pytest.raises(RetentionError):
        place_hold(person, by=dpo, reason="Dispute", case_reference="C", context="nowhere")
    assert not LegalHold.objects.exists()
    hold = place_hold(person, by=dpo, reason="Dispute", case_reference="C-5")
    lift_hold(hold, by=dpo, reason="Settled")
    with pytest.raises(RetentionError):
        lift_hold(hold, by=dpo, reason="Again")


def test_the_dpo_office_places_and_lifts_a_hold_on_the_staff_page(dpo, log_in):
    person = person_who_left(31)
    client = english_client()
    log_in(client, dpo)

    response = client.post("/staff/retention/holds/", {"member_number": person.member_number, "context": "",
                                                        "category": "", "reason": "Dispute",
                                                        "case_reference": "TPI-9"})
    assert response.status_code == 302
    hold = LegalHold.objects.get(person=person)
    page = client.get("/staff/retention/")
    assert page.status_code == 200 and "TPI-9" in page.content.decode()
    assert "members.person" in page.content.decode()  # the plan of the next run (RET-9)

    response = client.post(f"/staff/retention/holds/{hold.public_id}/lift/", {"lift_reason": "Settled"})
    assert response.status_code == 302
    hold.refresh_from_db()
    assert hold.lifted_at is not None and hold.lifted_by == dpo


def test_the_page_says_what_is_wrong_and_changes_nothing(dpo, log_in):
    client = english_client()
    log_in(client, dpo)
    response = client.post("/staff/retention/holds/", {"member_number": "NOPE", "reason": "Dispute",
                                                        "case_reference": "C"})
    assert response.status_code == 400
    assert "No person has this membership number." in response.content.decode()
    assert not LegalHold.objects.exists()


@pytest.mark.rule("RET-9")
@pytest.mark.parametrize("role", [StaffRole.AGENT, StaffRole.ADMINISTRATOR, StaffRole.MODERATOR])
def test_other_roles_and_members_get_404(staff, dpo, member, log_in, role):
    person = person_who_left(31)
    hold = place_hold(person, by=dpo, reason="Dispute", case_reference="C-6")
    for user in (staff(role), member):
        client = english_client()
        log_in(client, user)
        assert client.get("/staff/retention/").status_code == 404
        assert client.post("/staff/retention/holds/", {"member_number": person.member_number, "reason": "x",
                                                        "case_reference": "y"}).status_code == 404
        assert client.post(f"/staff/retention/holds/{hold.public_id}/lift/",
                           {"lift_reason": "x"}).status_code == 404
    assert list(LegalHold.objects.values_list("pk", "lifted_at")) == [(hold.pk, None)]
