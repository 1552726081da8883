"""Scheduled work of the decisions app: the MAF batch (AUTO-5) over every household, for the current year
(catching up what the running counter could not pay yet, e.g. once incomes arrive) and, in January, for the
year just ended. A year without a rule set is logged and skipped: nothing is guessed, nothing paid."""

import logging

from celery import shared_task
from django.utils import timezone

from guichet.decisions.errors import DecisionError
from guichet.decisions.maf import run_maf

logger = logging.getLogger(__name__)


@shared_task(name="guichet.decisions.tasks.maf_batch", ignore_result=True)
def maf_batch() -> dict:
    today = timezone.localdate()
    years = [today.year - 1, today.year] if today.month == 1 else [today.year]
    done = {}
    for year in years:
        try:
            report = run_maf(year)
        except DecisionError as refusal:
            logger.warning("MAF batch %s skipped: %s", year, refusal)
            continue
        done[year] = {"refunds": report.refunds, "refunded_cents": report.refunded_cents,
                      "without_income": report.without_income}
    return done
