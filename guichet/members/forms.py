"""Forms of "My data": they carry what is typed; members.services checks and decides."""

import phonenumbers
from django import forms
from django.utils.translation import gettext_lazy as _

# Generous bounds only against absurd input: the services give the real, translated limits.
LOOSE = 1000


class EmailChangeForm(forms.Form):
    value = forms.CharField(
        label=_("New e-mail address"),
        max_length=LOOSE,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class MobileChangeForm(forms.Form):
    value = forms.CharField(
        label=_("New mobile number"),
        max_length=LOOSE,
        required=False,
        help_text=_(
            "A Belgian number (0470 12 34 56) or a foreign one in international format (+33 6 12 34 56 78)."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )


def _countries() -> list[tuple[str, str]]:
    return [("BE", "BE")] + [(code, code) for code in sorted(phonenumbers.SUPPORTED_REGIONS) if code != "BE"]


class AddressForm(forms.Form):
    street = forms.CharField(
        label=_("Street"),
        max_length=LOOSE,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    number = forms.CharField(label=_("House number"), max_length=LOOSE, required=False)
    box = forms.CharField(label=_("Box (optional)"), max_length=LOOSE, required=False)
    postcode = forms.CharField(
        label=_("Postcode"),
        max_length=LOOSE,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )
    city = forms.CharField(
        label=_("City"),
        max_length=LOOSE,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    country = forms.ChoiceField(label=_("Country"), choices=_countries, initial="BE")


class ContactCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code received"),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if not code.isdigit():
            raise forms.ValidationError(_("The code is made of digits only."))
        return code
