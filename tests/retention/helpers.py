"""Builders of the retention tests: persons who left the mutual at a given date, with their records."""

import datetime
import itertools

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from guichet.members.models import Address, Affiliation, AffiliationStatus, ContactChange, Person

_numbers = itertools.count(1)


def today() -> datetime.date:
    return timezone.localdate()


def person_who_left(years_ago: float | None, *, context: str = "compulsory", reason: str = "change_of_mutual",
                    name: str = "Anna") -> Person:
    """A person affiliated since 1970 whose affiliation ended `years_ago` (None: still affiliated), with an
    address and a contact change."""
    n = next(_numbers)
    person = Person.objects.create(national_number=f"7001{n:07d}", member_number=f"R{n:09d}", first_name=name,
                                   last_name=f"Leaver{n}", birth_date=datetime.date(1950, 6, 15), sex="F",
                                   language="fr", email=f"{name.lower()}{n}@example.be", mobile="+32470000000")
    end = None if years_ago is None else today() - relativedelta(days=int(years_ago * 365.25))
    Affiliation.objects.create(person=person, context=context, start=datetime.date(1970, 1, 1), end=end,
                               end_reason=reason if end else "",
                               status=AffiliationStatus.ENDED if end else AffiliationStatus.ACTIVE)
    Address.objects.create(person=person, street="Rue Haute", number="1", postcode="1000", city="Bruxelles",
                           valid_from=datetime.date(1970, 1, 1), source="member")
    ContactChange.objects.create(person=person, kind="email", new_value=person.email, changed_at=timezone.now(),
                                 channel="online")
    return person
