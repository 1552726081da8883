"""Fixtures of the ledger tests: a signing key of the test run, and helpers to tamper with the ledger as
an attacker with database access would (raw SQL, the PostgreSQL triggers disabled inside the test's
transaction, so the rollback at the end restores them)."""

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.db import connection, transaction

from guichet.ledger.services import append

ENTRY_TABLE = "ledger_ledgerentry"
CHECKPOINT_TABLE = "ledger_checkpoint"
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the append-only triggers are PostgreSQL's (SQLite: the ORM refuses)")


@pytest.fixture(scope="session")
def signing_key_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("ledger") / "signing-key.pem"
    path.write_bytes(Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return path


@pytest.fixture(autouse=True)
def _ledger_key(settings, signing_key_file):
    settings.GUICHET_LEDGER_SIGNING_KEY_FILE = str(signing_key_file)
    settings.GUICHET_LEDGER_PUBLIC_KEY_FILE = ""


@pytest.fixture
def chain_of(db):
    """chain_of(n, **append_kwargs): append n entries (payload {"n": i}) and return them."""

    def make(count: int, **kwargs):
        kwargs.setdefault("actor", None)
        with transaction.atomic():
            return [append("test.event", payload={"n": index}, **kwargs) for index in range(1, count + 1)]

    return make


def disable_triggers() -> None:
    """An attacker with the owner's rights lifts the append-only triggers (rolled back with the test)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # The foreign-key checks of this transaction's inserts run now, as they would have at commit.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table in (ENTRY_TABLE, CHECKPOINT_TABLE):
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")


def tamper(sql: str, params=()) -> None:
    disable_triggers()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def empty_ledger() -> None:
    """Remove every ledger row for good (after a test that committed some), triggers back on after."""
    with transaction.atomic(), connection.cursor() as cursor:
        disable_triggers()
        for table in (ENTRY_TABLE, CHECKPOINT_TABLE):
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - the module's own table names
        cursor.execute("DELETE FROM ledger_ledgerhead")
        if connection.vendor == "postgresql":
            for table in (ENTRY_TABLE, CHECKPOINT_TABLE):
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
