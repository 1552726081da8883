"""Background jobs of the e-Box: the print house export (beat schedule "ebox-print-export")."""

from celery import shared_task

from guichet.ebox.printing import export_print_batch


@shared_task(name="guichet.ebox.tasks.export_print_batch", acks_late=True)
def export_print_batch_task(limit: int = 5000) -> int:
    """Export until nothing is left; a crash leaves the unfinished batch for the next run to resume."""
    total = 0
    while (result := export_print_batch(limit=limit)).batch is not None:
        total += result.count
    return total
