"""Django configuration of the member registry."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "guichet.members"
    label = "members"
    verbose_name = _("Member registry")
