"""Publishing terms versions from the text files, and recording acceptances (ACC-10).

Using the site means accepting the current general terms: a member is asked once per version.
A service with specific conditions asks for their acceptance once per version as well.
"""

import datetime
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from guichet.terms.models import Document, TermsAcceptance, TermsVersion

TEXTS_DIR = Path(__file__).resolve().parent / "texts"
CURRENT_CACHE_SECONDS = 60


def publish(document: str, version: str, texts: dict[str, str], at: datetime.datetime | None = None) -> TermsVersion:
    missing = {code for code, _name in settings.LANGUAGES} - set(texts)
    if missing:
        raise ValueError(f"terms {document} {version} lack a text in {sorted(missing)}")
    terms, _created = TermsVersion.objects.get_or_create(
        document=document, version=version, defaults={"texts": texts, "published_at": at or timezone.now()}
    )
    cache.delete(_cache_key(document))
    return terms


def publish_from_files(document: str) -> list[TermsVersion]:
    """Publish every version found in texts/<document>/<version>.<language>.html not yet published."""
    folder = TEXTS_DIR / document
    versions: dict[str, dict[str, str]] = {}
    for path in sorted(folder.glob("*.html")):
        version, language = path.stem.rsplit(".", 1)
        versions.setdefault(version, {})[language] = path.read_text(encoding="utf-8")
    return [publish(document, version, texts) for version, texts in sorted(versions.items(), key=_version_key)]


def _version_key(item):
    return tuple(int(part) for part in item[0].split("."))


def _cache_key(document: str) -> str:
    return f"terms:current:{document}"


def current_version(document: str = Document.GENERAL) -> TermsVersion | None:
    terms = cache.get(_cache_key(document))
    if terms is None:
        terms = TermsVersion.objects.filter(document=document, published_at__lte=timezone.now()).first()
        if terms is not None:
            cache.set(_cache_key(document), terms, CURRENT_CACHE_SECONDS)
    return terms


def has_accepted_current(person, document: str = Document.GENERAL) -> bool:
    terms = current_version(document)
    return terms is None or TermsAcceptance.objects.filter(person=person, version=terms).exists()


def accept_current_terms(person, *, channel: str, document: str = Document.GENERAL) -> TermsAcceptance | None:
    terms = current_version(document)
    if terms is None:
        return None
    try:
        with transaction.atomic():
            acceptance, _created = TermsAcceptance.objects.get_or_create(
                person=person, version=terms, defaults={"channel": channel}
            )
    except IntegrityError:  # accepted at the same moment in another tab
        acceptance = TermsAcceptance.objects.get(person=person, version=terms)
    return acceptance
