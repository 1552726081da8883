"""Records of the communication app: preferences and their changes, group subscribers and deliveries,
non-members' choices, the do-not-call list, campaigns and their recipients, prospects, call recordings."""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """The channels of COMM-3, in the order of the settings page."""

    EMAIL = "email", _("e-mail")
    POST = "post", _("post")
    PHONE = "phone", _("phone")
    SMS = "sms", _("SMS")
    APP = "app", _("app")


# The Preferences column that holds "accepts information and offers" for each channel.
OFFER_FIELDS = {channel: f"{channel}_offers" for channel in Channel.values}


class Preferences(models.Model):
    """A member's communication settings (COMM-3, COMM-4, COMM-2, COMM-9). A member without a row
    accepts everything: commercial messages are sent unless the member objects (COMM-1)."""

    person = models.OneToOneField("members.Person", on_delete=models.CASCADE,
                                  related_name="communication_preferences")
    email_offers = models.BooleanField(_("e-mail"), default=True)
    post_offers = models.BooleanField(_("post"), default=True)
    phone_offers = models.BooleanField(_("phone"), default=True)
    sms_offers = models.BooleanField(_("SMS"), default=True)
    app_offers = models.BooleanField(_("app"), default=True)
    share_with_group = models.BooleanField(_("sharing with the group's other entities"), default=True)
    tracking_objected = models.BooleanField(_("objection to measuring opens and clicks"), default=False)
    profiling_objected = models.BooleanField(_("objection to profiling for offers"), default=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("communication preferences")
        verbose_name_plural = _("communication preferences")

    def __str__(self) -> str:
        return f"preferences of person {self.person_id}"

    def accepts(self, channel: str) -> bool:
        return getattr(self, OFFER_FIELDS[channel])

    def declines_everything(self) -> bool:
        return not any(self.accepts(channel) for channel in Channel.values)


class ChangeVia(models.TextChoices):
    SETTINGS = "settings", _("the settings page")
    UNSUBSCRIBE = "unsubscribe", _("an unsubscribe link")
    PUBLIC_FORM = "public_form", _("the form for non-members")


class IdentifierKind(models.TextChoices):
    EMAIL = "email", _("e-mail address")
    PHONE = "phone", _("phone number")


class NonMemberChoice(models.Model):
    """A non-member's choice (COMM-6), known only by a keyed hash of their e-mail address or phone
    number: the identifier itself is not stored."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    subject_key = models.CharField(max_length=64, unique=True)
    identifier_kind = models.CharField(max_length=5, choices=IdentifierKind.choices)
    accepts_offers = models.BooleanField()
    stated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"non-member choice {self.public_id}"


class PreferenceChange(models.Model):
    """One change of preferences (a member's or a non-member's), what it became, and how far it has
    been applied (COMM-7): the campaign audience here, each group subscriber in its Delivery."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey("members.Person", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="preference_changes")
    non_member = models.ForeignKey(NonMemberChoice, null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="changes")
    via = models.CharField(max_length=20, choices=ChangeVia.choices)
    changed_at = models.DateTimeField(default=timezone.now)
    snapshot = models.JSONField(help_text="the preferences after the change, as sent to subscribers")
    audience_applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["person", "changed_at"])]
        constraints = [models.CheckConstraint(
            condition=models.Q(person__isnull=False, non_member__isnull=True)
            | models.Q(person__isnull=True, non_member__isnull=False),
            name="preference_change_has_one_subject")]

    def __str__(self) -> str:
        return f"preference change {self.public_id}"


class Subscriber(models.Model):
    """A system of a group entity that must learn every preference change: a webhook URL and the
    secret its payloads are signed with (HMAC-SHA256)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=100)
    url = models.URLField(max_length=500)
    secret = models.CharField(max_length=200)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name


class Delivery(models.Model):
    """One preference change on its way to one subscriber; retried with a growing delay until delivered."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    change = models.ForeignKey(PreferenceChange, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    created_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["change", "subscriber"], name="one_delivery_per_subscriber")]
        indexes = [models.Index(fields=["next_attempt_at"], condition=models.Q(delivered_at__isnull=True),
                                name="delivery_pending")]

    def __str__(self) -> str:
        return f"delivery {self.public_id}"


class DoNotCallNumber(models.Model):
    """A number of the national "do not call me" list, in E.164 (COMM-8)."""

    number = models.CharField(max_length=16, primary_key=True)

    def __str__(self) -> str:
        return self.number


class DoNotCallImport(models.Model):
    """One import of the national list: counts, and the lines refused with their number and reason."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file_name = models.CharField(max_length=200, blank=True)
    imported_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    lines = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list, blank=True, help_text="[line number, reason], the first ones")

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"do-not-call import {self.public_id}"


class CampaignChannel(models.TextChoices):
    EMAIL = "email", _("e-mail")
    PHONE = "phone", _("phone (a call list)")


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SENDING = "sending", _("sending")
    SENT = "sent", _("sent")


class Campaign(models.Model):
    """A commercial campaign: its texts in the three languages, the audience's filters and its state."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    channel = models.CharField(_("channel"), max_length=10, choices=CampaignChannel.choices,
                               default=CampaignChannel.EMAIL)
    subject_fr = models.CharField(max_length=200, blank=True)
    subject_nl = models.CharField(max_length=200, blank=True)
    subject_en = models.CharField(max_length=200, blank=True)
    body_fr = models.TextField(max_length=20000, blank=True)
    body_nl = models.TextField(max_length=20000, blank=True)
    body_en = models.TextField(max_length=20000, blank=True)
    context = models.CharField(max_length=20, blank=True, help_text="affiliation context; empty: any")
    product = models.CharField(max_length=50, blank=True, help_text="product of that affiliation; empty: any")
    language = models.CharField(max_length=2, blank=True, help_text="empty: every language")
    for_group_entity = models.BooleanField(default=False, help_text="sent for another entity of the group (COMM-4)")
    requires_consent = models.BooleanField(default=False, help_text="targeted on data that need consent")
    links = models.JSONField(default=list, blank=True, help_text="the URLs of the texts, in order of appearance")
    status = models.CharField(max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class RecipientStatus(models.TextChoices):
    PENDING = "pending", _("waiting")
    SENT = "sent", _("sent")
    SKIPPED = "skipped", _("left out after a preference change")
    FAILED = "failed", _("failed")


class CampaignRecipient(models.Model):
    """One member of a campaign's audience, frozen when sending starts, with what they did."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="recipients")
    person = models.ForeignKey("members.Person", on_delete=models.CASCADE, related_name="campaign_receipts")
    email = models.EmailField(blank=True)
    language = models.CharField(max_length=2)
    tracking = models.BooleanField(help_text="opens and clicks may be recorded (not objected, COMM-2)")
    status = models.CharField(max_length=10, choices=RecipientStatus.choices, default=RecipientStatus.PENDING)
    sent_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    clicked_at = models.DateTimeField(null=True, blank=True)
    clicked_link = models.PositiveSmallIntegerField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "person"], name="one_receipt_per_campaign")]
        indexes = [models.Index(fields=["campaign", "status"])]

    def __str__(self) -> str:
        return f"recipient {self.public_id}"


class ProspectSource(models.TextChoices):
    CONTEST = "contest", _("a contest")
    EVENT = "event", _("a promotion at an event")
    PURCHASED = "purchased", _("data bought from a specialised company")
    WEBSITE = "website", _("the website")
    OTHER = "other", _("another source")


class Prospect(models.Model):
    """A person who is not (yet) a client, with where their data came from and their consent;
    erased one year after collection at most (COMM-10, RET-2)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=16, blank=True)
    source = models.CharField(max_length=20, choices=ProspectSource.choices)
    source_detail = models.CharField(max_length=200, blank=True)
    consent_given_at = models.DateTimeField(null=True, blank=True)
    collected_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"prospect {self.public_id}"


class RecordingPurpose(models.TextChoices):
    EVIDENCE = "evidence", _("evidence of the conversation")
    QUALITY = "quality", _("quality of service")


class CallRecording(models.Model):
    """A recorded call to the service centre (COMM-12): the notice given at the start, where the audio
    is, and erased after a shorter period than other data (RET-3) unless held as evidence."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey("members.Person", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="call_recordings")
    caller_number = models.CharField(max_length=16, blank=True)
    started_at = models.DateTimeField(db_index=True)
    purpose = models.CharField(max_length=10, choices=RecordingPurpose.choices)
    notice_given_at = models.DateTimeField()
    notice_language = models.CharField(max_length=2)
    audio = models.CharField(max_length=300, help_text="name of the audio file in the default storage")
    legal_hold = models.BooleanField(default=False, help_text="kept as evidence in a dispute (RET-4)")

    def __str__(self) -> str:
        return f"call recording {self.public_id}"
