"""Data map of the accounts app: each field's register data category, or why it is not personal."""

from guichet.privacy.datamap import NotPersonal, Personal

ACCOUNT = Personal("online_account")
TECHNICAL_KEY = NotPersonal("technical key")

DATA_MAP = {
    "User": {
        "id": TECHNICAL_KEY,
        "public_id": NotPersonal("random public identifier used in URLs"),
        "password": ACCOUNT,  # a memory-hard hash, never the password itself (ACC-3)
        "last_login": ACCOUNT,
        "is_superuser": ACCOUNT,
        "groups": ACCOUNT,
        "user_permissions": ACCOUNT,
        "username": Personal("national_register"),  # a member logs in with their national register number
        "person": ACCOUNT,
        "staff_role": ACCOUNT,
        "display_name": Personal("identification"),
        "email": Personal("contact"),
        "is_active": ACCOUNT,
        "date_joined": ACCOUNT,
        "second_factor": ACCOUNT,
        "inactivity_warned_at": ACCOUNT,
        "access_removed_at": ACCOUNT,
    },
    "UserSession": {
        "session_key": Personal("connection_data"),
        "session_data": Personal("connection_data"),
        "expire_date": Personal("connection_data"),
        "user": Personal("connection_data"),
    },
    "OneTimeCode": {
        "id": TECHNICAL_KEY,
        "attempt": ACCOUNT,
        "purpose": ACCOUNT,
        "person": ACCOUNT,
        "destination": Personal("contact"),
        "code_hash": ACCOUNT,
        "created_at": ACCOUNT,
        "expires_at": ACCOUNT,
        "tries": ACCOUNT,
        "used_at": ACCOUNT,
    },
    "Restriction": {
        "id": TECHNICAL_KEY,
        "public_id": NotPersonal("random public identifier used in URLs"),
        "person": ACCOUNT,
        "scope": ACCOUNT,
        "reason": ACCOUNT,
        "note": ACCOUNT,
        "created_by": Personal("audit_trail"),
        "created_at": ACCOUNT,
        "lifted_by": Personal("audit_trail"),
        "lifted_at": ACCOUNT,
        "lift_note": ACCOUNT,
    },
}
