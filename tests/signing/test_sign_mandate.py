"""The grantor signs the mandate they granted: the mandate form's content is prepared (kind "mandate",
reference the mandate id), signed with the test card and verified."""

import json

import pytest

from guichet.signing import services, test_token
from guichet.signing.models import SignatureRequest
from tests.mandates.helpers import give

pytestmark = pytest.mark.django_db


@pytest.mark.rule("SIGN-1", "SIGN-2")
def test_a_mandate_signed_with_the_test_token_is_verified(pki, member, other_member):
    marie, jan = member.person, other_member.person
    mandate = give(marie, jan, scopes=["consult"])
    document = services.prepare_mandate(marie, mandate)
    assert (document.kind, document.reference) == ("mandate", str(mandate.public_id))
    content = json.loads(bytes(document.content))
    assert content["agent"]["national_number"] == jan.national_number
    assert content["scopes"] == ["consult"]
    signature = services.submit_signature(document, test_token.sign(bytes(document.content), marie), actor=marie)
    assert services.reverify(signature).valid
    assert services.prepare_mandate(marie, mandate) == document  # prepared once


def test_only_the_grantor_signs_the_mandate(member, other_member):
    marie, jan = member.person, other_member.person
    mandate = give(marie, jan, scopes=["consult"])
    with pytest.raises(services.SigningError):
        services.prepare_mandate(jan, mandate)


def test_the_mandate_page_leads_the_grantor_to_the_signature(pki, client, log_in, member, other_member):
    marie, jan = member.person, other_member.person
    mandate = give(marie, jan, scopes=["consult"])
    log_in(client, member)
    assert "Sign this mandate" in client.get(f"/my/mandates/{mandate.public_id}/").content.decode()
    response = client.post(f"/my/mandates/{mandate.public_id}/sign/")
    document = SignatureRequest.objects.get(kind="mandate", reference=str(mandate.public_id))
    assert response.status_code == 302
    assert str(document.public_id) in response.url


def test_the_agent_cannot_prepare_the_grantors_signature(client, log_in, member, other_member):
    marie, jan = member.person, other_member.person
    mandate = give(marie, jan, scopes=["consult"])
    log_in(client, other_member)
    assert client.post(f"/my/mandates/{mandate.public_id}/sign/").status_code == 404
    assert not SignatureRequest.objects.exists()
