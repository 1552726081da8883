"""RET-9: a worker killed with kill -9 in the middle of a retention run loses and duplicates nothing after
restart. A real `celery worker` process (Redis broker, PostgreSQL) runs the engine over thousands of expired
prospects in small batches; it is killed once some batches are committed; a new worker resumes the run.

Like tests/accounts/test_inactivity_worker.py it needs PostgreSQL and Redis on 127.0.0.1:6379 (skipped with
the reason otherwise), commits its rows (transactional_db), listens on a queue of its own (in a Redis
database of its own, GUICHET_TEST_RETENTION_REDIS_DB, default 13) and always stops its workers."""

import datetime
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from urllib.parse import quote

import pytest
import redis
from celery import Celery
from django.conf import settings
from django.db import connection
from django.utils import timezone

from guichet.communication.models import Prospect
from guichet.ledger.models import LedgerEntry
from guichet.members.models import Person
from guichet.retention.models import RetentionRun, RunStatus, RunTarget
from guichet.retention.tasks import run_retention
from tests.retention.helpers import person_who_left

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
REDIS_DB = int(os.environ.get("GUICHET_TEST_RETENTION_REDIS_DB", "13"))
BROKER = f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_DB}"
EXPIRED, YOUNG, BATCH = 12_000, 300, 10
SECONDS = 120


def _redis_answers() -> bool:
    try:
        return bool(redis.Redis(host=REDIS_HOST, port=REDIS_PORT, socket_timeout=2, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


def _database_url() -> str:
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _start_worker(queue: str, log) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "guichet.settings", "DATABASE_URL": _database_url(),
           "CELERY_BROKER_URL": BROKER, "CELERY_RESULT_BACKEND": BROKER, "CELERY_TASK_ALWAYS_EAGER": "0",
           "CELERY_QUEUE": queue}
    command = [sys.executable, "-m", "celery", "-A", "guichet", "worker", "--pool=solo", "--concurrency=1",
               "-Q", queue, "-n", f"{queue}@%h", "--without-heartbeat", "--without-gossip", "--without-mingle",
               "--loglevel=INFO"]
    return subprocess.Popen(command, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)


def _stop(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=5)


def _committed_batches() -> int:
    row = RunTarget.objects.filter(target="communication.prospect").order_by("-pk").first()
    return row.batches if row else 0


def _fail(message: str, log) -> None:
    log.seek(0)
    pytest.fail(f"{message}; the worker's log:\n{log.read()}")


@pytest.mark.worker
@pytest.mark.rule("RET-9")
def test_a_worker_killed_mid_run_loses_and_duplicates_nothing_after_restart(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip(f"needs PostgreSQL (a worker process cannot see the {connection.vendor} test database): "
                    "set DATABASE_URL=postgres://..., as the second CI run does")
    if not _redis_answers():
        pytest.skip(f"needs the Redis broker on {REDIS_HOST}:{REDIS_PORT}, which does not answer")

    now = timezone.now()
    rows = [Prospect(first_name="P", last_name=str(n), email=f"p{n}@example.be", source="event",
                     collected_at=now - datetime.timedelta(days=400 + n % 50)) for n in range(EXPIRED)]
    rows += [Prospect(first_name="Y", last_name=str(n), email=f"y{n}@example.be", source="event",
                      collected_at=now - datetime.timedelta(days=30)) for n in range(YOUNG)]
    Prospect.objects.bulk_create(rows, batch_size=5000)
    young = set(Prospect.objects.filter(first_name="Y").values_list("pk", flat=True))
    active = person_who_left(None)
    queue = f"guichet-retention-test-{uuid.uuid4().hex[:12]}"
    client = Celery("guichet-retention-test", broker=BROKER, backend=BROKER, set_as_current=False)
    task_ids = []

    with tempfile.TemporaryFile(mode="w+") as log:
        try:
            worker = _start_worker(queue, log)
            try:
                task_ids.append(client.send_task(run_retention.name, kwargs={"batch_size": BATCH}, queue=queue).id)
                deadline = time.monotonic() + SECONDS
                while _committed_batches() < 20:  # some batches committed: kill it in the middle
                    if time.monotonic() > deadline or worker.poll() is not None:
                        _fail("the worker did not start the run", log)
                    time.sleep(0.01)
                os.kill(worker.pid, signal.SIGKILL)
                worker.wait(timeout=10)
            finally:
                _stop(worker)
            killed_at = _committed_batches()
            remaining = Prospect.objects.filter(first_name="P").count()
            assert 20 <= killed_at < EXPIRED // BATCH, "the run must be killed in its middle"
            assert RetentionRun.objects.get().status == RunStatus.RUNNING
            assert remaining == EXPIRED - killed_at * BATCH  # what was committed is gone, nothing else

            worker = _start_worker(queue, log)
            try:
                outcome = client.send_task(run_retention.name, kwargs={"batch_size": BATCH}, queue=queue)
                task_ids.append(outcome.id)
                try:
                    result = outcome.get(timeout=SECONDS)
                except Exception as error:  # noqa: BLE001 - shown with the log
                    _fail(f"the restarted worker did not finish the run: {error!r}", log)
            finally:
                _stop(worker)
        finally:
            client.close()
            keys = [queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}", "unacked",
                    "unacked_index", "unacked_mutex", *(f"celery-task-meta-{task}" for task in task_ids)]
            redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=REDIS_DB, socket_timeout=2).delete(*keys)

    run = RetentionRun.objects.get()  # one run, resumed, not a second one
    assert result == {"run": run.pk, "resumed": 1, "erased": EXPIRED, "anonymised": 0}
    assert run.status == RunStatus.FINISHED and run.resumed == 1
    progress = run.targets.get(target="communication.prospect")
    assert progress.erased == EXPIRED and progress.batches == EXPIRED // BATCH
    assert not Prospect.objects.filter(first_name="P").exists()
    assert set(Prospect.objects.values_list("pk", flat=True)) == young  # nothing else touched
    assert Person.objects.get(pk=active.pk).first_name == active.first_name
    [summary] = LedgerEntry.objects.filter(kind="retention.run_finished")
    payload = json.loads(summary.payload)
    assert payload["erased"] == EXPIRED and payload["resumed"] == 1
    assert payload["targets"]["communication.prospect"] == {"erased": EXPIRED, "anonymised": 0,
                                                            "batches": EXPIRED // BATCH}
