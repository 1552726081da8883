"""EBOX-4: documents that go by post leave in batches for the print house (a folder of PDFs and a
manifest); each document exactly once, and a batch that crashed half-way is resumed on the next run
without losing or duplicating a document."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from guichet.ebox import printing
from guichet.ebox.models import PrintBatch, PrintItem
from guichet.ebox.tasks import export_print_batch_task
from tests.ebox.conftest import issue

pytestmark = pytest.mark.django_db


def exported(settings) -> list[str]:
    """Every PDF in every batch folder (a duplicate would show twice)."""
    root = Path(settings.GUICHET_EBOX_PRINT_EXPORT_DIR)
    return sorted(path.name for path in root.rglob("*.pdf"))


def manifest_of(result) -> dict:
    return json.loads((result.folder / printing.MANIFEST).read_text())


@pytest.mark.rule("EBOX-4")
def test_posted_documents_leave_once_in_a_batch_with_a_manifest(member, settings):
    documents = [issue(member.person, title=f"Letter {n}") for n in range(3)]
    result = printing.export_print_batch()
    assert result.count == 3 and result.batch.completed_at is not None
    manifest = manifest_of(result)
    assert sorted(row["document"] for row in manifest["documents"]) == sorted(str(d.public_id) for d in documents)
    assert all(row["member_number"] == member.person.member_number for row in manifest["documents"])
    assert (result.folder / "manifest.csv").read_text().count("\n") == 4
    # Nothing left: a second run makes no batch and writes nothing more.
    assert printing.export_print_batch().batch is None
    assert exported(settings) == sorted(f"{d.public_id}.pdf" for d in documents)


@pytest.mark.rule("EBOX-4")
def test_a_batch_that_crashed_half_way_is_resumed_without_loss_or_duplicate(member, settings, monkeypatch):
    documents = [issue(member.person, title=f"Letter {n}") for n in range(4)]
    real_write = printing._write_atomically
    written = []

    def crash_after_two(path, data):
        if path.suffix == ".pdf" and len(written) == 2:
            raise OSError("disk full")
        written.append(path.name)
        real_write(path, data)

    monkeypatch.setattr(printing, "_write_atomically", crash_after_two)
    with pytest.raises(OSError):
        printing.export_print_batch()
    batch = PrintBatch.objects.get()
    assert batch.completed_at is None and not (Path(settings.GUICHET_EBOX_PRINT_EXPORT_DIR) / batch.folder
                                                / printing.MANIFEST).exists()
    # A document issued meanwhile waits for the next batch, not the resumed one.
    late = issue(member.person, title="Late letter")
    monkeypatch.setattr(printing, "_write_atomically", real_write)
    resumed = printing.export_print_batch()
    assert resumed.batch.pk == batch.pk and resumed.batch.attempts == 2 and resumed.count == 4
    assert sorted(row["document"] for row in manifest_of(resumed)["documents"]) == sorted(
        str(d.public_id) for d in documents)
    following = printing.export_print_batch()
    assert following.batch.pk != batch.pk and following.count == 1
    assert exported(settings) == sorted(f"{d.public_id}.pdf" for d in [*documents, late])
    assert PrintItem.objects.filter(batch__isnull=True).count() == 0


@pytest.mark.rule("EBOX-4")
def test_two_runs_writing_the_same_batch_complete_it_once(member, settings, monkeypatch):
    """The schedule and a manual command resume the same unfinished batch at once: same files, one
    completion, one ledger entry."""
    from guichet.ledger.models import LedgerEntry

    issue(member.person, title="Letter")
    real_batch_to_write = printing._batch_to_write
    first_run_batch = []

    def other_run_finishes_meanwhile(limit):
        batch = real_batch_to_write(limit)
        if not first_run_batch:  # the first run took the batch; the second one writes and completes it first
            first_run_batch.append(batch)
            monkeypatch.setattr(printing, "_batch_to_write", real_batch_to_write)
            assert printing.export_print_batch().batch.pk == batch.pk
        return batch

    monkeypatch.setattr(printing, "_batch_to_write", other_run_finishes_meanwhile)
    result = printing.export_print_batch()
    assert result.batch.pk == first_run_batch[0].pk and result.batch.completed_at is not None
    assert LedgerEntry.objects.filter(kind="ebox.print_batch_exported").count() == 1
    assert exported(settings) == [f"{PrintItem.objects.get().document.public_id}.pdf"]
    assert not list(Path(settings.GUICHET_EBOX_PRINT_EXPORT_DIR).rglob("*.part"))


@pytest.mark.rule("EBOX-4")
def test_the_command_and_the_task_export_what_waits(member, settings):
    issue(member.person)
    call_command("ebox_print_export")
    issue(member.person)
    assert export_print_batch_task() == 1
    assert len(exported(settings)) == 2
    assert settings.CELERY_BEAT_SCHEDULE["ebox-print-export"]["task"] == "guichet.ebox.tasks.export_print_batch"
