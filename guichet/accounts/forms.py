"""Forms of the account pages: they bound and clean what is typed; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.accounts.models import RestrictionReason, RestrictionScope


class IdentifyForm(forms.Form):
    national_number = forms.CharField(
        label=_("National register number"), max_length=20,
        help_text=_("11 digits, on the back of your identity card (e.g. 85.07.30-033.28)."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    member_number = forms.CharField(
        label=_("Membership number"), max_length=20,
        help_text=_("On your membership card or on any letter from the mutual."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code received by SMS"), max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if not code.isdigit():
            raise forms.ValidationError(_("The code is made of digits only."))
        return code


class NewPasswordForm(forms.Form):
    password = forms.CharField(
        label=_("New password"), max_length=1024, strip=False,
        help_text=_("At least 12 characters. A sentence you remember is a good password."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    confirmation = forms.CharField(
        label=_("New password again"), max_length=1024, strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class RegistrationPasswordForm(NewPasswordForm):
    accept_terms = forms.BooleanField(label=_("I have read and accept the terms of use."), required=True)


class ChangePasswordForm(NewPasswordForm):
    current = forms.CharField(
        label=_("Current password"), max_length=1024, strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    field_order = ["current", "password", "confirmation"]


class LoginForm(forms.Form):
    login = forms.CharField(
        label=_("National register number or staff login"), max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Password"), max_length=1024, strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class PasswordOnlyForm(forms.Form):
    password = forms.CharField(
        label=_("Password"), max_length=1024, strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class SecondFactorChoiceForm(forms.Form):
    factor = forms.ChoiceField(
        label=_("Second step at login"), widget=forms.RadioSelect,
        choices=[("none", _("None: my password is enough")), ("sms", _("A code by SMS"))],
    )


class FindMemberForm(forms.Form):
    member_number = forms.CharField(label=_("Membership number"), max_length=20)


class RestrictionForm(forms.Form):
    scope = forms.ChoiceField(label=_("What to limit"), choices=RestrictionScope.choices)
    reason = forms.ChoiceField(label=_("Reason"), choices=RestrictionReason.choices)
    note = forms.CharField(label=_("Internal note"), max_length=2000, required=False, widget=forms.Textarea)


class LiftForm(forms.Form):
    note = forms.CharField(label=_("Why the restriction is lifted"), max_length=2000, widget=forms.Textarea)
