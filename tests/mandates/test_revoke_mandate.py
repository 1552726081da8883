"""Revocation: at once, from the agent's very next request (MAND-6); a co-grantor revokes their part
alone and the others are told (MAND-7); mutual mandates fall together (MAND-8)."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from guichet.mandates import services
from guichet.mandates.middleware import ACTING_FOR
from guichet.mandates.models import EndReason, MandateStatus
from guichet.mandates.policy import Action, decide
from guichet.messaging.models import OutboxMessage
from tests.conftest import english_client
from tests.mandates.helpers import give, ledger_entries

pytestmark = pytest.mark.django_db


def open_file_of(client: Client, person) -> None:
    response = client.post(reverse("mandates:switch"), {"file": str(person.public_id)})
    assert response.status_code == 302


@pytest.mark.rule("MAND-6")
def test_it_stops_the_agent_at_the_very_next_request(log_in, member, other_member):
    mandate = give(member.person, other_member.person, scopes=["consult"])
    agent = log_in(english_client(), other_member)
    open_file_of(agent, member.person)
    page = agent.get(reverse("members:my-data"))
    assert page.status_code == 200 and member.person.national_number[:6] in page.content.decode().replace(
        ".", ""
    )

    services.revoke_mandate(member.person, mandate)

    after = agent.get(reverse("members:my-data"))
    assert after.status_code == 200
    assert after.wsgi_request.subject == other_member.person  # back on Jan's own file
    assert "You can no longer open that file" in after.content.decode()
    assert ACTING_FOR not in agent.session


@pytest.mark.rule("MAND-6")
def test_the_grantor_revokes_from_the_mandate_page(client, log_in, member, other_member):
    mandate = give(member.person, other_member.person)
    log_in(client, member)
    response = client.post(reverse("mandates:revoke", args=[mandate.public_id]))
    assert response.status_code == 302
    mandate.refresh_from_db()
    assert mandate.status == MandateStatus.REVOKED
    assert ledger_entries("mandates.revoked")[-1].subject == member.person


@pytest.mark.rule("MAND-6")
@pytest.mark.rule("MAND-4")
def test_the_agent_cannot_revoke_or_touch_another_persons_mandate(
    client, log_in, member, other_member, stranger
):
    mandate = give(member.person, other_member.person)
    log_in(client, stranger)
    assert client.post(reverse("mandates:revoke", args=[mandate.public_id])).status_code == 404
    assert client.get(reverse("mandates:detail", args=[mandate.public_id])).status_code == 404
    with pytest.raises(services.MandateError):
        services.revoke_mandate(other_member.person, mandate)
    mandate.refresh_from_db()
    assert mandate.status == MandateStatus.ACTIVE


@pytest.mark.rule("MAND-7")
def test_each_grantor_revokes_their_part_alone_and_the_others_are_told(
    member, other_member, stranger, django_capture_on_commit_callbacks
):
    marie, jan, tom = member.person, other_member.person, stranger.person
    marie_part, jan_part = give(marie, tom, grantors=[marie, jan])
    assert marie_part.form == jan_part.form
    with django_capture_on_commit_callbacks(execute=True):
        services.revoke_mandate(marie, marie_part)
    assert not decide(tom, marie, Action.OPEN_FILE).allowed
    assert decide(tom, jan, Action.OPEN_FILE).allowed  # Jan's part stands
    with translation.override(jan.language):
        told = translation.gettext("%(name)s revoked their part of a mandate you gave together on Guichet.")
    assert OutboxMessage.objects.filter(recipient=jan.mobile, body=told % {"name": marie.full_name}).exists()


@pytest.mark.rule("MAND-8")
def test_mutual_mandates_fall_together_in_one_transaction(member, other_member):
    marie, jan = member.person, other_member.person
    marie_to_jan = give(marie, jan)
    jan_to_marie = give(jan, marie)
    revoked = services.revoke_mandate(marie, marie_to_jan)
    assert {row.pk for row in revoked} == {marie_to_jan.pk, jan_to_marie.pk}
    jan_to_marie.refresh_from_db()
    assert (
        jan_to_marie.status == MandateStatus.REVOKED
        and jan_to_marie.end_reason == EndReason.MUTUAL_REVOCATION
    )
    assert len([entry for entry in ledger_entries("mandates.revoked")]) == 2
    assert (
        not decide(marie, jan, Action.OPEN_FILE).allowed and not decide(jan, marie, Action.OPEN_FILE).allowed
    )


@pytest.mark.rule("MAND-8")
def test_a_one_way_mandate_falls_alone(member, other_member, stranger):
    marie, jan, tom = member.person, other_member.person, stranger.person
    marie_to_jan = give(marie, jan)
    tom_to_marie = give(tom, marie)
    assert [row.pk for row in services.revoke_mandate(marie, marie_to_jan)] == [marie_to_jan.pk]
    tom_to_marie.refresh_from_db()
    assert tom_to_marie.status == MandateStatus.ACTIVE
