"""The member's signature pages: the list of the open file, the document page (what is signed, the upload,
the test card outside production, "verify again"), and 404 for anyone else's document."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from guichet.mandates.middleware import ACTING_FOR
from guichet.signing import test_token
from guichet.signing.models import RequestStatus, Signature
from tests.mandates.helpers import give
from tests.signing.helpers import CONTENT, prepared

pytestmark = pytest.mark.django_db

DETAIL = "/my/signatures/document/"


def _act_for(client, person):
    session = client.session
    session[ACTING_FOR] = str(person.public_id)
    session.save()


def test_it_lists_what_waits_for_a_signature(pki, client, log_in, member):
    document = prepared(member.person)
    log_in(client, member)
    page = client.get("/my/signatures/").content.decode()
    assert "Sworn statement" in page
    assert str(document.public_id) in page


@pytest.mark.rule("SIGN-2")
def test_the_document_page_shows_what_is_signed_and_its_fingerprint(pki, client, log_in, member):
    document = prepared(member.person)
    log_in(client, member)
    page = client.get(DETAIL, {"r": str(document.public_id)}).content.decode()
    assert document.content_sha256 in page
    assert "12000.00" in page  # the human-readable summary
    assert "Sign with the test card" in page
    content = client.get(DETAIL + "content/", {"r": str(document.public_id)})
    assert content.content == CONTENT


@pytest.mark.rule("SIGN-1", "SIGN-4")
def test_the_member_signs_with_the_test_card_and_verifies_again(pki, client, log_in, member):
    document = prepared(member.person)
    log_in(client, member)
    response = client.post(DETAIL + "test-card/", {"r": str(document.public_id)}, follow=True)
    page = response.content.decode()
    assert "Your signature is verified and kept." in page
    assert "Valid signature" in page
    document.refresh_from_db()
    assert document.status == RequestStatus.SIGNED
    again = client.post(DETAIL + "verify/", {"r": str(document.public_id)}).content.decode()
    assert "offline, from the stored proof" in again
    assert "What was stored is unchanged" in again


@pytest.mark.rule("SIGN-1")
def test_the_member_uploads_a_signature_file(pki, client, log_in, member):
    document = prepared(member.person)
    cms = test_token.sign(CONTENT, member.person)
    log_in(client, member)
    response = client.post(DETAIL + "upload/", {"r": str(document.public_id),
                                                "cms": SimpleUploadedFile("signature.p7s", cms)}, follow=True)
    assert "Your signature is verified and kept." in response.content.decode()
    assert Signature.objects.filter(request=document).exists()


@pytest.mark.rule("SIGN-2")
def test_a_bad_upload_gets_a_clear_message_and_changes_nothing(pki, client, log_in, member):
    document = prepared(member.person)
    log_in(client, member)
    response = client.post(DETAIL + "upload/", {"r": str(document.public_id),
                                                "cms": SimpleUploadedFile("x.p7s", b"garbage")}, follow=True)
    assert response.status_code == 200
    assert "not an electronic signature" in response.content.decode()
    empty = client.post(DETAIL + "upload/", {"r": str(document.public_id)}, follow=True)
    assert "Choose the signature file" in empty.content.decode()
    document.refresh_from_db()
    assert document.status == RequestStatus.PENDING


def test_the_test_card_is_not_offered_when_the_test_hierarchy_is_not_accepted(pki, client, log_in, member,
                                                                               settings):
    document = prepared(member.person)
    settings.GUICHET_SIGNING_ACCEPT_TEST_TOKEN = False
    log_in(client, member)
    assert "Sign with the test card" not in client.get(DETAIL, {"r": str(document.public_id)}).content.decode()
    client.post(DETAIL + "test-card/", {"r": str(document.public_id)})
    document.refresh_from_db()
    assert document.status == RequestStatus.PENDING


@pytest.mark.rule("SIGN-2")
@pytest.mark.parametrize("path", ["", "content/", "upload/", "test-card/", "verify/"])
def test_a_stranger_gets_404_on_another_members_document(pki, client, log_in, member, stranger, path):
    document = prepared(member.person)
    log_in(client, stranger)
    assert client.get(DETAIL + path, {"r": str(document.public_id)}).status_code == 404
    assert client.post(DETAIL + path, {"r": str(document.public_id)}).status_code == 404
    document.refresh_from_db()
    assert document.status == RequestStatus.PENDING


def test_a_malformed_document_id_is_a_404(client, log_in, member):
    log_in(client, member)
    assert client.get(DETAIL, {"r": "not-a-uuid"}).status_code == 404


@pytest.mark.rule("SIGN-2")
def test_an_agent_sees_the_document_but_cannot_use_the_signers_test_card(pki, client, log_in, member,
                                                                         other_member):
    marie, jan = member.person, other_member.person
    give(marie, jan, scopes=["signing"])
    document = prepared(marie)
    log_in(client, other_member)
    _act_for(client, marie)
    page = client.get(DETAIL, {"r": str(document.public_id)})
    assert page.status_code == 200
    assert "Sign with the test card" not in page.content.decode()
    assert client.post(DETAIL + "test-card/", {"r": str(document.public_id)}).status_code == 404
    document.refresh_from_db()
    assert document.status == RequestStatus.PENDING
