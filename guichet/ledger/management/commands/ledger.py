"""`manage.py ledger verify`: check the whole evidence ledger and name the first bad entry."""

from django.core.management.base import BaseCommand, CommandError

from guichet.ledger.verify import CHUNK_SIZE, verify_chain


class Command(BaseCommand):
    help = "Evidence ledger tools. verify: check every hash, the sequence and the signed checkpoints."

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="subcommand", required=True)
        verify = subcommands.add_parser("verify", help="verify the whole chain and its checkpoints")
        verify.add_argument("--chunk-size", type=int, default=CHUNK_SIZE, help="rows fetched per round trip")

    def handle(self, *args, subcommand: str, **options):
        if subcommand == "verify":
            result = verify_chain(chunk_size=options["chunk_size"])
            if not result.ok:
                raise CommandError(str(result))
            self.stdout.write(str(result))
