"""Appending to the ledger: the chain, the canonical payload, the actor as kept, the caller's transaction,
and the checkpoints signed every N entries."""

import json
import math

import pytest
from django.db import transaction

from guichet.accounts.models import StaffRole
from guichet.ledger import chain, signing
from guichet.ledger.errors import LedgerError
from guichet.ledger.models import GENESIS_HASH, Checkpoint, LedgerEntry
from guichet.ledger.services import append, checkpoint_head


@pytest.mark.rule("SEC-1", "SIGN-4")
def test_it_chains_each_entry_to_the_previous_one(chain_of):
    entries = chain_of(3)

    stored = list(LedgerEntry.objects.order_by("sequence"))
    assert [entry.sequence for entry in stored] == [1, 2, 3]
    assert stored[0].previous_hash == GENESIS_HASH
    assert [entry.previous_hash for entry in stored[1:]] == [entry.hash for entry in stored[:-1]]
    for entry in stored:
        rest = chain.rest_bytes(*(getattr(entry, name) for name in chain.HASHED_FIELDS))
        assert entry.hash == chain.entry_hash(entry.previous_hash, entry.sequence, rest)
    assert [entry.hash for entry in entries] == [entry.hash for entry in stored]


@pytest.mark.rule("SEC-1")
def test_it_stores_the_payload_as_canonical_json(db):
    with transaction.atomic():
        entry = append("test.event", actor=None,
                       payload={"b": [1, True, None], "a": "Zoë", "c": {"y": 1, "x": 2}})

    assert LedgerEntry.objects.get(pk=entry.pk).payload == '{"a":"Zoë","b":[1,true,null],"c":{"x":2,"y":1}}'


@pytest.mark.rule("SEC-1")
@pytest.mark.parametrize("payload", [
    {"amount": 12.5}, {"nested": {"ratio": math.nan}}, {"list": [1, math.inf]}, {1: "key not text"},
    {"when": object()}, ["not", "an", "object"], "text", {"broken": "\ud800"},
])
def test_it_refuses_a_payload_that_is_not_canonical_json(db, payload):
    with transaction.atomic(), pytest.raises(LedgerError):
        append("test.event", actor=None, payload=payload)

    assert not LedgerEntry.objects.exists()


@pytest.mark.rule("SEC-1")
@pytest.mark.parametrize("kind", ["", "Consent Given", "consent..given", "x" * 81, "consent;drop", None])
def test_it_refuses_a_kind_that_is_not_a_key(db, kind):
    with transaction.atomic(), pytest.raises(LedgerError):
        append(kind, actor=None)

    assert not LedgerEntry.objects.exists()


def test_it_refuses_a_context_that_is_not_in_the_register(db):
    with transaction.atomic(), pytest.raises(LedgerError, match="not a context of the register"):
        append("test.event", actor=None, context="marketing_partners")

    assert not LedgerEntry.objects.exists()


@pytest.mark.rule("SEC-1")
def test_it_leaves_no_entry_when_the_action_rolls_back(chain_of):
    chain_of(1)

    with pytest.raises(RuntimeError), transaction.atomic():
        append("test.event", actor=None)
        raise RuntimeError("the action failed after its ledger entry")

    assert list(LedgerEntry.objects.values_list("sequence", flat=True)) == [1]
    assert append_one().sequence == 2  # no gap where the rolled-back entry was


def append_one():
    with transaction.atomic():
        return append("test.event", actor=None)


@pytest.mark.django_db(transaction=True)
def test_it_refuses_to_append_outside_a_transaction():
    with pytest.raises(LedgerError, match="inside the transaction"):
        append("test.event", actor=None)

    assert not LedgerEntry.objects.exists()


def test_it_keeps_a_member_as_the_person_behind_the_account(member):
    marie = member.person
    with transaction.atomic():
        by_person = append("test.event", actor=marie, subject=marie)
        by_account = append("test.event", actor=member, subject=marie)

    for entry in (by_person, by_account):
        assert (entry.actor_kind, entry.actor_ref, entry.actor_label, entry.actor_role) == (
            "person", str(marie.public_id), marie.full_name, "")
        assert entry.subject_id == marie.pk


def test_it_keeps_a_staff_member_with_their_role_at_the_time(staff, member):
    agent = staff(StaffRole.AGENT)
    with transaction.atomic():
        entry = append("test.event", actor=agent, subject=member.person)

    agent.staff_role = StaffRole.MODERATOR
    agent.save()
    stored = LedgerEntry.objects.get(pk=entry.pk)
    assert (stored.actor_kind, stored.actor_ref, stored.actor_role) == (
        "staff", str(agent.public_id), "agent")
    assert stored.actor_label == str(agent)


def test_it_records_the_system_as_an_actor_without_name(db):
    with transaction.atomic():
        entry = append("test.event", actor=None)

    assert (entry.actor_kind, entry.actor_ref, entry.actor_label, entry.subject_id) == (
        "system", "", "", None)


@pytest.mark.parametrize("actor", ["Marie", 42])
def test_it_refuses_an_actor_that_is_not_a_person_an_account_or_nobody(db, actor):
    with transaction.atomic(), pytest.raises(LedgerError):
        append("test.event", actor=actor)


def test_it_refuses_a_subject_that_is_not_a_registry_person(member):
    with transaction.atomic(), pytest.raises(LedgerError):
        append("test.event", actor=None, subject=member)


def test_it_removes_control_characters_from_names(member):
    marie = member.person
    marie.first_name = "Ma\x1frie\n"
    marie.save()
    with transaction.atomic():
        entry = append("test.event", actor=marie)

    assert entry.actor_label == "Marie " + marie.last_name


@pytest.mark.rule("SEC-1", "SIGN-4")
def test_it_signs_the_head_every_n_entries(chain_of, settings):
    settings.GUICHET_LEDGER_CHECKPOINT_EVERY = 4

    entries = chain_of(9)

    checkpoints = list(Checkpoint.objects.order_by("sequence"))
    assert [(c.sequence, c.head_hash) for c in checkpoints] == [(4, entries[3].hash), (8, entries[7].hash)]
    key = signing.public_key()
    for checkpoint in checkpoints:
        assert checkpoint.key_fingerprint == signing.fingerprint(key)
        assert signing.signature_is_valid(key, checkpoint.sequence, checkpoint.head_hash,
                                          checkpoint.signature)
    assert not signing.signature_is_valid(key, 4, entries[4].hash, checkpoints[0].signature)


@pytest.mark.rule("SIGN-4")
def test_it_signs_the_rest_of_the_chain_on_schedule(chain_of, settings):
    settings.GUICHET_LEDGER_CHECKPOINT_EVERY = 0
    entries = chain_of(3)

    first = checkpoint_head()
    again = checkpoint_head()

    assert (first.sequence, first.head_hash) == (3, entries[-1].hash)
    assert again is None
    assert Checkpoint.objects.count() == 1


def test_it_generates_a_development_key_and_says_so(settings, tmp_path, caplog):
    settings.GUICHET_LEDGER_SIGNING_KEY_FILE = ""
    settings.VAR_DIR = tmp_path

    with caplog.at_level("WARNING", logger="guichet.ledger"):
        key = signing.signing_key()

    assert (tmp_path / signing.DEVELOPMENT_KEY_NAME).exists()
    assert "Generated a development ledger signing key" in caplog.text
    assert signing.fingerprint(signing.signing_key().public_key()) == signing.fingerprint(key.public_key())


def test_it_requires_a_configured_key_in_production(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.GUICHET_LEDGER_SIGNING_KEY_FILE = ""
    settings.PRODUCTION = True

    with pytest.raises(ImproperlyConfigured):
        signing.signing_key()


def test_it_checks_signatures_with_the_configured_public_key(chain_of, settings, tmp_path):
    from cryptography.hazmat.primitives import serialization

    public_file = tmp_path / "public.pem"
    public_file.write_bytes(signing.signing_key().public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    settings.GUICHET_LEDGER_PUBLIC_KEY_FILE = str(public_file)

    expected = signing.fingerprint(signing.signing_key().public_key())
    assert signing.fingerprint(signing.public_key()) == expected


def test_it_writes_one_canonical_text_per_payload():
    assert chain.canonical_json({"é": 1, "a": [None]}) == json.dumps(
        {"a": [None], "é": 1}, ensure_ascii=False, separators=(",", ":"))
