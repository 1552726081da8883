"""The demo mutual: synthetic members with valid national register numbers, households over time,
affiliations to the insurance contexts, a current Belgian address, mobiles and languages. Deterministic
for a given seed, and built with bulk inserts so that benchmarks can ask for hundreds of thousands of members."""

import datetime
import random
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from guichet.members import nrn
from guichet.members.models import (
    Address,
    AddressSource,
    Affiliation,
    AffiliationEndReason,
    AffiliationStatus,
    Context,
    Household,
    HouseholdMembership,
    HouseholdRole,
    Person,
    Sex,
)

FIRST_NAMES = {
    Sex.FEMALE: ["Marie", "Sophie", "Emma", "Léa", "Lotte", "Anke", "Julie", "Sarah", "Nora", "Elise", "Fien", "Chloé"],
    Sex.MALE: ["Jan", "Luc", "Thomas", "Lucas", "Noah", "Pieter", "Arthur", "Louis", "Wout", "Maxime", "Tom", "Samir"],
}
LAST_NAMES = ["Dubois", "Peeters", "Janssens", "Lambert", "Maes", "Dupont", "Jacobs", "Mertens", "Willems",
              "Claes", "Goossens", "Wouters", "Martin", "Leroy", "Dumont", "Hermans", "El Idrissi", "Renard"]
# (postcode, city in French, city in Dutch): real Belgian postcodes; the language picks the name.
PLACES = [
    ("1000", "Bruxelles", "Brussel"), ("1050", "Ixelles", "Elsene"),
    ("1080", "Molenbeek-Saint-Jean", "Sint-Jans-Molenbeek"), ("1200", "Woluwe-Saint-Lambert", "Sint-Lambrechts-Woluwe"),
    ("1300", "Wavre", "Waver"), ("1348", "Louvain-la-Neuve", "Louvain-la-Neuve"), ("1400", "Nivelles", "Nijvel"),
    ("2000", "Anvers", "Antwerpen"), ("2800", "Malines", "Mechelen"), ("3000", "Louvain", "Leuven"),
    ("3500", "Hasselt", "Hasselt"), ("4000", "Liège", "Luik"), ("4800", "Verviers", "Verviers"),
    ("5000", "Namur", "Namen"), ("6000", "Charleroi", "Charleroi"), ("6700", "Arlon", "Aarlen"),
    ("7000", "Mons", "Bergen"), ("7500", "Tournai", "Doornik"), ("8000", "Bruges", "Brugge"),
    ("8500", "Courtrai", "Kortrijk"), ("9000", "Gand", "Gent"), ("9300", "Alost", "Aalst"),
]
STREETS = {
    "fr": ["Rue de la Station", "Avenue des Tilleuls", "Rue du Moulin", "Chaussée de Namur", "Rue de l'Église",
           "Place communale", "Rue des Écoles", "Avenue Louise"],
    "nl": ["Stationsstraat", "Kerkstraat", "Molenstraat", "Schoolstraat", "Dorpsplein", "Lindenlaan", "Nieuwstraat",
           "Kapelstraat"],
}
PRODUCTS = {Context.INSURANCE_COMPANY: ["hospital", "dental"]}
BATCH = 5000


@dataclass
class DemoRegistry:
    """What was built, for callers that need particular people (personas, benchmarks)."""

    persons: int = 0
    households: int = 0


class NumberSource:
    """Hands out unique national register numbers and membership numbers."""

    def __init__(self, first_member_number: int):
        self.sequences: dict[datetime.date, int] = defaultdict(int)
        self.member_number = first_member_number
        taken = Person.objects.values_list("birth_date", "national_number")
        for born, number in taken.iterator(chunk_size=BATCH):
            self.sequences[born] = max(self.sequences[born], int(number[6:9]))

    def national_number(self, born: datetime.date, sex: str) -> str:
        sequence = self.sequences[born] + 1
        if (sequence % 2 == 1) != (sex == Sex.MALE):  # odd for men, even for women
            sequence += 1
        self.sequences[born] = sequence
        return nrn.make(born, sequence)

    def next_member_number(self) -> str:
        self.member_number += 1
        return f"{self.member_number:09d}"


def build_registry(members: int, *, seed: int = 2026, today: datetime.date | None = None) -> DemoRegistry:
    """Add about `members` synthetic persons grouped in households, with affiliations."""
    today = today or timezone.localdate()
    rng = random.Random(seed)
    numbers = NumberSource(100_000_000 + Person.objects.count())
    registry = DemoRegistry()
    with transaction.atomic():
        for chunk in _chunks(_households(rng, numbers, today), min(BATCH, members)):
            remaining = members - registry.persons
            if remaining <= 0:
                break
            persons, households = _insert_chunk(_trim(chunk, remaining), rng, today)
            registry.persons += len(persons)
            registry.households += len(households)
    return registry


def _trim(chunk: list[list[Person]], remaining: int) -> list[list[Person]]:
    kept = []
    for household in chunk:
        if remaining <= 0:
            break
        kept.append(household[:remaining])
        remaining -= len(kept[-1])
    return kept


def _households(rng: random.Random, numbers: NumberSource, today: datetime.date) -> Iterator[list[Person]]:
    while True:
        adults = 1 + (rng.random() < 0.6)
        children = rng.choice([0, 0, 1, 2, 2, 3])
        family = rng.choice(LAST_NAMES)
        language = rng.choices(["fr", "nl", "en"], weights=[55, 40, 5])[0]
        parent_age = rng.randint(26, 80)
        members = [_person(rng, numbers, today, family, language, parent_age + rng.randint(-4, 4)) for _ in range(adults)]
        if parent_age < 60:
            members += [_person(rng, numbers, today, family, language, rng.randint(0, min(parent_age - 20, 24)))
                        for _ in range(children)]
        yield members


def _person(rng, numbers: NumberSource, today, family: str, language: str, age: int) -> Person:
    sex = rng.choice([Sex.FEMALE, Sex.MALE])
    born = today - datetime.timedelta(days=age * 365 + rng.randint(0, 364))
    return Person(
        national_number=numbers.national_number(born, sex), member_number=numbers.next_member_number(),
        first_name=rng.choice(FIRST_NAMES[sex]), last_name=family, birth_date=born, sex=sex, language=language,
        mobile=f"+324{rng.randint(70, 99)}{rng.randint(0, 999999):06d}" if age >= 12 else "",
        email=f"{family.lower().replace(' ', '')}.{rng.randint(1, 10**6)}@example.org" if age >= 18 and rng.random() < 0.7 else "",
    )


def _chunks(households: Iterator[list[Person]], persons_per_chunk: int) -> Iterator[list[list[Person]]]:
    """Endless chunks of households; the caller stops when enough persons exist."""
    chunk, size = [], 0
    for household in households:
        chunk.append(household)
        size += len(household)
        if size >= persons_per_chunk:
            yield chunk
            chunk, size = [], 0


def _insert_chunk(chunk: list[list[Person]], rng, today) -> tuple[list[Person], list[Household]]:
    persons = Person.objects.bulk_create([person for household in chunk for person in household])
    households = Household.objects.bulk_create([Household() for _ in chunk])
    memberships, affiliations, addresses = [], [], []
    position = 0
    for household, members in zip(households, chunk, strict=True):
        stored = persons[position:position + len(members)]
        position += len(members)
        reference = stored[0]
        since = today - datetime.timedelta(days=rng.randint(30, 4000))
        home = _home(rng, reference.language)
        addresses += [Address(person=person, valid_from=max(since, person.birth_date), **home)
                      for person in stored]
        for index, person in enumerate(stored):
            role = HouseholdRole.REFERENCE if index == 0 else (
                HouseholdRole.PARTNER if _age(person, today) >= 18 and index == 1 else HouseholdRole.CHILD)
            memberships.append(HouseholdMembership(
                household=household, person=person, role=role, start=max(since, person.birth_date)))
            affiliations += _affiliations(rng, person, reference if role == HouseholdRole.CHILD else None, today)
    HouseholdMembership.objects.bulk_create(memberships)
    Affiliation.objects.bulk_create(affiliations)
    Address.objects.bulk_create(addresses)
    return persons, households


def _home(rng, language: str) -> dict:
    """A current Belgian address, street and city named in the household's language."""
    postcode, city_fr, city_nl = rng.choice(PLACES)
    dutch = language == "nl"
    return {"street": rng.choice(STREETS["nl" if dutch else "fr"]), "number": str(rng.randint(1, 250)),
            "box": str(rng.randint(1, 12)) if rng.random() < 0.2 else "", "postcode": postcode,
            "city": city_nl if dutch else city_fr, "country": "BE", "source": AddressSource.NATIONAL_REGISTER}


def _affiliations(rng, person: Person, holder: Person | None, today) -> list[Affiliation]:
    start = max(person.birth_date, today - datetime.timedelta(days=rng.randint(200, 9000)))
    made = [Affiliation(person=person, context=Context.COMPULSORY, start=start, holder=holder,
                        holder_codes=rng.choice(["110/110", "110/111", "130/131", "120/120", "140/140"]))]
    if rng.random() < 0.9:
        made.append(Affiliation(person=person, context=Context.COMPLEMENTARY, start=start, holder=holder))
    for product in PRODUCTS[Context.INSURANCE_COMPANY]:
        if rng.random() < (0.4 if product == "hospital" else 0.2):
            ended = rng.random() < 0.15
            made.append(Affiliation(
                person=person, context=Context.INSURANCE_COMPANY, product=product, start=start,
                status=AffiliationStatus.ENDED if ended else AffiliationStatus.ACTIVE,
                end=today - datetime.timedelta(days=rng.randint(1, 150)) if ended else None,
                end_reason=AffiliationEndReason.END_OF_CONTRACT if ended else "",
            ))
    return made


def _age(person: Person, today: datetime.date) -> int:
    return today.year - person.birth_date.year - ((today.month, today.day) < (person.birth_date.month, person.birth_date.day))


PERSONAS = [
    # key, first name, last name, sex, age, language, registered
    ("marie", "Marie", "Dubois", Sex.FEMALE, 41, "fr", True),
    ("emma", "Emma", "Dubois", Sex.FEMALE, 10, "fr", False),
    ("jan", "Jan", "Peeters", Sex.MALE, 67, "nl", True),
    ("tom", "Tom", "Wouters", Sex.MALE, 35, "en", True),
    ("sophie", "Sophie", "Lambert", Sex.FEMALE, 29, "fr", False),
    ("lucas", "Lucas", "Maes", Sex.MALE, 16, "nl", False),
]


def create_personas(*, today: datetime.date | None = None) -> dict[str, Person]:
    """Named people for the README, the browser tests and the demo logins (idempotent)."""
    today = today or timezone.localdate()
    numbers = NumberSource(900_000_000 + Person.objects.filter(member_number__startswith="9").count())
    personas: dict[str, Person] = {}
    with transaction.atomic():
        for key, first, last, sex, age, language, _registered in PERSONAS:
            existing = Person.objects.filter(first_name=first, last_name=last, member_number__startswith="9").first()
            if existing:
                personas[key] = existing
                continue
            born = datetime.date(today.year - age, 3, 14 + len(personas))
            personas[key] = Person.objects.create(
                national_number=numbers.national_number(born, sex), member_number=numbers.next_member_number(),
                first_name=first, last_name=last, birth_date=born, sex=sex, language=language,
                mobile=f"+3247{len(personas):01d}{born:%y%m%d}0", email=f"{first.lower()}.{last.lower()}@example.org",
            )
            person = personas[key]
            holder = personas.get("marie") if key == "emma" else None
            Affiliation.objects.create(person=person, context=Context.COMPULSORY, start=born, holder=holder,
                                       holder_codes="110/110")
            Affiliation.objects.create(person=person, context=Context.COMPLEMENTARY, start=born, holder=holder)
            home = _home(random.Random("marie" if key == "emma" else key), language)  # Emma lives with Marie
            Address.objects.create(person=person, valid_from=born, **home)
        if "emma" in personas and not HouseholdMembership.objects.filter(person=personas["emma"]).exists():
            home = Household.objects.create()
            HouseholdMembership.objects.create(household=home, person=personas["marie"], role=HouseholdRole.REFERENCE,
                                               start=personas["emma"].birth_date)
            HouseholdMembership.objects.create(household=home, person=personas["emma"], role=HouseholdRole.CHILD,
                                               start=personas["emma"].birth_date)
    return personas
