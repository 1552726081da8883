"""Scheduled ledger work: sign the head hourly, verify the whole chain daily and alert staff on failure."""

import logging

from celery import shared_task

from guichet.ledger import services
from guichet.ledger.verify import alert_staff, verify_chain

logger = logging.getLogger("guichet.ledger")


@shared_task
def checkpoint_head() -> int | None:
    checkpoint = services.checkpoint_head()
    return checkpoint.sequence if checkpoint else None


@shared_task
def verify_daily() -> bool:
    result = verify_chain()
    if not result.ok:
        logger.error("Ledger verification failed at entry %s: %s", result.first_bad_sequence, result.message)
        alert_staff(result)
    return result.ok
