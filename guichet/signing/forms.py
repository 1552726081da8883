"""Forms of the signing pages: the CMS upload and the lost or stolen card report."""

from django import forms
from django.utils.translation import gettext_lazy as _


class UploadForm(forms.Form):
    cms = forms.FileField(label=_("Signature file (.p7s, CMS)"),
                          help_text=_("The file made by the eID browser extension or guichet-sign."))


REASONS = [("lost", _("Lost")), ("stolen", _("Stolen")), ("misused", _("Misused by someone else"))]


class LostCardForm(forms.Form):
    what = forms.ChoiceField(label=_("What happened to the card?"), choices=REASONS, widget=forms.RadioSelect)
    details = forms.CharField(label=_("Details (optional)"), required=False, max_length=400,
                              widget=forms.Textarea(attrs={"rows": 3}))
    police_reported = forms.BooleanField(label=_("I have reported it to the police (or I will)"), required=False)


class StaffLostCardForm(LostCardForm):
    access = forms.ChoiceField(label=_("Member (an open file)"))
    channel = forms.ChoiceField(label=_("How the member told us"),
                                choices=[("phone", _("By phone")), ("counter", _("At the counter"))])
    at = forms.DateTimeField(label=_("When the member told us (leave empty for now)"), required=False,
                             widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))

    def __init__(self, *args, accesses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["access"].choices = [(str(a.public_id), a.person.full_name) for a in accesses]
        self.order_fields(["access", "channel", "at", "what", "details", "police_reported"])
