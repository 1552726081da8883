"""`manage.py maf_batch --year 2024`: run the yearly MAF batch (AUTO-5) now; a rerun pays nothing twice."""

from django.core.management.base import BaseCommand, CommandError

from guichet.decisions.errors import DecisionError
from guichet.decisions.maf import run_maf


class Command(BaseCommand):
    help = "Run the maximum-billing (MAF) batch of a year: refunds everything above each household's ceiling."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)

    def handle(self, *args, year: int, **options):
        try:
            report = run_maf(year)
        except DecisionError as refusal:
            raise CommandError(str(refusal)) from refusal
        self.stdout.write(f"MAF {year}: {report.households} households, {report.refunds} refunds, "
                          f"{report.refunded_cents / 100:.2f} EUR, {report.without_income} without income data")
