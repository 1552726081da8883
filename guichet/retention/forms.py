"""Forms of the retention staff page: placing and lifting a legal hold (RET-4)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.privacy.register import load_register


def _context_choices():
    return [("", _("every context"))] + [(c.key, c.key) for c in load_register().contexts]


def _category_choices():
    return [("", _("every data category"))] + [(key, key) for key in sorted(load_register().categories())]


class PlaceHoldForm(forms.Form):
    member_number = forms.CharField(label=_("Membership number of the person"), max_length=20)
    context = forms.ChoiceField(label=_("Context"), required=False, choices=_context_choices)
    category = forms.ChoiceField(label=_("Data category"), required=False, choices=_category_choices)
    reason = forms.CharField(label=_("Reason"), max_length=300)
    case_reference = forms.CharField(label=_("Case reference"), max_length=60)


class LiftHoldForm(forms.Form):
    lift_reason = forms.CharField(label=_("Reason for lifting the hold"), max_length=300)
