"""Deadlines (DSR-15): one month after receipt, extendable once by two months for complexity or volume only
within the first month, the person told why in their language and channel; the queue and its reminders."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from guichet.ledger.models import LedgerEntry
from guichet.rights import services
from guichet.rights.models import RequestChannel
from tests.rights.conftest import file_in_account, staff_in

pytestmark = pytest.mark.django_db


def _days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


@pytest.mark.rule("DSR-15")
def test_it_sets_the_answer_due_one_month_after_receipt(member):
    received = datetime.datetime(2026, 1, 31, 10, 0, tzinfo=datetime.UTC)
    filed = file_in_account(member.person, received_at=received)
    assert filed.due_on == datetime.date(2026, 2, 28)


@pytest.mark.rule("DSR-15", "DSR-14")
def test_it_extends_by_two_months_within_the_first_month_and_tells_why_in_the_persons_language(
        other_member, dpo, mailoutbox):
    jan = other_member.person
    jan.email = "jan@example.org"
    jan.save(update_fields=["email"])
    received = _days_ago(10)
    filed = file_in_account(jan, received_at=received)
    mailoutbox.clear()
    services.extend(filed, staff=dpo, reason="complexity")
    filed.refresh_from_db()
    first = services.first_deadline(timezone.localdate(received))
    assert filed.due_on == services.extended_deadline(timezone.localdate(received)) > first
    assert filed.extension_reason == "complexity"
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["jan@example.org"]
    # Sent in Jan's language (nl, from the request); the new date and the reason are in it.
    assert filed.due_on.strftime("%d/%m/%Y") in mailoutbox[0].body
    entry = LedgerEntry.objects.get(kind="rights.extended", subject=jan)
    assert '"reason":"complexity"' in entry.payload.replace(" ", "")


@pytest.mark.rule("DSR-15")
def test_it_refuses_an_extension_after_the_first_month(member, dpo):
    filed = file_in_account(member.person, received_at=_days_ago(40))
    with pytest.raises(services.RightsError, match="can no longer be extended"):
        services.extend(filed, staff=dpo, reason="volume")
    filed.refresh_from_db()
    assert filed.extended_at is None and filed.due_on == services.first_deadline(filed.received_at.date())
    assert not LedgerEntry.objects.filter(kind="rights.extended").exists()


@pytest.mark.rule("DSR-15")
def test_it_refuses_a_second_extension_and_an_unknown_reason(member, dpo):
    filed = file_in_account(member.person, received_at=_days_ago(2))
    with pytest.raises(services.RightsError):
        services.extend(filed, staff=dpo, reason="holidays")
    services.extend(filed, staff=dpo, reason="volume")
    with pytest.raises(services.RightsError, match="already extended"):
        services.extend(filed, staff=dpo, reason="volume")


@pytest.mark.rule("DSR-15", "DSR-14", "DSR-16")
def test_it_tells_a_person_who_wrote_by_post_by_letter(personas, agent, dpo):
    from tests.rights.conftest import id_side

    filed = services.file_request(kind="access", channel=RequestChannel.POST, person=personas["sophie"],
                                  registered_by=agent, letter_dated_on=timezone.localdate(), letter_signed=True,
                                  id_front=id_side(), id_back=id_side())
    services.verify_identity(filed, staff=dpo)
    services.extend(filed, staff=dpo, reason="volume")
    letters = list(filed.letters.order_by("created_at"))
    assert len(letters) == 2  # the acknowledgement and the extension, both on paper
    assert letters[1].language == personas["sophie"].language


@pytest.mark.rule("DSR-15")
def test_the_staff_queue_sorts_by_due_date_with_counters(client, member, other_member, stranger, dpo):
    overdue = file_in_account(member.person, received_at=_days_ago(40))
    soon = file_in_account(other_member.person, received_at=_days_ago(28))
    later = file_in_account(stranger.person, received_at=_days_ago(1))
    services.extend(later, staff=dpo, reason="volume")
    rows, counters = services.queue()
    assert [r.pk for r in rows] == [overdue.pk, soon.pk, later.pk]
    assert (counters.open, counters.overdue, counters.due_this_week, counters.extended) == (3, 1, 1, 1)
    staff_in(client, dpo)
    page = client.get(reverse("rights:queue")).content.decode()
    assert page.index(overdue.reference) < page.index(soon.reference) < page.index(later.reference)


@pytest.mark.rule("DSR-15")
def test_it_reminds_the_dpo_office_before_the_due_date_once(member, other_member, dpo, settings):
    dpo.email = "dpo@example.org"
    dpo.save(update_fields=["email"])
    soon = file_in_account(member.person, received_at=_days_ago(27))
    file_in_account(other_member.person, received_at=_days_ago(1))
    mail.outbox.clear()
    from guichet.rights.tasks import remind_due_requests

    assert remind_due_requests() == 1
    assert soon.reference in mail.outbox[-1].body and mail.outbox[-1].to == ["dpo@example.org"]
    assert remind_due_requests() == 0
    assert "rights-remind-due" in settings.CELERY_BEAT_SCHEDULE


def test_members_and_other_roles_never_reach_the_queue(client, log_in, member, staff):
    from guichet.accounts.models import StaffRole

    filed = file_in_account(member.person)
    log_in(client, member)
    assert client.get(reverse("rights:queue")).status_code == 404
    assert client.get(reverse("rights:staff-request", args=[filed.public_id])).status_code == 404
    staff_in(client, staff(StaffRole.MODERATOR))
    assert client.get(reverse("rights:staff-request", args=[filed.public_id])).status_code == 404
    staff_in(client, staff(StaffRole.AGENT))  # agents register requests; the DPO office handles them
    assert client.get(reverse("rights:queue")).status_code == 200
    assert client.get(reverse("rights:staff-request", args=[filed.public_id])).status_code == 404
