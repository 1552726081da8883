"""Outbox handlers of preference changes (COMM-7): queue one signed webhook delivery per group
subscriber, and apply the change to the campaign audience (pending e-mails of a member who now
declines are left out). Registered in CommunicationConfig.ready; both are idempotent."""

from django.db import transaction
from django.utils import timezone

from guichet.communication.models import CampaignRecipient, PreferenceChange, RecipientStatus
from guichet.communication.services import PREFERENCES_CHANGED, queue_deliveries
from guichet.events.services import subscribe


def _change_of(event) -> PreferenceChange | None:
    return PreferenceChange.objects.filter(public_id=event.payload.get("change")).first()


@subscribe(PREFERENCES_CHANGED)
def send_to_group_subscribers(event) -> None:
    change = _change_of(event)
    if change is None:
        return
    pending = [delivery.pk for delivery in queue_deliveries(change) if delivery.delivered_at is None]

    def start() -> None:
        from guichet.communication.tasks import deliver_webhook

        for pk in pending:
            deliver_webhook.delay(pk)

    transaction.on_commit(start, robust=True)


@subscribe(PREFERENCES_CHANGED)
def apply_to_campaign_audience(event) -> None:
    """The audience is computed from the preferences at each send; e-mails already waiting in a batch
    are re-checked here so a refusal stops them too."""
    change = _change_of(event)
    if change is None or change.audience_applied_at is not None:
        return
    if change.person_id is not None:
        from guichet.communication.policy import receives_offers

        if not receives_offers(change.person, "email"):
            (CampaignRecipient.objects.filter(person_id=change.person_id, status=RecipientStatus.PENDING)
             .update(status=RecipientStatus.SKIPPED))
    change.audience_applied_at = timezone.now()
    change.save(update_fields=["audience_applied_at"])
