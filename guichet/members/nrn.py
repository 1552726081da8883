"""Belgian national register numbers (INSZ/NISS): validation through python-stdnum, and the
construction of valid numbers for synthetic people (demo data, tests, benchmarks).

Layout YYMMDD-XXX-CC: birth date, a sequence (odd for men, even for women), check digits
97 - (N mod 97), with a "2" put before N for people born from 2000 on (IBZ instruction IT000).
"""

import datetime

from stdnum.be import nn
from stdnum.exceptions import ValidationError


class InvalidNationalNumber(ValueError):
    """The text is not a valid national register number."""


def normalise(raw: str) -> str:
    """The 11 digits of a valid number typed with or without dots and dashes, or InvalidNationalNumber."""
    try:
        return nn.validate(raw)
    except (ValidationError, ValueError) as error:
        raise InvalidNationalNumber(str(error)) from error


def birth_date(number: str) -> datetime.date | None:
    return nn.get_birth_date(number)


def make(born: datetime.date, sequence: int) -> str:
    """The national register number of a person born on `born` with the day's `sequence` (1-998)."""
    if not 1 <= sequence <= 998:
        raise ValueError("sequence must be between 1 and 998")
    body = f"{born:%y%m%d}{sequence:03d}"
    base = int(body) + (2_000_000_000 if born.year >= 2000 else 0)
    return f"{body}{97 - base % 97:02d}"


def formatted(number: str) -> str:
    """The printed form YY.MM.DD-XXX.CC."""
    return nn.format(number)
