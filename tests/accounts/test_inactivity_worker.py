"""The inactivity job (ACC-6) through a real Celery worker, the Redis broker and PostgreSQL.

Everywhere else the suite runs Celery tasks inline (eager). This one test checks the production
path: the task goes through Redis to a separate `celery worker` process, which reads and writes the
test database itself. It needs PostgreSQL (a second process cannot share the in-memory SQLite test
database) and Redis on 127.0.0.1:6379; without them it is skipped with the reason. CI runs the
suite a second time on PostgreSQL (.ci/run), where it runs.

The rows are committed (transactional_db) so that the worker sees them; the worker listens on a
queue of its own, so it takes no task of anyone else, and it is always stopped.
"""

import os
import subprocess
import sys
import tempfile
import uuid
from datetime import timedelta
from urllib.parse import quote

import pytest
import redis
from celery import Celery
from celery.exceptions import TimeoutError as CeleryTimeoutError
from celery.result import EagerResult
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import gettext

from guichet.accounts.models import User, UserSession
from guichet.accounts.tasks import apply_inactivity_rule
from guichet.members.models import Affiliation, Person
from guichet.messaging.models import OutboxMessage

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
REDIS_DB = int(os.environ.get("GUICHET_TEST_REDIS_DB", "15"))
BROKER = f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_DB}"
RESULT_SECONDS = 60


def _redis_answers() -> bool:
    try:
        client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, socket_timeout=2, socket_connect_timeout=2)
        return bool(client.ping())
    except redis.RedisError:
        return False


def _database_url() -> str:
    """The URL of the database this test runs on (pytest's test database), for the worker process."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _start_worker(queue: str, log) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "guichet.settings",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": BROKER,
        "CELERY_RESULT_BACKEND": BROKER,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "CELERY_QUEUE": queue,
    }
    command = [
        sys.executable, "-m", "celery", "-A", "guichet", "worker", "--pool=solo", "--concurrency=1",
        "-Q", queue, "-n", f"{queue}@%h", "--without-heartbeat", "--without-gossip", "--without-mingle",
        "--loglevel=INFO",
    ]
    return subprocess.Popen(command, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)


def _stop(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=5)


def _forget_queue(queue: str, task_id: str | None) -> None:
    """Remove what the run left in Redis: the queue, its bindings and the task's result."""
    client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=REDIS_DB, socket_timeout=2)
    keys = [queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}"]
    if task_id:
        keys.append(f"celery-task-meta-{task_id}")
    client.delete(*keys)


def _client_app() -> Celery:
    """A Celery client of its own pointed at the broker, so the project's app (eager in tests) and its
    connection pools stay untouched for the tests that follow. Not made the current app: shared tasks
    would follow it and leave eager mode."""
    return Celery("guichet-worker-test", broker=BROKER, backend=BROKER, set_as_current=False)


@pytest.mark.worker
@pytest.mark.rule("ACC-6")
def test_it_removes_idle_access_through_a_real_worker(transactional_db, personas, member, other_member,
                                                      log_in):
    if connection.vendor != "postgresql":
        pytest.skip(f"needs PostgreSQL (a worker process cannot see the {connection.vendor} test database): "
                    "set DATABASE_URL=postgres://..., as the second CI run does")
    if not _redis_answers():
        pytest.skip(f"needs the Redis broker on {REDIS_HOST}:{REDIS_PORT}, which does not answer")

    log_in(Client(), member)  # an open session, which must end with the access
    assert UserSession.objects.filter(user=member).exists()
    now = timezone.now()
    User.objects.filter(pk=member.pk).update(  # warned a month ago, so its access goes now
        last_login=now - relativedelta(months=7), inactivity_warned_at=now - relativedelta(months=1))
    User.objects.filter(pk=other_member.pk).update(
        last_login=now - relativedelta(months=6) + timedelta(days=7))  # a week before removal
    affiliations = Affiliation.objects.filter(person=member.person).count()
    queue = f"guichet-test-{uuid.uuid4().hex[:12]}"

    with tempfile.TemporaryFile(mode="w+") as log:
        worker, task_id = _start_worker(queue, log), None
        try:
            client = _client_app()
            try:
                outcome = client.send_task(apply_inactivity_rule.name, queue=queue)
                task_id = outcome.id
                assert not isinstance(outcome, EagerResult)  # it goes through the broker, not inline
                try:
                    result = outcome.get(timeout=RESULT_SECONDS)
                except CeleryTimeoutError:
                    log.seek(0)
                    pytest.fail(f"no answer from the worker within {RESULT_SECONDS}s; its log:\n{log.read()}")
            finally:
                client.close()
        finally:
            _stop(worker)
            _forget_queue(queue, task_id)

    assert result == {"warned": 1, "removed": 1}
    removed = User.objects.get(pk=member.pk)
    assert not removed.is_active and removed.access_removed_at is not None
    assert not removed.has_usable_password()
    assert not UserSession.objects.filter(user=removed).exists()
    assert Person.objects.filter(pk=member.person_id).exists()
    assert Affiliation.objects.filter(person=member.person).count() == affiliations
    warned = User.objects.get(pk=other_member.pk)
    assert warned.is_active and warned.inactivity_warned_at is not None
    # the worker's own e-mail backend (the outbox) received the warning, in Jan's language
    [warning] = OutboxMessage.objects.filter(channel="email", recipient=other_member.person.email)
    with translation.override("nl"):
        assert warning.subject == gettext("Your Guichet access")
