"""PRIV-4: processing that rests on consent asks for it first; consents are recorded, withdrawn, and checked."""

import copy
import datetime

import pytest
from django.utils import timezone

from guichet.privacy import services
from guichet.privacy.models import Consent, ConsentMethod
from guichet.privacy.register import build_register, load_register
from guichet.privacy.services import PrivacyError, give_consent, has_consent, needs_consent, withdraw_consent

pytestmark = [pytest.mark.rule("PRIV-4"), pytest.mark.django_db]

MARKETING = "operations:direct_marketing"


def test_a_member_gives_and_withdraws_consent(member):
    person = member.person
    assert not has_consent(person, MARKETING)
    consent = give_consent(MARKETING, person=person, how=ConsentMethod.WEB)
    assert (consent.context, consent.purpose, consent.how) == ("operations", "direct_marketing", "web")
    assert has_consent(person, MARKETING)
    assert give_consent(MARKETING, person=person) == consent  # giving again changes nothing
    assert withdraw_consent(MARKETING, person=person) == 1
    assert not has_consent(person, MARKETING)
    assert Consent.objects.get(pk=consent.pk).withdrawn_at is not None  # kept as proof, with its end


def test_consent_is_judged_at_a_moment(member):
    person = member.person
    start = timezone.now() - datetime.timedelta(days=10)
    give_consent(MARKETING, person=person, how=ConsentMethod.PAPER, at=start)
    withdraw_consent(MARKETING, person=person, at=start + datetime.timedelta(days=5))
    assert not has_consent(person, MARKETING, at=start - datetime.timedelta(days=1))
    assert has_consent(person, MARKETING, at=start + datetime.timedelta(days=1))
    assert not has_consent(person, MARKETING, at=start + datetime.timedelta(days=6))


def test_a_non_member_consents_by_e_mail_without_the_address_being_stored(db):
    consent = give_consent("operations:prospecting", email="Someone@Example.org", how=ConsentMethod.PHONE)
    assert consent.person is None and consent.subject_key and "example" not in consent.subject_key
    assert has_consent(None, "operations:prospecting", email="someone@example.org ")
    assert not has_consent(None, "operations:prospecting", email="other@example.org")


def test_one_member_consent_is_not_anothers(member, other_member):
    give_consent(MARKETING, person=member.person)
    assert not has_consent(other_member.person, MARKETING)


@pytest.mark.parametrize("purpose", ["compulsory:insurability", "operations:accounting", "nowhere:nothing",
                                     "insurability"])
def test_it_refuses_a_purpose_that_does_not_rest_on_consent_or_does_not_exist(member, purpose):
    with pytest.raises(PrivacyError):
        give_consent(purpose, person=member.person)
    assert not Consent.objects.exists()


def test_the_consent_names_the_declaration_in_force(member):
    version, _created = services.publish_declaration()
    assert give_consent(MARKETING, person=member.person).declaration_version == version


def test_needs_consent_follows_the_legal_bases_of_the_register():
    register = load_register()
    for context in register.contexts:
        for purpose in context.purposes:
            if needs_consent(context.key, purpose.key):
                assert any(b.is_consent for b in context.bases_of(purpose)), (context.key, purpose.key)
    assert not needs_consent("compulsory", "insurability")  # a legal obligation
    assert not needs_consent("operations", "contact_management")  # the client file
    assert not needs_consent("operations", "website_analytics")  # legitimate interest (art. 6 only)
    assert needs_consent("insurance_company", "studies_wellbeing")  # health data: explicit consent only


def test_a_purpose_resting_only_on_consent_needs_it(monkeypatch):
    raw = copy.deepcopy(load_register().raw)
    purpose = next(p for p in raw["contexts"]["operations"]["purposes"] if p["key"] == "website_analytics")
    purpose["legal_bases"] = ["consent"]
    monkeypatch.setattr(services, "load_register", lambda: build_register(raw))
    assert needs_consent("operations", "website_analytics")
