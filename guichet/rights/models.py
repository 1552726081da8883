"""Models of the rights app: a request of the person (DSR-12) with its deadline (DSR-15), the ID copy of a
request from outside the account (DSR-13, DSR-16), the flags that objection and restriction set on the
subject (DSR-8, DSR-11) and the paper letters owed to people who wrote by post (DSR-14)."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RequestKind(models.TextChoices):
    ACCESS = "access", _("a copy of my data (access)")
    RECTIFICATION = "rectification", _("correct my data (rectification)")
    ERASURE = "erasure", _("erase my data (erasure)")
    OBJECTION = "objection", _("object to a processing (objection)")
    RESTRICTION = "restriction", _("restrict a processing (restriction)")
    TRANSFER = "transfer", _("transfer my data to another mutual")
    HUMAN_REVIEW = "human_review", _("a human review of an automated decision")


class RequestChannel(models.TextChoices):
    ACCOUNT = "account", _("online account")
    WEBSITE = "website", _("website form")
    AGENCY = "agency", pgettext_lazy("channel", "agency")
    POST = "post", _("letter")


ELECTRONIC_CHANNELS = frozenset({RequestChannel.ACCOUNT, RequestChannel.WEBSITE})


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("received")
    VERIFIED = "verified", _("identity verified")
    ANSWERED = "answered", _("answered")
    REFUSED = "refused", _("refused")


OPEN_STATUSES = (RequestStatus.RECEIVED, RequestStatus.VERIFIED)


class ExtensionReason(models.TextChoices):
    COMPLEXITY = "complexity", _("the complexity of the request")
    VOLUME = "volume", _("the number of requests we received")


class Processing(models.TextChoices):
    """The processings an objection or a restriction can target; the code that runs them reads the flags."""

    PROFILING = "profiling", _("profiling for direct marketing")
    DIRECT_MARKETING = "direct_marketing", _("direct marketing")
    REPORTING = "reporting", _("statistical reports")
    ALL = "all", _("every processing that is not required by law")


class RightsRequest(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(max_length=24, blank=True, db_index=True)
    person = models.ForeignKey("members.Person", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="rights_requests", help_text="the data subject, once known")
    filed_by = models.ForeignKey("members.Person", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="rights_requests_filed", help_text="a parent or agent filing for them")
    registered_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="rights_requests_registered")
    kind = models.CharField(_("request"), max_length=20, choices=RequestKind.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=RequestChannel.choices)
    status = models.CharField(_("status"), max_length=10, choices=RequestStatus.choices,
                              default=RequestStatus.RECEIVED)
    language = models.CharField(max_length=2, default="fr")
    # A request from outside the account: who says they are asking (checked against the ID copy).
    requester_name = models.CharField(_("name"), max_length=200, blank=True)
    requester_email = models.EmailField(_("e-mail address"), blank=True)
    national_number = models.CharField(_("national register number"), max_length=11, blank=True)
    details = models.TextField(_("details"), blank=True)
    target = models.CharField(_("concerned"), max_length=80, blank=True,
                              help_text="the field to rectify, the processing objected to, the decision to review")
    proposed_value = models.CharField(_("proposed value"), max_length=300, blank=True)
    electronic_answer = models.BooleanField(default=True)
    id_front = models.CharField(max_length=300, blank=True)
    id_back = models.CharField(max_length=300, blank=True)
    letter_dated_on = models.DateField(null=True, blank=True)
    letter_signed = models.BooleanField(default=False)
    received_at = models.DateTimeField()
    due_on = models.DateField()
    extended_at = models.DateTimeField(null=True, blank=True)
    extension_reason = models.CharField(max_length=12, choices=ExtensionReason.choices, blank=True)
    identity_verified_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(blank=True)
    refusal_reason = models.TextField(blank=True)
    compelling_grounds = models.TextField(blank=True)
    answer_document = models.CharField(max_length=64, blank=True, help_text="public id of the e-Box document")

    class Meta:
        verbose_name = _("rights request")
        ordering = ["due_on", "received_at"]
        indexes = [models.Index(fields=["status", "due_on"]), models.Index(fields=["person", "kind", "status"])]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_electronic(self) -> bool:
        return self.channel in ELECTRONIC_CHANNELS


class ProcessingFlag(models.Model):
    """An objection or a restriction standing on the subject: the processing code reads it (DSR-8, DSR-11)."""

    class Kind(models.TextChoices):
        OBJECTION = "objection", _("objection")
        RESTRICTION = "restriction", _("restriction")

    person = models.ForeignKey("members.Person", on_delete=models.CASCADE, related_name="processing_flags")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    processing = models.CharField(max_length=20, choices=Processing.choices)
    request = models.ForeignKey(RightsRequest, null=True, blank=True, on_delete=models.SET_NULL)
    since = models.DateTimeField()
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["person", "processing"])]

    def __str__(self) -> str:
        return f"{self.kind}: {self.processing}"


class Letter(models.Model):
    """A letter owed to someone who wrote by post or came to an agency (DSR-14: the channel they used)."""

    request = models.ForeignKey(RightsRequest, on_delete=models.CASCADE, related_name="letters")
    subject = models.CharField(max_length=200)
    body = models.TextField()
    language = models.CharField(max_length=2)
    created_at = models.DateTimeField(auto_now_add=True)
    printed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.subject
