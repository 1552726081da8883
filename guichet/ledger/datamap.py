"""Data map of the ledger: how each field of the entries, the head and the checkpoints is classified."""

from guichet.privacy.datamap import NotPersonal, Personal

DATA_MAP = {
    "LedgerEntry": {
        "id": NotPersonal("technical key"),
        "sequence": NotPersonal("position in the chain"),
        "recorded_at": Personal("audit_trail"),
        "kind": Personal("audit_trail"),
        "actor_kind": NotPersonal("whether a member, a staff member or the system acted"),
        "actor_ref": Personal("audit_trail"),
        "actor_label": Personal("audit_trail"),
        "actor_role": NotPersonal("a staff role name"),
        "subject": Personal("audit_trail"),
        "context": NotPersonal("key of a context of the register"),
        "payload": Personal("audit_trail"),
        "previous_hash": NotPersonal("hash of the previous entry"),
        "hash": NotPersonal("hash of the entry"),
        "visible_to_subject": NotPersonal("whether the member may see the entry"),
    },
    "LedgerHead": {
        "id": NotPersonal("technical key"),
        "sequence": NotPersonal("position in the chain"),
        "previous_hash": NotPersonal("hash of an entry"),
        "hash": NotPersonal("hash of an entry"),
    },
    "Checkpoint": {
        "id": NotPersonal("technical key"),
        "sequence": NotPersonal("position in the chain"),
        "head_hash": NotPersonal("hash of an entry"),
        "signed_at": NotPersonal("technical timestamp"),
        "signature": NotPersonal("signature of a hash"),
        "key_fingerprint": NotPersonal("fingerprint of the organisation's public key"),
    },
}
