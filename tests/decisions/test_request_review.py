"""Contesting an automated decision (AUTO-9, DSR-9): the member asks a human review from the decision page,
a reviewer confirms or overrides with a reason, the answer reaches the member's e-Box, both stay."""

import datetime

import pytest
from django.urls import reverse

from guichet.backoffice.confidentiality import acknowledge, current_text
from guichet.decisions import services
from guichet.decisions.errors import DecisionError
from guichet.decisions.models import Decision, Review, ReviewStatus
from guichet.ebox.models import Document
from guichet.ebox.services import set_ebox_active
from guichet.ledger.models import LedgerEntry
from tests.mandates.helpers import give

pytestmark = pytest.mark.django_db


@pytest.fixture
def decision(member):
    marie = member.person
    return services.block_incapacity(marie, insurer="Ethias", case_reference="AT-2024-001",
                                     since=datetime.date(2024, 3, 1))


def page(decision) -> str:
    return f"{reverse('decisions:my-decision')}?d={decision.public_id}"


@pytest.mark.rule("AUTO-9", "DSR-9")
def test_it_shows_the_decision_explained_in_the_members_account(client, log_in, member, decision):
    log_in(client, member)
    listing = client.get(reverse("decisions:my-decisions")).content.decode()
    assert "Incapacity benefits blocked" in listing
    response = client.get(page(decision))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Ethias told us that it covers your work accident (case AT-2024-001)" in body
    assert "work-accident-notification" in body  # the rules applied
    assert "Ask for a human review" in body


@pytest.mark.rule("AUTO-9", "DSR-9")
def test_a_stranger_gets_404_on_someone_elses_decision(client, log_in, stranger, decision):
    log_in(client, stranger)
    response = client.get(page(decision))
    assert response.status_code == 404
    assert client.post(page(decision), {"reasons": "Not mine"}).status_code == 404
    assert not Review.objects.exists()


@pytest.mark.rule("DSR-9")
def test_an_agent_without_the_consult_scope_gets_404(client, log_in, personas, other_member, decision):
    give(personas["marie"], personas["jan"], scopes=["contact"])
    log_in(client, other_member)
    assert client.get(page(decision)).status_code == 404


@pytest.mark.rule("AUTO-9", "DSR-9")
def test_the_member_asks_for_a_review_and_the_reviewers_answer_reaches_the_ebox(
        client, log_in, member, staff, decision):
    from guichet.accounts.models import StaffRole

    set_ebox_active(member.person, True, actor=member.person)
    log_in(client, member)
    response = client.post(page(decision), {"reasons": "The insurer refused my case in April."})
    assert response.status_code == 302
    review = Review.objects.get()
    assert review.status == ReviewStatus.PENDING and review.requested_by == member.person
    agent = staff(StaffRole.AGENT)
    services.answer_review(review, reviewer=agent, confirm=False, reason="The insurer withdrew its cover.")
    review.refresh_from_db()
    assert review.status == ReviewStatus.OVERRIDDEN
    document = Document.objects.get(person=member.person, doc_type="review_answer")
    assert document.delivery == "ebox" and review.answer_document == document.public_id
    # Both stay: the original decision unchanged, the review beside it.
    assert Decision.objects.get(pk=decision.pk).outcome == "blocked"
    body = client.get(page(decision)).content.decode()
    assert "The insurer refused my case in April." in body and "The insurer withdrew its cover." in body
    kinds = set(LedgerEntry.objects.values_list("kind", flat=True))
    assert {"decisions.review_requested", "decisions.review_answered"} <= kinds


@pytest.mark.rule("DSR-9")
def test_it_refuses_a_request_without_reasons_and_a_second_pending_one(client, log_in, member, decision):
    log_in(client, member)
    response = client.post(page(decision), {"reasons": "   "})
    assert response.status_code == 400
    assert not Review.objects.exists()
    services.request_review(decision, actor=member.person, reasons="Wrong insurer")
    with pytest.raises(DecisionError, match="already under way"):
        services.request_review(decision, actor=member.person, reasons="Again")
    assert Review.objects.count() == 1


@pytest.mark.rule("DSR-9")
def test_the_service_refuses_someone_who_may_not_see_the_decision(personas, decision):
    with pytest.raises(DecisionError):
        services.request_review(decision, actor=personas["tom"], reasons="I disagree")
    assert not Review.objects.exists()


@pytest.mark.rule("AUTO-9")
def test_the_review_queue_is_for_reviewers_only(client, log_in, member, staff, decision):
    from guichet.accounts.models import StaffRole

    services.request_review(decision, actor=member.person, reasons="Wrong insurer")
    log_in(client, member)
    assert client.get(reverse("decisions:review-queue")).status_code == 404
    client.logout()
    agent = staff(StaffRole.AGENT)
    acknowledge(agent, shown_text=current_text())
    log_in(client, agent)
    queue = client.get(reverse("decisions:review-queue"))
    assert queue.status_code == 200
    review = Review.objects.get()
    assert str(review.public_id) in queue.content.decode()
    detail = reverse("decisions:review", args=[review.public_id])
    assert "Wrong insurer" in client.get(detail).content.decode()
    refused = client.post(detail, {"outcome": "confirm", "reason": ""})
    assert refused.status_code == 400
    assert Review.objects.get().status == ReviewStatus.PENDING
    assert client.post(detail, {"outcome": "confirm", "reason": "The insurer's notice is valid."}).status_code == 302
    assert Review.objects.get().status == ReviewStatus.CONFIRMED


@pytest.mark.rule("AUTO-9")
def test_a_staff_member_of_another_role_cannot_review(client, log_in, member, staff, decision):
    from guichet.accounts.models import StaffRole

    services.request_review(decision, actor=member.person, reasons="Wrong insurer")
    moderator = staff(StaffRole.MODERATOR)
    acknowledge(moderator, shown_text=current_text())
    log_in(client, moderator)
    assert client.get(reverse("decisions:review-queue")).status_code == 404
