"""The DPO contact form (PRIV-3): a visitor gives name and e-mail; a member is known from the session."""

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.privacy.models import DpoCaseKind
from guichet.privacy.services import MESSAGE_MAX_LENGTH, NAME_MAX_LENGTH, PrivacyError, check_dpo_message


class DpoContactForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=NAME_MAX_LENGTH)
    email = forms.EmailField(label=_("Your e-mail address"), max_length=254,
                             help_text=_("We send the acknowledgement and our answer to this address."))
    kind = forms.ChoiceField(label=_("Subject"), choices=DpoCaseKind.choices)
    message = forms.CharField(label=_("Your message"), max_length=MESSAGE_MAX_LENGTH,
                              widget=forms.Textarea(attrs={"rows": 8}),
                              help_text=_("Plain text, 5000 characters at most. Do not send medical details here."))

    def __init__(self, *args, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        if person is not None:  # the member's identity comes from their session, not from the form
            del self.fields["name"]
            del self.fields["email"]

    def clean(self):
        data = super().clean()
        if not self.errors:
            try:
                check_dpo_message(kind=data["kind"], message=data["message"], person=self.person,
                                  name=data.get("name", ""), email=data.get("email", ""))
            except PrivacyError as error:
                raise forms.ValidationError(error.message) from None
        return data
