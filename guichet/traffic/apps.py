"""Django configuration of the connection log."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrafficConfig(AppConfig):
    name = "guichet.traffic"
    label = "traffic"
    verbose_name = _("Connection log")
