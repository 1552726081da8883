"""Documents the decisions send to the person's e-Box (or the print queue, as the e-Box decides): the
answer to a review, the accident declaration form, the MAF certificate with the first refund."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _


def register_types() -> None:
    from django.utils.translation import gettext_lazy

    from guichet.ebox.types import register_document_type

    register_document_type("decision", gettext_lazy("Decision"))
    register_document_type("review_answer", gettext_lazy("Answer to your request for a review"))
    register_document_type("accident_declaration", gettext_lazy("Accident declaration form"))
    register_document_type("maf_certificate", gettext_lazy("Maximum billing (MAF) certificate"))


def _issue(person, *, doc_type: str, title, context: str, template: str, template_context: dict, actor=None):
    from guichet.ebox.services import issue_document

    with translation.override(person.language):
        title_text = str(title())
    return issue_document(person, doc_type=doc_type, title=title_text, context=context, template=template,
                          template_context=template_context, actor=actor)


def issue_review_answer(review):
    decision = review.decision
    person = decision.subject
    return _issue(
        person, doc_type="review_answer", context=decision.context, actor=review.reviewer,
        title=lambda: _("Answer to your request for a review"),
        template="decisions/pdf/review_answer.html",
        template_context={"review": review, "decision": decision,
                          "explanation": decision.explanation_text(person.language)},
    )


def issue_accident_declaration(person, decision):
    return _issue(
        person, doc_type="accident_declaration", context=decision.context,
        title=lambda: _("Accident declaration form"), template="decisions/pdf/accident_declaration.html",
        template_context={"decision": decision, "explanation": decision.explanation_text(person.language)},
    )


def issue_maf_certificate(person, decision):
    return _issue(
        person, doc_type="maf_certificate", context=decision.context,
        title=lambda: _("Maximum billing (MAF) certificate %(year)s") % {"year": decision.inputs.get("year")},
        template="decisions/pdf/maf_certificate.html",
        template_context={"decision": decision, "explanation": decision.explanation_text(person.language)},
    )


def issue_decision(person, decision):
    """The decision letter (e.g. BIM after an income test): the explanation, what was read, how to contest."""
    from guichet.decisions.kinds import label_of

    return _issue(
        person, doc_type="decision", context=decision.context,
        title=lambda: _("Decision: %(kind)s") % {"kind": label_of(decision.kind)},
        template="decisions/pdf/decision.html",
        template_context={"decision": decision, "explanation": decision.explanation_text(person.language)},
    )
