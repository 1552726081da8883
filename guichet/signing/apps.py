"""Django configuration of the signing app: the ledger kinds it writes."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SigningConfig(AppConfig):
    name = "guichet.signing"
    label = "signing"
    verbose_name = _("Electronic signature")

    def ready(self) -> None:
        from guichet.ledger.kinds import register_kind
        from guichet.signing import checks  # noqa: F401 - registers the system checks

        for kind, label in KINDS.items():
            register_kind(kind, label)


KINDS = {
    "signing.prepared": _("Document prepared for your signature"),
    "signing.signed": _("Document signed with your eID"),
    "signing.refused": _("Signature refused"),
    "signing.card_reported_lost": _("eID card reported lost or stolen"),
}
