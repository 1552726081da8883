"""Data map of the ebox app: each field's register data category, or why it is not personal."""

from guichet.privacy.datamap import NotPersonal, Personal

TECHNICAL_KEY = NotPersonal("technical key")
PUBLIC_KEY = NotPersonal("random public identifier used in URLs")

DATA_MAP = {
    "Document": {
        "id": TECHNICAL_KEY,
        "public_id": PUBLIC_KEY,
        "person": Personal("documents"),
        "doc_type": Personal("documents"),
        "title": Personal("documents"),
        "file": Personal("documents"),
        "content_type": NotPersonal("file format (PDF or ZIP)"),
        "size": NotPersonal("file size in bytes"),
        "sha256": Personal("documents"),
        "issued_at": Personal("documents"),
        "issued_by": Personal("audit_trail"),
        "delivery": Personal("communication_preferences"),
        "is_read": Personal("documents"),
        "read_at": Personal("documents"),
        "notified_at": Personal("documents"),
    },
    "EboxChoice": {
        "id": TECHNICAL_KEY,
        "person": Personal("communication_preferences"),
        "active": Personal("communication_preferences"),
        "changed_at": Personal("communication_preferences"),
    },
    "EboxChange": {
        "id": TECHNICAL_KEY,
        "person": Personal("communication_preferences"),
        "active": Personal("communication_preferences"),
        "at": Personal("communication_preferences"),
        "by_person": Personal("audit_trail"),
    },
    "PrintBatch": {
        "id": TECHNICAL_KEY,
        "public_id": PUBLIC_KEY,
        "created_at": NotPersonal("when a batch of letters was formed"),
        "completed_at": NotPersonal("when the batch was handed to the print house"),
        "folder": NotPersonal("name of the batch folder (date and random id)"),
        "attempts": NotPersonal("number of export attempts"),
    },
    "PrintItem": {
        "id": TECHNICAL_KEY,
        "document": Personal("documents"),
        "queued_at": Personal("documents"),
        "batch": Personal("documents"),
    },
}
