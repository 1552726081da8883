"""What each kind of ledger entry means to a member: a registry of kind -> readable label.

Apps that write entries register their kinds once (in their AppConfig.ready or at import), with a lazy
translated label, e.g. `register_kind("consent.given", gettext_lazy("You gave your consent"))`.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

_LABELS: dict[str, Promise | str] = {}


def register_kind(kind: str, label: Promise | str) -> None:
    """Declare the member-facing label of `kind` (the last registration wins, so a reload is harmless)."""
    _LABELS[kind] = label


def label_of(kind: str) -> str:
    """The label of `kind` in the active language; an unregistered kind is shown as a generic event."""
    label = _LABELS.get(kind)
    return str(label) if label is not None else str(_("Recorded event (%(kind)s)") % {"kind": kind})


def registered_kinds() -> dict[str, Promise | str]:
    return dict(_LABELS)
