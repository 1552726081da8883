"""Portability through the change of mutual (DSR-10): the data the person gave us as a client, as a documented
JSON package for the new mutual (the schema travels with the data)."""

from __future__ import annotations

from django.utils import timezone

from guichet.members.models import Address, Affiliation, HouseholdMembership

PACKAGE_FORMAT = "guichet-mutation-package"
PACKAGE_VERSION = 1

SCHEMA = {
    "format": "the constant 'guichet-mutation-package'",
    "format_version": "integer, 1",
    "generated_at": "ISO 8601 date-time of the package",
    "new_mutual": "the mutual the person moves to, as they named it",
    "person": {
        "national_number": "11 digits of the Belgian national register number",
        "first_name": "text", "last_name": "text", "birth_date": "ISO 8601 date",
        "sex": "M, F or X", "language": "fr, nl or en",
        "email": "e-mail address given by the person (empty if none)",
        "mobile": "mobile number in E.164 form (empty if none)",
    },
    "addresses": "list of {street, number, box, postcode, city, country (ISO 3166), valid_from, "
                 "valid_to (null: current)}",
    "households": "list of {role (reference, partner, child, other), start, end (null: current)}",
    "affiliations": "list of {context (compulsory, complementary, insurance_company), product, start, end, status}",
    "limits": "only data the person provided as a client (GDPR art. 20): no derived data, no medical data, no "
              "data of other people",
}


def _date(value):
    return value.isoformat() if value else None


def transfer_package(person, *, new_mutual: str) -> dict:
    """The package; four queries."""
    return {
        "format": PACKAGE_FORMAT, "format_version": PACKAGE_VERSION, "schema": SCHEMA,
        "generated_at": timezone.now().isoformat(), "new_mutual": new_mutual,
        "person": {"national_number": person.national_number, "first_name": person.first_name,
                   "last_name": person.last_name, "birth_date": _date(person.birth_date), "sex": person.sex,
                   "language": person.language, "email": person.email, "mobile": person.mobile},
        "addresses": [{"street": a.street, "number": a.number, "box": a.box, "postcode": a.postcode, "city": a.city,
                       "country": a.country, "valid_from": _date(a.valid_from), "valid_to": _date(a.valid_to)}
                      for a in Address.objects.filter(person=person).order_by("valid_from")],
        "households": [{"role": m.role, "start": _date(m.start), "end": _date(m.end)}
                       for m in HouseholdMembership.objects.filter(person=person).order_by("start")],
        "affiliations": [{"context": a.context, "product": a.product, "start": _date(a.start), "end": _date(a.end),
                          "status": a.status} for a in Affiliation.objects.filter(person=person).order_by("start")],
    }
