"""AUTO-3 end to end with the signing app: each adult signs the sworn statement with the test eID hierarchy
(real CMS, checked against a local OCSP responder); the last valid signature decides the income test."""

import datetime

import pytest

from guichet.decisions import services
from guichet.decisions.models import BimRight
from guichet.ebox.models import Document
from guichet.signing import test_token
from guichet.signing.models import SignatureRequest
from guichet.signing.services import submit_signature
from tests.decisions.conftest import ROLE, deliver, household, new_person

pytestmark = pytest.mark.django_db
DAY = datetime.date(2024, 6, 3)


@pytest.mark.rule("AUTO-3")
def test_the_decision_follows_the_last_valid_eid_signature(pki):
    ann = new_person("Ann", datetime.date(1980, 2, 1))
    bert = new_person("Bert", datetime.date(1982, 4, 1))
    household((ann, ROLE.REFERENCE), (bert, ROLE.PARTNER))
    request = services.request_bim(ann, incomes={ann: "12000", bert: "8000"}, documents=["tax.pdf"], day=DAY)
    for person in (ann, bert):
        signature_request = SignatureRequest.objects.get(kind="bim_statement", signer=person)
        cms = test_token.sign(bytes(signature_request.content), person, pki=pki)
        submit_signature(signature_request, cms, actor=person)
        deliver()
        request.refresh_from_db()
        assert (request.status == "decided") == (person == bert)
    assert request.decision.outcome == "granted"
    assert {right.person for right in BimRight.objects.all()} == {ann, bert}
    letter = Document.objects.get(person=ann, doc_type="decision")  # Ann has no e-Box: the print queue
    assert letter.delivery == "post"
