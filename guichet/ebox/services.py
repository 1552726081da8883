"""The e-Box's rules: issuing a document (EBOX-1, EBOX-4), eligibility and the member's choice (EBOX-2,
EBOX-3), reading (EBOX-5) and the notice that a document waits (EBOX-5: never its title or content).

A service validates first and raises EboxError with a translated message; then it writes in one
transaction with its ledger entry and domain event."""

from __future__ import annotations

import hashlib
import io
import logging
import zipfile

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guichet.ebox import types
from guichet.ebox.errors import EboxError
from guichet.ebox.models import Delivery, Document, EboxChange, EboxChoice, PrintItem
from guichet.events.services import publish
from guichet.ledger.services import append
from guichet.members.models import Affiliation, AffiliationStatus, Context, Person

logger = logging.getLogger("guichet.ebox")

PDF = "application/pdf"
ZIP = "application/zip"
MAX_TITLE = 200
MAX_DOCUMENT_BYTES = 50_000_000
# EBOX-2: the e-Box serves the compulsory insurance, the complementary services and the products of the
# mutual insurance company; an affiliation in force in one of them opens it.
EBOX_CONTEXTS = (Context.COMPULSORY, Context.COMPLEMENTARY, Context.INSURANCE_COMPANY)

LEDGER_KINDS = {
    "ebox.document_issued": gettext_lazy("Document issued to you"),
    "ebox.document_read": gettext_lazy("Document of the e-Box opened"),
    "ebox.activated": gettext_lazy("e-Box activated"),
    "ebox.deactivated": gettext_lazy("e-Box deactivated"),
    "ebox.print_batch_exported": gettext_lazy("Documents handed to the print house"),
}


def register_kinds() -> None:
    from guichet.ledger.kinds import register_kind

    for kind, label in LEDGER_KINDS.items():
        register_kind(kind, label)


# --- eligibility and the member's choice (EBOX-2, EBOX-3) ---------------------------------------------

def is_eligible(person: Person, at=None) -> bool:
    """EBOX-2: an affiliation in force to the compulsory insurance, the complementary services or a
    product of the mutual insurance company."""
    day = timezone.localdate(at) if at else timezone.localdate()
    in_force = Affiliation.objects.filter(
        person=person, context__in=EBOX_CONTEXTS, status=AffiliationStatus.ACTIVE, start__lte=day,
    ).exclude(end__lt=day)
    # A product of the insurance company counts only with a named product (hospital, dental cover...).
    in_force = in_force.exclude(context=Context.INSURANCE_COMPANY, product="")
    return person.date_of_death is None and in_force.exists()


def has_activated(person: Person) -> bool:
    """The person's recorded choice (EBOX-3), eligible or not."""
    return EboxChoice.objects.filter(person=person, active=True).exists()


def is_active(person: Person) -> bool:
    """EBOX-3/EBOX-4: the e-Box is active (and the person is still eligible)."""
    return has_activated(person) and is_eligible(person)


@transaction.atomic
def set_ebox_active(person: Person, active: bool, *, actor=None) -> EboxChoice:
    """EBOX-3: activate or deactivate, at any time; the change is kept (history + ledger)."""
    if active and not is_eligible(person):
        raise EboxError(_("The e-Box is open to members of the compulsory insurance, of the complementary "
                          "services or of a product of the mutual insurance company."))
    now = timezone.now()
    choice, _created = EboxChoice.objects.select_for_update().get_or_create(
        person=person, defaults={"active": False, "changed_at": now})
    if choice.active == bool(active):
        return choice
    choice.active = bool(active)
    choice.changed_at = now
    choice.save(update_fields=["active", "changed_at"])
    EboxChange.objects.create(person=person, active=choice.active, at=now,
                              by_person=actor if isinstance(actor, Person) else None)
    kind = "ebox.activated" if choice.active else "ebox.deactivated"
    append(kind, actor=actor, subject=person, context="operations", payload={"active": choice.active})
    publish(kind, person=person, payload={"active": choice.active})
    return choice


def history(person: Person):
    return EboxChange.objects.filter(person=person).order_by("-at", "-id")


# --- issuing (EBOX-1, EBOX-4) -------------------------------------------------------------------------

def issue_document(
    person: Person,
    *,
    doc_type: str,
    title: str,
    context: str,
    content: bytes | None = None,
    filename: str | None = None,
    template: str | None = None,
    template_context: dict | None = None,
    actor=None,
) -> Document:
    """Issue a document to `person`: rendered from `template` (sealed PDF) or given as `content` (a PDF,
    validated and sealed; or a ZIP, kept as is). `context` is the register context it is issued for
    (compulsory, complementary, insurance_company, operations). EBOX-4: into the e-Box with a notice when it
    is active and the type allows electronic delivery, otherwise into the print queue (a ZIP, which cannot be
    printed, always goes to the e-Box)."""
    from guichet.ebox.pdf import render_pdf
    from guichet.ebox.seal import seal_pdf
    from guichet.ledger.errors import LedgerError
    from guichet.ledger.services import check_context

    doc_type_spec = types.get_document_type(doc_type)
    if doc_type_spec is None:
        raise EboxError(_("Unknown document type."), "doc_type")
    title = " ".join((title or "").split())
    if not title or len(title) > MAX_TITLE:
        raise EboxError(_("Give the document a title (at most 200 characters)."), "title")
    try:
        check_context(context)
    except LedgerError as error:
        raise EboxError(str(error), "context") from error
    if (content is None) == (template is None):
        raise EboxError(_("Give either a file or a template."), "content")
    if template is not None:
        full_context = {"person": person, "title": title, **(template_context or {})}
        data, content_type = render_pdf(template, full_context, language=person.language), PDF
    else:
        content_type = _content_type_of(content)
        # A name the caller gives must agree with the bytes (the bytes decide; the name never names the file).
        if filename and not filename.lower().endswith(".pdf" if content_type == PDF else ".zip"):
            raise EboxError(_("The file name does not match its content."), "content")
        data = seal_pdf(content) if content_type == PDF else content
    delivery = Delivery.EBOX if (doc_type_spec.electronic_allowed and is_active(person)) else Delivery.POST
    if content_type != PDF:
        # An archive (the data of an access request) cannot be printed: it exists only electronically and
        # goes to the e-Box whatever the choice; it must be a type that allows electronic delivery.
        if not doc_type_spec.electronic_allowed:
            raise EboxError(_("This type of document goes by post: give it as a PDF."), "content")
        delivery = Delivery.EBOX

    with transaction.atomic():
        now = timezone.now()
        document = Document(person=person, doc_type=doc_type, title=title, content_type=content_type,
                            size=len(data), sha256=hashlib.sha256(data).hexdigest(), issued_at=now,
                            issued_by=actor if _is_staff_user(actor) else None, delivery=delivery)
        document.file.save("document", ContentFile(data), save=False)
        # The file exists before the row: if writing the row fails, remove it (nothing half-issued).
        try:
            document.save()
            if delivery == Delivery.POST:
                PrintItem.objects.create(document=document, queued_at=now)
            payload = {"document": str(document.public_id), "type": doc_type, "delivery": delivery,
                       "sha256": document.sha256, "context": context}
            append("ebox.document_issued", actor=actor, subject=person, context=context, payload=payload)
            publish("ebox.document_issued", person=person,
                    payload={"document": str(document.public_id), "delivery": delivery})
        except Exception:
            document.file.storage.delete(document.file.name)
            raise
        if delivery == Delivery.EBOX:
            document_id = document.pk
            transaction.on_commit(lambda: notify_waiting(document_id), robust=True)
    return document


def _is_staff_user(actor) -> bool:
    from guichet.accounts.models import User

    return isinstance(actor, User)


def _content_type_of(content: bytes) -> str:
    if not isinstance(content, (bytes, bytearray)) or not content:
        raise EboxError(_("The document is empty."), "content")
    if len(content) > MAX_DOCUMENT_BYTES:
        raise EboxError(_("The document is too large."), "content")
    if bytes(content[:5]) == b"%PDF-":
        from guichet.ebox.uploads import UploadRefused, sniff

        try:
            sniff(io.BytesIO(content), max_bytes=MAX_DOCUMENT_BYTES, allowed=frozenset({PDF}))
            _parse_pdf(bytes(content))
        except UploadRefused as refused:
            raise EboxError(refused.message, "content") from refused
        return PDF
    if bytes(content[:4]) == b"PK\x03\x04":
        _check_zip(bytes(content))
        return ZIP
    raise EboxError(_("The document must be a PDF or a ZIP archive."), "content")


def _parse_pdf(content: bytes) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(io.BytesIO(content), strict=False)
        if reader.root["/Pages"]["/Count"] < 1:
            raise ValueError("no page")
    except Exception as error:  # noqa: BLE001 - any parser failure means "not a usable PDF"
        raise EboxError(_("The file is damaged or is not a complete PDF document."), "content") from error


def _check_zip(content: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if archive.testzip() is not None or not archive.namelist():
                raise zipfile.BadZipFile("empty or damaged")
            for info in archive.infolist():
                if info.filename.startswith(("/", "\\")) or ".." in info.filename.replace("\\", "/").split("/"):
                    raise zipfile.BadZipFile("unsafe member name")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as error:
        raise EboxError(_("The ZIP archive is damaged or unsafe."), "content") from error


# --- the notice (EBOX-5) ------------------------------------------------------------------------------

def notification_channel(person: Person) -> str | None:
    """EBOX-5: e-mail or SMS as the member prefers (the communication preferences per channel); a member
    who accepts both, or neither, gets an e-mail when they have an address, else an SMS."""
    from guichet.communication.policy import preferences_of

    preferences = preferences_of(person)
    email = bool(person.email) and preferences.accepts("email")
    sms = bool(person.mobile) and preferences.accepts("sms")
    if email:
        return "email"
    if sms:
        return "sms"
    if person.email:
        return "email"
    if person.mobile:
        return "sms"
    return None


def notify_waiting(document_id: int) -> None:
    """Tell the person a document waits in the e-Box: never its title, type or content."""
    from guichet.messaging.services import email_to, sms_to_person

    document = Document.objects.select_related("person").filter(pk=document_id, notified_at__isnull=True).first()
    if document is None:
        return
    person = document.person
    channel = notification_channel(person)
    if channel == "email":
        email_to(person.email, person.language, lambda: (
            _("A new document is waiting in your e-Box"),
            _("Hello,\n\nA new document is waiting in your e-Box. Log in to Guichet to read it.\n"),
        ))
    elif channel == "sms":
        sms_to_person(person, lambda: _("A new document is waiting in your e-Box on Guichet. Log in to read it."))
    else:
        return
    Document.objects.filter(pk=document_id).update(notified_at=timezone.now())


# --- reading (EBOX-1, EBOX-5) -------------------------------------------------------------------------

def inbox(person: Person, *, query: str = "", doc_type: str = "", since=None, until=None):
    """The person's e-Box: unread first, newest first; search by title, type and date range. Documents
    waiting for the post are not in it."""
    documents = Document.objects.filter(person=person, delivery=Delivery.EBOX)
    if query:
        documents = documents.filter(title__icontains=query.strip()[:100])
    if doc_type:
        documents = documents.filter(doc_type=doc_type)
    if since:
        documents = documents.filter(issued_at__date__gte=since)
    if until:
        documents = documents.filter(issued_at__date__lte=until)
    return documents.order_by("is_read", "-issued_at", "-id")


def document_for(person: Person, public_id) -> Document:
    """The person's own e-Box document or Document.DoesNotExist (404 for anyone else)."""
    return Document.objects.get(person=person, public_id=public_id, delivery=Delivery.EBOX)


@transaction.atomic
def mark_read(document: Document, read: bool = True, *, actor=None) -> Document:
    if document.is_read == bool(read):
        return document
    document.is_read = bool(read)
    document.read_at = timezone.now() if read else None
    document.save(update_fields=["is_read", "read_at"])
    if read:
        append("ebox.document_read", actor=actor, subject=document.person, context="operations",
               payload={"document": str(document.public_id)})
    return document


def unread_count(person: Person) -> int:
    return Document.objects.filter(person=person, delivery=Delivery.EBOX, is_read=False).count()
