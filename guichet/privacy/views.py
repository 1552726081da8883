"""Privacy pages: the declaration (current and earlier versions), the register as JSON, the DPO contact form."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render

from guichet.mandates.decorators import actor_only
from guichet.mandates.policy import Action
from guichet.privacy import services
from guichet.privacy.declaration import context_sections, controllers_with_dpo
from guichet.privacy.forms import DpoContactForm
from guichet.privacy.models import DeclarationVersion
from guichet.traffic.ip import client_ip

SENT_REFERENCE = "dpo_case_sent"


@login_not_required
def declaration(request, version: int | None = None):
    current = services.current_declaration()
    shown = current if version is None else get_object_or_404(DeclarationVersion, version=version)
    if request.actor is not None and shown.pk == current.pk:
        services.mark_declaration_seen(request.actor, shown, request.session)
    register = services.declaration_register(shown)
    return render(request, "privacy/declaration.html", {
        "shown": shown, "current": current, "register": register, "sections": context_sections(register),
        "operator": register.entity(register.operator), "dpo_entities": controllers_with_dpo(register),
        "versions": DeclarationVersion.objects.only("version", "published_at"),
    })


@login_not_required
def register_json(request, version: int | None = None):
    shown = services.current_declaration() if version is None else get_object_or_404(DeclarationVersion, version=version)
    return JsonResponse({"version": shown.version, "published_at": shown.published_at.isoformat(),
                         "register_digest": shown.register_digest, "register": shown.snapshot},
                        json_dumps_params={"ensure_ascii": False})


@actor_only(Action.CONTACT_DPO)
@login_not_required
def contact_dpo(request):
    person = request.actor
    if request.user.is_authenticated and person is None:  # staff accounts have their own channels
        raise Http404
    form = DpoContactForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.contact_dpo(
                kind=form.cleaned_data["kind"], message=form.cleaned_data["message"], person=person,
                name=form.cleaned_data.get("name", ""), email=form.cleaned_data.get("email", ""),
                ip=client_ip(request),
            )
        except services.PrivacyError as error:
            form.add_error(None, error.message)
        else:
            request.session[SENT_REFERENCE] = case.reference
            return redirect("privacy:contact-dpo-sent")
    return render(request, "privacy/contact_dpo.html", {"form": form})


@actor_only(Action.CONTACT_DPO)
@login_not_required
def contact_dpo_sent(request):
    reference = request.session.get(SENT_REFERENCE)
    if reference is None:
        return redirect("privacy:contact-dpo")
    return render(request, "privacy/contact_dpo_sent.html", {"reference": reference})
