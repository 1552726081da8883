"""`manage.py load_demo [--members N] [--no-documents]`: the demo mutual (registry, personas, logins, terms,
Marie's e-Box)."""

from django.core.management.base import BaseCommand

from guichet.accounts.demo import create_demo_accounts
from guichet.members import nrn
from guichet.members.demo import build_registry, create_personas
from guichet.members.models import Person
from guichet.terms.services import publish_from_files


class Command(BaseCommand):
    help = "Load the demo mutual: synthetic members, named personas, demo logins and the terms."

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=60, help="how many synthetic members to add")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--quiet", action="store_true", help="do not print the demo logins")
        parser.add_argument("--no-documents", dest="documents", action="store_false",
                            help="do not issue Marie's demo e-Box documents (benchmarks build their own)")

    def handle(self, *args, members: int, seed: int, quiet: bool, documents: bool = True, **options):
        for document in ("general", "shop"):
            publish_from_files(document)
        __import__("guichet.privacy.services", fromlist=["_"]).publish_declaration()  # PRIV-2
        personas = create_personas()
        logins = create_demo_accounts(personas)
        __import__("guichet.mandates.demo", fromlist=["_"]).create_demo_parental_authority(personas)  # MIN-1
        __import__("guichet.backoffice.demo", fromlist=["_"]).create_demo_backoffice()  # ACL-3
        existing = Person.objects.count()
        if existing < members + len(personas):
            build_registry(members + len(personas) - existing, seed=seed)
        if documents:
            __import__("guichet.ebox.demo", fromlist=["_"]).create_demo_ebox(personas)  # EBOX-1
        if quiet:
            return
        self.stdout.write(self.style.SUCCESS(f"Demo mutual ready: {Person.objects.count()} persons."))
        self.stdout.write("Demo logins (staff set up their authenticator app at first login):")
        for who, login, password in logins:
            self.stdout.write(f"  {who:<40} {login:<20} {password}")
        sophie = personas["sophie"]
        self.stdout.write(
            f"To try the registration: {sophie.full_name}, national register number "
            f"{nrn.formatted(sophie.national_number)}, membership number {sophie.member_number}; "
            "the SMS code is on /dev/outbox/."
        )
