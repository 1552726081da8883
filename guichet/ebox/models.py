"""Records of the e-Box: the documents issued to a person, each person's e-Box choice and its history,
and the print queue (items grouped in batches for the print house)."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from guichet.ebox.storage import documents_storage


def document_path(instance, filename: str) -> str:
    # Never a name from outside: the document's random id, under the person's random id.
    extension = {"application/pdf": ".pdf", "application/zip": ".zip"}.get(instance.content_type, "")
    return f"ebox/{instance.person.public_id}/{instance.public_id}{extension}"


class Delivery(models.TextChoices):
    EBOX = "ebox", _("e-Box")
    POST = "post", pgettext_lazy("delivery", "post")


class Document(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey("members.Person", on_delete=models.PROTECT, related_name="ebox_documents")
    doc_type = models.CharField(_("document type"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(storage=documents_storage, upload_to=document_path, max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    issued_at = models.DateTimeField(_("issued on"))
    issued_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    delivery = models.CharField(max_length=10, choices=Delivery.choices)
    is_read = models.BooleanField(default=False)
    read_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        # The inbox: a person's e-Box documents, unread first, newest first (EBOX-1, EBOX-5), read in index
        # order up to the page's LIMIT; documents waiting for the post are not in it (partial index).
        indexes = [models.Index(fields=["person", "is_read", "-issued_at", "-id"], name="ebox_doc_inbox",
                                condition=models.Q(delivery="ebox"))]

    def __str__(self) -> str:
        return self.title


class EboxChoice(models.Model):
    """EBOX-3: whether the person's e-Box is active (no row: never activated)."""

    person = models.OneToOneField("members.Person", on_delete=models.CASCADE, related_name="ebox_choice")
    active = models.BooleanField(default=False)
    changed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"e-Box of person {self.person_id}: {'active' if self.active else 'inactive'}"


class EboxChange(models.Model):
    """Each activation or deactivation, by whom (the person or someone acting for them)."""

    person = models.ForeignKey("members.Person", on_delete=models.CASCADE, related_name="ebox_changes")
    active = models.BooleanField()
    at = models.DateTimeField()
    by_person = models.ForeignKey("members.Person", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")

    class Meta:
        indexes = [models.Index(fields=["person", "at"])]

    def __str__(self) -> str:
        return f"e-Box of person {self.person_id} {'activated' if self.active else 'deactivated'} at {self.at}"


class PrintBatch(models.Model):
    """One export for the print house: a folder of PDFs and a manifest; completed once all are written."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)
    folder = models.CharField(max_length=100)
    attempts = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return self.folder


class PrintItem(models.Model):
    """A document to post on paper (EBOX-4: the e-Box is inactive or the type requires paper)."""

    document = models.OneToOneField(Document, on_delete=models.PROTECT, related_name="print_item")
    queued_at = models.DateTimeField()
    batch = models.ForeignKey(PrintBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="items")

    class Meta:
        indexes = [models.Index(fields=["batch", "queued_at"])]

    def __str__(self) -> str:
        return f"print item of document {self.document_id}"
