"""Communication pages: the member's settings (COMM-3 to COMM-7), the public form of non-members (COMM-6),
the links of campaign e-mails (one-click opt-out, opening pixel, click redirect; public and signed), and
the staff pages of campaigns and of the do-not-call list. Views read a form and call one service."""

import base64

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from guichet.accounts.decorators import member_required, staff_required
from guichet.accounts.throttle import Throttle
from guichet.communication import audience, campaigns, services
from guichet.communication.donotcall import import_do_not_call
from guichet.communication.forms import CampaignForm, DoNotCallForm, NonMemberChoiceForm, PreferencesForm
from guichet.communication.models import Campaign, CampaignChannel, CampaignStatus, DoNotCallImport
from guichet.communication.policy import preferences_of
from guichet.mandates.decorators import requires_action
from guichet.mandates.policy import Action
from guichet.traffic.ip import client_ip

# A transparent 1x1 GIF: the opening pixel.
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


# --- the member's settings ------------------------------------------------------------------------

@requires_action(Action.CHANGE_CONTACT_DATA)
@member_required
def my_settings(request):
    preferences = preferences_of(request.subject)
    initial = PreferencesForm.initial_from(preferences)
    form = PreferencesForm(request.POST, initial=initial) if request.method == "POST" else PreferencesForm(initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            change = services.change_preferences(request.subject, form.values())
        except services.CommunicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your choices are recorded.") if change else _("Nothing changed."))
            return redirect("communication:my-settings")
    change, applied = services.propagation_status(request.subject)
    return render(request, "communication/my_settings.html", {
        "form": form, "declines_everything": preferences.declines_everything(), "change": change,
        "applied": applied,
    })


# --- non-members (COMM-6) ----------------------------------------------------------------------------

@login_not_required
def non_member_choice(request):
    form = NonMemberChoiceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        throttle = Throttle("communication-choice", (f"ip:{client_ip(request)}",))
        if wait := throttle.wait_seconds():
            form.add_error(None, _("Too many messages from your connection. Try again in %(seconds)d seconds.")
                           % {"seconds": wait})
        else:
            try:
                services.state_non_member_choice(accepts_offers=form.cleaned_data["accepts_offers"],
                                                 email=form.cleaned_data["email"], phone=form.cleaned_data["phone"])
            except services.CommunicationError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                throttle.failed()  # every statement counts: a few are free, then the wait grows
                return redirect("communication:choice-recorded")
    return render(request, "communication/non_member_choice.html", {"form": form})


@login_not_required
def choice_recorded(request):
    return render(request, "communication/choice_recorded.html")


# --- links in campaign e-mails (COMM-1, COMM-2) --------------------------------------------------------

@login_not_required
@csrf_exempt  # RFC 8058: the mail provider POSTs "List-Unsubscribe=One-Click" without any cookie or token
@require_http_methods(["GET", "POST"])
@never_cache
def unsubscribe(request, token: str):
    if request.method == "GET":  # a link checker or a preview must not unsubscribe: GET only asks
        try:
            campaigns.read_token(token, "unsubscribe")
        except services.CommunicationError as error:
            return render(request, "communication/link_invalid.html", {"message": error.message}, status=400)
        return render(request, "communication/unsubscribe.html")
    try:
        campaigns.unsubscribe(token)
    except services.CommunicationError as error:
        return render(request, "communication/link_invalid.html", {"message": error.message}, status=400)
    return render(request, "communication/unsubscribed.html")


@login_not_required
@never_cache
def opened(request, token: str):
    campaigns.record_open(token)
    return HttpResponse(PIXEL, content_type="image/gif")


@login_not_required
@never_cache
def click(request, token: str):
    try:
        url = campaigns.follow_click(token)
    except services.CommunicationError as error:
        return render(request, "communication/link_invalid.html", {"message": error.message}, status=400)
    return HttpResponseRedirect(url)


# --- staff: campaigns and the do-not-call list ----------------------------------------------------------

def _campaign(public_id) -> Campaign:
    return get_object_or_404(Campaign, public_id=public_id)


@staff_required("run_campaigns")
def campaign_list(request):
    return render(request, "communication/campaigns.html", {"campaigns": Campaign.objects.all()[:100]})


@staff_required("run_campaigns")
def campaign_new(request):
    form = CampaignForm(request.POST if request.method == "POST" else None, initial={"channel": CampaignChannel.EMAIL})
    if request.method == "POST" and form.is_valid():
        try:
            campaign = campaigns.create_campaign(request.user, form.cleaned_data)
        except services.CommunicationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            return redirect("communication:campaign", public_id=campaign.public_id)
    return render(request, "communication/campaign_form.html", {"form": form})


@staff_required("run_campaigns")
def campaign_detail(request, public_id):
    campaign = _campaign(public_id)
    selection = audience.AudienceFilter.of(campaign)
    return render(request, "communication/campaign.html", {
        "campaign": campaign, "audience": audience.report(selection),
        "report": campaigns.campaign_report(campaign), "draft": campaign.status == CampaignStatus.DRAFT,
    })


@staff_required("run_campaigns")
@require_POST
def campaign_send(request, public_id):
    campaign = _campaign(public_id)
    try:
        count = campaigns.start_sending(campaign)
    except services.CommunicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Sending to %(count)d members has started.") % {"count": count})
    return redirect("communication:campaign", public_id=campaign.public_id)


@staff_required("run_campaigns")
def do_not_call(request):
    form = DoNotCallForm(request.POST, request.FILES) if request.method == "POST" else DoNotCallForm()
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = import_do_not_call(upload, by=request.user, file_name=upload.name)
    return render(request, "communication/do_not_call.html", {
        "form": form, "report": report, "imports": DoNotCallImport.objects.all()[:10],
    })
