"""Django configuration of the domain events (the outbox and its subscribers)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "guichet.events"
    label = "events"
    verbose_name = _("Domain events")
