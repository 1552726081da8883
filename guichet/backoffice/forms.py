"""Back-office forms: they bind the typed input; the services decide (a purpose outside the register or
the role is refused by `access.open_file`, which logs it, not silently by a form)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.backoffice.models import IdentityCheckMethod
from guichet.backoffice.roles import REASON_LABELS


class FindPersonForm(forms.Form):
    number = forms.CharField(label=_("National register number or membership number"), max_length=40)


class OpenFileForm(forms.Form):
    # A plain field with a select: a purpose outside the list reaches the service, which refuses and logs it.
    purpose = forms.CharField(
        label=_("Purpose (from the register of processing)"), max_length=100, widget=forms.Select
    )
    reason_kind = forms.ChoiceField(
        label=_("Reason"), choices=[(k.value, v) for k, v in REASON_LABELS.items()]
    )
    reason_reference = forms.CharField(label=_("Reference of the case, call or visit"), max_length=64)
    identity_method = forms.ChoiceField(
        label=_("How the caller's or visitor's identity was checked"),
        required=False,
        choices=[("", _("not a call or a visit"))] + list(IdentityCheckMethod.choices),
    )
    national_number = forms.CharField(
        label=_("National register number given or read"), max_length=20, required=False
    )
    member_number = forms.CharField(label=_("Membership number given"), max_length=20, required=False)
    birth_date = forms.DateField(
        label=_("Birth date given"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, purposes: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["purpose"].widget.choices = purposes


class AcknowledgeForm(forms.Form):
    acknowledged = forms.BooleanField(label=_("I have read this undertaking and I am bound by it."))


class DelegationForm(forms.Form):
    delegate = forms.ModelChoiceField(
        label=_("Delegated staff member"), queryset=None, to_field_name="public_id"
    )
    scope = forms.ChoiceField(label=_("Health data of the context"))
    expires_at = forms.DateTimeField(
        label=_("Until"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )

    def __init__(self, *args, delegates, scopes: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delegate"].queryset = delegates
        self.fields["scope"].choices = scopes


class DisclosureRequestForm(forms.Form):
    requester_name = forms.CharField(label=_("Name of the person who asks"), max_length=200)
    requester_organisation = forms.CharField(label=_("Organisation"), max_length=200)
    recipient = forms.CharField(label=_("Kind of requester"), max_length=60, widget=forms.Select)
    processor = forms.CharField(
        label=_("Processor task (for a processor only)"), max_length=60, required=False
    )
    country = forms.CharField(label=_("Country of the requester (two letters)"), max_length=2, initial="BE")
    context = forms.CharField(label=_("Context of processing"), max_length=30, widget=forms.Select)
    ground = forms.CharField(label=_("Ground claimed"), max_length=40, widget=forms.Select)
    transfer_ground = forms.CharField(
        label=_("Ground of a transfer outside the EEA"), max_length=40, required=False, widget=forms.Select
    )
    categories = forms.MultipleChoiceField(label=_("Data asked"), widget=forms.CheckboxSelectMultiple)
    person_number = forms.CharField(
        label=_("National register number or membership number of the person concerned"), max_length=40
    )

    def __init__(self, *args, recipients, contexts, grounds, transfer_grounds, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient"].widget.choices = recipients
        self.fields["context"].widget.choices = contexts
        self.fields["ground"].widget.choices = grounds
        self.fields["transfer_ground"].widget.choices = [("", _("none (inside the EEA)"))] + transfer_grounds
        self.fields["categories"].choices = categories


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[("grant", _("grant")), ("refuse", _("refuse"))],
    )
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    categories = forms.MultipleChoiceField(
        label=_("Data sent (when granted)"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"].choices = categories
