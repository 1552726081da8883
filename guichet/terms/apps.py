"""Django configuration of the terms app."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TermsConfig(AppConfig):
    name = "guichet.terms"
    label = "terms"
    verbose_name = _("Terms of use")
