"""Celery tasks of the communication app: webhook deliveries to the group's systems (COMM-7), campaign
batches (COMM-1), and the scheduled erasure of prospects and call recordings (RET-2, RET-3)."""

from celery import shared_task

from guichet.communication import campaigns, services


@shared_task(name="guichet.communication.tasks.deliver_webhook", ignore_result=True)
def deliver_webhook(delivery_pk: int) -> bool:
    """One attempt; a failure is retried by `deliver_due_webhooks` when its delay has passed."""
    return services.attempt_delivery(delivery_pk)


@shared_task(name="guichet.communication.tasks.deliver_due_webhooks", ignore_result=True)
def deliver_due_webhooks() -> int:
    return services.deliver_due_webhooks()


@shared_task(name="guichet.communication.tasks.send_campaign_batch", ignore_result=True)
def send_campaign_batch(campaign_pk: int, recipient_pks: list[int]) -> int:
    return campaigns.send_batch(campaign_pk, recipient_pks)


@shared_task(name="guichet.communication.tasks.apply_retention", ignore_result=True)
def apply_retention() -> dict:
    return {"prospects": services.erase_expired_prospects(),
            "call_recordings": services.erase_expired_recordings()}
