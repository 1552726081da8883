"""`manage.py ledger verify`: an intact chain passes, and each kind of tampering is found and the first
bad entry named (change, removal, insertion, reordering, a whole rewritten chain) (SEC-1, SIGN-4)."""

import datetime as dt
import io
import logging
import re

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from guichet.accounts.models import StaffRole
from guichet.ledger import chain
from guichet.ledger.models import LedgerEntry
from guichet.ledger.services import append
from guichet.ledger.tasks import verify_daily
from guichet.ledger.verify import Problem, verify_chain
from tests.ledger.conftest import tamper

MOVED_AWAY = 1_000_000  # sequences are unique: rows are moved out of the way, then back


def rows():
    return list(LedgerEntry.objects.order_by("sequence").values_list("sequence", "previous_hash", "hash",
                                                                      *chain.HASHED_FIELDS))


def rehash_from(sequence: int) -> None:
    """The attacker recomputes every hash from `sequence` on, so the chain is consistent again."""
    previous = LedgerEntry.objects.get(sequence=sequence - 1).hash if sequence > 1 else "0" * 64
    for row in rows():
        if row[0] < sequence:
            continue
        new_hash = chain.entry_hash(previous, row[0], chain.row_rest(row[3:]))
        tamper("UPDATE ledger_ledgerentry SET previous_hash = %s, hash = %s WHERE sequence = %s",
               [previous, new_hash, row[0]])
        previous = new_hash


def assert_fails(first_bad: int, problem: str) -> None:
    result = verify_chain(chunk_size=3)  # small chunks: the stream crosses several fetches
    found = (result.ok, result.first_bad_sequence, result.problem)
    assert found == (False, first_bad, problem), result.message


@pytest.mark.rule("SEC-1", "SIGN-4")
def test_it_passes_an_intact_chain(chain_of, settings):
    settings.GUICHET_LEDGER_CHECKPOINT_EVERY = 4
    chain_of(10)

    result = verify_chain(chunk_size=3)

    assert (result.ok, result.entries, result.checkpoints) == (True, 10, 2)
    out = io.StringIO()
    call_command("ledger", "verify", stdout=out)
    assert "10 entries, 2 checkpoints" in out.getvalue()


def test_it_passes_an_empty_ledger(db):
    assert verify_chain().ok


@pytest.mark.rule("SEC-1", "SIGN-4")
def test_it_names_a_changed_entry(chain_of):
    chain_of(10)

    tamper("UPDATE ledger_ledgerentry SET payload = %s WHERE sequence = 6", ['{"n":600}'])

    assert_fails(6, Problem.CHANGED)
    with pytest.raises(CommandError, match="FAILED at entry 6"):
        call_command("ledger", "verify")


@pytest.mark.rule("SEC-1", "SIGN-4")
@pytest.mark.parametrize("column, value", [
    ("recorded_at", "2020-01-01 00:00:00+00"), ("kind", "consent.withdrawn"), ("actor_label", "Someone"),
    ("context", "compulsory"), ("visible_to_subject", False),
])
def test_it_names_an_entry_changed_in_any_field(chain_of, column, value):
    chain_of(5)

    tamper(f"UPDATE ledger_ledgerentry SET {column} = %s WHERE sequence = 3", [value])  # noqa: S608 - test's own

    assert_fails(3, Problem.CHANGED)


@pytest.mark.rule("SEC-1")
def test_it_names_an_entry_changed_and_rehashed(chain_of):
    chain_of(10)
    row = next(r for r in rows() if r[0] == 6)
    forged = list(row[3:])
    forged[chain.HASHED_FIELDS.index("payload")] = '{"n":600}'

    tamper("UPDATE ledger_ledgerentry SET payload = %s, hash = %s WHERE sequence = 6",
           ['{"n":600}', chain.entry_hash(row[1], 6, chain.row_rest(forged))])

    assert_fails(6, Problem.CHANGED)


@pytest.mark.rule("SEC-1")
def test_it_names_the_last_entry_changed_and_rehashed(chain_of):
    chain_of(5)
    row = next(r for r in rows() if r[0] == 5)
    forged = list(row[3:])
    forged[chain.HASHED_FIELDS.index("kind")] = "consent.withdrawn"

    tamper("UPDATE ledger_ledgerentry SET kind = %s, hash = %s WHERE sequence = 5",
           [forged[1], chain.entry_hash(row[1], 5, chain.row_rest(forged))])

    assert_fails(5, Problem.CHANGED)


@pytest.mark.rule("SEC-1", "SIGN-4")
def test_it_names_a_removed_entry(chain_of):
    chain_of(10)

    tamper("DELETE FROM ledger_ledgerentry WHERE sequence = 4")

    assert_fails(4, Problem.REMOVED)


@pytest.mark.rule("SEC-1")
def test_it_names_a_removed_entry_when_the_rest_was_renumbered(chain_of):
    chain_of(10)

    tamper("DELETE FROM ledger_ledgerentry WHERE sequence = 4")
    tamper("UPDATE ledger_ledgerentry SET sequence = sequence + %s WHERE sequence > 4", [MOVED_AWAY])
    tamper("UPDATE ledger_ledgerentry SET sequence = sequence - %s - 1 WHERE sequence > %s",
           [MOVED_AWAY, MOVED_AWAY])

    assert_fails(4, Problem.REMOVED)


@pytest.mark.rule("SEC-1", "SIGN-4")
def test_it_names_entries_removed_from_the_end(chain_of):
    chain_of(10)

    tamper("DELETE FROM ledger_ledgerentry WHERE sequence >= 9")

    assert_fails(9, Problem.REMOVED)


@pytest.mark.rule("SEC-1", "SIGN-4")
def test_it_names_an_inserted_entry(chain_of):
    chain_of(10)
    before = next(r for r in rows() if r[0] == 4)
    forged = list(before[3:])
    forged[chain.HASHED_FIELDS.index("payload")] = '{"n":"forged"}'
    forged_hash = chain.entry_hash(before[2], 5, chain.row_rest(forged))

    # Make room at 5, then slip in an entry chained to entry 4 as a careful attacker would.
    tamper("UPDATE ledger_ledgerentry SET sequence = sequence + %s WHERE sequence >= 5", [MOVED_AWAY])
    tamper("UPDATE ledger_ledgerentry SET sequence = sequence - %s + 1 WHERE sequence > %s",
           [MOVED_AWAY, MOVED_AWAY])
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO ledger_ledgerentry (sequence, recorded_at, kind, actor_kind, actor_ref, "
            "actor_label, actor_role, subject_id, context, payload, previous_hash, hash, visible_to_subject) "
            "VALUES (5, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            [*forged[:9], before[2], forged_hash, forged[9]])

    assert_fails(5, Problem.INSERTED)


@pytest.mark.rule("SEC-1", "SIGN-4")
def test_it_names_reordered_entries(chain_of):
    chain_of(10)

    tamper("UPDATE ledger_ledgerentry SET sequence = %s WHERE sequence = 6", [MOVED_AWAY])
    tamper("UPDATE ledger_ledgerentry SET sequence = 6 WHERE sequence = 7")
    tamper("UPDATE ledger_ledgerentry SET sequence = 7 WHERE sequence = %s", [MOVED_AWAY])

    assert_fails(6, Problem.REORDERED)


@pytest.mark.rule("SEC-1", "SIGN-4")
def test_it_detects_a_whole_rewritten_chain_by_its_checkpoint(chain_of, settings):
    settings.GUICHET_LEDGER_CHECKPOINT_EVERY = 4
    chain_of(10)

    tamper("UPDATE ledger_ledgerentry SET payload = %s WHERE sequence = 6", ['{"n":600}'])
    rehash_from(6)

    # Entries 5 to 8 are consistent with each other, but not with the signature of the head at 8.
    assert_fails(5, Problem.REWRITTEN)


@pytest.mark.rule("SEC-1", "SIGN-4")
def test_it_detects_a_whole_rewritten_chain_whose_checkpoints_were_deleted(chain_of, settings):
    settings.GUICHET_LEDGER_CHECKPOINT_EVERY = 4
    chain_of(10)

    tamper("UPDATE ledger_ledgerentry SET payload = %s WHERE sequence = 2", ['{"n":200}'])
    rehash_from(2)
    tamper("DELETE FROM ledger_checkpoint")
    tamper("UPDATE ledger_ledgerhead SET hash = %s", [LedgerEntry.objects.get(sequence=10).hash])

    # Every hash agrees again, but appends signed entry 8 and that signature is gone.
    assert_fails(1, Problem.REWRITTEN)


@pytest.mark.rule("SEC-1", "SIGN-4")
def test_it_checks_the_entries_behind_a_head_that_was_moved_back(chain_of, settings):
    settings.GUICHET_LEDGER_CHECKPOINT_EVERY = 0
    chain_of(10)

    tamper("UPDATE ledger_ledgerhead SET sequence = 5, hash = %s", [LedgerEntry.objects.get(sequence=5).hash])
    tamper("UPDATE ledger_ledgerentry SET payload = %s WHERE sequence = 8", ['{"n":800}'])

    assert not verify_chain(chunk_size=3).ok


@pytest.mark.rule("SEC-1", "SIGN-4")
def test_it_detects_a_checkpoint_that_was_rewritten_too(chain_of, settings):
    settings.GUICHET_LEDGER_CHECKPOINT_EVERY = 4
    chain_of(10)

    tamper("UPDATE ledger_ledgerentry SET payload = %s WHERE sequence = 2", ['{"n":200}'])
    rehash_from(2)
    new_head = LedgerEntry.objects.get(sequence=4).hash
    tamper("UPDATE ledger_checkpoint SET head_hash = %s WHERE sequence = 4", [new_head])

    assert_fails(1, Problem.REWRITTEN)


@pytest.mark.rule("SIGN-4")
def test_it_refuses_a_checkpoint_signed_with_another_key(chain_of, settings, tmp_path):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    settings.GUICHET_LEDGER_CHECKPOINT_EVERY = 4
    chain_of(5)
    other = tmp_path / "other.pem"
    other.write_bytes(Ed25519PrivateKey.generate().public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    settings.GUICHET_LEDGER_PUBLIC_KEY_FILE = str(other)

    assert_fails(1, Problem.REWRITTEN)


@pytest.mark.rule("SEC-1")
def test_it_alerts_the_administrators_and_the_dpo_office_on_failure(chain_of, staff, mailoutbox, caplog):
    for role, address in ((StaffRole.ADMINISTRATOR, "admin@example.org"),
                          (StaffRole.DPO_OFFICE, "dpo@example.org"), (StaffRole.AGENT, "agent@example.org")):
        user = staff(role)
        user.email = address
        user.save()
    chain_of(5)
    tamper("UPDATE ledger_ledgerentry SET kind = 'forged' WHERE sequence = 3")

    with caplog.at_level(logging.ERROR, logger="guichet.ledger"):
        assert verify_daily() is False

    assert sorted(address for message in mailoutbox for address in message.to) == ["admin@example.org",
                                                                                   "dpo@example.org"]
    # the first bad sequence number, in the staff's language, and nothing of the entry's content
    assert all(re.search(r"\b3\b", message.body) and "forged" not in message.body for message in mailoutbox)
    assert any(record.levelno == logging.ERROR and "entry 3" in record.getMessage()
               for record in caplog.records)


def test_it_sends_no_alert_when_the_chain_holds(chain_of, staff, mailoutbox):
    admin = staff(StaffRole.ADMINISTRATOR)
    admin.email = "admin@example.org"
    admin.save()
    chain_of(3)

    assert verify_daily() is True
    assert mailoutbox == []


@pytest.mark.rule("SEC-1")
def test_it_verifies_entries_recorded_on_a_whole_second_and_across_years(db):
    for moment in (dt.datetime(2026, 3, 29, 1, 0, 0, tzinfo=dt.UTC),
                   dt.datetime(2026, 12, 31, 23, 59, 59, 999999, tzinfo=dt.UTC)):
        with time_machine.travel(moment, tick=False), transaction.atomic():
            append("test.event", actor=None)

    assert verify_chain().ok


def test_it_schedules_the_checkpoint_hourly_and_the_verification_daily(settings):
    from guichet.celery import app

    schedule = settings.CELERY_BEAT_SCHEDULE
    assert (schedule["ledger-checkpoint"]["schedule"], schedule["ledger-verify"]["schedule"]) == (3600, 86400)
    assert {schedule["ledger-checkpoint"]["task"], schedule["ledger-verify"]["task"]} <= set(app.tasks)


@pytest.mark.rule("SEC-1", "SIGN-4")
def test_it_never_signs_a_tail_that_was_rewritten(chain_of, settings, caplog):
    from guichet.ledger.models import Checkpoint
    from guichet.ledger.services import checkpoint_head

    settings.GUICHET_LEDGER_CHECKPOINT_EVERY = 4
    chain_of(6)
    tamper("UPDATE ledger_ledgerentry SET payload = %s WHERE sequence = 5", ['{"n":500}'])
    rehash_from(5)

    with caplog.at_level(logging.ERROR, logger="guichet.ledger"):
        assert checkpoint_head() is None
        chain_of(2)  # entry 8 would be checkpointed: the rewritten 5 and 6 come before it

    assert list(Checkpoint.objects.values_list("sequence", flat=True)) == [4]
    assert "not signed" in caplog.text
