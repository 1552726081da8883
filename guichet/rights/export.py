"""The access answer (DSR-1..5): every personal data item of the subject, found through the data map of every
app (the models that point to the person), explained by the register (purposes, legal bases, recipients,
retention, source, automated decisions), with the rights and the supervisory authority; medical data and
logs left out with a note saying so. Delivered as one ZIP: a readable PDF and the complete JSON (DSR-3).

Fast on a long history: one query per (model, link to the person), values() only, no related objects
loaded row by row; the register part is built once per language and register digest.
"""

from __future__ import annotations

import datetime
import decimal
import io
import json
import uuid
import zipfile
from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.db import models
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from guichet.privacy.datamap import Personal, classification
from guichet.privacy.register import Register, load_register, text

FORMAT = "guichet-access-answer"
FORMAT_VERSION = 1
# The PDF stays readable (and quick to print): each data set shows its latest rows; the JSON has all.
PDF_ROWS_PER_SET = 10
# Secrets are not data about the person: a password hash or a one-time code hash tells them nothing.
SECRET_FIELDS = frozenset({"password", "code_hash", "totp_secret", "secret"})
# DSR-4: log files may be left out; the answer says so. These models are security logs of codes/sessions.
LOG_MODELS = frozenset({"accounts.OneTimeCode"})
LOG_CATEGORIES = frozenset({"connection_data"})


@dataclass(frozen=True)
class Source:
    """One way a model points to the person: the model, the foreign key, the fields to read."""

    label: str
    model: type[models.Model]
    link: str
    fields: tuple[tuple[str, str, str], ...]  # (attname for values(), field name, category)
    choices: dict[str, dict]
    only_visible: bool


def _is_secret(name: str) -> bool:
    return name in SECRET_FIELDS or name.endswith("_hash") or "secret" in name


def _value_path(field) -> str:
    """What values() reads for a field: a related object's public id rather than its internal key."""
    if field.is_relation and field.many_to_one:
        related = field.related_model
        if any(f.name == "public_id" for f in related._meta.concrete_fields):
            return f"{field.name}__public_id"
        return field.attname
    return field.attname


@cache
def sources() -> tuple[Source, ...]:
    """Every (model, link to members.Person) of the guichet apps, with the personal fields to export
    (medical ones and secrets excluded). Computed once: the data map does not change while running."""
    from guichet.members.models import Person
    from guichet.privacy.datamap import medical_fields

    found = []
    for model in apps.get_models():
        if not model.__module__.startswith("guichet.") or model._meta.proxy:
            continue
        label = model._meta.label
        if label in LOG_MODELS:
            continue
        personal = {name: entry for name, entry in classification(model).items() if isinstance(entry, Personal)}
        if not personal or all(entry.category in LOG_CATEGORIES for entry in personal.values()):
            continue
        medical = set(medical_fields(model))
        links = ["pk"] if model is Person else [
            f.name for f in model._meta.concrete_fields if f.is_relation and f.related_model is Person]
        field_names = {f.name for f in model._meta.concrete_fields}
        for link in links:
            fields = []
            choices = {}
            for field in model._meta.concrete_fields:
                entry = personal.get(field.name)
                if entry is None or field.name in medical or _is_secret(field.name) or field.name == link:
                    continue
                path = _value_path(field)
                fields.append((path, field.name, entry.category))
                if field.choices:
                    choices[path] = dict(field.flatchoices)
            if fields:
                found.append(Source(label=label, model=model, link=link, fields=tuple(fields), choices=choices,
                                    only_visible="visible_to_subject" in field_names))
    return tuple(found)


def _plain(value):
    if isinstance(value, str | int | bool):
        return value
    if isinstance(value, datetime.datetime):  # ISO 8601 with its offset (UTC from the database): unambiguous
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID | decimal.Decimal):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name
    if isinstance(value, bytes | memoryview):
        return _("(binary content, %(size)d bytes)") % {"size": len(value)}
    return value


def _rows(source: Source, person, using: str) -> list[dict]:
    paths = [path for path, _name, _category in source.fields]
    queryset = source.model._default_manager.db_manager(using).filter(**{source.link: person.pk})
    if source.only_visible:  # ACL-6: entries of an investigation hidden from the member stay hidden
        queryset = queryset.filter(visible_to_subject=True)
    rows = []
    for row in queryset.order_by("-pk").values_list(*paths):
        item = {}
        for (path, name, _category), value in zip(source.fields, row, strict=True):
            if value in (None, ""):
                continue
            labels = source.choices.get(path)
            if labels is not None and value in labels:
                value = str(labels[value])
            item[name] = _plain(value)
        rows.append(item)
    return rows


@cache
def _processing(digest: str, language: str) -> dict:
    """The register part of the answer, per context and category (built once per language)."""
    register = load_register()
    with translation.override(language):
        from guichet.privacy.services import duration_in_words

        contexts = {}
        for context in register.contexts:
            categories = {}
            for use in _uses(register, context):
                category = use.category
                if category.medical or category.special:
                    continue
                decisions = sorted({key for purpose in use.purposes for key in purpose.automated_decisions})
                categories[category.key] = {
                    "category": category.key,
                    "title": text(category.title, language),
                    "source": [text(context.source(key).title, language) for key in category.sources],
                    "purposes": [text(p.title, language) for p in use.purposes],
                    "legal_bases": [f"{text(b.title, language)} ({b.article})" for b in use.legal_bases],
                    "recipients": [text(r.title, language) for r in use.recipients],
                    "retention": [f"{duration_in_words(r.duration, language)}: {text(r.description, language)}"
                                  for r in use.retention],
                    "automated_decisions": [
                        f"{text(context.decision(key).title, language)}: {text(context.decision(key).logic, language)}"
                        for key in decisions],
                    "profiling": any(p.profiling for p in use.purposes),
                }
            contexts[context.key] = {"context": context.key, "title": text(context.title, language),
                                     "categories": categories}
        return contexts


def _uses(register: Register, context):
    return [use for category in context.data_categories for use in register.explain(category.key, context=context.key)]


def _rights(register: Register, language: str) -> dict:
    authority = register.supervisory_authority
    address = authority.address
    return {
        "rights": [{"right": right.key, "title": text(right.title, language),
                    "explanation": text(right.explanation, language),
                    "channels": [text(register.rights.channel(key).title, language) for key in right.channels]}
                   for right in register.rights.rights],
        "supervisory_authority": {
            "name": text(authority.name, language),
            "address": f"{text(address.street, language)}, {address.postcode} {text(address.city, language)}",
            "email": authority.email, "phone": authority.phone, "website": text(authority.website, language),
        },
    }


def assemble(person, *, language: str | None = None, using: str = "default") -> dict:
    """The whole access answer as a JSON-ready dict, in the person's language."""
    language = language or person.language or "fr"
    register = load_register()
    processing = _processing(register.digest, language)
    with translation.override(language):
        data_sets = []
        held: dict[str, set[str]] = {}  # category -> data sets holding it
        for source in sources():
            rows = _rows(source, person, using)
            if not rows:
                continue
            name = str(source.model._meta.verbose_name_plural)
            categories = sorted({category for _path, _name, category in source.fields})
            for category in categories:
                held.setdefault(category, set()).add(name)
            data_sets.append({"data_set": source.label, "title": name, "link": source.link,
                              "categories": categories, "count": len(rows), "rows": rows})
        contexts = []
        for context in processing.values():
            categories = [dict(info, held_in=sorted(held[key])) for key, info in context["categories"].items()
                          if key in held]
            if categories:
                contexts.append({"context": context["context"], "title": context["title"], "categories": categories})
        return {
            "format": FORMAT, "format_version": FORMAT_VERSION, "language": language,
            "generated_at": timezone.now().isoformat(),
            "subject": {"name": person.full_name, "member_number": person.member_number},
            "processed": bool(data_sets),
            "contexts": contexts,
            "data": data_sets,
            **_rights(register, language),
            "left_out": {
                "medical": _("Under our legal obligations we do not give you your medical data directly: ask your "
                             "attending physician, who can obtain them from our advising physician."),
                "backups_and_logs": _("Data in backup, history, archive and log files are left out of this answer; "
                                      "they are deleted according to the usual procedures."),
            },
            "in_your_account": reverse("members:my-data"),
            "free_of_charge": _("This copy is free of charge."),
        }


def to_json(answer: dict) -> bytes:
    return json.dumps(answer, ensure_ascii=False, indent=1).encode()


PDF_TEMPLATE = "rights/pdf/access_answer.html"


def pdf_context(answer: dict) -> dict:
    """What the readable copy shows: the register part in full, each data set's latest rows as lines (the JSON
    has all of them)."""
    shown = []
    for data_set in answer["data"]:
        latest = data_set["rows"][:PDF_ROWS_PER_SET]
        lines = ["; ".join(f"{key}: {value}" for key, value in row.items()) for row in latest]
        shown.append(dict(data_set, lines=lines))
    return {"answer": answer, "data_sets": shown, "rows_per_set": PDF_ROWS_PER_SET,
            "contexts": _contexts_for_pdf(answer)}


def _contexts_for_pdf(answer: dict) -> list[dict]:
    """Per context, each purpose once (numbered, with its legal bases) and each category pointing to the numbers:
    the same facts as the JSON without repeating a purpose for every category (a short, readable copy)."""
    register = load_register()
    language = answer["language"]
    result = []
    for context in answer["contexts"]:
        definition = register.context(context["context"])
        held = {category["category"] for category in context["categories"]}
        purposes = [purpose for purpose in definition.purposes if held & set(purpose.data_categories)]
        numbers = {purpose.key: number for number, purpose in enumerate(purposes, start=1)}
        decisions = {}  # key -> (title, logic): explained once per context, named per category
        categories = []
        for category in context["categories"]:
            own = [p for p in purposes if category["category"] in p.data_categories]
            keys = list(dict.fromkeys(key for p in own for key in p.automated_decisions))
            for key in keys:
                decision = definition.decision(key)
                decisions[key] = (text(decision.title, language), text(decision.logic, language))
            categories.append(dict(category, purpose_numbers=", ".join(str(numbers[p.key]) for p in own),
                                   decision_titles=[decisions[key][0] for key in keys]))
        result.append({
            "title": context["title"],
            "recipients": context["categories"][0]["recipients"] if context["categories"] else [],
            "purposes": [{"number": numbers[p.key], "title": text(p.title, language),
                          "bases": "; ".join(f"{text(b.title, language)} ({b.article})"
                                             for b in definition.bases_of(p))} for p in purposes],
            "categories": categories,
            "decisions": [{"title": title, "logic": logic} for title, logic in decisions.values()],
        })
    return result


def render_pdf(answer: dict) -> bytes:
    """The readable copy, sealed (guichet.ebox.pdf)."""
    from guichet.ebox.pdf import render_pdf as ebox_render_pdf

    return ebox_render_pdf(PDF_TEMPLATE, pdf_context(answer), language=answer["language"])


def access_zip(person, *, language: str | None = None, using: str = "default") -> bytes:
    """The ZIP delivered in the e-Box: access-answer.pdf + access-answer.json + a README of the format."""
    return access_files(person, language=language, using=using)[0]


def access_files(person, *, language: str | None = None, using: str = "default") -> tuple[bytes, bytes]:
    """(the ZIP, the PDF alone): the PDF alone is what can be posted to someone without an active e-Box."""
    answer = assemble(person, language=language, using=using)
    pdf = render_pdf(answer)
    with translation.override(answer["language"]):
        readme = _("access-answer.pdf is a readable copy of your data. access-answer.json holds all of them in a "
                   "machine-readable form (JSON, UTF-8): 'contexts' explains why each category of data is held, "
                   "'data' lists the data themselves per data set, 'rights' and 'supervisory_authority' say how to "
                   "act on them.")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("access-answer.pdf", pdf)
        archive.writestr("access-answer.json", to_json(answer))
        archive.writestr("README.txt", readme)
    return buffer.getvalue(), pdf
