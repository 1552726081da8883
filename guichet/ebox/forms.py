"""Forms of the e-Box: the inbox search, the member's e-Box setting, the staff issue form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.ebox import types


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Title contains"), required=False, max_length=100)
    doc_type = forms.ChoiceField(label=_("Document type"), required=False)
    since = forms.DateField(label=_("Issued from"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Issued until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["doc_type"].choices = [("", _("All types")), *types.type_choices()]

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("The end of the period comes before its start."))
        return data


class EboxSettingForm(forms.Form):
    active = forms.BooleanField(label=_("Receive my documents in the e-Box instead of by post"), required=False)


class IssueForm(forms.Form):
    doc_type = forms.ChoiceField(label=_("Document type"))
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=_("PDF document"), required=False,
                           help_text=_("Either a PDF, or a letter written below."))
    body = forms.CharField(label=_("Text of a letter"), required=False, widget=forms.Textarea(attrs={"rows": 8}),
                           max_length=10_000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["doc_type"].choices = types.type_choices()

    def clean(self):
        data = super().clean()
        if bool(data.get("file")) == bool((data.get("body") or "").strip()):
            raise forms.ValidationError(_("Upload a PDF or write the text of a letter (one of the two)."))
        return data


class CheckForm(forms.Form):
    file = forms.FileField(label=_("PDF document to check"))
