"""The ledger cannot be changed: the ORM refuses on every database, and on PostgreSQL triggers refuse any
UPDATE, DELETE or TRUNCATE, whatever the SQL client (SEC-1, SIGN-4)."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import QuerySet

from guichet.ledger.errors import LedgerError
from guichet.ledger.models import Checkpoint, LedgerEntry
from guichet.ledger.services import checkpoint_head
from tests.ledger.conftest import on_postgresql


@pytest.mark.rule("SEC-1", "SIGN-4")
def test_it_refuses_to_change_or_delete_entries_through_the_orm(chain_of):
    entry = chain_of(2)[0]
    stored = LedgerEntry.objects.get(pk=entry.pk)

    stored.payload = '{"forged":true}'
    with pytest.raises(LedgerError):
        stored.save()
    with pytest.raises(LedgerError):
        stored.delete()
    with pytest.raises(LedgerError):
        LedgerEntry.objects.filter(pk=entry.pk).update(payload="{}")
    with pytest.raises(LedgerError):
        LedgerEntry.objects.all().delete()

    assert LedgerEntry.objects.get(pk=entry.pk).payload == '{"n":1}'
    assert LedgerEntry.objects.count() == 2


@on_postgresql
@pytest.mark.rule("SEC-1", "SIGN-4")
@pytest.mark.parametrize("statement", [
    "UPDATE ledger_ledgerentry SET payload = '{}' WHERE sequence = 1",
    "DELETE FROM ledger_ledgerentry WHERE sequence = 1",
    "TRUNCATE ledger_ledgerentry CASCADE",
    "UPDATE ledger_checkpoint SET head_hash = repeat('0', 64)",
    "DELETE FROM ledger_checkpoint",
    "TRUNCATE ledger_checkpoint",
])
def test_it_refuses_changes_in_sql_on_postgresql(chain_of, statement):
    chain_of(2)
    checkpoint_head()
    with connection.cursor() as cursor:  # run the foreign-key checks now, as a committed ledger would have
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(statement)

    assert LedgerEntry.objects.count() == 2
    assert Checkpoint.objects.count() == 1


@on_postgresql
@pytest.mark.rule("SEC-1")
def test_it_refuses_the_orm_queries_that_bypass_the_model_on_postgresql(chain_of):
    chain_of(1)

    unguarded = QuerySet(model=LedgerEntry)  # a plain queryset, without the ledger's refusals
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        unguarded.update(kind="forged")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        unguarded.delete()

    assert LedgerEntry.objects.get().kind == "test.event"
