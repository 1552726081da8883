"""The retention engine (RET-9): the plan (what a run would erase or anonymise now, per target, with the
oldest record) and the run, in batches by keyset pagination on the primary key, each batch in its own
transaction together with the run's cursor for that target, so that a run killed at any moment resumes
after its last committed batch without losing or repeating anything. Records under a legal hold (RET-4)
are skipped. The ledger is never touched except for the run's summary: it is append-only evidence."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Min, QuerySet
from django.utils import timezone

from guichet.ledger.services import append
from guichet.retention import registry
from guichet.retention.holds import holds_covering
from guichet.retention.models import RetentionRun, RunStatus, RunTarget
from guichet.retention.registry import ANONYMISE, RetentionTarget


@dataclass(frozen=True)
class PlanLine:
    target: str
    rule_ids: tuple[str, ...]
    context: str
    rule: str
    action: str
    cutoff: datetime.datetime
    count: int
    oldest: object


def expired(target: RetentionTarget, now: datetime.datetime) -> QuerySet:
    """The records of `target` past their period at `now`, not yet anonymised, not under a legal hold."""
    queryset = target.model._base_manager.filter(target.expired(target.cutoff(now)))
    if target.done is not None:
        queryset = queryset.exclude(target.done)
    if target.person_field:
        queryset = queryset.exclude(holds_covering(target.person_field, target.hold_contexts, target.categories))
    return queryset


def plan(now: datetime.datetime | None = None) -> list[PlanLine]:
    """What a run at `now` would do, target by target (RET-9: shown before it runs)."""
    now = now or timezone.now()
    lines = []
    for target in registry.targets():
        queryset = expired(target, now)
        summary = queryset.aggregate(oldest=Min(target.date_field))
        lines.append(PlanLine(target=target.key, rule_ids=target.rule_ids, context=target.context,
                              rule=target.rule_key, action=target.effective_action, cutoff=target.cutoff(now),
                              count=queryset.count(), oldest=summary["oldest"]))
    return lines


def _start_or_resume(now: datetime.datetime | None, batch_size: int) -> RetentionRun:
    with transaction.atomic():
        run = RetentionRun.objects.select_for_update().filter(status=RunStatus.RUNNING).order_by("pk").first()
        if run is not None:  # an interrupted run: finish it with its own date and batch size
            run.resumed += 1
            run.save(update_fields=["resumed"])
            return run
        return RetentionRun.objects.create(as_of=now or timezone.now(), batch_size=batch_size)


def _one_batch(run: RetentionRun, target: RetentionTarget, progress_pk: int) -> bool:
    """Handle the next batch of `target`; False when there is none left. One transaction: the batch and
    the cursor commit together or not at all."""
    with transaction.atomic():
        progress = RunTarget.objects.select_for_update().get(pk=progress_pk)
        if progress.done:
            return False
        # Keyset pagination: the batch is the expired records in (cursor, last], `last` being the pk of the
        # batch_size-th one. Acting on that range (not on a list of ids) keeps each statement small.
        remaining = expired(target, run.as_of).filter(pk__gt=progress.cursor)
        ordered = remaining.order_by("pk").values_list("pk", flat=True)
        last = next(iter(ordered[run.batch_size - 1:run.batch_size]), None)
        if last is None:  # the last, smaller batch
            last = remaining.aggregate(last=Max("pk"))["last"]
        if last is None:
            progress.done = True
            progress.save(update_fields=["done"])
            return False
        batch = remaining.filter(pk__lte=last)
        if target.effective_action == ANONYMISE:
            progress.anonymised += target.model._base_manager.filter(pk__in=batch.values("pk")).update(
                **target.anonymise)
        elif target.erase is not None:
            progress.erased += target.erase(batch)
        else:
            _total, per_model = batch.delete()
            progress.erased += per_model.get(target.model._meta.label, 0)
        progress.cursor = last
        progress.batches += 1
        progress.save(update_fields=["cursor", "erased", "anonymised", "batches"])
        return True


def run(*, now: datetime.datetime | None = None, batch_size: int | None = None) -> RetentionRun:
    """Erase or anonymise every expired record (resuming an interrupted run first), then write the summary
    in the ledger. Running it again at once does nothing more."""
    run = _start_or_resume(now, batch_size or settings.RETENTION_BATCH_SIZE)
    for target in registry.targets():
        progress, _created = RunTarget.objects.get_or_create(run=run, target=target.key)
        while _one_batch(run, target, progress.pk):
            pass
    with transaction.atomic():
        run = RetentionRun.objects.select_for_update().get(pk=run.pk)
        if run.status == RunStatus.FINISHED:  # another worker finished it meanwhile
            return run
        counts = {item.target: {"erased": item.erased, "anonymised": item.anonymised, "batches": item.batches}
                  for item in run.targets.all()}
        run.status, run.finished_at = RunStatus.FINISHED, timezone.now()
        run.save(update_fields=["status", "finished_at"])
        append("retention.run_finished", actor=None, context="operations", visible_to_subject=False, payload={
            "run": run.pk, "as_of": run.as_of.isoformat(), "resumed": run.resumed, "targets": counts,
            "erased": sum(c["erased"] for c in counts.values()),
            "anonymised": sum(c["anonymised"] for c in counts.values()),
        })
    return run


def totals(run: RetentionRun) -> dict[str, int]:
    rows = list(run.targets.all())
    return {"erased": sum(r.erased for r in rows), "anonymised": sum(r.anonymised for r in rows)}
