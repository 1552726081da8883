"""The cookie register as data (register.yaml): its categories and cookies, validated when loaded
(COOK-1 categories, COOK-4 lifetimes of at most 24 months), and the digest of its categories (COOK-8)."""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from guichet.privacy.register import text

REGISTER_PATH = Path(__file__).resolve().parent / "register.yaml"
CATEGORY_KEYS = ("necessary", "analytics", "marketing", "social")  # COOK-1
LANGUAGES = ("fr", "nl", "en")
MAX_LIFETIME_MONTHS = 24  # COOK-4, RET-8
SESSION = "session"
PERIOD = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$")
COOKIE_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")

Text = dict[str, str]


class CookieRegisterError(Exception):
    """The register file is wrong; `problems` lists each problem in words."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Lifetime:
    """How long a cookie lives: until the browser closes (`session`) or a period in months and days."""

    raw: str
    months: int = 0
    days: int = 0

    @property
    def is_session(self) -> bool:
        return self.raw == SESSION

    @property
    def max_seconds(self) -> int:
        """The longest Max-Age that fits the declared lifetime (a month counted as 31 days)."""
        return 0 if self.is_session else (self.months * 31 + self.days) * 86400

    @property
    def total_months(self) -> float:
        return self.months + self.days / 30.4

    @classmethod
    def parse(cls, value) -> Lifetime:
        value = str(value)
        if value == SESSION:
            return cls(value)
        match = PERIOD.match(value)
        if not match or not any(match.groups()):
            raise ValueError(f"not 'session' nor an ISO 8601 period: {value!r}")
        years, months, weeks, days = (int(part or 0) for part in match.groups())
        return cls(value, months=years * 12 + months, days=weeks * 7 + days)


@dataclass(frozen=True)
class Category:
    key: str
    always_on: bool
    title: Text
    description: Text
    without: Text  # what stops working when the category is refused (COOK-9)
    consent_purpose: str  # the register-of-processing purpose a member's consent is recorded under

    def tr(self, field: str, language: str | None = None) -> str:
        return text(getattr(self, field), language)


@dataclass(frozen=True)
class Cookie:
    name: str
    category: str
    provider: str
    lifetime: Lifetime
    purpose: Text

    @property
    def third_party(self) -> bool:
        return self.provider != "Guichet"  # COOK-7: listed with their provider


@dataclass(frozen=True)
class CookieRegister:
    version: str
    published: datetime.date
    categories: tuple[Category, ...]
    cookies: tuple[Cookie, ...]

    @property
    def digest(self) -> str:
        """What a consent was given to: the categories and which are always on (COOK-8). Texts, cookies
        and the version may change without asking again; a category added, removed or made optional does."""
        canonical = json.dumps([[c.key, c.always_on] for c in self.categories])
        return hashlib.sha256(canonical.encode()).hexdigest()[:16]

    @property
    def optional_keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.categories if not c.always_on)

    def category(self, key: str) -> Category:
        for category in self.categories:
            if category.key == key:
                return category
        raise KeyError(key)

    def cookie(self, name: str) -> Cookie | None:
        return next((cookie for cookie in self.cookies if cookie.name == name), None)

    def cookies_of(self, category_key: str) -> tuple[Cookie, ...]:
        return tuple(cookie for cookie in self.cookies if cookie.category == category_key)


def _text(value, where: str, problems: list[str]) -> Text:
    if not isinstance(value, dict) or set(value) != set(LANGUAGES) or not all(
            isinstance(value[lang], str) and value[lang].strip() for lang in LANGUAGES):
        problems.append(f"{where}: needs a non-empty text in each of fr, nl and en")
        return {}
    return dict(value)


def parse_register(data) -> CookieRegister:
    """Build the register from its YAML data, or raise CookieRegisterError with every problem found."""
    problems: list[str] = []
    if not isinstance(data, dict):
        raise CookieRegisterError(["the register must be a mapping"])
    unknown = set(data) - {"version", "published", "categories", "cookies"}
    if unknown:
        problems.append(f"unknown keys: {', '.join(sorted(unknown))}")
    version = str(data.get("version") or "")
    if not version:
        problems.append("version: required")
    published = data.get("published")
    if not isinstance(published, datetime.date):
        problems.append("published: required, a date (YYYY-MM-DD)")
    categories = []
    for index, raw in enumerate(data.get("categories") or []):
        where = f"categories[{index}]"
        key = raw.get("key") if isinstance(raw, dict) else None
        if key not in CATEGORY_KEYS:
            problems.append(f"{where}: key must be one of {', '.join(CATEGORY_KEYS)} (COOK-1)")
            continue
        always_on = raw.get("always_on")
        if always_on is not (key == "necessary"):
            problems.append(f"{where} ({key}): only the necessary category is always on (COOK-1, COOK-5)")
        purpose = str(raw.get("consent_purpose") or "")
        if not always_on and not purpose:
            problems.append(f"{where} ({key}): an optional category needs the consent_purpose its consent "
                            "is recorded under")
        categories.append(Category(
            key=key, always_on=bool(always_on), consent_purpose=purpose,
            title=_text(raw.get("title"), f"{where}.title", problems),
            description=_text(raw.get("description"), f"{where}.description", problems),
            without=_text(raw.get("without"), f"{where}.without (COOK-9)", problems),
        ))
    keys = [category.key for category in categories]
    if sorted(set(keys)) != sorted(keys) or set(keys) != set(CATEGORY_KEYS):
        problems.append(f"categories: each of {', '.join(CATEGORY_KEYS)} exactly once (COOK-1)")
    cookies = []
    for index, raw in enumerate(data.get("cookies") or []):
        if not isinstance(raw, dict):
            problems.append(f"cookies[{index}]: must be a mapping")
            continue
        name = str(raw.get("name") or "")
        where = f"cookies[{index}] ({name or 'no name'})"
        if not COOKIE_NAME.match(name):
            problems.append(f"{where}: a cookie name of letters, digits, '_', '.' or '-'")
        if raw.get("category") not in keys:
            problems.append(f"{where}: category must be one of the register's categories")
        if not str(raw.get("provider") or "").strip():
            problems.append(f"{where}: provider required (COOK-7)")
        try:
            lifetime = Lifetime.parse(raw.get("lifetime"))
        except ValueError as error:
            problems.append(f"{where}: lifetime {error}")
            continue
        if lifetime.total_months > MAX_LIFETIME_MONTHS:
            problems.append(f"{where}: lifetime {lifetime.raw} is longer than {MAX_LIFETIME_MONTHS} months "
                            "(COOK-4)")
        cookies.append(Cookie(name=name, category=str(raw.get("category")), provider=str(raw.get("provider")),
                              lifetime=lifetime,
                              purpose=_text(raw.get("purpose"), f"{where}.purpose", problems)))
    names = [cookie.name for cookie in cookies]
    if len(set(names)) != len(names):
        problems.append("cookies: each name once")
    if problems:
        raise CookieRegisterError(problems)
    return CookieRegister(version=version, published=published, categories=tuple(categories),
                          cookies=tuple(cookies))


def load_cookie_register() -> CookieRegister:
    """The register in force (read once per process; a changed file takes effect at the next start)."""
    return _load(REGISTER_PATH)


@lru_cache(maxsize=4)
def _load(path: Path) -> CookieRegister:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise CookieRegisterError([f"{path}: {error}"]) from None
    return parse_register(data)
