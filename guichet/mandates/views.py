"""Pages of mandates: the member's own mandates (given and received, their history and what was done
under them), the grant form, acceptance, revocation, joint approval and the "acting for" switch; and
the staff pages (suspend or end a mandate, record a life event or a court decision). Views read a
form and call one service; objects the actor may not see answer 404."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guichet.accounts.decorators import member_required, require_sudo, staff_required
from guichet.mandates import services
from guichet.mandates.decorators import actor_only
from guichet.mandates.forms import CourtDecisionForm, GrantForm, LifeEventForm, StaffReasonForm, SwitchForm
from guichet.mandates.middleware import ACTING_FOR
from guichet.mandates.models import JointAct, JointActStatus, Mandate, MandateStatus, ParentalAuthority
from guichet.mandates.policy import SCOPES, Action
from guichet.members import services as registry
from guichet.members.models import Person


def _mine(request, mandate_id) -> Mandate:
    """A mandate the actor gave or received, else 404."""
    return get_object_or_404(
        Mandate.objects.for_subject(request.actor).select_related("grantor", "agent"), public_id=mandate_id
    )


@actor_only(Action.MANAGE_MANDATES)
@member_required
def mandate_list(request):
    mine = (
        Mandate.objects.for_subject(request.actor).select_related("grantor", "agent").order_by("-granted_at")
    )
    waiting_acts = JointAct.objects.filter(
        status=JointActStatus.WAITING,
        form__in=Mandate.objects.filter(agent=request.actor, status=MandateStatus.ACTIVE).values("form"),
    ).select_related("grantor")
    return render(
        request,
        "mandates/list.html",
        {
            "given": [m for m in mine if m.grantor_id == request.actor.pk],
            "received": [m for m in mine if m.agent_id == request.actor.pk],
            "children": ParentalAuthority.objects.filter(parent=request.actor).select_related("child"),
            "waiting_acts": waiting_acts,
            "scopes": SCOPES,
        },
    )


@actor_only(Action.MANAGE_MANDATES)
@member_required
def mandate_detail(request, mandate_id):
    mandate = _mine(request, mandate_id)
    return render(
        request,
        "mandates/detail.html",
        {
            "mandate": mandate,
            "log": mandate.log.select_related("by_person")[:200],
            "scopes": [SCOPES[key].label for key in mandate.scopes if key in SCOPES],
            "is_grantor": mandate.grantor_id == request.actor.pk,
        },
    )


@actor_only(Action.MANAGE_MANDATES)
@member_required
@require_sudo
def grant(request):
    """MAND-1, MAND-4: the member grants on their own file only (request.actor, never the open file)."""
    form = GrantForm(request.POST or None, initial={"starts_on": services.today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        agents = [
            services.AgentInput(
                data["agent_national_number"], data["agent_first_name"], data["agent_last_name"]
            )
        ]
        if data["agent2_national_number"] or data["agent2_first_name"] or data["agent2_last_name"]:
            agents.append(
                services.AgentInput(
                    data["agent2_national_number"], data["agent2_first_name"], data["agent2_last_name"]
                )
            )
        try:
            checked = services.check_grant(
                [request.actor],
                agents,
                scopes=data["scopes"],
                amount_limit=data["amount_limit"],
                joint=data["joint"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
            )
            services.grant_mandate(request.actor, [request.actor], checked)
        except services.MandateError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Your mandate is recorded. It applies once the agent accepts it."))
            return redirect("mandates:list")
    return render(request, "mandates/grant.html", {"form": form})


def _act(request, mandate_id, action, success: str):
    mandate = _mine(request, mandate_id)
    try:
        action(request.actor, mandate)
    except services.MandateError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect("mandates:detail", mandate_id=mandate.public_id)


@actor_only(Action.MANAGE_MANDATES)
@member_required
@require_POST
def accept(request, mandate_id):
    return _act(request, mandate_id, services.accept_mandate, _("You accepted the mandate."))


@actor_only(Action.MANAGE_MANDATES)
@member_required
@require_POST
def refuse(request, mandate_id):
    return _act(request, mandate_id, services.refuse_mandate, _("You refused the mandate."))


@actor_only(Action.MANAGE_MANDATES)
@member_required
@require_POST
def revoke(request, mandate_id):
    return _act(request, mandate_id, services.revoke_mandate, _("The mandate is revoked, from now on."))


@actor_only(Action.MANAGE_MANDATES)
@member_required
@require_POST
def approve_joint_act(request, act_id):
    act = get_object_or_404(
        JointAct.objects.filter(form__in=Mandate.objects.filter(agent=request.actor).values("form")),
        public_id=act_id,
    )
    try:
        act = services.approve_joint_act(request.actor, act)
    except services.MandateError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The act is done.")
            if act.status == JointActStatus.DONE
            else _("Your approval is recorded; the act waits for the other agents."),
        )
    return redirect("mandates:list")


@actor_only(Action.OPEN_FILE)
@member_required
@require_POST
def switch(request):
    """The "acting for" switcher: open another file the policy allows, or one's own again."""
    form = SwitchForm(request.POST)
    target = None
    if form.is_valid():
        target = Person.objects.filter(public_id=form.cleaned_data["file"]).first()
    if target is None:
        raise Http404
    try:
        services.switch_file(request.actor, target)
    except services.MandateError:
        raise Http404 from None
    if target.pk == request.actor.pk:
        request.session.pop(ACTING_FOR, None)
        messages.success(request, _("Your own file is open."))
    else:
        request.session[ACTING_FOR] = str(target.public_id)
        messages.success(
            request, _("The file of %(name)s is open. You act in their name.") % {"name": target.full_name}
        )
    return redirect("pages:private-home")


# --- staff (MAND-9, MAND-11, MIN-3) ----------------------------------------------------------------------


@staff_required("manage_mandates")
def staff_person(request, person_id):
    person = get_object_or_404(Person, public_id=person_id)
    nrn = request.GET.get("nrn")
    if nrn:
        digits = "".join(char for char in nrn if char.isdigit())
        found = Person.objects.filter(national_number=digits).first()
        if found is not None:
            return redirect("mandates:staff-person", person_id=found.public_id)
        messages.error(request, _("No person has this national register number."))
    return render(
        request,
        "mandates/staff_person.html",
        {
            "person": person,
            "mandates": Mandate.objects.for_subject(person)
            .select_related("grantor", "agent")
            .order_by("-granted_at"),
            "parents": ParentalAuthority.objects.filter(child=person).select_related("parent"),
            "reason_form": StaffReasonForm(),
            "life_form": LifeEventForm(),
        },
    )


def _staff_act(request, mandate_id, action, success: str):
    mandate = get_object_or_404(Mandate.objects.select_related("grantor", "agent"), public_id=mandate_id)
    form = StaffReasonForm(request.POST)
    form.is_valid()
    try:
        action(request.user, mandate, form.cleaned_data.get("reason", ""))
    except services.MandateError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect("mandates:staff-person", person_id=mandate.grantor.public_id)


@staff_required("manage_mandates")
@require_POST
def staff_suspend(request, mandate_id):
    return _staff_act(request, mandate_id, services.suspend_mandate, _("The mandate is suspended."))


@staff_required("manage_mandates")
@require_POST
def staff_resume(request, mandate_id):
    return _staff_act(request, mandate_id, services.resume_mandate, _("The mandate is in force again."))


@staff_required("manage_mandates")
@require_POST
def staff_end(request, mandate_id):
    return _staff_act(request, mandate_id, services.end_mandate_by_staff, _("The mandate is ended."))


LIFE_EVENTS = {
    "legal_incapacity": registry.record_legal_incapacity,
    "bankruptcy": registry.record_bankruptcy,
    "death": registry.record_death,
}


@staff_required("record_life_events")
@require_POST
def staff_life_event(request, person_id):
    """MAND-9: recorded in the registry; the policy refuses at once from the event's date."""
    person = get_object_or_404(Person, public_id=person_id)
    form = LifeEventForm(request.POST)
    if not form.is_valid() or form.cleaned_data.get("date") is None:
        messages.error(request, _("Choose the event and give its date."))
    else:
        try:
            LIFE_EVENTS[form.cleaned_data["event"]](person, form.cleaned_data["date"], by=request.user)
        except registry.RegistryError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The event is recorded; the person's mandates end."))
    return redirect("mandates:staff-person", person_id=person.public_id)


@staff_required("record_court_decisions")
def staff_court_decision(request, person_id):
    """MIN-3: a court decision giving one parent exclusive charge, with the decision attached."""
    child = get_object_or_404(Person, public_id=person_id)
    parents = [
        authority.parent
        for authority in ParentalAuthority.objects.filter(child=child, ended_on__isnull=True).select_related(
            "parent"
        )
    ]
    form = CourtDecisionForm(request.POST or None, request.FILES or None, parents=parents)
    if request.method == "POST" and form.is_valid():
        chosen = next((p for p in parents if str(p.public_id) == form.cleaned_data["exclusive_parent"]), None)
        try:
            if chosen is None:
                raise services.MandateError(
                    _("Choose the parent given exclusive charge."), "exclusive_parent"
                )
            services.record_court_decision(
                request.user,
                child,
                chosen,
                decided_on=form.cleaned_data["decided_on"],
                court=form.cleaned_data["court"],
                proof=form.cleaned_data["proof"],
            )
        except services.MandateError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(
                request, _("The court decision is recorded; the other parent can no longer act.")
            )
            return redirect("mandates:staff-person", person_id=child.public_id)
    return render(request, "mandates/staff_court_decision.html", {"form": form, "child": child})
