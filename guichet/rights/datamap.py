"""Data map of the rights app: each field's register data category, or why it is not personal."""

from guichet.privacy.datamap import NotPersonal, Personal

KEY = NotPersonal("technical key")
PUBLIC_KEY = NotPersonal("random public identifier used in URLs")
REQUEST = Personal("interactions")

DATA_MAP: dict = {
    "RightsRequest": {
        "id": KEY, "public_id": PUBLIC_KEY, "reference": REQUEST, "person": REQUEST, "filed_by": Personal("mandates"),
        "registered_by": NotPersonal("the staff account that registered a paper request"),
        "kind": REQUEST, "channel": REQUEST, "status": REQUEST, "language": Personal("identification"),
        "requester_name": Personal("identification"), "requester_email": Personal("contact"),
        "national_number": Personal("national_register"), "details": REQUEST, "target": REQUEST,
        "proposed_value": REQUEST, "electronic_answer": REQUEST, "id_front": Personal("identification"),
        "id_back": Personal("identification"), "letter_dated_on": REQUEST, "letter_signed": REQUEST,
        "received_at": REQUEST, "due_on": REQUEST, "extended_at": REQUEST, "extension_reason": REQUEST,
        "identity_verified_at": REQUEST, "reminded_at": NotPersonal("when staff were reminded of the deadline"),
        "closed_at": REQUEST, "answer": REQUEST, "refusal_reason": REQUEST, "compelling_grounds": REQUEST,
        "answer_document": REQUEST,
    },
    "ProcessingFlag": {
        "id": KEY, "person": REQUEST, "kind": REQUEST, "processing": REQUEST, "request": REQUEST,
        "since": REQUEST, "lifted_at": REQUEST,
    },
    "Letter": {
        "id": KEY, "request": REQUEST, "subject": REQUEST, "body": REQUEST, "language": Personal("identification"),
        "created_at": REQUEST, "printed_at": NotPersonal("when the print room printed the letter"),
    },
}
