"""EBOX-2, EBOX-3: the e-Box is open to members of the compulsory insurance, of the complementary
services or of a product of the mutual insurance company; the member activates or deactivates it at any
time in My settings, and each change is kept (history and ledger)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from guichet.ebox import services
from guichet.ebox.errors import EboxError
from guichet.ebox.models import EboxChange
from guichet.ledger.models import LedgerEntry
from guichet.members.models import Affiliation, AffiliationStatus, Context
from tests.mandates.helpers import give

pytestmark = pytest.mark.django_db


def only_affiliation(person, context, product=""):
    Affiliation.objects.filter(person=person).delete()
    return Affiliation.objects.create(person=person, context=context, product=product,
                                      start=timezone.localdate() - datetime.timedelta(days=30))


@pytest.mark.rule("EBOX-2")
@pytest.mark.parametrize("context, product", [(Context.COMPULSORY, ""), (Context.COMPLEMENTARY, ""),
                                              (Context.INSURANCE_COMPANY, "hospital")])
def test_each_of_the_three_affiliations_opens_the_ebox(member, context, product):
    only_affiliation(member.person, context, product)
    assert services.is_eligible(member.person)
    services.set_ebox_active(member.person, True, actor=member.person)
    assert services.is_active(member.person)


@pytest.mark.rule("EBOX-2")
def test_without_an_affiliation_in_force_the_ebox_stays_closed(member):
    affiliation = only_affiliation(member.person, Context.COMPULSORY)
    affiliation.status = AffiliationStatus.ENDED
    affiliation.end = timezone.localdate() - datetime.timedelta(days=1)
    affiliation.save()
    assert not services.is_eligible(member.person)
    with pytest.raises(EboxError):
        services.set_ebox_active(member.person, True, actor=member.person)
    assert not services.is_active(member.person) and not EboxChange.objects.exists()


@pytest.mark.rule("EBOX-2", "EBOX-4")
def test_an_ebox_whose_member_left_the_mutual_no_longer_receives(member):
    services.set_ebox_active(member.person, True, actor=member.person)
    Affiliation.objects.filter(person=member.person).update(status=AffiliationStatus.ENDED,
                                                            end=timezone.localdate() - datetime.timedelta(days=1))
    assert not services.is_active(member.person)


@pytest.mark.rule("EBOX-3")
def test_the_member_activates_and_deactivates_in_my_settings(client, log_in, member):
    log_in(client, member)
    page = client.get(reverse("ebox:settings"))
    assert page.status_code == 200 and 'name="active"' in page.content.decode()
    assert client.post(reverse("ebox:settings"), {"active": "on"}).status_code == 302
    assert services.is_active(member.person)
    assert client.post(reverse("ebox:settings"), {}).status_code == 302
    assert not services.is_active(member.person)
    changes = list(EboxChange.objects.filter(person=member.person).order_by("at", "id")
                   .values_list("active", flat=True))
    assert changes == [True, False]
    kinds = list(LedgerEntry.objects.filter(subject_id=member.person.pk, kind__startswith="ebox.")
                 .order_by("sequence").values_list("kind", flat=True))
    assert kinds == ["ebox.activated", "ebox.deactivated"]
    history = client.get(reverse("ebox:settings")).content.decode()
    assert "activated" in history and "deactivated" in history


@pytest.mark.rule("EBOX-2", "EBOX-3")
def test_the_settings_page_explains_a_refusal_and_changes_nothing(client, log_in, member):
    Affiliation.objects.filter(person=member.person).delete()
    log_in(client, member)
    response = client.post(reverse("ebox:settings"), {"active": "on"})
    assert response.status_code == 200
    assert "compulsory insurance" in response.content.decode()
    assert not services.is_active(member.person)


@pytest.mark.rule("EBOX-3")
def test_an_agent_without_the_contact_scope_cannot_change_the_setting(client, log_in, member, other_member):
    from guichet.mandates.middleware import ACTING_FOR

    give(member.person, other_member.person, scopes=["consult"])
    log_in(client, other_member)
    session = client.session
    session[ACTING_FOR] = str(member.person.public_id)
    session.save()
    assert client.post(reverse("ebox:settings"), {"active": "on"}).status_code == 404
    assert not services.is_active(member.person)
