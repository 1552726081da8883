"""RET-9: the plan shows, before a run, what it will erase or anonymise; the run does exactly that in
batches, resumes an interrupted run without losing or repeating anything, does nothing more when run again,
and writes its summary in the ledger; the nightly job is scheduled."""

import datetime
import io
import json

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from guichet.communication.models import Prospect
from guichet.ledger.models import LedgerEntry
from guichet.members.models import Person
from guichet.retention import engine
from guichet.retention.models import RetentionRun, RunStatus, RunTarget
from guichet.retention.tasks import run_retention
from tests.retention.helpers import person_who_left

pytestmark = [pytest.mark.django_db, pytest.mark.rule("RET-9")]


def _prospects(count: int, days_ago: int) -> list[int]:
    at = timezone.now() - datetime.timedelta(days=days_ago)
    rows = [Prospect(first_name="P", last_name=str(n), email=f"p{n}@example.be", source="event", collected_at=at)
            for n in range(count)]
    return [p.pk for p in Prospect.objects.bulk_create(rows)]


def _by_target(lines) -> dict[str, int]:
    return {line.target: line.count for line in lines}


def test_the_plan_equals_what_the_run_then_does_and_a_rerun_does_nothing():
    _prospects(7, 400)
    kept = _prospects(3, 10)
    person_who_left(31)
    person_who_left(40)
    person_who_left(2)

    planned = _by_target(engine.plan())
    assert planned["communication.prospect"] == 7 and planned["members.person"] == 2
    run = engine.run(batch_size=3)

    done = {t.target: t.erased + t.anonymised for t in run.targets.all()}
    assert done == planned
    assert set(Prospect.objects.values_list("pk", flat=True)) == set(kept)
    assert run.targets.get(target="communication.prospect").batches == 3  # 3 + 3 + 1
    assert all(count == 0 for count in _by_target(engine.plan()).values())

    again = engine.run(batch_size=3)
    assert again.pk != run.pk and engine.totals(again) == {"erased": 0, "anonymised": 0}


def test_the_plan_shows_the_oldest_record():
    _prospects(1, 400)
    _prospects(1, 500)
    [line] = [line for line in engine.plan() if line.target == "communication.prospect"]
    assert line.oldest.date() == (timezone.now() - datetime.timedelta(days=500)).date()
    assert line.rule_ids == ("RET-2",) and line.action == "erase"


def test_an_interrupted_run_resumes_with_its_own_date_and_nothing_twice():
    first = _prospects(5, 400)
    # A run killed after its first batch: the batch and the cursor were committed together.
    run = RetentionRun.objects.create(as_of=timezone.now(), batch_size=2)
    RunTarget.objects.create(run=run, target="communication.prospect", cursor=first[1], erased=2, batches=1)
    Prospect.objects.filter(pk__in=first[:2]).delete()
    later = _prospects(2, 364)  # not yet past their year at the run's date

    resumed = engine.run(batch_size=50)

    assert resumed.pk == run.pk and resumed.resumed == 1 and resumed.status == RunStatus.FINISHED
    assert resumed.batch_size == 2  # its own batch size
    progress = resumed.targets.get(target="communication.prospect")
    assert progress.erased == 5 and progress.batches == 3
    assert set(Prospect.objects.values_list("pk", flat=True)) == set(later)


def test_the_run_writes_its_summary_in_the_ledger():
    _prospects(4, 400)
    person_who_left(31)
    run = engine.run()

    entry = LedgerEntry.objects.filter(kind="retention.run_finished").latest("sequence")
    payload = json.loads(entry.payload)
    assert payload["run"] == run.pk
    assert payload["erased"] == engine.totals(run)["erased"] >= 4 + 2  # 4 prospects, an address, a change
    assert payload["anonymised"] == 1
    assert payload["targets"]["communication.prospect"]["erased"] == 4
    assert entry.subject is None and not entry.visible_to_subject


def test_the_commands_show_the_plan_and_run_it():
    _prospects(2, 400)
    out = io.StringIO()
    call_command("retention", "plan", stdout=out)
    plan_line = next(line for line in out.getvalue().splitlines() if line.startswith("communication.prospect"))
    assert plan_line.split()[1:4] == ["RET-2", "erase", "2"]

    out = io.StringIO()
    call_command("retention", "run", "--batch-size", "1", stdout=out)
    assert "communication.prospect" in out.getvalue() and "erased=2" in out.getvalue()
    assert not Prospect.objects.exists()


def test_the_nightly_job_is_scheduled_and_runs_the_engine():
    entry = settings.CELERY_BEAT_SCHEDULE["retention-run"]
    assert entry["task"] == run_retention.name and entry["schedule"] <= 24 * 3600
    gone = person_who_left(31)

    result = run_retention.delay(batch_size=10).get()

    assert result["anonymised"] == 1
    assert Person.objects.get(pk=gone.pk).first_name == ""


def test_each_batch_commits_on_its_own():
    _prospects(4, 400)
    run = RetentionRun.objects.create(as_of=timezone.now(), batch_size=2)
    progress = RunTarget.objects.create(run=run, target="communication.prospect")
    from guichet.retention import registry

    target = registry.target("communication.prospect")
    with pytest.raises(RuntimeError), transaction.atomic():
        engine._one_batch(run, target, progress.pk)
        raise RuntimeError("the worker dies before the outer transaction commits")
    progress.refresh_from_db()
    assert (progress.cursor, progress.erased) == (0, 0) and Prospect.objects.count() == 4
    assert engine._one_batch(run, target, progress.pk)
    progress.refresh_from_db()
    assert progress.erased == 2 and Prospect.objects.count() == 2
