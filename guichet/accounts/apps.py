"""Django configuration of the accounts app."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "guichet.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from guichet.accounts import subscribers  # noqa: F401 - registers the life-event subscribers
