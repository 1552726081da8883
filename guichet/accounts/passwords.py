"""Password rules beyond Django's (ACC-3): a minimum length said in our own words (Django's Dutch
catalog lacks its message), a generous upper bound, and no personal data inside. Common and breached
passwords are refused by Django's bundled list (CommonPasswordValidator)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class MinimumLengthValidator:
    def __init__(self, min_length: int = 12):
        self.min_length = min_length

    def validate(self, password: str, user=None) -> None:
        if len(password) < self.min_length:
            raise ValidationError(
                ngettext(
                    "Your password must have at least %(min)d character.",
                    "Your password must have at least %(min)d characters.",
                    self.min_length,
                )
                % {"min": self.min_length},
                code="password_too_short",
            )

    def get_help_text(self) -> str:
        return ngettext("At least %(min)d character.", "At least %(min)d characters.", self.min_length) % {
            "min": self.min_length}


class MaximumLengthValidator:
    def __init__(self, max_length: int = 256):
        self.max_length = max_length

    def validate(self, password: str, user=None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(
                ngettext(
                    "Your password may have at most %(max)d character.",
                    "Your password may have at most %(max)d characters.",
                    self.max_length,
                )
                % {"max": self.max_length},
                code="password_too_long",
            )

    def get_help_text(self) -> str:
        return _("Long passwords and passphrases are welcome (up to %(max)d characters).") % {"max": self.max_length}


class PersonalDataValidator:
    """Refuses a password that contains the national number, membership number or name of the person."""

    def validate(self, password: str, user=None) -> None:
        person = getattr(user, "person", None)
        if person is None:
            return
        lowered = password.lower()
        facts = [person.national_number, person.member_number, person.first_name, person.last_name]
        if any(fact and len(fact) >= 3 and fact.lower() in lowered for fact in facts):
            raise ValidationError(
                _("Your password must not contain your name, national register number or membership number."),
                code="password_personal_data",
            )

    def get_help_text(self) -> str:
        return _("It must not contain your name or your numbers.")
