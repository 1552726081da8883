"""The registry of decision kinds, per insurance context (AUTO-10): only the contexts whose register
declares automated decisions may register kinds, and each kind names its decision in the register."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guichet.decisions.errors import DecisionError


@dataclass(frozen=True)
class DecisionKind:
    key: str  # the register's automated_decisions key
    context: str  # the register context (members.models.Context value)
    purpose: str  # the register purpose of that context
    label: Promise | str
    rule_ids: tuple[str, ...]


_KINDS: dict[str, DecisionKind] = {}


def register_decision_kind(key: str, *, context: str, purpose: str, label, rule_ids=()) -> DecisionKind:
    """Declare a kind of automated decision; it must be one the register declares in that context."""
    from guichet.privacy.register import load_register

    register = load_register()
    declared = {decision.key for decision in register.context(context).automated_decisions}
    purpose_decisions = next(p for p in register.context(context).purposes if p.key == purpose).automated_decisions
    if key not in declared or key not in purpose_decisions:
        raise RuntimeError(f"decision kind {key!r} is not declared in the register for {context}:{purpose}")
    kind = DecisionKind(key, context, purpose, label, tuple(rule_ids))
    _KINDS[key] = kind
    return kind


def get_kind(key: str) -> DecisionKind:
    try:
        return _KINDS[key]
    except KeyError:
        raise DecisionError(_("This kind of decision is not made automatically.")) from None


def kinds_for_context(context: str) -> list[DecisionKind]:
    return [kind for kind in _KINDS.values() if kind.context == context]


def all_kinds() -> dict[str, DecisionKind]:
    return dict(_KINDS)


def label_of(key: str) -> str:
    kind = _KINDS.get(key)
    return str(kind.label) if kind else key


HOLDER_CODES = "holder_codes"
BIM_AUTOMATIC = "bim_automatic"
BIM_INCOME_TEST = "bim_income_test"
MAF = "maf"
ACCIDENT_DECLARATION = "accident_declaration"
COVERAGE = "coverage_decision"
INCAPACITY_BLOCKING = "incapacity_blocking"


def register_own_kinds() -> None:
    """The compulsory insurance's decisions; no other context registers any (AUTO-10)."""
    compulsory = "compulsory"
    register_decision_kind(HOLDER_CODES, context=compulsory, purpose="insurability",
                           label=gettext_lazy("Holder codes CT1/CT2"), rule_ids=("AUTO-1",))
    register_decision_kind(BIM_AUTOMATIC, context=compulsory, purpose="insurability",
                           label=gettext_lazy("Increased reimbursement by automatic right"), rule_ids=("AUTO-2",))
    register_decision_kind(BIM_INCOME_TEST, context=compulsory, purpose="insurability",
                           label=gettext_lazy("Increased reimbursement after an income test"), rule_ids=("AUTO-3",))
    register_decision_kind(MAF, context=compulsory, purpose="insurability",
                           label=gettext_lazy("Maximum billing (MAF) refund"), rule_ids=("AUTO-5",))
    register_decision_kind(COVERAGE, context=compulsory, purpose="healthcare_benefits",
                           label=gettext_lazy("Coverage decision"), rule_ids=("AUTO-7",))
    register_decision_kind(INCAPACITY_BLOCKING, context=compulsory, purpose="incapacity_benefits",
                           label=gettext_lazy("Incapacity benefits blocked"), rule_ids=("AUTO-8",))
    register_decision_kind(ACCIDENT_DECLARATION, context=compulsory, purpose="litigation_recovery",
                           label=gettext_lazy("Accident declaration sent"), rule_ids=("AUTO-6",))
