"""Forms of the rights pages: a request from the account, from the website (with the ID copy), registered by
staff (agency, letter), and the staff steps (extend, answer, refuse, verify)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.rights.models import ExtensionReason, Processing, RequestKind
from guichet.rights.services import MAX_DETAILS

RECTIFY_CHOICES = [
    ("", _("Choose")),
    ("address", _("my postal address")),
    ("first_name", _("my first name")),
    ("last_name", _("my last name")),
    ("birth_date", _("my birth date")),
    ("other", _("other data")),
]
PROCESSING_CHOICES = [("", _("Choose"))] + list(Processing.choices)


class RequestForm(forms.Form):
    """What is asked; the fields that only some kinds need are optional here and checked by the service."""

    kind = forms.ChoiceField(label=_("What do you ask for?"), choices=RequestKind.choices)
    target_field = forms.ChoiceField(label=_("Data to correct (rectification)"), choices=RECTIFY_CHOICES,
                                     required=False)
    processing = forms.ChoiceField(label=_("Processing concerned (objection, restriction)"),
                                   choices=PROCESSING_CHOICES, required=False)
    decision = forms.ChoiceField(label=_("Automated decision to review"), choices=[], required=False)
    new_mutual = forms.CharField(label=_("The mutual you move to (transfer)"), max_length=80, required=False)
    street = forms.CharField(label=_("Street (new address)"), max_length=100, required=False)
    number = forms.CharField(label=_("House number"), max_length=10, required=False)
    box = forms.CharField(label=_("Box"), max_length=10, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=10, required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    proposed_value = forms.CharField(label=_("The correct data (other fields)"), max_length=300, required=False)
    details = forms.CharField(label=_("Details, or your reasons"), max_length=MAX_DETAILS, required=False,
                              widget=forms.Textarea(attrs={"rows": 5}),
                              help_text=_("Plain text. Do not send medical details here."))

    def __init__(self, *args, decisions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [("", _("Choose"))] + list(decisions)

    def request_input(self) -> dict:
        """The service's arguments: target and proposed value per kind."""
        import json

        data = self.cleaned_data
        kind = data["kind"]
        target, proposed = "", data.get("proposed_value", "")
        if kind == RequestKind.RECTIFICATION:
            target = data.get("target_field", "")
            if target == "address":
                proposed = json.dumps({key: data.get(key, "") for key in ("street", "number", "box", "postcode",
                                                                          "city")}, ensure_ascii=False)
        elif kind in (RequestKind.OBJECTION, RequestKind.RESTRICTION):
            target = data.get("processing", "")
        elif kind == RequestKind.HUMAN_REVIEW:
            target = data.get("decision", "")
        elif kind == RequestKind.TRANSFER:
            target = data.get("new_mutual", "")
        return {"kind": kind, "target": target, "proposed_value": proposed, "details": data.get("details", "")}


class PublicRequestForm(RequestForm):
    """From the website (DSR-13): who asks, and both sides of the identity card."""

    requester_name = forms.CharField(label=_("Your name"), max_length=200)
    requester_email = forms.EmailField(label=_("Your e-mail address"), max_length=254,
                                       help_text=_("We answer to this address."))
    national_number = forms.CharField(label=_("Your national register number"), max_length=20)
    id_front = forms.FileField(label=_("Identity card, front (PDF, JPEG or PNG)"), required=False)
    id_back = forms.FileField(label=_("Identity card, back (PDF, JPEG or PNG)"), required=False)

    field_order = ["requester_name", "requester_email", "national_number", "id_front", "id_back", "kind"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["decision"]
        self.fields["decision_reference"] = forms.CharField(
            label=_("Reference of the automated decision to review"), max_length=80, required=False)

    def request_input(self) -> dict:
        values = super().request_input()
        if values["kind"] == RequestKind.HUMAN_REVIEW:
            values["target"] = self.cleaned_data.get("decision_reference", "")
        return values


class RegisterRequestForm(PublicRequestForm):
    """Staff register a request made at the counter or received by post (DSR-12, DSR-16)."""

    channel = forms.ChoiceField(label=_("Channel"), choices=[("agency", _("at an agency (identity card seen)")),
                                                           ("post", _("a letter"))])
    received_on = forms.DateField(label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"}))
    letter_dated_on = forms.DateField(label=_("Date written on the letter"), required=False,
                                      widget=forms.DateInput(attrs={"type": "date"}))
    letter_signed = forms.BooleanField(label=_("The letter is signed"), required=False)
    electronic_answer = forms.BooleanField(label=_("The person asks for an electronic answer"), required=False)

    field_order = ["channel", "national_number", "received_on", "letter_dated_on", "letter_signed", "id_front",
                   "id_back", "electronic_answer", "kind"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["requester_name"]
        del self.fields["requester_email"]
        self.fields["national_number"].label = _("National register number of the person")
        self.fields["id_front"].label = _("Copy of the identity card, front (for a letter)")
        self.fields["id_back"].label = _("Copy of the identity card, back (for a letter)")


class ExtendForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why more time is needed"), choices=ExtensionReason.choices,
                               widget=forms.RadioSelect)


class AnswerForm(forms.Form):
    note = forms.CharField(label=_("Note to the person (added to the answer)"), max_length=MAX_DETAILS,
                           required=False, widget=forms.Textarea(attrs={"rows": 4}))
    confirm_on = forms.DateField(label=_("Date of the change of mutual (transfer only)"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))


class RefuseForm(forms.Form):
    reason = forms.CharField(label=_("Reason told to the person"), max_length=MAX_DETAILS,
                             widget=forms.Textarea(attrs={"rows": 4}))
    compelling_grounds = forms.CharField(
        label=_("Compelling legitimate grounds (objection only, e.g. a fraud case)"), max_length=MAX_DETAILS,
        required=False, widget=forms.Textarea(attrs={"rows": 3}))


class VerifyForm(forms.Form):
    national_number = forms.CharField(label=_("National register number of the person (if not found yet)"),
                                      max_length=20, required=False)
