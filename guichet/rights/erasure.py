"""Erasure on request (DSR-7): each category of the person's data is checked against the legal bases of the
register and the legal holds (RET-4, guichet.retention); what may go is erased field by field, what must stay
is listed with the reason the person is told."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext as _

from guichet.privacy.register import load_register, text
from guichet.rights.export import sources

LEGAL_OBLIGATION = "GDPR 6(1)(c)"
CONTRACT = "GDPR 6(1)(b)"


@dataclass(frozen=True)
class Kept:
    category: str
    title: str
    reason: str


@dataclass
class Assessment:
    erasable: set[str] = field(default_factory=set)
    kept: list[Kept] = field(default_factory=list)


def _held(person, category: str) -> bool:
    from guichet.retention.holds import is_held

    return is_held(person, category=category)


def _running_contract(person) -> bool:
    from guichet.members.models import Affiliation, AffiliationStatus

    return Affiliation.objects.filter(person=person).exclude(status=AffiliationStatus.ENDED).exists()


def categories_of(person) -> set[str]:
    """The categories the person has data in (one EXISTS per data set)."""
    found = set()
    for source in sources():
        categories = {category for _path, _name, category in source.fields}
        if categories - found and source.model._default_manager.filter(**{source.link: person.pk}).exists():
            found |= categories
    return found


def assess(person, language: str | None = None) -> Assessment:
    register = load_register()
    contract = _running_contract(person)
    result = Assessment()
    for category in sorted(categories_of(person)):
        uses = register.explain(category)
        if not uses:
            continue
        title = text(uses[0].category.title, language)
        if _held(person, category):
            result.kept.append(Kept(category, title, _("a legal hold: the data are needed for legal claims "
                                                       "(establishing, exercising or defending them).")))
            continue
        obligations = [text(purpose.title, language) for use in uses for purpose in use.purposes
                       if LEGAL_OBLIGATION in {basis.article for basis in use.context.bases_of(purpose)}]
        if obligations:
            result.kept.append(Kept(category, title, _("needed to meet a legal obligation (%(purposes)s).")
                                    % {"purposes": ", ".join(dict.fromkeys(obligations))}))
            continue
        if contract and any(basis.article == CONTRACT for use in uses for basis in use.legal_bases):
            result.kept.append(Kept(category, title, _("needed to run your insurance contract.")))
            continue
        result.erasable.add(category)
    return result


def _blank(model_field) -> object:
    if model_field.null:
        return None
    if isinstance(model_field, models.CharField | models.TextField) and model_field.blank:
        return ""
    return models.NOT_PROVIDED


def erase(person, assessment: Assessment, *, request=None) -> list[str]:
    """Blank every field of an erasable category in every data set of the person (one UPDATE per data set);
    the titles of the categories erased. Fields that cannot be blank stay and are reported as kept."""
    erased = set()
    register = load_register()
    for source in sources():
        changes = {}
        for _path, name, category in source.fields:
            if category not in assessment.erasable:
                continue
            value = _blank(source.model._meta.get_field(name))
            if value is models.NOT_PROVIDED:
                continue
            changes[name] = value
            erased.add(category)
        if changes:
            source.model._default_manager.filter(**{source.link: person.pk}).update(**changes)
    return [text(register.explain(category)[0].category.title) for category in sorted(erased)]
