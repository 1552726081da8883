"""`manage.py retention plan` shows what the retention run would erase or anonymise now, per rule (RET-9);
`manage.py retention run` does it (in batches, resuming an interrupted run)."""

from django.core.management.base import BaseCommand, CommandError

from guichet.retention import engine
from guichet.retention.models import RetentionRun


class Command(BaseCommand):
    help = "Show (plan) or apply (run) the retention rules of the register."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["plan", "run"])
        parser.add_argument("--batch-size", type=int, default=None, help="rows per transaction (run)")

    def handle(self, *args, action: str, batch_size: int | None, **options):
        if batch_size is not None and batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        if action == "plan":
            self._plan()
        else:
            run = engine.run(batch_size=batch_size)
            self._report(run)

    def _plan(self) -> None:
        self.stdout.write(f"{'target':40} {'rules':18} {'action':10} {'records':>9}  oldest")
        for line in engine.plan():
            oldest = line.oldest.isoformat() if line.oldest is not None else "-"
            self.stdout.write(f"{line.target:40} {','.join(line.rule_ids):18} {line.action:10} {line.count:>9}  "
                              f"{oldest}")

    def _report(self, run: RetentionRun) -> None:
        for item in run.targets.all():
            self.stdout.write(f"{item.target:40} erased={item.erased} anonymised={item.anonymised} "
                              f"batches={item.batches}")
        totals = engine.totals(run)
        self.stdout.write(f"run {run.pk}: erased={totals['erased']} anonymised={totals['anonymised']} "
                          f"resumed={run.resumed}")
