"""The registry's actions and questions: age and households over time; life events (death, departure
abroad, change of mutual, coming of age), each published to the outbox in its own transaction; the
member's contact data (address with history, e-mail and mobile verified by a code sent to the new
value, every change kept in ContactChange); and what "My data" shows (DSR-2, DSR-6)."""

import calendar
import datetime
import re
import unicodedata
from dataclasses import dataclass, field

import phonenumbers
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.events.services import publish
from guichet.members import nrn
from guichet.members.models import (
    Address,
    AddressSource,
    Affiliation,
    AffiliationEndReason,
    AffiliationStatus,
    ContactChange,
    ContactChannel,
    ContactKind,
    Household,
    HouseholdMembership,
    Person,
)

AGE_OF_MAJORITY = 18

# Kinds of the domain events the registry publishes (guichet.events); payloads carry ISO dates.
DEATH = "members.death"
DEPARTURE_ABROAD = "members.departure_abroad"
CHANGE_OF_MUTUAL = "members.change_of_mutual"
COMING_OF_AGE = "members.coming_of_age"
LEGAL_INCAPACITY = "members.legal_incapacity"
BANKRUPTCY = "members.bankruptcy"


class RegistryError(Exception):
    """An action on the registry was refused; `message` is for the person, already translated;
    `field` names the form field it is about (None: the whole form)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def today() -> datetime.date:
    return timezone.localdate()


def age_on(person: Person, day: datetime.date) -> int:
    return relativedelta(day, person.birth_date).years


def is_minor(person: Person, day: datetime.date | None = None) -> bool:
    return age_on(person, day or today()) < AGE_OF_MAJORITY


# --- households over time (AUTO-5: "the household on 1 January") ------------------------------------------


def _on(day: datetime.date) -> Q:
    """Memberships running on `day`: started on or before it, not ended on or before it (end is exclusive)."""
    return Q(start__lte=day) & (Q(end__isnull=True) | Q(end__gt=day))


def household_on(person: Person, day: datetime.date) -> Household | None:
    """The household the person belonged to on `day` (e.g. 1 January of a MAF year), or None. One query."""
    membership = (
        HouseholdMembership.objects.filter(_on(day), person=person)
        .select_related("household")
        .order_by("-start")
        .first()
    )
    return membership.household if membership else None


def household_members_on(person: Person, day: datetime.date) -> list[HouseholdMembership]:
    """The memberships (person and role) of everyone in the person's household on `day`, the person
    included, eldest first. One query; empty when the person had no household that day."""
    their_household = (
        HouseholdMembership.objects.filter(_on(day), person=person)
        .order_by("-start")
        .values("household_id")[:1]
    )
    return list(
        HouseholdMembership.objects.filter(_on(day), household_id=Subquery(their_household))
        .select_related("person")
        .order_by("person__birth_date", "person_id")
    )


def members_of_household_on(household: Household, day: datetime.date) -> list[Person]:
    memberships = (
        HouseholdMembership.objects.filter(_on(day), household=household)
        .select_related("person")
        .order_by("person__birth_date")
    )
    return [membership.person for membership in memberships]


# --- life events ------------------------------------------------------------------------------------------


def _recorded_by(by) -> str:
    return str(by.public_id) if by is not None else "system"


def _check_event_date(person: Person, day: datetime.date) -> None:
    if day > today():
        raise RegistryError(_("The date cannot be in the future."), "date")
    if day < person.birth_date:
        raise RegistryError(_("The date cannot be before the birth date."), "date")
    if person.date_of_death is not None:
        raise RegistryError(_("This person is recorded as deceased."))


def _end_affiliations(person: Person, day: datetime.date, reason: AffiliationEndReason) -> list[str]:
    """End every running affiliation of the person on `day` with `reason`; their public ids."""
    running = list(
        Affiliation.objects.select_for_update().filter(person=person).exclude(status=AffiliationStatus.ENDED)
    )
    for affiliation in running:
        affiliation.status = AffiliationStatus.ENDED
        affiliation.end = max(day, affiliation.start)
        affiliation.end_reason = reason
    Affiliation.objects.bulk_update(running, ["status", "end", "end_reason"])
    return [str(affiliation.public_id) for affiliation in running]


def _leave_households(person: Person, day: datetime.date) -> None:
    """The person belonged to their household on `day` and no longer from the next day."""
    HouseholdMembership.objects.filter(person=person, start__lte=day, end__isnull=True).update(
        end=day + datetime.timedelta(days=1)
    )


def _locked(person: Person) -> Person:
    return Person.objects.select_for_update().get(pk=person.pk)


@transaction.atomic
def record_death(person: Person, date: datetime.date, *, by) -> Person:
    """Record a death: affiliations end (reason: death), household left, DEATH published."""
    person = _locked(person)
    _check_event_date(person, date)
    person.date_of_death = date
    person.save(update_fields=["date_of_death"])
    ended = _end_affiliations(person, date, AffiliationEndReason.DEATH)
    _leave_households(person, date)
    publish(
        DEATH,
        person=person,
        payload={"date": date.isoformat(), "affiliations_ended": ended, "recorded_by": _recorded_by(by)},
    )
    return person


@transaction.atomic
def record_departure_abroad(person: Person, date: datetime.date, country: str, *, by) -> Person:
    """Record a departure abroad: affiliations end (reason: departure abroad), DEPARTURE_ABROAD published."""
    country = (country or "").strip().upper()
    if country == "BE" or country not in phonenumbers.SUPPORTED_REGIONS:
        raise RegistryError(_("Choose the country of destination (a country other than Belgium)."), "country")
    person = _locked(person)
    _check_event_date(person, date)
    person.departed_abroad_on = date
    person.departure_country = country
    person.save(update_fields=["departed_abroad_on", "departure_country"])
    ended = _end_affiliations(person, date, AffiliationEndReason.DEPARTURE_ABROAD)
    _leave_households(person, date)
    publish(
        DEPARTURE_ABROAD,
        person=person,
        payload={
            "date": date.isoformat(),
            "country": country,
            "affiliations_ended": ended,
            "recorded_by": _recorded_by(by),
        },
    )
    return person


@transaction.atomic
def record_change_of_mutual(person: Person, date: datetime.date, *, by) -> Person:
    """Record a change to another mutual: affiliations end (reason: change of mutual), event published."""
    person = _locked(person)
    _check_event_date(person, date)
    ended = _end_affiliations(person, date, AffiliationEndReason.CHANGE_OF_MUTUAL)
    if not ended:
        raise RegistryError(_("This person has no running affiliation."))
    publish(
        CHANGE_OF_MUTUAL,
        person=person,
        payload={"date": date.isoformat(), "affiliations_ended": ended, "recorded_by": _recorded_by(by)},
    )
    return person


@transaction.atomic
def record_legal_incapacity(person: Person, date: datetime.date, *, by) -> Person:
    """Record that a judge placed the person under a protection measure (legal incapacity) from `date`:
    LEGAL_INCAPACITY is published; mandates given or received end (MAND-9, the mandates app)."""
    person = _locked(person)
    _check_event_date(person, date)
    if person.legal_incapacity_on is not None:
        raise RegistryError(_("This person is already recorded as legally incapacitated."))
    person.legal_incapacity_on = date
    person.save(update_fields=["legal_incapacity_on"])
    publish(
        LEGAL_INCAPACITY, person=person, payload={"date": date.isoformat(), "recorded_by": _recorded_by(by)}
    )
    return person


@transaction.atomic
def record_bankruptcy(person: Person, date: datetime.date, *, by) -> Person:
    """Record a declaration of bankruptcy of the person on `date`: BANKRUPTCY is published; mandates
    given or received end (MAND-9, the mandates app)."""
    person = _locked(person)
    _check_event_date(person, date)
    if person.bankruptcy_on is not None:
        raise RegistryError(_("This person is already recorded as bankrupt."))
    person.bankruptcy_on = date
    person.save(update_fields=["bankruptcy_on"])
    publish(BANKRUPTCY, person=person, payload={"date": date.isoformat(), "recorded_by": _recorded_by(by)})
    return person


def majority_date(person: Person) -> datetime.date:
    return person.birth_date + relativedelta(years=AGE_OF_MAJORITY)


def people_coming_of_age(day: datetime.date):
    """The living persons whose 18th birthday is `day` (born 29 February: 28 February in common years)."""
    births = [day - relativedelta(years=AGE_OF_MAJORITY)]
    born_year = day.year - AGE_OF_MAJORITY
    if (day.month, day.day) == (2, 28) and not calendar.isleap(day.year) and calendar.isleap(born_year):
        births.append(datetime.date(born_year, 2, 29))
    return Person.objects.filter(birth_date__in=births, date_of_death__isnull=True)


@transaction.atomic
def coming_of_age(person: Person) -> bool:
    """Publish COMING_OF_AGE once for a person who is 18 (parental access ends: MIN-5). False when
    the person is not of age yet or the event was already published."""
    from guichet.events.models import OutboxEvent

    person = _locked(person)
    if majority_date(person) > today() or person.date_of_death is not None:
        return False
    if OutboxEvent.objects.filter(subject=person.public_id, kind=COMING_OF_AGE).exists():
        return False
    publish(COMING_OF_AGE, person=person, payload={"of_age_on": majority_date(person).isoformat()})
    return True


def publish_comings_of_age(day: datetime.date | None = None, *, lookback_days: int = 7) -> int:
    """Publish the event for everyone who turned 18 in the last `lookback_days` days (a missed run
    is caught up; a second run publishes nothing twice). How many were published."""
    day = day or today()
    published = 0
    for offset in range(lookback_days):
        for person in people_coming_of_age(day - datetime.timedelta(days=offset)).iterator(chunk_size=500):
            published += coming_of_age(person)
    return published


# --- contact data: checks ----------------------------------------------------------------------------------

FORBIDDEN_CHARACTERS = re.compile(r"[<>{}\[\]\\`$|]")
BELGIAN_POSTCODE = re.compile(r"^[1-9]\d{3}$")
FOREIGN_POSTCODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 \-]{0,9}$")
ADDRESS_LIMITS = {"street": 100, "number": 10, "box": 10, "postcode": 10, "city": 100}
EMAIL_MAX = 254


@dataclass(frozen=True)
class AddressInput:
    street: str
    number: str
    postcode: str
    city: str
    box: str = ""
    country: str = "BE"

    def as_text(self) -> str:
        box = f" bte/bus {self.box}" if self.box else ""
        return f"{self.street} {self.number}{box}, {self.postcode} {self.city}, {self.country}"


def _clean_text(value: str | None, name: str, *, required: bool) -> str:
    text = unicodedata.normalize("NFC", " ".join((value or "").split()))
    if not text:
        if required:
            raise RegistryError(_("This field is required."), name)
        return ""
    if len(text) > ADDRESS_LIMITS[name]:
        raise RegistryError(_("At most %(count)d characters.") % {"count": ADDRESS_LIMITS[name]}, name)
    if FORBIDDEN_CHARACTERS.search(text) or any(unicodedata.category(char)[0] == "C" for char in text):
        raise RegistryError(_("Use letters, digits, spaces and ordinary punctuation only."), name)
    return text


def check_address(
    *, street: str, number: str, postcode: str, city: str, box: str = "", country: str = "BE"
) -> AddressInput:
    """The address as it will be stored, or RegistryError naming the field that is wrong."""
    country = (country or "BE").strip().upper()
    if country not in phonenumbers.SUPPORTED_REGIONS:
        raise RegistryError(_("Choose a country from the list."), "country")
    cleaned = {
        "street": _clean_text(street, "street", required=True),
        "number": _clean_text(number, "number", required=True),
        "box": _clean_text(box, "box", required=False),
        "postcode": _clean_text(postcode, "postcode", required=True).upper(),
        "city": _clean_text(city, "city", required=True),
    }
    if country == "BE" and not BELGIAN_POSTCODE.match(cleaned["postcode"]):
        raise RegistryError(_("A Belgian postcode has 4 digits, e.g. 1000."), "postcode")
    if country != "BE" and not FOREIGN_POSTCODE.match(cleaned["postcode"]):
        raise RegistryError(
            _("This postcode is not valid: use letters, digits, spaces or dashes."), "postcode"
        )
    return AddressInput(country=country, **cleaned)


def check_email(raw: str | None) -> str:
    """The e-mail address, trimmed (domain in lower case), or RegistryError."""
    text = (raw or "").strip()
    if not text:
        raise RegistryError(_("Enter your new e-mail address."), "value")
    if len(text) > EMAIL_MAX:
        raise RegistryError(_("At most %(count)d characters.") % {"count": EMAIL_MAX}, "value")
    try:
        validate_email(text)
    except ValidationError:
        raise RegistryError(_("This is not a valid e-mail address, e.g. name@example.be."), "value") from None
    local, _at, domain = text.rpartition("@")
    return f"{local}@{domain.lower()}"


def check_mobile(raw: str | None) -> str:
    """The mobile number in E.164 (+32470123456), or RegistryError. Without a country code the number
    is read as Belgian; a foreign number must be typed in international format (+33 6 ...)."""
    text = (raw or "").strip()
    if not text:
        raise RegistryError(_("Enter your new mobile number."), "value")
    international = text.startswith("+") or text.startswith("00")
    if len(text) > 30 or not re.fullmatch(r"[+\d][\d .\-/()]*", text):
        raise RegistryError(
            _("A mobile number has digits only, e.g. 0470 12 34 56 or +33 6 12 34 56 78."), "value"
        )
    try:
        number = phonenumbers.parse("+" + text[2:] if text.startswith("00") else text, "BE")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        if not international:
            raise RegistryError(
                _(
                    "This is not a valid Belgian mobile number. For a foreign number, type it in "
                    "international format, starting with + and the country code (e.g. +33 6 12 34 56 78)."
                ),
                "value",
            )
        raise RegistryError(
            _("This is not a valid mobile number. Check the country code and the digits."), "value"
        )
    if phonenumbers.number_type(number) not in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        raise RegistryError(_("This is not a mobile number: we need a number that can receive SMS."), "value")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_mobile(number: str) -> str:
    """+32470123456 as +32 470 12 34 56 (as stored when it cannot be read)."""
    try:
        parsed = phonenumbers.parse(number, "BE")
    except phonenumbers.NumberParseException:
        return number
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


# --- contact data: changes ----------------------------------------------------------------------------------


def current_address(person: Person) -> Address | None:
    return Address.objects.current().filter(person=person).first()


@transaction.atomic
def change_address(
    person: Person,
    new: AddressInput,
    *,
    by_person: Person | None = None,
    by_staff=None,
    channel: str = ContactChannel.ONLINE,
) -> Address:
    """Apply a new address at once: the current one ends today, the new one starts today; the change
    is kept in ContactChange. `new` comes from check_address."""
    day = today()
    person = _locked(person)
    old = Address.objects.current().filter(person=person).select_for_update().first()
    if old is not None and _same_address(old, new):
        raise RegistryError(_("This is already your address."))
    if old is not None:
        old.valid_to = max(day, old.valid_from)
        old.save(update_fields=["valid_to"])
    source = AddressSource.STAFF if by_staff is not None else AddressSource.MEMBER
    address = Address.objects.create(
        person=person,
        street=new.street,
        number=new.number,
        box=new.box,
        postcode=new.postcode,
        city=new.city,
        country=new.country,
        valid_from=day,
        source=source,
    )
    ContactChange.objects.create(
        person=person,
        kind=ContactKind.ADDRESS,
        old_value=_address_text(old),
        new_value=new.as_text(),
        changed_at=timezone.now(),
        changed_by_person=by_person,
        changed_by_staff=by_staff,
        channel=channel,
    )
    return address


def _same_address(address: Address, new: AddressInput) -> bool:
    return _address_text(address).casefold() == new.as_text().casefold()


def _address_text(address: Address | None) -> str:
    if address is None:
        return ""
    return AddressInput(
        street=address.street,
        number=address.number,
        box=address.box,
        postcode=address.postcode,
        city=address.city,
        country=address.country,
    ).as_text()


def _check_value(kind: str, raw: str) -> str:
    if kind == ContactKind.EMAIL:
        return check_email(raw)
    if kind == ContactKind.MOBILE:
        return check_mobile(raw)
    raise ValueError(kind)


def _send_throttle(person: Person):
    from guichet.accounts.throttle import Throttle

    return Throttle("contact_code", (f"person:{person.pk}",))


def request_contact_change(
    person: Person,
    kind: str,
    raw: str,
    *,
    by_person: Person | None = None,
    channel: str = ContactChannel.ONLINE,
) -> ContactChange:
    """Ask to change the e-mail or mobile: the change is kept (unverified, not in force) and a code is
    sent to the NEW address or number. The current value stays until confirm_contact_change."""
    from guichet.accounts.codes import issue_code
    from guichet.accounts.models import CodePurpose

    value = _check_value(kind, raw)
    current = person.email if kind == ContactKind.EMAIL else person.mobile
    if current and value.casefold() == current.casefold():
        raise RegistryError(_("This is already your current one."), "value")
    throttle = _send_throttle(person)
    if wait := throttle.wait_seconds():
        raise RegistryError(
            _("Too many attempts. Please wait %(seconds)d seconds, then try again.") % {"seconds": wait}
        )
    with transaction.atomic():
        record, code = issue_code(person, CodePurpose.VERIFY_CONTACT, value)
        change = ContactChange.objects.create(
            person=person,
            kind=kind,
            old_value=current,
            new_value=value,
            changed_at=timezone.now(),
            changed_by_person=by_person,
            channel=channel,
            attempt=record.attempt,
        )
    throttle.failed()  # every code sent counts: a few are free, then the wait grows
    _send_code(person, kind, value, code)
    return change


def _send_code(person: Person, kind: str, value: str, code: str) -> None:
    from guichet.messaging.services import email_to
    from guichet.messaging.sms import SmsDeliveryError, send_sms

    if kind == ContactKind.EMAIL:
        email_to(
            value,
            person.language,
            lambda: (
                _("Confirm your new e-mail address"),
                _(
                    "Your Guichet verification code is %(code)s. Type it on the page where you changed "
                    "your e-mail address. If you did not ask for this, ignore this message."
                )
                % {"code": code},
            ),
        )
        return
    try:
        with translation_override(person.language):
            send_sms(
                value,
                _("Your Guichet verification code is %(code)s. Never give it to anyone.") % {"code": code},
            )
    except SmsDeliveryError:
        raise RegistryError(
            _("We could not send the SMS just now. Please try again in a few minutes.")
        ) from None


def translation_override(language: str):
    from django.utils import translation

    return translation.override(language)


CODE_MESSAGES = {
    "wrong": lambda: _("This code is not correct. Check it and try again."),
    "expired": lambda: _("This code has expired. Ask for a new one."),
    "used": lambda: _("This code was already used. Ask for a new one."),
    "too_many_tries": lambda: _("Too many wrong codes. Ask for a new one."),
    "unknown_attempt": lambda: _("This code does not belong to this attempt. Start again."),
}


def confirm_contact_change(person: Person, change_id, attempt, typed: str, *, ip: str) -> ContactChange:
    """Check the code sent to the new value; once accepted the new e-mail or mobile is in force,
    verified now, in the same transaction as the ContactChange it completes."""
    from guichet.accounts.codes import CodeCheck, check_code
    from guichet.accounts.models import CodePurpose
    from guichet.accounts.throttle import Throttle

    change = ContactChange.objects.filter(
        person=person,
        public_id=change_id,
        verified_at__isnull=True,
        kind__in=[ContactKind.EMAIL, ContactKind.MOBILE],
    ).first()
    if change is None or attempt is None or str(change.attempt) != str(attempt):
        raise RegistryError(str(CODE_MESSAGES["unknown_attempt"]()))
    throttle = Throttle.for_request("code", account=str(attempt), ip=ip)
    if wait := throttle.wait_seconds():
        raise RegistryError(
            _("Too many attempts. Please wait %(seconds)d seconds, then try again.") % {"seconds": wait}
        )
    outcome, record = check_code(attempt, CodePurpose.VERIFY_CONTACT, typed)
    if outcome is CodeCheck.ACCEPTED and (
        record.person_id != person.pk or record.destination != change.new_value
    ):
        outcome = CodeCheck.UNKNOWN_ATTEMPT
    if outcome is not CodeCheck.ACCEPTED:
        throttle.failed()
        raise RegistryError(str(CODE_MESSAGES[outcome.value]()), "code")
    now = timezone.now()
    with transaction.atomic():
        locked = _locked(person)
        if change.kind == ContactKind.EMAIL:
            change.old_value, locked.email, locked.email_verified_at = locked.email, change.new_value, now
            locked.save(update_fields=["email", "email_verified_at"])
        else:
            change.old_value, locked.mobile, locked.mobile_verified_at = locked.mobile, change.new_value, now
            locked.save(update_fields=["mobile", "mobile_verified_at"])
        change.verified_at = now
        change.save(update_fields=["old_value", "verified_at"])
    person.email, person.mobile = locked.email, locked.mobile
    person.email_verified_at, person.mobile_verified_at = locked.email_verified_at, locked.mobile_verified_at
    _tell_the_old_value(person, change)
    return change


def _tell_the_old_value(person: Person, change: ContactChange) -> None:
    """The old address or number hears of the change, so a takeover does not go unnoticed."""
    from guichet.messaging.services import email_to
    from guichet.messaging.sms import SmsDeliveryError, send_sms

    if not change.old_value:
        return

    def text():
        return _(
            "The contact data of your Guichet account were changed. If you did not do this, contact "
            "your mutual at once."
        )

    if change.kind == ContactKind.EMAIL:
        email_to(change.old_value, person.language, lambda: (_("Your contact data were changed"), text()))
        return
    try:
        with translation_override(person.language):
            send_sms(change.old_value, str(text()))
    except SmsDeliveryError:
        pass  # a notice only; the change is done


def pending_changes(person: Person) -> dict[str, ContactChange]:
    """The e-mail and mobile changes waiting for their code (still valid), by kind. One query."""
    from guichet.accounts.models import CodePurpose, OneTimeCode

    live = OneTimeCode.objects.filter(
        person=person,
        purpose=CodePurpose.VERIFY_CONTACT,
        used_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).values("attempt")
    waiting = ContactChange.objects.filter(person=person, verified_at__isnull=True, attempt__in=live)
    return {change.kind: change for change in waiting.order_by("changed_at")}


# --- "My data" (DSR-2) -------------------------------------------------------------------------------


@dataclass
class MyData:
    person: Person
    address: Address | None
    pending: dict[str, ContactChange]
    affiliations: list[Affiliation]
    household: list[HouseholdMembership]
    explanations: dict[str, list] = field(default_factory=dict)

    @property
    def national_number(self) -> str:
        return nrn.formatted(self.person.national_number)

    @property
    def mobile(self) -> str:
        return format_mobile(self.person.mobile) if self.person.mobile else ""


CATEGORIES = {
    "identification": ["identification", "national_register"],
    "contact": ["contact"],
    "affiliation": ["affiliation"],
    "household": ["household"],
}


def my_data(person: Person) -> MyData:
    """What the member sees of their own file on "My data", with why each block is held."""
    from guichet.privacy.services import why_we_hold

    day = today()
    return MyData(
        person=person,
        address=current_address(person),
        pending=pending_changes(person),
        affiliations=list(Affiliation.objects.filter(person=person).order_by("context", "-start")),
        household=household_members_on(person, day),
        explanations={
            block: [explanation for category in categories for explanation in why_we_hold(category)]
            for block, categories in CATEGORIES.items()
        },
    )


def code_ttl_minutes() -> int:
    return settings.OTP_CODE_TTL_SECONDS // 60
