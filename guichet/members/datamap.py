"""Data map of the members app (the registry): each field's register data category, or why it is not personal."""

from guichet.privacy.datamap import NotPersonal, Personal

TECHNICAL_KEY = NotPersonal("technical key")
PUBLIC_KEY = NotPersonal("random public identifier used in URLs")

DATA_MAP = {
    "Person": {
        "id": TECHNICAL_KEY,
        "public_id": PUBLIC_KEY,
        "national_number": Personal("national_register"),
        "member_number": Personal("affiliation"),
        "first_name": Personal("identification"),
        "last_name": Personal("identification"),
        "birth_date": Personal("identification"),
        "sex": Personal("identification"),
        "language": Personal("identification"),
        "mobile": Personal("contact"),
        "email": Personal("contact"),
        "date_of_death": Personal("identification"),
        "email_verified_at": Personal("contact"),
        "mobile_verified_at": Personal("contact"),
        "departed_abroad_on": Personal("national_register"),  # main residence leaves Belgium
        "departure_country": Personal("national_register"),
        "legal_incapacity_on": Personal("national_register"),  # protection status (MAND-9)
        "bankruptcy_on": Personal("national_register"),  # ends mandates (MAND-9)
    },
    "Household": {
        "id": TECHNICAL_KEY,
        "public_id": PUBLIC_KEY,
        "created_at": Personal("household"),
    },
    "HouseholdMembership": {
        "id": TECHNICAL_KEY,
        "household": Personal("household"),
        "person": Personal("household"),
        "role": Personal("household"),
        "start": Personal("household"),
        "end": Personal("household"),
    },
    "Affiliation": {
        "id": TECHNICAL_KEY,
        "public_id": PUBLIC_KEY,
        "person": Personal("affiliation"),
        "context": Personal("affiliation"),
        "product": Personal("affiliation"),
        "status": Personal("affiliation"),
        "start": Personal("affiliation"),
        "end": Personal("affiliation"),
        "end_reason": Personal("affiliation"),
        "holder": Personal("affiliation"),
        "holder_codes": Personal("affiliation"),  # CT1/CT2: set by an automated decision (AUTO-1)
    },
    "Address": {
        "id": TECHNICAL_KEY,
        "public_id": PUBLIC_KEY,
        "person": Personal("contact"),
        "street": Personal("contact"),
        "number": Personal("contact"),
        "box": Personal("contact"),
        "postcode": Personal("contact"),
        "city": Personal("contact"),
        "country": Personal("contact"),
        "valid_from": Personal("contact"),
        "valid_to": Personal("contact"),
        "source": Personal("contact"),
    },
    "ContactChange": {
        "id": TECHNICAL_KEY,
        "public_id": PUBLIC_KEY,
        "person": Personal("contact"),
        "kind": Personal("contact"),
        "old_value": Personal("contact"),
        "new_value": Personal("contact"),
        "changed_at": Personal("audit_trail"),
        "changed_by_person": Personal("audit_trail"),
        "changed_by_staff": Personal("audit_trail"),
        "channel": Personal("audit_trail"),
        "attempt": NotPersonal("random identifier of the one-time code attempt"),
        "verified_at": Personal("contact"),
    },
}
