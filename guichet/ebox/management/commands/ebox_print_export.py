"""`manage.py ebox_print_export`: write the next print batch (or resume the unfinished one) for the print house."""

from django.core.management.base import BaseCommand

from guichet.ebox.printing import export_print_batch


class Command(BaseCommand):
    help = "Export the documents waiting for the post into one batch folder (PDFs + manifest); safe to rerun."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=5000, help="most documents in one batch")

    def handle(self, *args, limit: int, **options):
        result = export_print_batch(limit=limit)
        if result.batch is None:
            self.stdout.write("Nothing to print.")
        else:
            self.stdout.write(f"Batch {result.batch.public_id}: {result.count} documents in {result.folder}")
