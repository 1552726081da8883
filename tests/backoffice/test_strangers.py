"""SEC-1, ACL-1: every back-office page refuses strangers: a visitor is sent to the login, a member and a
staff member whose role lacks the right get a 404 (as if the page did not exist), even for real objects."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.models import StaffRole
from guichet.backoffice import access, policy, services
from guichet.backoffice.models import ConfidentialityAcknowledgement
from guichet.ledger.models import LedgerEntry
from tests.backoffice.conftest import case
from tests.conftest import english_client

pytestmark = [pytest.mark.django_db, pytest.mark.rule("SEC-1"), pytest.mark.rule("ACL-1")]

# page -> (the action it needs, method)
PAGES = {
    "backoffice:desk": ("open_file", "get"),
    "backoffice:open-file": ("open_file", "get"),
    "backoffice:file": ("open_file", "get"),
    "backoffice:delegations": ("grant_delegation", "get"),
    "backoffice:revoke-delegation": ("grant_delegation", "post"),
    "backoffice:disclosures": ("receive_disclosure_request", "get"),
    "backoffice:new-disclosure": ("receive_disclosure_request", "get"),
    "backoffice:disclosure": ("receive_disclosure_request", "get"),
}


@pytest.fixture
def urls(acknowledged_staff, personas):
    """Each page's URL, with real objects behind it."""
    marie = personas["marie"]
    opened = access.open_file(
        acknowledged_staff(StaffRole.AGENT), marie, purpose_key="operations:contact_management", reason=case()
    )
    delegation = services.grant_delegation(
        acknowledged_staff(StaffRole.ADVISING_PHYSICIAN),
        acknowledged_staff(StaffRole.MEDICAL_DELEGATE),
        scope="compulsory",
        expires_at=timezone.now() + datetime.timedelta(days=3),
    )
    request = services.receive_disclosure_request(
        received_by=acknowledged_staff(StaffRole.DPO_OFFICE),
        requester_name="X",
        requester_organisation="Y",
        recipient="inami",
        country="BE",
        context="compulsory",
        ground="law_or_legitimate_interest",
        categories=["identification"],
        person=marie,
    )
    kwargs = {
        "backoffice:open-file": {"person_id": marie.public_id},
        "backoffice:file": {"access_id": opened.public_id},
        "backoffice:revoke-delegation": {"delegation_id": delegation.public_id},
        "backoffice:disclosure": {"request_id": request.public_id},
    }
    return {name: reverse(name, kwargs=kwargs.get(name)) for name in PAGES}


def fetch(client, name, url):
    return getattr(client, PAGES[name][1])(url)


@pytest.mark.parametrize("name", PAGES)
def test_it_sends_visitors_to_the_login(client, urls, name):
    response = fetch(client, name, urls[name])
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", PAGES)
def test_it_answers_404_to_a_member(client, member, log_in, urls, name):
    assert fetch(log_in(client, member), name, urls[name]).status_code == 404


@pytest.mark.parametrize("name", [name for name, (action, _method) in PAGES.items() if action != "open_file"])
def test_it_answers_404_to_staff_whose_role_lacks_the_right(urls, acknowledged_staff, log_in, name):
    action = PAGES[name][0]
    lacking = [role for role in StaffRole if not policy.staff_may(acknowledged_staff(role), action)]
    assert lacking
    for role in lacking:
        response = fetch(log_in(english_client(), acknowledged_staff(role)), name, urls[name])
        assert response.status_code == 404, role
        assert "Your role does not give access to this page." in response.content.decode()
    refused = LedgerEntry.objects.filter(kind="backoffice.file_access_refused",
                                         payload__contains="role_lacks_right")
    assert refused.count() == len(lacking)


def test_every_role_opens_files_only_for_its_own_purposes(acknowledged_staff, personas):
    """The pages of open_file have no role without the right: the refusal is per purpose (test_open_file)."""
    for role in StaffRole:
        assert policy.staff_may(acknowledged_staff(role), "open_file"), role
        assert policy.purposes_of(role), role


@pytest.mark.parametrize("name", ["backoffice:file", "backoffice:revoke-delegation", "backoffice:disclosure"])
def test_it_answers_404_to_a_forged_id(staff_client, urls, name):
    role = {
        "backoffice:file": StaffRole.AGENT,
        "backoffice:revoke-delegation": StaffRole.ADVISING_PHYSICIAN,
        "backoffice:disclosure": StaffRole.DPO_OFFICE,
    }[name]
    forged = urls[name].rsplit("/", 3)
    url = urls[name].replace(
        next(part for part in forged if len(part) == 36), "00000000-0000-4000-8000-000000000000"
    )
    assert fetch(staff_client(role), name, url).status_code == 404


@pytest.mark.parametrize("name", PAGES)
def test_it_asks_the_undertaking_before_any_page(urls, staff, log_in, name):
    ConfidentialityAcknowledgement.objects.all().delete()
    role = {
        "open_file": StaffRole.AGENT,
        "grant_delegation": StaffRole.ADVISING_PHYSICIAN,
        "receive_disclosure_request": StaffRole.DPO_OFFICE,
    }[PAGES[name][0]]
    response = fetch(log_in(english_client(), staff(role)), name, urls[name])
    assert response.status_code == 302
    assert response.url.startswith(reverse("backoffice:confidentiality"))


RIGHTFUL = {"open_file": StaffRole.AGENT, "grant_delegation": StaffRole.ADVISING_PHYSICIAN,
            "receive_disclosure_request": StaffRole.DPO_OFFICE}


@pytest.mark.parametrize("name", [name for name, (_action, method) in PAGES.items() if method == "get"])
def test_it_opens_each_page_to_the_role_that_has_the_right(urls, staff_client, name):
    """The other side of the stranger tests: the same URLs do answer the right person."""
    assert staff_client(RIGHTFUL[PAGES[name][0]]).get(urls[name]).status_code == 200
