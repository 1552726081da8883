"""Data map of the mandates app: each field's register data category, or why it is not personal."""

from guichet.privacy.datamap import NotPersonal, Personal

TECHNICAL_KEY = NotPersonal("technical key")
PUBLIC_KEY = NotPersonal("random public identifier used in URLs")

DATA_MAP = {
    "Mandate": {
        "id": TECHNICAL_KEY,
        "public_id": PUBLIC_KEY,
        "form": NotPersonal("random identifier grouping the rows of one grant form"),
        "grantor": Personal("mandates"),
        "agent": Personal("mandates"),
        "scopes": Personal("mandates"),
        "amount_limit": Personal("mandates"),
        "joint": Personal("mandates"),
        "starts_on": Personal("mandates"),
        "ends_on": Personal("mandates"),
        "status": Personal("mandates"),
        "granted_at": Personal("mandates"),
        "accepted_at": Personal("mandates"),
        "finished_at": Personal("mandates"),
        "end_reason": Personal("mandates"),
        "staff_reason": Personal("mandates"),
    },
    "MandateLog": {
        "id": TECHNICAL_KEY,
        "mandate": Personal("audit_trail"),
        "kind": Personal("audit_trail"),
        "at": Personal("audit_trail"),
        "by_person": Personal("audit_trail"),
        "by_staff": Personal("audit_trail"),
        "detail": Personal("audit_trail"),
    },
    "JointAct": {
        "id": TECHNICAL_KEY,
        "public_id": PUBLIC_KEY,
        "form": NotPersonal("random identifier grouping the rows of one grant form"),
        "grantor": Personal("mandates"),
        "action": Personal("audit_trail"),
        "payload": Personal("audit_trail"),
        "amount": Personal("audit_trail"),
        "approved_by": Personal("mandates"),
        "proposed_at": Personal("audit_trail"),
        "status": Personal("audit_trail"),
        "done_at": Personal("audit_trail"),
    },
    "ParentalAuthority": {
        "id": TECHNICAL_KEY,
        "parent": Personal("mandates"),
        "child": Personal("mandates"),
        "since": Personal("mandates"),
        "ended_on": Personal("mandates"),
    },
    "CourtDecision": {
        "id": TECHNICAL_KEY,
        "public_id": PUBLIC_KEY,
        "child": Personal("mandates"),
        "exclusive_parent": Personal("mandates"),
        "decided_on": Personal("mandates"),
        "court": Personal("mandates"),
        "proof": Personal("mandates"),
        "proof_type": NotPersonal("file type of the proof (PDF, JPEG or PNG)"),
        "recorded_at": Personal("audit_trail"),
        "recorded_by": Personal("audit_trail"),
    },
}
