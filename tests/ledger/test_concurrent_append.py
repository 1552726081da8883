"""Eight writers append at once, each with its own database connection: the chain neither forks nor skips
nor repeats a sequence (SEC-1). PostgreSQL only: SQLite has a single writer by design."""

import threading

import pytest
from django.db import connection, connections, transaction

from guichet.ledger.models import GENESIS_HASH, LedgerEntry
from guichet.ledger.services import append
from guichet.ledger.verify import verify_chain
from tests.ledger.conftest import empty_ledger

WRITERS = 8
APPENDS_EACH = 25
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="parallel writers need PostgreSQL: SQLite admits one writer at once")


@pytest.fixture
def committed_ledger(transactional_db):
    """The writers commit for real: empty the ledger afterwards (its triggers refuse the usual flush)."""
    yield
    empty_ledger()


def write(writer: int, start: threading.Barrier, failures: list) -> None:
    try:
        start.wait()
        for index in range(APPENDS_EACH):
            with transaction.atomic():
                append("test.concurrent", actor=None, payload={"writer": writer, "index": index})
    except Exception as error:  # noqa: BLE001 - reported to the test thread
        failures.append(error)
    finally:
        connections.close_all()  # this thread's own connection


@on_postgresql
@pytest.mark.rule("SEC-1", "SEC-3")
def test_it_keeps_one_gapless_chain_under_eight_parallel_writers(committed_ledger):
    start = threading.Barrier(WRITERS)
    failures: list = []
    threads = [threading.Thread(target=write, args=(writer, start, failures)) for writer in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    entries = list(LedgerEntry.objects.order_by("sequence").values_list("sequence", "previous_hash", "hash"))
    total = WRITERS * APPENDS_EACH
    assert [sequence for sequence, _, _ in entries] == list(range(1, total + 1))  # no gap, no duplicate
    # no fork: each entry is chained to the one just before it
    assert [previous for _, previous, _ in entries] == [GENESIS_HASH] + [h for _, _, h in entries[:-1]]
    assert len({h for _, _, h in entries}) == total
    assert verify_chain().ok
