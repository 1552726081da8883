"""The cookie choice as sent by the banner or the cookie page: accept all, refuse all, or per category."""

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.cookies.register import load_cookie_register
from guichet.privacy.register import text


class CookieChoiceForm(forms.Form):
    ACCEPT_ALL, REFUSE_ALL, CHOSEN = "all", "none", "chosen"

    choice = forms.ChoiceField(
        choices=[(ACCEPT_ALL, _("Accept all")), (REFUSE_ALL, _("Refuse all")), (CHOSEN, _("Save my choice"))],
        error_messages={"invalid_choice": _("Choose to accept all, refuse all or save your choice."),
                        "required": _("Choose to accept all, refuse all or save your choice.")})
    category = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Unknown cookie category: %(value)s.")})
    next = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        register = load_cookie_register()
        self.fields["category"].choices = [(c.key, text(c.title)) for c in register.categories
                                           if not c.always_on]

    def accepted(self) -> list[str]:
        choice = self.cleaned_data["choice"]
        if choice == self.ACCEPT_ALL:
            return list(load_cookie_register().optional_keys)
        if choice == self.REFUSE_ALL:
            return []
        return self.cleaned_data["category"]
