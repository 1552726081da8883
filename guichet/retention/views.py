"""The retention staff page (RET-4, RET-9): the plan of the next run, the last runs, the legal holds, and
forms to place and lift a hold. Views read a form and call one service."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guichet.accounts.decorators import staff_required
from guichet.members.models import Person
from guichet.retention import engine, holds
from guichet.retention.forms import LiftHoldForm, PlaceHoldForm
from guichet.retention.models import LegalHold, RetentionRun


def _page(request, place_form=None, status=200):
    return render(request, "retention/overview.html", {
        "plan": engine.plan(),
        "runs": RetentionRun.objects.prefetch_related("targets")[:10],
        "holds": LegalHold.objects.active().select_related("person").order_by("-placed_at"),
        "place_form": place_form or PlaceHoldForm(),
        "lift_form": LiftHoldForm(),
    }, status=status)


@staff_required("manage_retention")
def overview(request):
    return _page(request)


@staff_required("manage_retention")
@require_POST
def place_hold(request):
    form = PlaceHoldForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        person = Person.objects.filter(member_number=data["member_number"].strip()).first()
        if person is None:
            form.add_error("member_number", _("No person has this membership number."))
        else:
            try:
                holds.place_hold(person, by=request.user, reason=data["reason"],
                                 case_reference=data["case_reference"], context=data["context"],
                                 category=data["category"])
            except holds.RetentionError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, _("The hold is recorded: these data will not be erased."))
                return redirect("retention:overview")
    return _page(request, place_form=form, status=400)


@staff_required("manage_retention")
@require_POST
def lift_hold(request, public_id):
    hold = get_object_or_404(LegalHold, public_id=public_id)
    form = LiftHoldForm(request.POST)
    if form.is_valid():
        try:
            holds.lift_hold(hold, by=request.user, reason=form.cleaned_data["lift_reason"])
        except holds.RetentionError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The hold is lifted."))
    else:
        messages.error(request, _("Give the reason for lifting the hold (300 characters at most)."))
    return redirect("retention:overview")
