"""Scheduled registry work: publish the coming of age of people who turned 18 (MIN-5)."""

from celery import shared_task

from guichet.members.services import publish_comings_of_age


@shared_task(name="guichet.members.tasks.publish_comings_of_age", ignore_result=True)
def publish_comings_of_age_task() -> int:
    return publish_comings_of_age()
