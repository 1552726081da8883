"""Document types as data: each app registers the types it issues (in its AppConfig.ready) with a label
and whether an electronic copy may replace paper (EBOX-4); the e-Box and the print queue ask here."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


@dataclass(frozen=True)
class DocumentType:
    key: str
    label: Promise | str
    electronic_allowed: bool = True


_TYPES: dict[str, DocumentType] = {}


def register_document_type(key: str, label: Promise | str, *, electronic_allowed: bool = True) -> DocumentType:
    """Declare a document type (the last registration of a key wins, so a reload is harmless)."""
    if not isinstance(key, str) or not KEY_RE.match(key):
        raise ValueError(f"{key!r} is not a document type key (lowercase letters, digits, underscores)")
    registered = DocumentType(key=key, label=label, electronic_allowed=bool(electronic_allowed))
    _TYPES[key] = registered
    return registered


def get_document_type(key: str) -> DocumentType | None:
    return _TYPES.get(key)


def is_registered(key: str) -> bool:
    return key in _TYPES


def label_of(key: str) -> str:
    found = _TYPES.get(key)
    return str(found.label) if found else key


def electronic_allowed(key: str) -> bool:
    found = _TYPES.get(key)
    return bool(found and found.electronic_allowed)


def document_types() -> list[DocumentType]:
    """Every registered type, sorted by key (stable for forms and filters)."""
    return [_TYPES[key] for key in sorted(_TYPES)]


def type_choices() -> list[tuple[str, str]]:
    return [(each.key, str(each.label)) for each in document_types()]


def register_own_types() -> None:
    """The e-Box's own types. A formal notice of default (mise en demeure) goes by registered post:
    the law requires paper, so the e-Box never replaces it."""
    register_document_type("letter", _("Letter"))
    register_document_type("reimbursement_statement", _("Reimbursement statement"))
    register_document_type("tax_certificate", _("Tax certificate"))
    register_document_type("contribution_notice", _("Contribution notice"))
    register_document_type("formal_notice", _("Formal notice (registered letter)"), electronic_allowed=False)
