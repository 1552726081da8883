"""Decision pages: the member's decisions with their explanation and the request for a human review
(AUTO-9, DSR-9), the MAF page with its chart (AUTO-5), the staff review queue and the staff entry points of
the event-driven decisions. Views read a form and call one service."""

import datetime
import uuid

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from guichet.accounts.decorators import member_required
from guichet.backoffice.decorators import staff_page
from guichet.decisions import charts, kinds, maf, services
from guichet.decisions.errors import DecisionError
from guichet.decisions.explanations import money
from guichet.decisions.forms import (
    BimRequestForm,
    CareLinesForm,
    NotificationForm,
    ReviewAnswerForm,
    ReviewRequestForm,
)
from guichet.decisions.models import Decision, Review
from guichet.mandates.decorators import requires_action
from guichet.mandates.policy import Action


@requires_action(Action.VIEW_MY_DATA)
@member_required
def my_decisions(request):
    subject = request.subject
    decisions = list(services.decisions_of(subject)[:200])
    for decision in decisions:
        decision.label = kinds.label_of(decision.kind)
    return render(request, "decisions/my_decisions.html", {
        "decisions": decisions, "effects": services.bim_effects(subject),
        "bim_rights": services.bim_rights_on(subject, timezone.localdate()),
    })


def _decision_of(subject, raw) -> Decision:
    try:
        public_id = uuid.UUID(str(raw))
    except ValueError:
        raise Http404 from None
    return get_object_or_404(Decision, public_id=public_id, subject=subject)


@requires_action(Action.VIEW_MY_DATA)
@member_required
def my_decision(request):
    if not request.GET.get("d"):
        return redirect("decisions:my-decisions")
    decision = _decision_of(request.subject, request.GET["d"])
    form = ReviewRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_review(decision, actor=request.actor, reasons=form.cleaned_data["reasons"])
        except DecisionError as error:
            form.add_error("reasons", str(error))
        else:
            messages.success(request, _("Your request is recorded: a person of the mutual will review the decision "
                                        "and answer in your e-Box."))
            return redirect(f"{reverse('decisions:my-decision')}?d={decision.public_id}")
    reviews = list(decision.reviews.order_by("requested_at"))
    return render(request, "decisions/my_decision.html", {
        "decision": decision, "label": kinds.label_of(decision.kind), "reviews": reviews, "form": form,
        "explanation": decision.explanation_text(), "may_contest": not any(r.status == "pending" for r in reviews),
    }, status=400 if request.method == "POST" else 200)


@requires_action(Action.VIEW_MY_DATA)
@member_required
def my_maf(request):
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    overview, problem = None, None
    try:
        overview = maf.maf_overview(request.subject, year)
    except DecisionError as error:
        problem = str(error)
    chart = None
    if overview:
        language = (get_language() or "en")[:2]
        chart = charts.maf_chart(overview, language)
        overview.update({
            "counted_eur": money(overview["counted_cents"], language),
            "ceiling_eur": money(overview["ceiling_cents"], language),
            "refunded_eur": money(overview["refunded_cents"], language),
            "rows": [{"month": date_format(datetime.date(year, index + 1, 1), "F"),
                      "monthly": money(monthly, language), "running": money(running, language),
                      "over": running > overview["ceiling_cents"]}
                     for index, (monthly, running) in enumerate(zip(overview["monthly_cents"],
                                                                     overview["running_cents"], strict=True))],
        })
    return render(request, "decisions/my_maf.html", {"year": year, "overview": overview, "problem": problem,
                                                     "chart": chart})


@requires_action(Action.ASK_REIMBURSEMENT)
@member_required
def request_bim(request):
    """AUTO-3: a household member asks for BIM with the sworn statement; every adult then signs it."""
    from guichet.members.services import household_members_on

    members = [membership.person for membership in household_members_on(request.subject, timezone.localdate())]
    posted = request.method == "POST"
    form = BimRequestForm(request.POST if posted else None, request.FILES if posted else None, members=members)
    if posted and form.is_valid():
        try:
            services.file_bim_request(request.subject, incomes=form.incomes(), actor=request.actor,
                                      upload=form.cleaned_data["document"])
        except DecisionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your request is recorded. Every adult of the household is now asked to sign "
                                        "the statement; the decision follows the last signature."))
            return redirect("decisions:my-decisions")
    return render(request, "decisions/request_bim.html", {"form": form, "members": members},
                  status=400 if posted else 200)


@staff_page("review_decisions")
def review_queue(request):
    return render(request, "decisions/review_queue.html", {"reviews": services.pending_reviews()})


@staff_page("review_decisions")
def review_detail(request, review_id):
    review = get_object_or_404(Review.objects.select_related("decision", "decision__subject"), public_id=review_id)
    form = ReviewAnswerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_review(review, reviewer=request.user, confirm=form.cleaned_data["outcome"] == "confirm",
                                   reason=form.cleaned_data["reason"])
        except DecisionError as error:
            form.add_error("reason", str(error))
        else:
            messages.success(request, _("Your answer is recorded and sent to the member."))
            return redirect("decisions:review-queue")
    decision = review.decision
    return render(request, "decisions/review_detail.html", {
        "review": review, "decision": decision, "label": kinds.label_of(decision.kind), "form": form,
        "explanation": decision.explanation_text(),
    }, status=400 if request.method == "POST" else 200)


@staff_page("record_decision_inputs")
def staff_inputs(request):
    lines_form = CareLinesForm(request.POST if request.POST.get("form") == "lines" else None, prefix="lines")
    notice_form = NotificationForm(request.POST if request.POST.get("form") == "notice" else None, prefix="notice")
    bound = lines_form if lines_form.is_bound else notice_form if notice_form.is_bound else None
    if bound is not None and bound.is_valid():
        try:
            message = _run_input(request, bound)
        except DecisionError as error:
            bound.add_error(None, str(error))
        else:
            messages.success(request, message)
            return redirect("decisions:inputs")
    return render(request, "decisions/staff_inputs.html", {"lines_form": lines_form, "notice_form": notice_form},
                  status=400 if bound is not None else 200)


def _run_input(request, form) -> str:
    if isinstance(form, CareLinesForm):
        count = maf.import_care_lines(form.cleaned_data["lines"], actor=request.user)
        return _("%(count)s care lines recorded.") % {"count": count}
    data = form.cleaned_data
    person = services.person_by_number(data["national_number"])
    day: datetime.date = data["day"]
    if data["kind"] == "coverage":
        services.decide_coverage(person, provider=data["sender"], care=data["detail"], care_date=day,
                                 actor=request.user)
    elif data["kind"] == "work_accident":
        services.block_incapacity(person, insurer=data["sender"], case_reference=data["detail"], since=day,
                                  actor=request.user)
    elif data["kind"] == "accident":
        services.send_accident_declaration(person, care_date=day, care=data["detail"], provider=data["sender"],
                                           actor=request.user)
    else:
        services.record_situation(person, ground=data["detail"], start=day, source=data["sender"],
                                  actor=request.user)
    return _("The notification is recorded.")
