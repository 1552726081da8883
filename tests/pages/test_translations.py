"""The site speaks French and Dutch everywhere (ACC-8): the translation catalogs are complete and in sync.

What is checked, for each of fr and nl:
- every entry of guichet/locale/<lang>/LC_MESSAGES/django.po is translated, not fuzzy, and keeps the
  placeholders and HTML tags of its English msgid (%(name)s, %(n)d, %s, {name}, <strong>...);
- the header names the language, UTF-8 and the right plural rule;
- the catalogs hold exactly the strings of the code: makemessages is run on a copy of guichet/ in a
  temporary folder (never on the work tree), and its msgids are compared with the committed ones, so a
  new {% translate %} or gettext() string that nobody translated fails here;
- the compiled .mo files (build products, `make messages`) are those of the .po files;
- a real page, asked with the language cookie, comes back in that language;
- Django's own messages that our pages show (form and password validation) are translated too.

When a test here fails, refresh and translate the catalogs:
    cd guichet && ../.venv/bin/django-admin makemessages -l fr -l nl --ignore=static --no-obsolete
    (translate the new entries, drop the fuzzy flags) && ../.venv/bin/django-admin compilemessages
"""

import ast
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.html import escape

SOURCE = Path(settings.BASE_DIR) / "guichet"
LOCALE = SOURCE / "locale"
LANGUAGES = ["fr", "nl"]
PLURAL_FORMS = {"fr": "nplurals=2; plural=(n > 1);", "nl": "nplurals=2; plural=(n != 1);"}
GETTEXT_TOOLS = ("xgettext", "msguniq", "msgmerge", "msgattrib")


# --- a small .po reader (no dependency) ----------------------------------------------------------------

@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)  # plural index -> text; 0 for a singular entry
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def key(self) -> tuple:
        return (self.msgctxt, self.msgid, self.msgid_plural)

    def __str__(self) -> str:
        context = f"[{self.msgctxt}] " if self.msgctxt else ""
        return f"line {self.line}: {context}{self.msgid!r}"


KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")\s*$')


def _unquote(quoted: str) -> str:
    return ast.literal_eval(quoted)  # PO escapes (\" \\ \n \t) are a subset of Python's


def read_po(path: Path) -> tuple[dict[str, str], list[Entry]]:
    """The header (as a dict) and the entries of a .po file; obsolete (#~) entries are left out."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int | None] | None = None

    def flush():
        nonlocal current, target
        if current is not None and (current.msgid or current.msgstr):
            entries.append(current)
        current, target = None, None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            flush()
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#"):
            if current is not None and target is not None and target[0] == "msgstr":
                flush()  # a comment after a complete entry starts the next one
            if line.startswith("#,"):
                current = current or Entry(line=number)
                current.flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            continue
        match = KEYWORD.match(line)
        if match:
            keyword, index, quoted = match.groups()
            if keyword in ("msgid", "msgctxt") and target is not None and target[0] == "msgstr":
                flush()
            current = current or Entry(line=number)
            if keyword.startswith("msgstr"):
                target = ("msgstr", int(index or 0))
                current.msgstr[target[1]] = _unquote(quoted)
            else:
                target = (keyword, None)
                setattr(current, keyword, _unquote(quoted))
        elif line.startswith('"') and current is not None and target is not None:
            text = _unquote(line)
            if target[0] == "msgstr":
                current.msgstr[target[1]] += text
            else:
                setattr(current, target[0], getattr(current, target[0]) + text)
        else:
            raise AssertionError(f"{path}:{number}: cannot read {raw!r}")
    flush()
    header_entries = [entry for entry in entries if entry.msgid == "" and entry.msgctxt is None]
    header = {}
    if header_entries:
        for header_line in header_entries[0].msgstr.get(0, "").splitlines():
            name, _, value = header_line.partition(":")
            header[name.strip()] = value.strip()
    return header, [entry for entry in entries if entry.msgid != "" or entry.msgctxt is not None]


PLACEHOLDER = re.compile(
    r"%\(\w+\)[#0 +\-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]"  # %(name)s, %(max)d
    r"|%[#0 +\-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]"  # %s, %d
    r"|\{\{\s*[\w.]+\s*\}\}"  # {{ var }} left in a string
    r"|\{\w*\}"  # {name}, {}
)


HTML_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")


def placeholders(text: str) -> list[str]:
    """The %-placeholders, {{ var }} / {name} leftovers and HTML tags a translation must keep."""
    return sorted(PLACEHOLDER.findall(text.replace("%%", "")) + HTML_TAG.findall(text))


def catalog(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "django.po"


def missing_gettext_tools() -> list[str]:
    return [tool for tool in GETTEXT_TOOLS if shutil.which(tool) is None]


# --- the catalogs ----------------------------------------------------------------------------------------

@pytest.mark.rule("ACC-8")
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_catalog_entry_is_translated_and_keeps_its_placeholders(language):
    _, entries = read_po(catalog(language))
    assert entries, f"{catalog(language)} has no entry"
    problems = []
    for entry in entries:
        if "fuzzy" in entry.flags:
            problems.append(f"{entry}: fuzzy (check the translation, then remove the flag)")
        expected_forms = range(2) if entry.msgid_plural is not None else range(1)
        expected = placeholders(entry.msgid)
        if entry.msgid_plural is not None:
            expected = sorted(set(expected) | set(placeholders(entry.msgid_plural)))
        for index in expected_forms:
            text = entry.msgstr.get(index, "")
            if not text.strip():
                problems.append(f"{entry}: msgstr[{index}] not translated" if entry.msgid_plural else
                                f"{entry}: not translated")
            elif sorted(set(placeholders(text))) != sorted(set(expected)):
                problems.append(f"{entry}: placeholders or tags {placeholders(text)} instead of {expected}")
    assert not problems, f"{catalog(language)}:\n" + "\n".join(problems)


@pytest.mark.rule("ACC-8")
@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_header_names_the_language_the_charset_and_the_plural_rule(language):
    header, _ = read_po(catalog(language))
    assert header.get("Language") == language
    assert header.get("Content-Type") == "text/plain; charset=UTF-8"
    assert header.get("Plural-Forms") == PLURAL_FORMS[language]


@pytest.mark.rule("ACC-8")
def test_catalogs_hold_exactly_the_strings_of_the_code(tmp_path):
    """makemessages on a copy of guichet/ (the work tree is never written) must find the committed msgids."""
    if missing := missing_gettext_tools():
        pytest.skip(f"GNU gettext is not installed ({', '.join(missing)} missing): apt-get install gettext")
    copy = tmp_path / "guichet"
    shutil.copytree(SOURCE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "static", "locale"))
    (copy / "locale").mkdir()
    # No Django settings in the child: makemessages then writes only into ./locale of the copy.
    environment = {name: value for name, value in os.environ.items() if name != "DJANGO_SETTINGS_MODULE"}
    run = subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "fr", "--ignore=static", "--no-obsolete",
         "--keep-pot", "-v0"],
        cwd=copy, env=environment, capture_output=True, text=True, timeout=300,
    )
    assert run.returncode == 0, run.stderr
    _, extracted = read_po(copy / "locale" / "django.pot")
    in_code = {entry.key for entry in extracted}
    assert in_code, "makemessages found no string in the code"
    for language in LANGUAGES:
        in_catalog = {entry.key for entry in read_po(catalog(language))[1]}
        new = sorted(in_code - in_catalog, key=str)
        gone = sorted(in_catalog - in_code, key=str)
        assert not new and not gone, (
            f"{catalog(language)} is out of date with the code (see this module's docstring).\n"
            + "".join(f"  new in the code, not in the catalog: {key[1]!r}\n" for key in new)
            + "".join(f"  in the catalog, no longer in the code: {key[1]!r}\n" for key in gone)
        )


@pytest.mark.rule("ACC-8")
@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalog_is_the_one_of_the_po_file(language, tmp_path):
    """The .mo files are build products (`make messages`); a stale one serves old or missing texts."""
    if shutil.which("msgfmt") is None:
        pytest.skip("GNU gettext is not installed (msgfmt missing): apt-get install gettext")
    compiled = catalog(language).with_suffix(".mo")
    assert compiled.exists(), f"{compiled} is missing: run `make messages`"
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(fresh), str(catalog(language))], check=True)
    stale = compiled.read_bytes() != fresh.read_bytes()
    assert not stale, f"{compiled} is not the compiled form of its .po: run `make messages`"


# --- what people see -----------------------------------------------------------------------------------

@pytest.mark.rule("ACC-8")
@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_home_page_is_served_in_the_language_of_the_cookie(client, language):
    with translation.override(language):
        heading = translation.gettext("Your mutual, online")
        login = translation.gettext("Log in with your national register number and your password.")
    assert heading != "Your mutual, online", f"no compiled {language} catalog: run `make messages`"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get("/")
    page = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{language}">' in page
    assert f"<h1>{heading}</h1>" in page or f"<h1>{escape(heading)}</h1>" in page
    assert escape(login) in page
    assert "Your mutual, online" not in page


class _DjangoMessagesForm(forms.Form):
    name = forms.CharField(max_length=5)
    choice = forms.ChoiceField(choices=[("a", "a")])


def _django_messages() -> list[str]:
    """Django's own texts that our forms show: field errors and the password validators' refusals."""
    form = _DjangoMessagesForm({"name": "far too long", "choice": "b"})
    form.is_valid()
    texts = [message for errors in form.errors.values() for message in errors]
    texts += [str(forms.Field.default_error_messages["required"])]
    for password in ("short", "password1234"):  # too short; too common
        try:
            validate_password(password)
        except ValidationError as error:
            texts += error.messages
    return texts


@pytest.mark.rule("ACC-8")
@pytest.mark.parametrize("language", ["fr", "nl"])
def test_django_own_messages_on_our_pages_are_translated(language):
    """Not duplicated in our catalogs: Django's own catalogs must cover them, in the right language."""
    with translation.override("en"):
        english = _django_messages()
    with translation.override(settings.LANGUAGE_CODE):
        default = _django_messages()
    with translation.override(language):
        translated = _django_messages()
    assert len(english) == len(translated) == 5
    untranslated = [text for text, source in zip(translated, english, strict=True) if text == source]
    assert not untranslated, f"in English under {language}: {untranslated}"
    if language != settings.LANGUAGE_CODE:  # a text missing in this language falls back to the default one
        fallen_back = [text for text, theirs in zip(translated, default, strict=True) if text == theirs]
        assert not fallen_back, f"in {settings.LANGUAGE_CODE} under {language}: {fallen_back}"
