"""Forms of the mandates pages: they carry what is typed; mandates.services checks and decides."""

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.mandates.policy import SCOPES

LOOSE = 1000  # bounds only against absurd input; the services give the real, translated limits


class GrantForm(forms.Form):
    """The structured grant form (MAND-10): who, what, limits, how, when."""

    agent_national_number = forms.CharField(
        label=_("Agent's national register number"),
        max_length=LOOSE,
        required=False,
        help_text=_("11 digits, e.g. 85.07.30-033.61"),
    )
    agent_first_name = forms.CharField(label=_("Agent's first name"), max_length=LOOSE, required=False)
    agent_last_name = forms.CharField(label=_("Agent's last name"), max_length=LOOSE, required=False)
    agent2_national_number = forms.CharField(
        label=_("Second agent's national register number (optional)"), max_length=LOOSE, required=False
    )
    agent2_first_name = forms.CharField(
        label=_("Second agent's first name"), max_length=LOOSE, required=False
    )
    agent2_last_name = forms.CharField(label=_("Second agent's last name"), max_length=LOOSE, required=False)
    joint = forms.BooleanField(label=_("The two agents must act jointly"), required=False)
    scopes = forms.MultipleChoiceField(
        label=_("What the agent may do"), required=False, widget=forms.CheckboxSelectMultiple
    )
    amount_limit = forms.CharField(
        label=_("Ceiling per transaction in euros (optional)"),
        max_length=LOOSE,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    starts_on = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    ends_on = forms.DateField(
        label=_("Until (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scopes"].choices = [(key, scope.label) for key, scope in SCOPES.items()]


class SwitchForm(forms.Form):
    file = forms.UUIDField()


class StaffReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=LOOSE, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class LifeEventForm(forms.Form):
    EVENTS = [
        ("legal_incapacity", _("legal incapacity")),
        ("bankruptcy", _("bankruptcy")),
        ("death", _("death")),
    ]
    event = forms.ChoiceField(label=_("Event"), choices=EVENTS)
    date = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class CourtDecisionForm(forms.Form):
    exclusive_parent = forms.ChoiceField(label=_("Parent given exclusive charge"), required=False)
    decided_on = forms.DateField(
        label=_("Date of the decision"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    court = forms.CharField(label=_("Court"), max_length=LOOSE, required=False)
    proof = forms.FileField(label=_("The decision (PDF, JPEG or PNG)"), required=False)

    def __init__(self, *args, parents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["exclusive_parent"].choices = [(str(p.public_id), p.full_name) for p in parents]
