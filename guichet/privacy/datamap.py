"""The data map: every field of every guichet model is a register data category, or not personal (with a reason).

Each app declares its fields in `guichet/<app>/datamap.py`:

    from guichet.privacy.datamap import NotPersonal, Personal
    DATA_MAP = {"Person": {"national_number": Personal("national_register"), "id": NotPersonal("technical key")}}

`guichet.privacy.checks` fails `manage.py check` for a field left out, an unknown category or a field
that does not exist. This module also maps the privacy app's own models (DATA_MAP at the bottom).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from django.apps import apps
from django.db import models


@dataclass(frozen=True, init=False)
class Personal:
    """The field holds personal data of the register category `category` (optionally of one `context`)."""

    category: str
    context: str | None = None

    def __init__(self, category: str, *, context: str | None = None):
        object.__setattr__(self, "category", category)
        object.__setattr__(self, "context", context)


@dataclass(frozen=True)
class NotPersonal:
    """The field holds no personal data; `reason` says why (a technical key, a timestamp of publication...)."""

    reason: str


Classification = Personal | NotPersonal


def is_guichet_app(app_config) -> bool:
    return app_config.name.startswith("guichet.")


def datamap_path(app_config) -> str:
    return f"{app_config.name.replace('.', '/')}/datamap.py"


def data_map_of(app_config) -> dict[str, dict[str, Classification]]:
    """The DATA_MAP of an app's datamap module ({} when it has none)."""
    try:
        module = importlib.import_module(f"{app_config.name}.datamap")
    except ModuleNotFoundError as error:
        if error.name != f"{app_config.name}.datamap":
            raise
        return {}
    return getattr(module, "DATA_MAP", {})


def mapped_fields(model) -> list[models.Field]:
    """The fields that hold data: concrete fields (inherited ones too) and many-to-many relations."""
    return [f for f in model._meta.get_fields(include_hidden=False)
            if getattr(f, "concrete", False) or (f.many_to_many and not f.auto_created)]


def models_to_map(app_config) -> list[type[models.Model]]:
    return [model for model in app_config.get_models() if not model._meta.proxy and model._meta.managed]


def classification(model) -> dict[str, Classification]:
    """The declared classification of each field of `model` ({} when its app maps none)."""
    app_config = apps.get_app_config(model._meta.app_label)
    return dict(data_map_of(app_config).get(model.__name__, {}))


def personal_fields(model) -> dict[str, Personal]:
    """Field name -> register category, for the fields of `model` that hold personal data (DSR-1 export)."""
    return {name: entry for name, entry in classification(model).items() if isinstance(entry, Personal)}


def medical_fields(model) -> dict[str, Personal]:
    """The personal fields whose category is medical or special (art. 9/10) in the register (DSR-5, ACL-3)."""
    from guichet.privacy.register import load_register

    register = load_register()
    result = {}
    for name, entry in personal_fields(model).items():
        contexts = [register.context(entry.context)] if entry.context else register.contexts_of(entry.category)
        categories = [context.category(entry.category) for context in contexts]
        if any(category is not None and (category.medical or category.special) for category in categories):
            result[name] = entry
    return result


def problems_for_model(model, mapping: dict[str, Classification], *, label: str, where: str,
                       register=None) -> list[str]:
    """What is wrong with the map of one model: unmapped fields, unknown fields, unknown categories."""
    problems = []
    field_names = [f.name for f in mapped_fields(model)]
    for name in field_names:
        if name not in mapping:
            problems.append(f"{label}.{name} holds data not mapped to the register: add it to {where}")
    for name, entry in mapping.items():
        if name not in field_names:
            problems.append(f"{where} maps {label}.{name}, which is not a field of the model")
        elif not isinstance(entry, Personal | NotPersonal):
            problems.append(f"{where}: {label}.{name} must be Personal(category) or NotPersonal(reason)")
        elif isinstance(entry, NotPersonal) and not entry.reason.strip():
            problems.append(f"{where}: {label}.{name} is NotPersonal without a reason")
        elif isinstance(entry, Personal) and register is not None:
            if entry.context is not None and not register.has_context(entry.context):
                problems.append(f"{where}: {label}.{name} names the unknown context '{entry.context}'")
            elif entry.context is not None and register.category_in(entry.context, entry.category) is None:
                problems.append(f"{where}: {label}.{name} maps to '{entry.category}', which is not a data "
                                f"category of the context '{entry.context}'")
            elif entry.category not in register.categories():
                problems.append(f"{where}: {label}.{name} maps to the unknown data category '{entry.category}'")
    return problems


def data_map_problems(app_configs=None, register=None) -> list[str]:
    """Every problem of the data map of the guichet apps (or of `app_configs`)."""
    problems = []
    for app_config in app_configs or apps.get_app_configs():
        if not is_guichet_app(app_config):
            continue
        where = datamap_path(app_config)
        declared = data_map_of(app_config)
        models_here = {model.__name__: model for model in models_to_map(app_config)}
        for model_name, model in models_here.items():
            problems += problems_for_model(model, declared.get(model_name, {}),
                                          label=f"{app_config.label}.{model_name}", where=where, register=register)
        for model_name in declared.keys() - models_here.keys():
            problems.append(f"{where} maps the model '{model_name}', which is not a model of {app_config.label}")
    return problems


TECHNICAL_KEY = NotPersonal("technical key")
PUBLIC_KEY = NotPersonal("random public identifier used in URLs")

DATA_MAP = {
    "DeclarationVersion": {
        "id": TECHNICAL_KEY,
        "version": NotPersonal("version number of a public document"),
        "published_at": NotPersonal("publication date of a public document"),
        "register_digest": NotPersonal("digest of the public register"),
        "snapshot": NotPersonal("the public register as published"),
    },
    "DeclarationSeen": {
        "id": TECHNICAL_KEY,
        "person": Personal("online_account"),
        "version": Personal("online_account"),
        "seen_at": Personal("online_account"),
    },
    "Consent": {
        "id": TECHNICAL_KEY,
        "public_id": PUBLIC_KEY,
        "person": Personal("consent_records"),
        "subject_key": Personal("consent_records"),
        "context": Personal("consent_records"),
        "purpose": Personal("consent_records"),
        "declaration_version": Personal("consent_records"),
        "given_at": Personal("consent_records"),
        "how": Personal("consent_records"),
        "withdrawn_at": Personal("consent_records"),
    },
    "DpoCase": {
        "id": TECHNICAL_KEY,
        "public_id": PUBLIC_KEY,
        "reference": Personal("interactions"),
        "person": Personal("interactions"),
        "name": Personal("identification"),
        "email": Personal("contact"),
        "language": Personal("identification"),
        "kind": Personal("interactions"),
        "message": Personal("interactions"),
        "channel": Personal("interactions"),
        "received_at": Personal("interactions"),
        "status": Personal("interactions"),
    },
}
