"""Data map of the back office: each field's register data category, or why it is not personal."""

from guichet.privacy.datamap import NotPersonal, Personal

TECHNICAL_KEY = NotPersonal("technical key")
PUBLIC_KEY = NotPersonal("random public identifier used in URLs")
AUDIT = Personal("audit_trail")

DATA_MAP = {
    "ConfidentialityAcknowledgement": {
        "id": TECHNICAL_KEY,
        "staff": AUDIT,
        "text_version": AUDIT,
        "text_sha256": NotPersonal("digest of a public text"),
        "language": AUDIT,
        "acknowledged_at": AUDIT,
    },
    "FileAccess": {
        "id": TECHNICAL_KEY,
        "public_id": PUBLIC_KEY,
        "staff": AUDIT,
        "role": AUDIT,
        "person": AUDIT,
        "purpose": AUDIT,
        "reason_kind": AUDIT,
        "reason_reference": AUDIT,
        "identity_check": AUDIT,
        "opened_at": AUDIT,
        "expires_at": AUDIT,
        "visible_to_subject": AUDIT,
    },
    "Delegation": {
        "id": TECHNICAL_KEY,
        "public_id": PUBLIC_KEY,
        "physician": AUDIT,
        "delegate": AUDIT,
        "scope": AUDIT,
        "granted_at": AUDIT,
        "expires_at": AUDIT,
        "revoked_at": AUDIT,
    },
    "DisclosureRequest": {
        "id": TECHNICAL_KEY,
        "public_id": PUBLIC_KEY,
        "requester_name": Personal("interactions"),
        "requester_organisation": Personal("interactions"),
        "recipient": Personal("interactions"),
        "processor": Personal("interactions"),
        "country": Personal("interactions"),
        "context": Personal("interactions"),
        "ground": Personal("interactions"),
        "transfer_ground": Personal("interactions"),
        "categories": Personal("interactions"),
        "person": Personal("interactions"),
        "received_by": AUDIT,
        "received_at": Personal("interactions"),
        "status": Personal("interactions"),
        "reason": Personal("interactions"),
        "decided_by": AUDIT,
        "decided_at": Personal("interactions"),
        "sent_categories": Personal("interactions"),
    },
}
