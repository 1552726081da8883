"""Scheduled work of the mandates app: mandates whose end date has passed are marked ended."""

from celery import shared_task

from guichet.mandates.services import end_expired_mandates


@shared_task(name="guichet.mandates.tasks.end_expired_mandates", ignore_result=True)
def end_expired_mandates_task() -> int:
    return end_expired_mandates()
