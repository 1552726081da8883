"""`manage.py signing_test_pki [--serve]`: create the local test eID hierarchy under VAR_DIR (development and
demo only) and, with --serve, run its OCSP responder at GUICHET_SIGNING_TEST_OCSP_URL until interrupted."""

import urllib.parse

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from guichet.signing.config import accept_test_hierarchy
from guichet.signing.ocsp_responder import OCSPResponder
from guichet.signing.testpki import default_pki


class Command(BaseCommand):
    help = "Create the test eID hierarchy (not for production) and optionally serve its OCSP responder."

    def add_arguments(self, parser):
        parser.add_argument("--serve", action="store_true", help="run the OCSP responder until interrupted")

    def handle(self, *args, serve=False, **options):
        if not accept_test_hierarchy():
            raise CommandError("The test hierarchy is refused by this configuration (production, or "
                               "GUICHET_SIGNING_ACCEPT_TEST_TOKEN is off).")
        pki = default_pki()
        self.stdout.write(f"Test hierarchy in {pki.directory} (root: {pki.root_path})")
        if not serve:
            return
        url = urllib.parse.urlsplit(settings.GUICHET_SIGNING_TEST_OCSP_URL)
        responder = OCSPResponder(pki, host=url.hostname or "127.0.0.1", port=url.port or 80, path=url.path)
        self.stdout.write(f"OCSP responder at {responder.url} (Ctrl-C to stop)")
        try:
            responder.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            responder.server.server_close()
