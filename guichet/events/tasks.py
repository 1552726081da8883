"""Celery tasks of the outbox: deliver what waits (after each commit, and every minute as a safety net)."""

from celery import shared_task

from guichet.events.services import deliver_pending


@shared_task(name="guichet.events.tasks.deliver_outbox", ignore_result=True)
def deliver_outbox() -> dict:
    report = deliver_pending()
    return {"delivered": report.delivered, "failed": report.failed, "held_back": report.held_back}
