"""The yearly rule sets (rulesets/<year>.yaml): MAF brackets and ceilings, BIM thresholds, holder-code tables,
each with its source. A year without a file is refused with a clear message (never guessed from another)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

import yaml
from django.utils.translation import gettext as _

from guichet.decisions.errors import DecisionError

RULESET_DIR = Path(__file__).resolve().parent / "rulesets"


def cents(amount: str | int | Decimal) -> int:
    return int((Decimal(str(amount)) * 100).to_integral_value())


@dataclass(frozen=True)
class Bracket:
    up_to_cents: int | None
    ceiling_cents: int


@dataclass(frozen=True)
class RuleSet:
    year: int
    version: str
    income_year_offset: int
    brackets: tuple[Bracket, ...]
    social_ceiling_cents: int
    child_ceiling_cents: int
    child_age_below: int
    bim_income_ceiling_cents: int
    bim_per_additional_member_cents: int
    bim_automatic_grounds: tuple[str, ...]
    bim_effects: tuple[str, ...]
    ct1_base: dict
    ct2_base: dict

    @property
    def label(self) -> str:
        return f"rules-{self.version}"

    def income_ceiling_cents(self, income_cents: int) -> int:
        """The income-MAF ceiling of the bracket holding this household income."""
        for bracket in self.brackets:
            if bracket.up_to_cents is None or income_cents <= bracket.up_to_cents:
                return bracket.ceiling_cents
        raise DecisionError(_("The rule set of %(year)s has no bracket for this income.") % {"year": self.year})

    def bim_ceiling_cents(self, household_size: int) -> int:
        return self.bim_income_ceiling_cents + max(household_size - 1, 0) * self.bim_per_additional_member_cents


def available_years() -> list[int]:
    return sorted(int(path.stem) for path in RULESET_DIR.glob("*.yaml") if path.stem.isdigit())


@cache
def _load(year: int) -> RuleSet:
    path = RULESET_DIR / f"{year}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    maf, bim, codes = data["maf"], data["bim"], data["holder_codes"]
    return RuleSet(
        year=int(data["year"]),
        version=str(data["version"]),
        income_year_offset=int(maf["income_year_offset"]),
        brackets=tuple(
            Bracket(None if item["up_to"] is None else cents(item["up_to"]), cents(item["ceiling"]))
            for item in maf["brackets"]
        ),
        social_ceiling_cents=cents(maf["social_ceiling"]),
        child_ceiling_cents=cents(maf["child_ceiling"]),
        child_age_below=int(maf["child_age_below"]),
        bim_income_ceiling_cents=cents(bim["income_ceiling"]),
        bim_per_additional_member_cents=cents(bim["per_additional_member"]),
        bim_automatic_grounds=tuple(bim["automatic_grounds"]),
        bim_effects=tuple(bim["effects"]),
        ct1_base=dict(codes["ct1_base"]),
        ct2_base=dict(codes["ct2_base"]),
    )


def rule_set(year: int) -> RuleSet:
    """The rule set of `year`, or DecisionError when the mutual has no figures for that year."""
    if not (RULESET_DIR / f"{int(year)}.yaml").exists():
        raise DecisionError(
            _("There are no rules for %(year)s yet: no automated decision can be taken for that year.")
            % {"year": year}
        )
    return _load(int(year))
