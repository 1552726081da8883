"""Data map of the events app: how each field of the outbox is classified against the register."""

from guichet.privacy.datamap import NotPersonal, Personal

DATA_MAP = {
    "OutboxEvent": {
        "id": NotPersonal("technical key"),
        "kind": NotPersonal("kind of the domain event"),
        "subject": Personal("identification"),
        "payload": Personal("audit_trail"),
        "created_at": NotPersonal("technical timestamp"),
        "delivered_at": NotPersonal("technical timestamp"),
        "attempts": NotPersonal("delivery counter"),
        "next_attempt_at": NotPersonal("technical timestamp"),
        "last_error": NotPersonal("technical error text"),
        "handled_by": NotPersonal("names of the subscribers that handled the event"),
    },
}
