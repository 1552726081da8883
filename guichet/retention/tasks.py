"""Scheduled work of the retention app: the nightly run of the engine (RET-9)."""

from celery import shared_task

from guichet.retention import engine


@shared_task(name="guichet.retention.tasks.run_retention", ignore_result=False)
def run_retention(batch_size: int | None = None) -> dict:
    """Run (or resume) the retention engine; returns the run's id and its totals."""
    run = engine.run(batch_size=batch_size)
    return {"run": run.pk, "resumed": run.resumed, **engine.totals(run)}
