"""The registry's records: a person, their contact data over time, households, affiliations."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    FR = "fr", "Français"
    NL = "nl", "Nederlands"
    EN = "en", "English"


class Sex(models.TextChoices):
    MALE = "M", _("male")
    FEMALE = "F", _("female")
    UNKNOWN = "X", _("unknown")


class Context(models.TextChoices):
    """The insurance contexts a person can be affiliated to (PRIV-1; the fourth, operations, covers
    everyone who uses the digital channels and needs no affiliation)."""

    COMPULSORY = "compulsory", _("compulsory health insurance")
    COMPLEMENTARY = "complementary", _("complementary insurance")
    INSURANCE_COMPANY = "insurance_company", _("mutual insurance company")


class PersonQuerySet(models.QuerySet):
    def for_subject(self, subject: "Person") -> "PersonQuerySet":
        return self.filter(pk=subject.pk)


class Person(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    national_number = models.CharField(_("national register number"), max_length=11, unique=True)
    member_number = models.CharField(_("membership number"), max_length=20, unique=True)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    birth_date = models.DateField(_("birth date"), db_index=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.FR)
    mobile = models.CharField(_("mobile number"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    date_of_death = models.DateField(_("date of death"), null=True, blank=True)
    # The current e-mail and mobile are the verified ones; a change waits in ContactChange until verified.
    email_verified_at = models.DateTimeField(_("e-mail verified on"), null=True, blank=True)
    mobile_verified_at = models.DateTimeField(_("mobile verified on"), null=True, blank=True)
    departed_abroad_on = models.DateField(_("departure abroad on"), null=True, blank=True)
    departure_country = models.CharField(_("country of destination"), max_length=2, blank=True)
    # Ending events of mandates (MAND-9), recorded by staff or received from the national register.
    legal_incapacity_on = models.DateField(_("legal incapacity since"), null=True, blank=True)
    bankruptcy_on = models.DateField(_("bankruptcy declared on"), null=True, blank=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Household(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("household")


class HouseholdRole(models.TextChoices):
    REFERENCE = "reference", _("reference person")
    PARTNER = "partner", _("partner")
    CHILD = "child", _("child")
    OTHER = "other", _("other member")


class HouseholdMembership(models.Model):
    """Who lived in which household, from when (inclusive) until when (exclusive; open if null)."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="household_memberships")
    role = models.CharField(max_length=10, choices=HouseholdRole.choices)
    start = models.DateField()
    end = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["household", "start"]), models.Index(fields=["person", "start"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gt=models.F("start")),
                name="household_membership_ends_after_start",
            )
        ]


class AffiliationStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    SUSPENDED = "suspended", _("suspended")
    ENDED = "ended", _("ended")


class AffiliationEndReason(models.TextChoices):
    CHANGE_OF_MUTUAL = "change_of_mutual", _("change to another mutual")
    DEATH = "death", _("death")
    DEPARTURE_ABROAD = "departure_abroad", _("departure abroad")
    END_OF_CONTRACT = "end_of_contract", _("end of contract")


class Affiliation(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="affiliations")
    context = models.CharField(max_length=20, choices=Context.choices)
    product = models.CharField(_("product"), max_length=50, blank=True)
    status = models.CharField(max_length=10, choices=AffiliationStatus.choices, default=AffiliationStatus.ACTIVE)
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=20, choices=AffiliationEndReason.choices, blank=True)
    holder = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="dependant_affiliations",
        help_text=_("empty when the person is the holder; the holder when the person is a dependant"),
    )
    holder_codes = models.CharField(_("holder codes CT1/CT2"), max_length=7, blank=True)

    class Meta:
        indexes = [models.Index(fields=["person", "context"])]


class AddressSource(models.TextChoices):
    MEMBER = "member", _("given by the member")
    STAFF = "staff", _("recorded by the mutual")
    NATIONAL_REGISTER = "national_register", _("national register")


class AddressQuerySet(models.QuerySet):
    def for_subject(self, subject: Person) -> "AddressQuerySet":
        return self.filter(person=subject)

    def current(self) -> "AddressQuerySet":
        return self.filter(valid_to__isnull=True)


class Address(models.Model):
    """A postal address of a person over time: valid from `valid_from` (inclusive) until `valid_to`
    (exclusive); the current one has no `valid_to`. Old addresses are kept (DSR-6 history)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="addresses")
    street = models.CharField(_("street"), max_length=100)
    number = models.CharField(_("house number"), max_length=10)
    box = models.CharField(_("box"), max_length=10, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10)
    city = models.CharField(_("city"), max_length=100)
    country = models.CharField(_("country"), max_length=2, default="BE")
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=AddressSource.choices)

    objects = AddressQuerySet.as_manager()

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        indexes = [models.Index(fields=["person", "valid_from"])]
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=models.Q(valid_to__isnull=True),
                                    name="one_current_address_per_person"),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
                name="address_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return ", ".join(self.lines())

    def lines(self) -> list[str]:
        street = f"{self.street} {self.number}" + (f" {_('box')} {self.box}" if self.box else "")
        place = f"{self.postcode} {self.city}"
        return [street, place] if self.country == "BE" else [street, place, self.country]


class ContactKind(models.TextChoices):
    EMAIL = "email", _("e-mail address")
    MOBILE = "mobile", _("mobile number")
    ADDRESS = "address", _("postal address")


class ContactChannel(models.TextChoices):
    ONLINE = "online", _("online account")
    AGENCY = "agency", _("agency")
    PHONE = "phone", _("service centre by phone")
    POST = "post", _("letter")
    NATIONAL_REGISTER = "national_register", _("national register")


class ContactChangeQuerySet(models.QuerySet):
    def for_subject(self, subject: Person) -> "ContactChangeQuerySet":
        return self.filter(person=subject)


class ContactChange(models.Model):
    """Every change of a contact datum, kept: who asked, through which channel, when, and when the
    new value was verified. An e-mail or mobile change counts only once `verified_at` is set; an
    address change applies at once (no code to verify it; `verified_at` stays empty)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="contact_changes")
    kind = models.CharField(max_length=10, choices=ContactKind.choices)
    old_value = models.CharField(max_length=400, blank=True)
    new_value = models.CharField(max_length=400)
    changed_at = models.DateTimeField()
    changed_by_person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="contact_changes_made")
    changed_by_staff = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="contact_changes_made",
    )
    channel = models.CharField(max_length=20, choices=ContactChannel.choices)
    attempt = models.UUIDField(null=True, blank=True, help_text="the one-time code attempt verifying it")
    verified_at = models.DateTimeField(null=True, blank=True)

    objects = ContactChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact change")
        indexes = [models.Index(fields=["person", "kind", "changed_at"])]
