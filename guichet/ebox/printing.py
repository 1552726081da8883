"""The print queue's export for the print house (EBOX-4): one folder per batch with the PDFs and a
manifest (JSON and CSV). Each queued document goes into exactly one batch; a batch that failed half-way
is resumed as it was on the next run (same folder, same documents, files overwritten, never duplicated),
and it is marked complete only once the manifest, written last, is in place."""

from __future__ import annotations

import csv
import io
import json
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from guichet.ebox.models import PrintBatch, PrintItem
from guichet.ledger.services import append

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class ExportResult:
    batch: PrintBatch | None
    folder: Path | None
    count: int


def export_dir() -> Path:
    return Path(settings.GUICHET_EBOX_PRINT_EXPORT_DIR)


def export_print_batch(*, limit: int = 5000) -> ExportResult:
    """Resume the unfinished batch if any, else gather the queued documents into a new batch; write it."""
    batch = _batch_to_write(limit)
    if batch is None:
        return ExportResult(None, None, 0)
    folder = export_dir() / batch.folder
    folder.mkdir(parents=True, exist_ok=True)
    items = list(batch.items.select_related("document", "document__person").order_by("queued_at", "id"))
    rows = []
    for item in items:
        document = item.document
        name = f"{document.public_id}.pdf"
        with document.file.open("rb") as source:
            _write_atomically(folder / name, source.read())
        rows.append(_manifest_row(document, name))
    manifest = {"batch": str(batch.public_id), "created_at": batch.created_at.isoformat(), "count": len(rows),
                "documents": rows}
    _write_atomically(folder / "manifest.csv", _csv(rows).encode("utf-8"))
    # The JSON manifest is the print house's signal that the folder is complete: written last.
    _write_atomically(folder / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8"))
    with transaction.atomic():
        # Two runs may write the same unfinished batch at once (the schedule and the command): the files are
        # the same, and only the first to finish marks it complete and writes the evidence.
        if PrintBatch.objects.filter(pk=batch.pk, completed_at__isnull=True).update(completed_at=timezone.now()):
            append("ebox.print_batch_exported", actor=None, subject=None, context="operations",
                   payload={"batch": str(batch.public_id), "count": len(rows)})
    batch.refresh_from_db()
    return ExportResult(batch, folder, len(rows))


def _batch_to_write(limit: int) -> PrintBatch | None:
    with transaction.atomic():
        unfinished = (PrintBatch.objects.select_for_update().filter(completed_at__isnull=True)
                      .order_by("created_at", "id").first())
        if unfinished is not None:
            unfinished.attempts += 1
            unfinished.save(update_fields=["attempts"])
            return unfinished
        queued = list(PrintItem.objects.select_for_update().filter(batch__isnull=True)
                      .order_by("queued_at", "id").values_list("pk", flat=True)[:limit])
        if not queued:
            return None
        now = timezone.now()
        batch = PrintBatch(created_at=now, attempts=1)
        batch.folder = f"{now:%Y%m%d-%H%M%S}-{batch.public_id.hex[:12]}"
        batch.save()
        PrintItem.objects.filter(pk__in=queued, batch__isnull=True).update(batch=batch)
        return batch


def _manifest_row(document, name: str) -> dict:
    person = document.person
    address = _postal_address(person)
    return {"file": name, "document": str(document.public_id), "type": document.doc_type,
            "sha256": document.sha256, "member_number": person.member_number,
            "name": person.full_name, "language": person.language, **address}


def _postal_address(person) -> dict:
    from guichet.members.models import Address

    current = Address.objects.filter(person=person, valid_to__isnull=True).order_by("-id").first()
    fields = ("street", "number", "box", "postcode", "city", "country")
    return {field: str(getattr(current, field, "") or "") for field in fields}


def _csv(rows: list[dict]) -> str:
    out = io.StringIO()
    if rows:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return out.getvalue()


def _write_atomically(path: Path, data: bytes) -> None:
    # A name of its own per writer: two runs never write into the same temporary file.
    temporary = path.with_name(f"{path.name}.{uuid.uuid4().hex}.part")
    with open(temporary, "wb") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())
    os.replace(temporary, path)
