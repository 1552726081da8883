"""A campaign's audience, computed in the database for every member at once: the members targeted by the
filters (affiliation context and product, language), less those excluded by their preferences (COMM-1,
COMM-3, COMM-4, COMM-5), consents, missing contact data or the do-not-call list (COMM-8), each
exclusion with its reason. One query of EXISTS / NOT EXISTS subqueries, never a loop over members.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Case, Count, Exists, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.communication.models import OFFER_FIELDS, Campaign, CampaignChannel, DoNotCallNumber, Preferences
from guichet.communication.policy import DIRECT_MARKETING
from guichet.members.models import Affiliation, AffiliationStatus, Person
from guichet.privacy.models import Consent

# Each reason, in the order they are checked: a member excluded for several is counted under the first.
REASONS = {
    "deceased": _("deceased"),
    "minor": _("under the minimum age for offers"),
    "declined_everything": _("declined offers on every channel"),
    "declined_channel": _("declined offers on this channel"),
    "not_shared": _("refused sharing with the group's other entities"),
    "no_consent": _("no consent to direct marketing"),
    "no_email": _("no e-mail address"),
    "no_phone": _("no phone number"),
    "do_not_call": _("number on the do-not-call list"),
    "objected": _("objected to or restricted direct marketing (rights request)"),
}


@dataclass(frozen=True)
class AudienceFilter:
    """Who a campaign targets, and on which channel."""

    channel: str = CampaignChannel.EMAIL
    context: str = ""
    product: str = ""
    language: str = ""
    for_group_entity: bool = False
    requires_consent: bool = False

    @classmethod
    def of(cls, campaign: Campaign) -> AudienceFilter:
        return cls(channel=campaign.channel, context=campaign.context, product=campaign.product,
                   language=campaign.language, for_group_entity=campaign.for_group_entity,
                   requires_consent=campaign.requires_consent)


def targeted(selection: AudienceFilter) -> QuerySet[Person]:
    """The members the filters aim at: an active affiliation (of the context and product when given)."""
    affiliations = Affiliation.objects.filter(person=OuterRef("pk"), status=AffiliationStatus.ACTIVE)
    if selection.context:
        affiliations = affiliations.filter(context=selection.context)
    if selection.product:
        affiliations = affiliations.filter(product=selection.product)
    people = Person.objects.filter(Exists(affiliations))
    if selection.language:
        people = people.filter(language=selection.language)
    return people


def _preferences(**declined) -> Exists:
    return Exists(Preferences.objects.filter(person=OuterRef("pk"), **declined))


def exclusions(selection: AudienceFilter, now: datetime.datetime | None = None) -> dict[str, Q | Exists]:
    """Reason -> the condition that excludes a member for it, for this selection."""
    now = now or timezone.now()
    adult_born_by = timezone.localdate(now) - relativedelta(years=settings.CAMPAIGN_MINIMUM_AGE)
    channel_field = OFFER_FIELDS[selection.channel]
    conditions: dict[str, Q | Exists] = {
        "deceased": Q(date_of_death__isnull=False),
        "minor": Q(birth_date__gt=adult_born_by),
        "declined_everything": _preferences(**{name: False for name in OFFER_FIELDS.values()}),
        "declined_channel": _preferences(**{channel_field: False}),
    }
    if selection.for_group_entity:
        conditions["not_shared"] = _preferences(share_with_group=False)
    if selection.requires_consent:
        context, purpose = DIRECT_MARKETING.split(":")
        standing = (Consent.objects.filter(person=OuterRef("pk"), context=context, purpose=purpose, given_at__lte=now)
                    .filter(Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gt=now)))
        conditions["no_consent"] = ~Exists(standing)
    if selection.channel == CampaignChannel.EMAIL:
        conditions["no_email"] = Q(email="")
    else:
        conditions["no_phone"] = Q(mobile="")
        conditions["do_not_call"] = Exists(DoNotCallNumber.objects.filter(number=OuterRef("mobile")))
    from guichet.rights.policy import flagged  # DSR-8, DSR-11: a standing objection or restriction

    conditions["objected"] = flagged("direct_marketing")
    return conditions


def audience(selection: AudienceFilter, now: datetime.datetime | None = None) -> QuerySet[Person]:
    """The members the campaign may reach: targeted and excluded for no reason. Building it runs no query;
    the preferences are read by one NOT EXISTS (declining every channel implies declining this one)."""
    conditions = exclusions(selection, now)
    declined = Q(**{OFFER_FIELDS[selection.channel]: False})
    if selection.for_group_entity:
        declined |= Q(share_with_group=False)
    conditions.pop("declined_everything")
    conditions.pop("not_shared", None)
    conditions["declined_channel"] = Exists(Preferences.objects.filter(declined, person=OuterRef("pk")))
    return targeted(selection).filter(*[~condition for condition in conditions.values()])


def with_tracking(people: QuerySet[Person]) -> QuerySet[Person]:
    """Annotate `tracking`: whether opens and clicks may be recorded for the member (COMM-2)."""
    return people.annotate(tracking=~_preferences(tracking_objected=True))


@dataclass(frozen=True)
class Report:
    """How many members the filters target, how many the campaign reaches, and why the others are left out."""

    targeted: int
    reached: int
    excluded: list[tuple[str, str, int]]  # (reason key, reason in words, count), in the order of REASONS


def report(selection: AudienceFilter, now: datetime.datetime | None = None) -> Report:
    """One grouped query: each targeted member with the first reason that excludes them (or none)."""
    conditions = exclusions(selection, now)
    reason = Case(*[When(condition, then=Value(key)) for key, condition in conditions.items()], default=Value(""))
    counts = dict(targeted(selection).annotate(reason=reason).order_by().values("reason")
                  .annotate(count=Count("pk")).values_list("reason", "count"))
    excluded = [(key, str(REASONS[key]), counts[key]) for key in conditions if counts.get(key)]
    return Report(targeted=sum(counts.values()), reached=counts.get("", 0), excluded=excluded)


def exclusion_of(person: Person, selection: AudienceFilter, now: datetime.datetime | None = None) -> str | None:
    """The reason key that keeps `person` out of the audience, "untargeted" when the filters do not
    aim at them, or None when the campaign reaches them (for staff explanations and tests)."""
    conditions = exclusions(selection, now)
    reason = Case(*[When(condition, then=Value(key)) for key, condition in conditions.items()], default=Value(""))
    found = targeted(selection).filter(pk=person.pk).annotate(reason=reason).values_list("reason", flat=True).first()
    if found is None:
        return "untargeted"
    return found or None
