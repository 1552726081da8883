"""On PostgreSQL, an append is one call of the function `ledger_append`: it locks the chain head
(SELECT ... FOR UPDATE), computes the new entry's SHA-256 from the locked previous hash, advances the head
and inserts the entry. PL/pgSQL keeps its statements' plans for the session, so an append costs no
planning; the same statements sent as SQL were planned on every append, which cost more than the writes."""

from django.db import migrations

INSTALL = """
CREATE OR REPLACE FUNCTION ledger_append(
    p_rest bytea, p_recorded_at timestamptz, p_kind text, p_actor_kind text, p_actor_ref text,
    p_actor_label text, p_actor_role text, p_subject_id bigint, p_context text, p_payload text,
    p_visible_to_subject boolean,
    OUT entry_id bigint, OUT entry_sequence bigint, OUT entry_previous_hash text, OUT entry_hash text
) LANGUAGE plpgsql AS $$
BEGIN
    -- Every writer queues here, on the single head row, until the one before it commits.
    SELECT sequence + 1, hash INTO entry_sequence, entry_previous_hash
      FROM ledger_ledgerhead WHERE id = 1 FOR UPDATE;
    IF NOT FOUND THEN
        RETURN;  -- no head row yet: the caller creates it and calls again
    END IF;
    -- The same bytes as ledger.chain.entry_hash: previous hash, 0x1F, sequence, 0x1F, then the rest.
    entry_hash := encode(sha256(
        convert_to(entry_previous_hash || chr(31) || entry_sequence::text || chr(31), 'UTF8') || p_rest
    ), 'hex');
    UPDATE ledger_ledgerhead
       SET sequence = entry_sequence, previous_hash = entry_previous_hash, hash = entry_hash
     WHERE id = 1;
    INSERT INTO ledger_ledgerentry (sequence, recorded_at, kind, actor_kind, actor_ref, actor_label, actor_role,
                                    subject_id, context, payload, previous_hash, hash, visible_to_subject)
    VALUES (entry_sequence, p_recorded_at, p_kind, p_actor_kind, p_actor_ref, p_actor_label, p_actor_role,
            p_subject_id, p_context, p_payload, entry_previous_hash, entry_hash, p_visible_to_subject)
    RETURNING id INTO entry_id;
END
$$;
"""

REMOVE = """
DROP FUNCTION IF EXISTS ledger_append(bytea, timestamptz, text, text, text, text, text, bigint, text, text, boolean);
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INSTALL, params=None)


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REMOVE, params=None)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0003_entry_hash_not_indexed")]

    operations = [migrations.RunPython(install, remove, elidable=False)]
