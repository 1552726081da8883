"""Forms of the communication pages: they bind input; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.communication.models import CampaignChannel
from guichet.members.models import Context

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def yes_no(label):
    return forms.TypedChoiceField(label=label, choices=YES_NO, widget=forms.RadioSelect,
                                  coerce=lambda value: value == "yes")


class PreferencesForm(forms.Form):
    """COMM-3 per channel, COMM-4 sharing, COMM-2 tracking, COMM-9 profiling: each a yes or a no."""

    email_offers = yes_no(_("Information and offers by e-mail"))
    post_offers = yes_no(_("Information and offers by post"))
    phone_offers = yes_no(_("Information and offers by phone"))
    sms_offers = yes_no(_("Information and offers by SMS"))
    app_offers = yes_no(_("Information and offers in the app"))
    share_with_group = yes_no(_("Share my data with the group's other entities for their offers"))
    measure_campaigns = yes_no(_("Measure whether I open your e-mails and click their links"))
    use_for_profiling = yes_no(_("Use what you know of me (browsing, needs, life events) to tailor offers"))

    @classmethod
    def initial_from(cls, preferences) -> dict:
        def word(value: bool) -> str:
            return "yes" if value else "no"

        initial = {name: word(getattr(preferences, name)) for name in
                   ("email_offers", "post_offers", "phone_offers", "sms_offers", "app_offers", "share_with_group")}
        initial["measure_campaigns"] = word(not preferences.tracking_objected)
        initial["use_for_profiling"] = word(not preferences.profiling_objected)
        return initial

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data["tracking_objected"] = not data.pop("measure_campaigns")
        data["profiling_objected"] = not data.pop("use_for_profiling")
        return data


class NonMemberChoiceForm(forms.Form):
    """COMM-6: a non-member says whether they accept offers, identified by e-mail or phone."""

    email = forms.CharField(label=_("Your e-mail address"), required=False, max_length=254,
                            widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    phone = forms.CharField(label=_("or your phone number"), required=False, max_length=30,
                            widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}))
    accepts_offers = forms.TypedChoiceField(
        label=_("Your choice"), widget=forms.RadioSelect, coerce=lambda value: value == "yes",
        choices=[("no", _("I want no offers from the mutual")), ("yes", _("I accept offers from the mutual"))])


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name of the campaign"), max_length=200)
    channel = forms.ChoiceField(label=_("Channel"), choices=CampaignChannel.choices)
    context = forms.ChoiceField(label=_("Affiliation"), required=False,
                                choices=[("", _("any affiliation")), *Context.choices])
    product = forms.CharField(label=_("Product (empty: any)"), required=False, max_length=50)
    language = forms.ChoiceField(label=_("Language of the members"), required=False,
                                 choices=[("", _("every language")), ("fr", "Français"), ("nl", "Nederlands"),
                                          ("en", "English")])
    for_group_entity = forms.BooleanField(label=_("For another entity of the group"), required=False)
    requires_consent = forms.BooleanField(label=_("Targeted on data that need consent"), required=False)
    subject_fr = forms.CharField(label=_("Subject in French"), required=False, max_length=200)
    body_fr = forms.CharField(label=_("Text in French"), required=False, max_length=20000, widget=forms.Textarea)
    subject_nl = forms.CharField(label=_("Subject in Dutch"), required=False, max_length=200)
    body_nl = forms.CharField(label=_("Text in Dutch"), required=False, max_length=20000, widget=forms.Textarea)
    subject_en = forms.CharField(label=_("Subject in English"), required=False, max_length=200)
    body_en = forms.CharField(label=_("Text in English"), required=False, max_length=20000, widget=forms.Textarea)


class DoNotCallForm(forms.Form):
    file = forms.FileField(label=_("The national list (CSV, one number per line)"))
