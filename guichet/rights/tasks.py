"""Celery tasks of the rights app: remind the DPO office of requests due soon (DSR-15)."""

from celery import shared_task

from guichet.rights import services


@shared_task(name="guichet.rights.tasks.remind_due_requests", ignore_result=True)
def remind_due_requests() -> int:
    return services.remind_staff()
