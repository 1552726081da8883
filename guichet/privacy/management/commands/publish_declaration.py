"""`manage.py publish_declaration`: publish the privacy declaration when the register changed (PRIV-2)."""

from django.core.management.base import BaseCommand

from guichet.privacy.services import publish_declaration


class Command(BaseCommand):
    help = "Publish a new version of the privacy declaration if the register of processing changed."

    def handle(self, *args, **options):
        version, created = publish_declaration()
        if created:
            self.stdout.write(self.style.SUCCESS(f"Published the privacy declaration, version {version.version}."))
        else:
            self.stdout.write(f"The register has not changed: version {version.version} stays current.")
