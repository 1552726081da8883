"""`manage.py import_do_not_call FILE`: replace the do-not-call list by the numbers of a CSV file (COMM-8)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from guichet.communication.donotcall import import_do_not_call


class Command(BaseCommand):
    help = "Import the national do-not-call list (a CSV of phone numbers, one per line); bad lines are reported."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the CSV file ('-' is not accepted: the file is streamed from disk)")

    def handle(self, *args, path: str, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"no such file: {path}")
        with file.open("rb") as lines:
            report = import_do_not_call(lines, file_name=file.name)
        self.stdout.write(f"{report.lines} lines, {report.imported} numbers imported, {report.rejected} lines rejected")
        for line_number, reason in report.problems:
            self.stdout.write(f"line {line_number}: {reason}")
