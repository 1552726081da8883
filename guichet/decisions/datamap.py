"""Data map of the decisions app: each field's register data category, or why it is not personal."""

from guichet.privacy.datamap import NotPersonal, Personal

TECHNICAL_KEY = NotPersonal("technical key")
PUBLIC_KEY = NotPersonal("random public identifier used in URLs")
SOCIAL = Personal("social_security_data", context="compulsory")
FINANCIAL = Personal("financial", context="compulsory")
HEALTH = Personal("health", context="compulsory")
INTERACTIONS = Personal("interactions", context="compulsory")

DATA_MAP = {
    "Decision": {
        "id": TECHNICAL_KEY, "public_id": PUBLIC_KEY,
        "kind": SOCIAL, "context": NotPersonal("the register context of the decision kind"),
        "subject": SOCIAL, "rule_set": NotPersonal("version of the published rule set"),
        "inputs": SOCIAL, "outcome": SOCIAL, "result": SOCIAL, "explanation": SOCIAL, "decided_at": SOCIAL,
    },
    "Review": {
        "id": TECHNICAL_KEY, "public_id": PUBLIC_KEY,
        "decision": INTERACTIONS, "requested_by": INTERACTIONS, "reasons": INTERACTIONS,
        "requested_at": INTERACTIONS, "status": INTERACTIONS, "reviewer": INTERACTIONS, "answer": INTERACTIONS,
        "answered_at": INTERACTIONS, "answer_document": INTERACTIONS,
    },
    "InsuranceStatus": {
        "id": TECHNICAL_KEY, "person": Personal("affiliation", context="compulsory"),
        "scheme": Personal("affiliation", context="compulsory"),
        "status": Personal("affiliation", context="compulsory"),
        "recorded_at": Personal("affiliation", context="compulsory"),
    },
    "Situation": {
        "id": TECHNICAL_KEY, "public_id": PUBLIC_KEY,
        "person": SOCIAL, "ground": SOCIAL, "start": SOCIAL, "end": SOCIAL, "source": SOCIAL, "recorded_at": SOCIAL,
    },
    "BimRight": {
        "id": TECHNICAL_KEY, "person": SOCIAL, "source": SOCIAL, "ground": SOCIAL, "start": SOCIAL, "end": SOCIAL,
        "effects": SOCIAL, "decision": SOCIAL,
    },
    "HouseholdIncome": {
        "id": TECHNICAL_KEY, "household": FINANCIAL, "year": FINANCIAL, "amount_cents": FINANCIAL,
        "source": FINANCIAL,
    },
    "BimRequest": {
        "id": TECHNICAL_KEY, "public_id": PUBLIC_KEY, "requested_by": SOCIAL, "household": Personal(
            "household", context="compulsory"), "requested_on": SOCIAL, "statement": FINANCIAL, "status": SOCIAL,
        "decision": SOCIAL,
    },
    "BimSignature": {
        "id": TECHNICAL_KEY, "request": SOCIAL, "signer": Personal("signatures"),
        "reference": NotPersonal("random reference shared with the signing app"), "signed_at": Personal("signatures"),
    },
    "CareLine": {
        "id": TECHNICAL_KEY, "person": HEALTH, "care_date": HEALTH, "amount_cents": FINANCIAL, "recorded_at": HEALTH,
    },
    "MafAccount": {
        "id": TECHNICAL_KEY, "household": FINANCIAL, "year": FINANCIAL, "ceiling_cents": FINANCIAL,
        "counted_cents": FINANCIAL, "refunded_cents": Personal("payments", context="compulsory"),
        "updated_at": FINANCIAL,
    },
    "MafRefund": {
        "id": TECHNICAL_KEY, "account": Personal("payments", context="compulsory"),
        "amount_cents": Personal("payments", context="compulsory"),
        "due_cents": Personal("payments", context="compulsory"),
        "run": NotPersonal("identifier of the computation run"),
        "created_at": Personal("payments", context="compulsory"), "decision": SOCIAL,
    },
    "IncapacityBlock": {
        "id": TECHNICAL_KEY, "person": SOCIAL, "insurer": SOCIAL, "case_reference": SOCIAL, "since": SOCIAL,
        "decision": SOCIAL,
    },
}
