"""Data map of the messaging app (the development outbox): each field's register data category."""

from guichet.privacy.datamap import NotPersonal, Personal

DATA_MAP = {
    "OutboxMessage": {
        "id": NotPersonal("technical key"),
        "channel": Personal("interactions"),
        "recipient": Personal("contact"),
        "subject": Personal("interactions"),
        "body": Personal("interactions"),
        "created_at": Personal("interactions"),
    },
}
