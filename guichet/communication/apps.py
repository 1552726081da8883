"""Django configuration of the communication app; its outbox subscribers are registered when it is ready."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunicationConfig(AppConfig):
    name = "guichet.communication"
    label = "communication"
    verbose_name = _("Communication and campaigns")

    def ready(self) -> None:
        from guichet.communication import subscribers  # noqa: F401 - registers the outbox handlers
