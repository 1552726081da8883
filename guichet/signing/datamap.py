"""Data map of the signing app: each field's register data category, or why it is not personal."""

from guichet.privacy.datamap import NotPersonal, Personal

TECHNICAL_KEY = NotPersonal("technical key")
PUBLIC_KEY = NotPersonal("random public identifier used in URLs")
SIGNATURES = Personal("signatures")

DATA_MAP = {
    "SignatureRequest": {
        "id": TECHNICAL_KEY,
        "public_id": PUBLIC_KEY,
        "signer": SIGNATURES,
        "kind": SIGNATURES,
        "reference": SIGNATURES,
        "title": SIGNATURES,
        "content": Personal("documents"),
        "content_type": NotPersonal("media type of the prepared document"),
        "content_sha256": SIGNATURES,
        "status": SIGNATURES,
        "prepared_at": SIGNATURES,
        "prepared_by": Personal("audit_trail"),
    },
    "Signature": {
        "id": TECHNICAL_KEY,
        "public_id": PUBLIC_KEY,
        "request": SIGNATURES,
        "signer": SIGNATURES,
        "content_sha256": SIGNATURES,
        "cms": SIGNATURES,
        "cms_sha256": SIGNATURES,
        "certificate": SIGNATURES,
        "chain": SIGNATURES,
        "certificate_subject": SIGNATURES,
        "certificate_serial": SIGNATURES,
        "certificate_issuer": NotPersonal("name of the certification authority"),
        "revocation": SIGNATURES,
        "validation": SIGNATURES,
        "signing_time": SIGNATURES,
        "validated_at": SIGNATURES,
        "ledger_sequence": NotPersonal("position of the evidence in the ledger"),
    },
    "RefusedSignature": {
        "id": TECHNICAL_KEY,
        "request": SIGNATURES,
        "at": SIGNATURES,
        "reason": SIGNATURES,
        "message": SIGNATURES,
        "cms_sha256": SIGNATURES,
    },
    "LostCardReport": {
        "id": TECHNICAL_KEY,
        "person": SIGNATURES,
        "reported_at": SIGNATURES,
        "recorded_at": SIGNATURES,
        "reported_by": Personal("audit_trail"),
        "channel": SIGNATURES,
        "reason": SIGNATURES,
    },
}
