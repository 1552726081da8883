"""Forms of the decisions pages: the member's request for a review, the reviewer's answer, the staff entry
points (care lines, notifications, situations)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.decisions.services import MAX_REASONS


class ReviewRequestForm(forms.Form):
    reasons = forms.CharField(label=_("Why do you disagree with this decision?"), max_length=MAX_REASONS,
                              widget=forms.Textarea(attrs={"rows": 6}))


class ReviewAnswerForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Your answer"), widget=forms.RadioSelect, choices=[
        ("confirm", _("Confirm the decision")), ("override", _("Override the decision"))])
    reason = forms.CharField(label=_("Reason (the member will read it)"), max_length=MAX_REASONS,
                             widget=forms.Textarea(attrs={"rows": 6}))


class CareLinesForm(forms.Form):
    lines = forms.CharField(label=_("Care lines (national number;YYYY-MM-DD;amount, one per line)"),
                            widget=forms.Textarea(attrs={"rows": 6}))


class NotificationForm(forms.Form):
    KINDS = [
        ("coverage", _("Provider notification (coverage decision)")),
        ("work_accident", _("Work-accident insurer covers the case (block incapacity benefits)")),
        ("accident", _("Third-party-payer data show an accident (send the declaration form)")),
        ("situation", _("Allowance or situation (increased reimbursement by automatic right)")),
    ]
    kind = forms.ChoiceField(label=_("Notification"), choices=KINDS)
    national_number = forms.CharField(label=_("National register number"), max_length=11)
    day = forms.DateField(label=_("Date (YYYY-MM-DD)"))
    sender = forms.CharField(label=_("Provider, insurer or source"), max_length=100)
    detail = forms.CharField(label=_("Care, case reference or allowance"), max_length=100)


class BimRequestForm(forms.Form):
    """The sworn statement: the income of each household member (fields added per member) and a supporting
    document."""

    document = forms.FileField(label=_("Supporting document of the incomes (PDF)"))
    sworn = forms.BooleanField(label=_("I declare on my honour that these incomes are complete and true."))

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.members = list(members)
        for person in self.members:
            self.fields[f"income_{person.public_id}"] = forms.CharField(
                label=_("Gross taxable income last year of %(name)s (EUR)") % {"name": person.full_name},
                max_length=20)

    def incomes(self) -> dict:
        return {person: self.cleaned_data[f"income_{person.public_id}"] for person in self.members}
