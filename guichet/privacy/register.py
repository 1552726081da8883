"""The register of processing (PRIV-1): YAML files validated with file and line, loaded as frozen dataclasses."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import yaml

REGISTER_DIR = Path(__file__).resolve().parent / "register"
PROJECT_DIR = Path(__file__).resolve().parent.parent.parent
RULES_FILE = PROJECT_DIR / "docs" / "rules.md"
LANGUAGES = ("fr", "nl", "en")
SCHEMA_VERSION = 1
Text = Mapping[str, str]

KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")
REF_RE = re.compile(r"^(PD|ToU) \d+(\.\d+)*$")
DURATION_RE = re.compile(r"^P(?=\d)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$")
ARTICLE_RE = re.compile(r"^GDPR (6\(1\)\([a-f]\)|9\(2\)\([a-j]\)|10|87)$")
RULE_ID_RE = re.compile(r"^- ([A-Z]+-\d+) ", re.MULTILINE)
TRANSFER_GROUNDS = ("consent", "insurance_provides", "pre_contract_request", "vital_interests", "contract_in_interest")
REQUIRED_RIGHTS = ("access", "rectification", "erasure", "objection", "restriction", "portability",
                   "human_review", "complaint")
CONTEXT_LOCAL = {"category", "legal_basis", "source", "decision", "purpose", "recipient", "processor"}


# --- reading YAML with line numbers ------------------------------------------------------------------

class MarkedDict(dict):
    """A YAML mapping that remembers its line and the line of each of its keys (1-based)."""

    line = 0
    key_lines: dict

    def line_of(self, key) -> int:
        return self.key_lines.get(key, self.line)


class MarkedList(list):
    """A YAML sequence that remembers its line and the line of each item (1-based)."""

    line = 0
    item_lines: list


class _Loader(yaml.SafeLoader):
    duplicates: list


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> MarkedDict:
    loader.flatten_mapping(node)
    result = MarkedDict()
    result.line, result.key_lines = node.start_mark.line + 1, {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            loader.duplicates.append((key_node.start_mark.line + 1, key))
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> MarkedList:
    result = MarkedList(loader.construct_object(item, deep=True) for item in node.value)
    result.line, result.item_lines = node.start_mark.line + 1, [item.start_mark.line + 1 for item in node.value]
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


@dataclass(frozen=True)
class Problem:
    """One error of the register, where it is."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class RegisterError(Exception):
    """The register is invalid; `problems` says where and why."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("the register of processing is invalid:\n" + "\n".join(f"  {p}" for p in problems))


def _display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(PROJECT_DIR))
    except ValueError:
        return str(path)


# --- the schema (see register/README.md) --------------------------------------------------------------

class _Validator:
    """Walks the loaded data against the schema, collecting problems, definitions and references."""

    def __init__(self, rule_ids: set[str] | None):
        self.problems: list[Problem] = []
        self.defs: dict[tuple[str, str], dict[str, tuple[str, int]]] = {}
        self.refs: list[tuple[str, str, Any, str, int]] = []
        self.rule_ids = rule_ids
        self.file = ""
        self.scope = ""

    def error(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.file, line, message))

    def scope_of(self, kind: str) -> str:
        return self.scope if kind in CONTEXT_LOCAL else ""


Spec = Callable[[Any, int, str, _Validator], None]


def _type_name(value) -> str:
    for kind, name in ((bool, "true/false"), (dict, "a mapping"), (list, "a list"), (str, "a string"), (int, "a number")):
        if isinstance(value, kind):
            return name
    return "nothing" if value is None else type(value).__name__


def TEXT(value, line, path, v):  # noqa: N802 - schema constants read as types
    if not isinstance(value, dict):
        v.error(line, f"{path} must be a text {{fr, nl, en}}, not {_type_name(value)}")
        return
    for language in LANGUAGES:
        if language not in value:
            v.error(value.line, f"{path} lacks the language '{language}' (a text needs fr, nl and en)")
        elif not isinstance(value[language], str) or not value[language].strip():
            v.error(value.line_of(language), f"{path}.{language} must be a non-empty string")
    for extra in value.keys() - set(LANGUAGES):
        v.error(value.line_of(extra), f"unknown key '{extra}' in the text {path} (a text has only fr, nl, en)")


def STR(value, line, path, v):  # noqa: N802
    if not isinstance(value, str) or not value.strip():
        v.error(line, f"{path} must be a non-empty string")


def BOOL(value, line, path, v):  # noqa: N802
    if not isinstance(value, bool):
        v.error(line, f"{path} must be true or false")


def INT(value, line, path, v):  # noqa: N802
    if not isinstance(value, int) or isinstance(value, bool):
        v.error(line, f"{path} must be a whole number")


def pattern(regex: re.Pattern, meaning: str) -> Spec:
    def check(value, line, path, v):
        if not isinstance(value, str) or not regex.match(value):
            v.error(line, f"{path} must be {meaning}, not {value!r}")
    return check


KEY = pattern(KEY_RE, "a key (lower case letters, digits and _)")
REF = pattern(REF_RE, "a source reference like 'PD 4.2'")


def DURATION(value, line, path, v):  # noqa: N802
    if not isinstance(value, str) or not DURATION_RE.match(value):
        v.error(line, f"{path} must be an ISO 8601 duration like P30Y, P24M or P1M, not {value!r}")


def enum(*allowed) -> Spec:
    def check(value, line, path, v):
        if value not in allowed:
            v.error(line, f"{path} is {value!r}; allowed: {', '.join(map(str, allowed))}")
    return check


def ref(kind: str) -> Spec:
    def check(value, line, path, v):
        if not isinstance(value, str):
            v.error(line, f"{path} must be a {kind} key")
            return
        v.refs.append((v.scope_of(kind), kind, value, v.file, line))
    return check


def RULE_ID(value, line, path, v):  # noqa: N802
    if v.rule_ids is not None and value not in v.rule_ids:
        v.error(line, f"{path} names the rule {value!r}, which is not in docs/rules.md")


def list_of(item: Spec, *, nonempty: bool = False, defines: str | None = None, unique: bool = False) -> Spec:
    def check(value, line, path, v):
        if not isinstance(value, list):
            v.error(line, f"{path} must be a list, not {_type_name(value)}")
            return
        if nonempty and not value:
            v.error(line, f"{path} must not be empty")
        seen = set()
        for index, entry in enumerate(value):
            entry_line = value.item_lines[index] if isinstance(value, MarkedList) else line
            item(entry, entry_line, f"{path}[{index}]", v)
            if defines and isinstance(entry, dict) and isinstance(entry.get("key"), str):
                table = v.defs.setdefault((v.scope_of(defines), defines), {})
                if entry["key"] in table:
                    v.error(entry.line_of("key"), f"the {defines} key '{entry['key']}' is defined twice")
                else:
                    table[entry["key"]] = (v.file, entry.line_of("key"))
            if unique and isinstance(entry, str | int):
                if entry in seen:
                    v.error(entry_line, f"{path} lists {entry!r} twice")
                seen.add(entry)
    return check


def obj(name: str, fields: dict[str, tuple[bool, Spec]]) -> Spec:
    """A mapping with known keys: (required, spec) per key; any other key is an error."""

    def check(value, line, path, v):
        if not isinstance(value, dict):
            v.error(line, f"{path} must be a mapping ({name}), not {_type_name(value)}")
            return
        for key in value:
            if key not in fields:
                v.error(value.line_of(key), f"unknown key '{key}' in {name} {path} (allowed: {', '.join(fields)})")
        for key, (required, spec) in fields.items():
            if key in value:
                if value[key] is None:
                    v.error(value.line_of(key), f"{path}.{key} is empty")
                else:
                    spec(value[key], value.line_of(key), f"{path}.{key}" if path else key, v)
            elif required:
                v.error(value.line, f"missing required key '{key}' in {name} {path or '(top level)'}")
    return check


def _req(spec): return (True, spec)
def _opt(spec): return (False, spec)


RULE_IDS = list_of(RULE_ID)
REFS = list_of(REF)
BLOCK = obj("block", {"rule_ids": _req(RULE_IDS), "text": _req(TEXT)})
KEYED_TITLE = obj("item", {"key": _req(KEY), "title": _req(TEXT)})
ADDRESS_FIELDS = {"street": _req(TEXT), "postcode": _req(pattern(re.compile(r"^\d{4}$"), "a 4-digit postcode")),
                  "city": _req(TEXT), "country": _req(pattern(re.compile(r"^[A-Z]{2}$"), "an ISO 3166 code"))}
ADDRESS = obj("address", ADDRESS_FIELDS)
DPO_ADDRESS = obj("address", {**ADDRESS_FIELDS, "attention": _req(TEXT)})
DPO = obj("dpo", {"contact_form": _req(BOOL), "postal_address": _req(DPO_ADDRESS), "email": _opt(STR),
                  "name": _opt(STR), "demo_values": _req(list_of(STR))})
ENTITY = obj("entity", {
    "key": _req(KEY),
    "role": _req(enum("mutual", "national_union", "insurance_company", "group_entity", "service_provider")),
    "short_name": _req(STR), "legal_name": _req(TEXT), "description": _req(TEXT),
    "company_number": _opt(pattern(re.compile(r"^0\d{3}\.\d{3}\.\d{3}$"), "a Belgian enterprise number")),
    "register_of_legal_entities": _opt(TEXT), "member_of": _opt(ref("entity")), "former_names": _opt(list_of(STR)),
    "licence": _opt(TEXT), "address": _opt(ADDRESS), "phone": _opt(STR), "websites": _opt(list_of(STR)),
    "dpo": _opt(DPO),
})
NOTICE_BLOCKS = ("introduction", "changes", "roles", "never_sold", "staff_access", "security_measures",
                 "social_media", "third_party_requests", "your_part")
ORGANISATION = obj("organisation.yaml", {
    "schema_version": _req(enum(SCHEMA_VERSION)),
    "operator": _req(ref("entity")),
    "contexts": _req(list_of(KEY, nonempty=True, unique=True)),
    "entities": _req(list_of(ENTITY, nonempty=True, defines="entity")),
    "supervisory_authority": _req(obj("supervisory_authority", {
        "key": _req(KEY), "name": _req(TEXT), "address": _req(ADDRESS), "email": _req(STR), "phone": _req(STR),
        "website": _req(TEXT)})),
    "notice": _req(obj("notice", {
        "url": _req(STR),
        **{name: _req(BLOCK) for name in NOTICE_BLOCKS},
        "staff_access": _req(obj("block", {"rule_ids": _req(RULE_IDS), "text": _req(TEXT),
                                           "grounds": _req(list_of(KEYED_TITLE, nonempty=True))})),
        "third_party_requests": _req(obj("block", {"rule_ids": _req(RULE_IDS), "text": _req(TEXT),
                                                   "conditions": _req(list_of(KEYED_TITLE, nonempty=True))})),
    })),
    "retention_policy": _req(obj("retention_policy", {name: _req(BLOCK) for name in ("precedence", "legal_hold", "purge")})),
})
PURPOSE = obj("purpose", {
    "key": _req(KEY), "title": _req(TEXT), "description": _req(TEXT),
    "legal_bases": _req(list_of(ref("legal_basis"), nonempty=True, unique=True)),
    "data_categories": _req(list_of(ref("category"), nonempty=True, unique=True)),
    "automated_decisions": _req(list_of(ref("decision"), unique=True)),
    "profiling": _req(BOOL), "refs": _opt(REFS), "rule_ids": _opt(RULE_IDS),
})
LEGAL_BASIS = obj("legal basis", {"key": _req(KEY), "article": _req(pattern(ARTICLE_RE, "an article like 'GDPR 6(1)(c)'")),
                                  "title": _req(TEXT), "detail": _req(TEXT)})
CATEGORY = obj("data category", {
    "key": _req(KEY), "title": _req(TEXT), "examples": _req(TEXT), "special": _req(BOOL), "medical": _req(BOOL),
    "gdpr_articles": _opt(list_of(enum("9", "10", "87"), unique=True)),
    "sources": _req(list_of(ref("source"), nonempty=True, unique=True)),
})
RECIPIENT = obj("recipient", {
    "key": _req(KEY), "title": _req(TEXT), "grounds": _req(TEXT),
    "kind": _req(enum("authority", "insurer", "provider", "group_entity", "processor", "other", "data_subject")),
    "entities": _opt(list_of(ref("entity"))), "on_request": _opt(BOOL),
})
PROCESSOR = obj("processor", {"key": _req(KEY), "title": _req(TEXT), "task": _req(TEXT),
                              "data_categories": _req(list_of(ref("category"), nonempty=True)),
                              "entities": _opt(list_of(ref("entity")))})
START_EVENTS = ("registration", "first_contact", "last_contact", "contract_end", "affiliation_end", "collection",
                "recording", "consent_given")
END_EVENTS = ("contract_end", "affiliation_end", "change_of_mutual_outside_union", "death", "departure_abroad",
              "consent_withdrawn")
RETENTION = obj("retention rule", {
    "key": _req(KEY), "rule_ids": _req(list_of(RULE_ID, nonempty=True)),
    "data_categories": _req(list_of(ref("category"), nonempty=True, unique=True)),
    "start_event": _req(enum(*START_EVENTS)), "end_event": _opt(list_of(enum(*END_EVENTS), nonempty=True)),
    "duration": _req(DURATION), "action": _req(enum("erase", "anonymise")), "description": _req(TEXT),
})
DECISION = obj("automated decision", {"key": _req(KEY), "title": _req(TEXT), "logic": _req(TEXT), "effects": _req(TEXT),
                                      "art22_ground": _req(enum("law", "contract", "explicit_consent")),
                                      "rule_ids": _opt(RULE_IDS)})
CONTEXT = obj("context file", {
    "schema_version": _req(enum(SCHEMA_VERSION)), "key": _req(KEY), "refs": _opt(REFS), "title": _req(TEXT),
    "introduction": _opt(TEXT), "staff_access": _opt(TEXT),
    "controllers": _req(list_of(ref("entity"), nonempty=True, unique=True)),
    "processors_roles": _req(list_of(obj("processor role", {
        "entity": _req(ref("entity")), "role": _req(enum("processor", "agent_and_processor")),
        "on_behalf_of": _req(ref("entity")), "description": _req(TEXT)}))),
    "purposes": _req(list_of(PURPOSE, nonempty=True, defines="purpose")),
    "legal_bases": _req(list_of(LEGAL_BASIS, nonempty=True, defines="legal_basis")),
    "data_categories": _req(list_of(CATEGORY, nonempty=True, defines="category")),
    "sources": _req(list_of(obj("source", {"key": _req(KEY), "title": _req(TEXT)}), nonempty=True, defines="source")),
    "recipients": _req(list_of(RECIPIENT, defines="recipient")),
    "processors": _req(list_of(PROCESSOR, defines="processor")),
    "transfers": _req(obj("transfers", {"outside_eea": _req(BOOL),
                                        "allowed_grounds": _req(list_of(enum(*TRANSFER_GROUNDS), unique=True)),
                                        "notes": _req(TEXT)})),
    "retention": _req(list_of(RETENTION, nonempty=True, defines="retention")),
    "automated_decisions": _req(list_of(DECISION, defines="decision_global")),
})
TEXT_BLOCK = obj("block", {"rule_ids": _req(RULE_IDS), "text": _req(TEXT), "refs": _opt(REFS)})
RIGHTS = obj("rights.yaml", {
    "schema_version": _req(enum(SCHEMA_VERSION)),
    "channels": _req(list_of(obj("channel", {"key": _req(KEY), "title": _req(TEXT),
                                             "requires_active_account": _opt(BOOL)}), defines="channel")),
    "rights": _req(list_of(obj("right", {
        "key": _req(KEY), "title": _req(TEXT), "explanation": _req(TEXT), "limits": _opt(TEXT),
        "channels": _req(list_of(ref("channel"), nonempty=True, unique=True)), "rule_ids": _req(RULE_IDS),
        "gdpr_article": _req(STR), "contexts": _opt(list_of(ref("context"), unique=True)), "refs": _opt(REFS),
    }), defines="right")),
    "identity_check": _req(TEXT_BLOCK),
    "answer_format": _req(TEXT_BLOCK),
    "deadline": _req(obj("deadline", {"response": _req(DURATION), "extension": _req(DURATION),
                                      "extension_notice_within": _req(DURATION), "rule_ids": _req(RULE_IDS),
                                      "text": _req(TEXT), "refs": _opt(REFS)})),
})


# --- validation -------------------------------------------------------------------------------------------

def _known_rule_ids() -> set[str] | None:
    return set(RULE_ID_RE.findall(RULES_FILE.read_text(encoding="utf-8"))) if RULES_FILE.exists() else None


def _read(path: Path, v: _Validator):
    v.file = _display_path(path)
    if not path.exists():
        v.error(0, "the file is missing")
        return None
    loader = _Loader(path.read_text(encoding="utf-8"))
    loader.duplicates = []
    try:
        data = loader.get_single_data()
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        v.error(mark.line + 1 if mark else 0, f"not valid YAML: {getattr(error, 'problem', error)}")
        return None
    finally:
        loader.dispose()
    for line, key in loader.duplicates:
        v.error(line, f"the key '{key}' appears twice in the same mapping")
    if not isinstance(data, dict):
        v.error(1, "the file must hold a mapping")
        return None
    return data


def _validate(directory: Path) -> tuple[dict, list[Problem]]:
    """Read and check every file of the register; returns the raw data and the problems found."""
    v = _Validator(_known_rule_ids())
    raw: dict[str, Any] = {"organisation": None, "contexts": {}, "rights": None}
    organisation = _read(directory / "organisation.yaml", v)
    if organisation is not None:
        ORGANISATION(organisation, organisation.line, "", v)
        raw["organisation"] = organisation
    context_keys = [key for key in (organisation or {}).get("contexts") or [] if isinstance(key, str)]
    for extra in sorted(directory.glob("*.yaml")):
        if extra.stem not in {"organisation", "rights", *context_keys}:
            v.file = _display_path(extra)
            v.error(1, f"the file is not listed in organisation.yaml contexts ({', '.join(context_keys)})")
    for key in context_keys:
        v.scope = key
        data = _read(directory / f"{key}.yaml", v)
        if data is None:
            continue
        CONTEXT(data, data.line, "", v)
        if data.get("key") != key:
            v.error(data.line_of("key"), f"the context key {data.get('key')!r} must equal the file name '{key}'")
        raw["contexts"][key] = data
        _check_context(data, v)
    v.scope = ""
    rights = _read(directory / "rights.yaml", v)
    if rights is not None:
        RIGHTS(rights, rights.line, "", v)
        raw["rights"] = rights
        defined = {entry.get("key") for entry in rights.get("rights") or [] if isinstance(entry, dict)}
        for missing in REQUIRED_RIGHTS:
            if missing not in defined:
                v.error(rights.line_of("rights"), f"the right '{missing}' is missing")
    for key in context_keys:
        v.defs.setdefault(("", "context"), {})[key] = ("organisation.yaml", 0)
    for scope, kind, value, file, line in v.refs:
        table = v.defs.get((scope, kind), {})
        if value not in table:
            where = f" of the context '{scope}'" if scope else ""
            known = ", ".join(sorted(table)) or "none"
            v.problems.append(Problem(file, line, f"unknown {kind.replace('_', ' ')} '{value}'{where} (known: {known})"))
    return raw, v.problems


def _check_context(data: dict, v: _Validator) -> None:
    """Coherence of one context file (README, checks 5 and 6)."""
    def by_key(name):
        return {e["key"]: e for e in data.get(name) or [] if isinstance(e, dict) and isinstance(e.get("key"), str)}

    bases, categories = by_key("legal_bases"), by_key("data_categories")
    article = {key: str(basis.get("article", "")) for key, basis in bases.items()}
    for purpose in by_key("purposes").values():
        used = [b for b in purpose.get("legal_bases") or [] if b in article]
        line = purpose.line_of("legal_bases")
        if used and not any(article[b].startswith("GDPR 6") for b in used):
            v.error(line, f"the purpose '{purpose['key']}' has no GDPR art. 6 legal basis")
        art9_data = [c for c in purpose.get("data_categories") or []
                     if "9" in (categories.get(c, {}).get("gdpr_articles") or [])]
        art9_bases = [b for b in used if article[b].startswith("GDPR 9")]
        if art9_data and not art9_bases:
            v.error(line, f"the purpose '{purpose['key']}' uses art. 9 data ({', '.join(art9_data)}) "
                          "without an art. 9 legal basis")
        if art9_bases and not art9_data:
            v.error(line, f"the purpose '{purpose['key']}' has an art. 9 basis but no art. 9 data")
    for category in categories.values():
        articles = category.get("gdpr_articles") or []
        line = category.line_of("special")
        if isinstance(category.get("special"), bool) and category["special"] != bool({"9", "10"} & set(articles)):
            v.error(line, f"the category '{category['key']}': special must be true exactly when "
                          "gdpr_articles holds 9 or 10")
        if category.get("medical") is True and "9" not in articles:
            v.error(category.line_of("medical"), f"the category '{category['key']}' is medical but not art. 9")
    transfers = data.get("transfers")
    if isinstance(transfers, dict) and transfers.get("outside_eea") is False:
        if set(transfers.get("allowed_grounds") or []) - {"consent"}:
            v.error(transfers.line_of("allowed_grounds"), "outside_eea is false: the only allowed ground is consent")
    retained = {c for rule in data.get("retention") or [] if isinstance(rule, dict)
                for c in rule.get("data_categories") or []}
    for key, category in categories.items():
        if key not in retained:
            v.error(category.line_of("key"), f"the category '{key}' has no retention rule")
    for rule in data.get("retention") or []:
        if isinstance(rule, dict) and "rule_ids" in rule and not any(
                str(r).startswith("RET-") for r in rule.get("rule_ids") or []):
            v.error(rule.line_of("rule_ids"), f"the retention rule '{rule.get('key')}' names no RET rule")
    v.defs.setdefault((v.scope, "decision"), {}).update(
        {key: (v.file, 0) for key in by_key("automated_decisions")})


def validate_register(directory: Path | str = REGISTER_DIR) -> list[Problem]:
    """Every problem of the register in `directory` (empty when it is valid)."""
    return _validate(Path(directory))[1]


# --- the typed register ---------------------------------------------------------------------------------

def _plain(data):
    """Plain JSON-ready data (no line marks), with a stable form."""
    return json.loads(json.dumps(data, ensure_ascii=False))


def canonical_json(raw: dict) -> str:
    return json.dumps(raw, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def text(mapping: Text | None, language: str | None = None) -> str:
    """The text of `mapping` in `language` (fr, nl or en); French when the language is not there."""
    if not mapping:
        return ""
    if language is None:
        from django.utils.translation import get_language
        language = get_language() or "fr"
    return mapping.get(language[:2]) or mapping.get("fr") or next(iter(mapping.values()), "")


@dataclass(frozen=True)
class Address:
    street: Text
    postcode: str
    city: Text
    country: str
    attention: Text | None = None


@dataclass(frozen=True)
class Dpo:
    contact_form: bool
    postal_address: Address
    email: str = ""
    name: str = ""
    demo_values: tuple[str, ...] = ()


@dataclass(frozen=True)
class Entity:
    key: str
    role: str
    short_name: str
    legal_name: Text
    description: Text
    company_number: str = ""
    register_of_legal_entities: Text | None = None
    member_of: str = ""
    former_names: tuple[str, ...] = ()
    licence: Text | None = None
    address: Address | None = None
    phone: str = ""
    websites: tuple[str, ...] = ()
    dpo: Dpo | None = None


@dataclass(frozen=True)
class SupervisoryAuthority:
    key: str
    name: Text
    address: Address
    email: str
    phone: str
    website: Text


@dataclass(frozen=True)
class KeyedTitle:
    key: str
    title: Text


@dataclass(frozen=True)
class Block:
    """A text of the notice or of the retention policy, with the rules it serves."""

    text: Text
    rule_ids: tuple[str, ...] = ()
    items: tuple[KeyedTitle, ...] = ()  # staff-access grounds, third-party-request conditions


@dataclass(frozen=True)
class LegalBasis:
    key: str
    article: str  # "GDPR 6(1)(c)"
    title: Text
    detail: Text

    @property
    def is_article_6(self) -> bool:
        return self.article.startswith("GDPR 6")

    @property
    def is_article_9(self) -> bool:
        return self.article.startswith("GDPR 9")

    @property
    def is_consent(self) -> bool:
        """Consent (6(1)(a)) or explicit consent (9(2)(a))."""
        return self.article in ("GDPR 6(1)(a)", "GDPR 9(2)(a)")


@dataclass(frozen=True)
class Source:
    key: str
    title: Text


@dataclass(frozen=True)
class DataCategory:
    key: str
    title: Text
    examples: Text
    special: bool
    medical: bool
    gdpr_articles: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Purpose:
    key: str
    title: Text
    description: Text
    legal_bases: tuple[str, ...]
    data_categories: tuple[str, ...]
    automated_decisions: tuple[str, ...]
    profiling: bool
    refs: tuple[str, ...] = ()
    rule_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Recipient:
    key: str
    title: Text
    grounds: Text
    kind: str
    entities: tuple[str, ...] = ()
    on_request: bool = False


@dataclass(frozen=True)
class Processor:
    key: str
    title: Text
    task: Text
    data_categories: tuple[str, ...]
    entities: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProcessorRole:
    entity: str
    role: str  # processor, agent_and_processor
    on_behalf_of: str
    description: Text


@dataclass(frozen=True)
class Transfers:
    outside_eea: bool
    allowed_grounds: tuple[str, ...]
    notes: Text


@dataclass(frozen=True)
class Period:
    """An ISO 8601 period without time part."""

    years: int = 0
    months: int = 0
    weeks: int = 0
    days: int = 0

    @classmethod
    def parse(cls, value: str) -> Period:
        match = DURATION_RE.match(value)
        if not match:
            raise ValueError(f"not an ISO 8601 period: {value!r}")
        return cls(*(int(part or 0) for part in match.groups()))

    def relativedelta(self):
        from dateutil.relativedelta import relativedelta
        return relativedelta(years=self.years, months=self.months, weeks=self.weeks, days=self.days)


@dataclass(frozen=True)
class RetentionRule:
    key: str
    rule_ids: tuple[str, ...]
    data_categories: tuple[str, ...]
    start_event: str
    end_event: tuple[str, ...]
    duration: str  # ISO 8601, e.g. "P30Y"
    action: str  # erase, anonymise
    description: Text

    @property
    def period(self) -> Period:
        return Period.parse(self.duration)


@dataclass(frozen=True)
class AutomatedDecision:
    key: str
    title: Text
    logic: Text
    effects: Text
    art22_ground: str
    rule_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Context:
    key: str
    title: Text
    introduction: Text | None
    staff_access: Text | None
    controllers: tuple[str, ...]
    processors_roles: tuple[ProcessorRole, ...]
    purposes: tuple[Purpose, ...]
    legal_bases: tuple[LegalBasis, ...]
    data_categories: tuple[DataCategory, ...]
    sources: tuple[Source, ...]
    recipients: tuple[Recipient, ...]
    processors: tuple[Processor, ...]
    transfers: Transfers
    retention: tuple[RetentionRule, ...]
    automated_decisions: tuple[AutomatedDecision, ...]
    refs: tuple[str, ...] = ()

    @cached_property
    def _index(self) -> dict[str, dict[str, Any]]:
        return {name: {item.key: item for item in getattr(self, name)} for name in (
            "purposes", "legal_bases", "data_categories", "sources", "recipients", "processors",
            "retention", "automated_decisions")}

    def purpose(self, key: str) -> Purpose:
        return self._index["purposes"][key]

    def legal_basis(self, key: str) -> LegalBasis:
        return self._index["legal_bases"][key]

    def category(self, key: str) -> DataCategory | None:
        return self._index["data_categories"].get(key)

    def source(self, key: str) -> Source:
        return self._index["sources"][key]

    def recipient(self, key: str) -> Recipient | None:
        return self._index["recipients"].get(key)

    def decision(self, key: str) -> AutomatedDecision:
        return self._index["automated_decisions"][key]

    def bases_of(self, purpose: Purpose) -> list[LegalBasis]:
        return [self.legal_basis(key) for key in purpose.legal_bases]

    def retention_for(self, category_key: str) -> list[RetentionRule]:
        return [rule for rule in self.retention if category_key in rule.data_categories]


@dataclass(frozen=True)
class Channel:
    key: str
    title: Text
    requires_active_account: bool = False


@dataclass(frozen=True)
class Right:
    key: str
    title: Text
    explanation: Text
    channels: tuple[str, ...]
    rule_ids: tuple[str, ...]
    gdpr_article: str
    limits: Text | None = None
    contexts: tuple[str, ...] = ()  # empty: every context
    refs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Deadline:
    response: str
    extension: str
    extension_notice_within: str
    text: Text
    rule_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rights:
    channels: tuple[Channel, ...]
    rights: tuple[Right, ...]
    identity_check: Block
    answer_format: Block
    deadline: Deadline

    def right(self, key: str) -> Right:
        return next(right for right in self.rights if right.key == key)

    def channel(self, key: str) -> Channel:
        return next(channel for channel in self.channels if channel.key == key)


@dataclass(frozen=True)
class CategoryUse:
    """Why a data category is held in one context: `Register.explain`."""

    context: Context
    category: DataCategory
    purposes: tuple[Purpose, ...]
    legal_bases: tuple[LegalBasis, ...]
    retention: tuple[RetentionRule, ...]
    recipients: tuple[Recipient, ...]
    processors: tuple[Processor, ...]


@dataclass(frozen=True)
class Register:
    operator: str
    entities: tuple[Entity, ...]
    supervisory_authority: SupervisoryAuthority
    notice_url: str
    notice: Mapping[str, Block]
    retention_policy: Mapping[str, Block]
    contexts: tuple[Context, ...]
    rights: Rights
    raw: dict = field(repr=False, compare=False)

    @cached_property
    def digest(self) -> str:
        """sha256 of the canonical JSON of the register: changes exactly when the register does."""
        return hashlib.sha256(canonical_json(self.raw).encode()).hexdigest()

    @cached_property
    def _contexts(self) -> dict[str, Context]:
        return {context.key: context for context in self.contexts}

    def context(self, key: str) -> Context:
        """The context `key`; KeyError when there is none."""
        return self._contexts[key]

    def has_context(self, key: str) -> bool:
        return key in self._contexts

    def entity(self, key: str) -> Entity:
        return next(entity for entity in self.entities if entity.key == key)

    def categories(self) -> set[str]:
        """Every data category key, in any context."""
        return {category.key for context in self.contexts for category in context.data_categories}

    def category_in(self, context: str, key: str) -> DataCategory | None:
        """The category `key` as the context `context` describes it, or None."""
        return self._contexts[context].category(key) if context in self._contexts else None

    def contexts_of(self, category_key: str) -> list[Context]:
        return [context for context in self.contexts if context.category(category_key) is not None]

    def explain(self, category_key: str, context: str | None = None) -> list[CategoryUse]:
        """Why the category is held, per context: purposes, legal bases, retention, recipients, processors."""
        uses = []
        for ctx in self.contexts:
            category = ctx.category(category_key)
            if category is None or (context is not None and ctx.key != context):
                continue
            purposes = tuple(p for p in ctx.purposes if category_key in p.data_categories)
            bases: dict[str, LegalBasis] = {}
            for purpose in purposes:
                for basis in ctx.bases_of(purpose):
                    if basis.is_article_9 and "9" not in category.gdpr_articles:
                        continue
                    if basis.article == "GDPR 87" and "87" not in category.gdpr_articles:
                        continue
                    bases.setdefault(basis.key, basis)
            uses.append(CategoryUse(
                context=ctx, category=category, purposes=purposes, legal_bases=tuple(bases.values()),
                retention=tuple(ctx.retention_for(category_key)), recipients=ctx.recipients,
                processors=tuple(p for p in ctx.processors if category_key in p.data_categories),
            ))
        return uses

    def is_allowed_recipient(self, context: str, recipient_key: str) -> bool:
        """DISC-2: only the recipients the context lists may receive its data."""
        return context in self._contexts and self._contexts[context].recipient(recipient_key) is not None

    def purpose(self, qualified_key: str) -> tuple[Context, Purpose]:
        """A purpose by "context:purpose", or by its bare key when only one context has it; KeyError otherwise."""
        context_key, _, purpose_key = qualified_key.rpartition(":")
        candidates = [ctx for ctx in self.contexts if (not context_key or ctx.key == context_key)
                      and purpose_key in ctx._index["purposes"]]
        if len(candidates) != 1:
            raise KeyError(qualified_key)
        return candidates[0], candidates[0].purpose(purpose_key)


def _tuple(items) -> tuple:
    return tuple(items or ())


def _address(data: dict | None) -> Address | None:
    if not data:
        return None
    return Address(street=data["street"], postcode=data["postcode"], city=data["city"], country=data["country"],
                   attention=data.get("attention"))


def _block(data: dict) -> Block:
    items = data.get("grounds") or data.get("conditions") or []
    return Block(text=data["text"], rule_ids=_tuple(data.get("rule_ids")),
                 items=tuple(KeyedTitle(item["key"], item["title"]) for item in items))


def _entity(data: dict) -> Entity:
    dpo = data.get("dpo")
    return Entity(
        key=data["key"], role=data["role"], short_name=data["short_name"], legal_name=data["legal_name"],
        description=data["description"], company_number=data.get("company_number", ""),
        register_of_legal_entities=data.get("register_of_legal_entities"), member_of=data.get("member_of", ""),
        former_names=_tuple(data.get("former_names")), licence=data.get("licence"),
        address=_address(data.get("address")), phone=data.get("phone", ""), websites=_tuple(data.get("websites")),
        dpo=Dpo(contact_form=dpo["contact_form"], postal_address=_address(dpo["postal_address"]),
                email=dpo.get("email", ""), name=dpo.get("name", ""), demo_values=_tuple(dpo.get("demo_values")))
        if dpo else None,
    )


def _context(data: dict) -> Context:
    return Context(
        key=data["key"], title=data["title"], introduction=data.get("introduction"),
        staff_access=data.get("staff_access"), controllers=_tuple(data["controllers"]), refs=_tuple(data.get("refs")),
        processors_roles=tuple(ProcessorRole(r["entity"], r["role"], r["on_behalf_of"], r["description"])
                               for r in data["processors_roles"]),
        purposes=tuple(Purpose(
            key=p["key"], title=p["title"], description=p["description"], legal_bases=_tuple(p["legal_bases"]),
            data_categories=_tuple(p["data_categories"]), automated_decisions=_tuple(p["automated_decisions"]),
            profiling=p["profiling"], refs=_tuple(p.get("refs")), rule_ids=_tuple(p.get("rule_ids")),
        ) for p in data["purposes"]),
        legal_bases=tuple(LegalBasis(b["key"], b["article"], b["title"], b["detail"]) for b in data["legal_bases"]),
        data_categories=tuple(DataCategory(
            key=c["key"], title=c["title"], examples=c["examples"], special=c["special"], medical=c["medical"],
            gdpr_articles=_tuple(c.get("gdpr_articles")), sources=_tuple(c["sources"]),
        ) for c in data["data_categories"]),
        sources=tuple(Source(s["key"], s["title"]) for s in data["sources"]),
        recipients=tuple(Recipient(
            key=r["key"], title=r["title"], grounds=r["grounds"], kind=r["kind"], entities=_tuple(r.get("entities")),
            on_request=bool(r.get("on_request", False)),
        ) for r in data["recipients"]),
        processors=tuple(Processor(p["key"], p["title"], p["task"], _tuple(p["data_categories"]),
                                   _tuple(p.get("entities"))) for p in data["processors"]),
        transfers=Transfers(data["transfers"]["outside_eea"], _tuple(data["transfers"]["allowed_grounds"]),
                            data["transfers"]["notes"]),
        retention=tuple(RetentionRule(
            key=r["key"], rule_ids=_tuple(r["rule_ids"]), data_categories=_tuple(r["data_categories"]),
            start_event=r["start_event"], end_event=_tuple(r.get("end_event")), duration=r["duration"],
            action=r["action"], description=r["description"],
        ) for r in data["retention"]),
        automated_decisions=tuple(AutomatedDecision(
            key=d["key"], title=d["title"], logic=d["logic"], effects=d["effects"], art22_ground=d["art22_ground"],
            rule_ids=_tuple(d.get("rule_ids")),
        ) for d in data["automated_decisions"]),
    )


def build_register(raw: dict) -> Register:
    """The typed register from its raw data (validated files, or a published version's snapshot)."""
    raw = _plain(raw)
    organisation, rights = raw["organisation"], raw["rights"]
    authority = organisation["supervisory_authority"]
    notice = dict(organisation["notice"])
    deadline = rights["deadline"]
    return Register(
        operator=organisation["operator"],
        entities=tuple(_entity(e) for e in organisation["entities"]),
        supervisory_authority=SupervisoryAuthority(
            key=authority["key"], name=authority["name"], address=_address(authority["address"]),
            email=authority["email"], phone=authority["phone"], website=authority["website"]),
        notice_url=notice.pop("url"),
        notice={name: _block(block) for name, block in notice.items()},
        retention_policy={name: _block(block) for name, block in organisation["retention_policy"].items()},
        contexts=tuple(_context(raw["contexts"][key]) for key in organisation["contexts"]),
        rights=Rights(
            channels=tuple(Channel(c["key"], c["title"], bool(c.get("requires_active_account", False)))
                           for c in rights["channels"]),
            rights=tuple(Right(
                key=r["key"], title=r["title"], explanation=r["explanation"], channels=_tuple(r["channels"]),
                rule_ids=_tuple(r["rule_ids"]), gdpr_article=r["gdpr_article"], limits=r.get("limits"),
                contexts=_tuple(r.get("contexts")), refs=_tuple(r.get("refs")),
            ) for r in rights["rights"]),
            identity_check=_block(rights["identity_check"]), answer_format=_block(rights["answer_format"]),
            deadline=Deadline(deadline["response"], deadline["extension"], deadline["extension_notice_within"],
                              deadline["text"], _tuple(deadline.get("rule_ids"))),
        ),
        raw=raw,
    )


def read_register(directory: Path | str = REGISTER_DIR) -> Register:
    """Read, validate and build the register in `directory`; RegisterError names each file and line at fault."""
    raw, problems = _validate(Path(directory))
    if problems:
        raise RegisterError(problems)
    return build_register(raw)


@cache
def _cached(directory: str) -> Register:
    return read_register(directory)


def load_register(directory: Path | str | None = None) -> Register:
    """The register in force (cached for the life of the process)."""
    return _cached(str(Path(directory or REGISTER_DIR).resolve()))


def snapshot_register(snapshot: dict) -> Register:
    """The register as a published version holds it."""
    return build_register(snapshot)

