"""The documents storage: the STORAGES["documents"] alias (filesystem under VAR_DIR, or S3-compatible when
configured). Outside the web root: files leave only through the download view, as attachments."""

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty

DOCUMENTS = "documents"


class DocumentsStorage(LazyObject):
    """The configured documents storage, looked up on first use (a model field keeps this proxy, so the
    STORAGES setting is read when files are written, not when models are imported)."""

    def _setup(self):
        self._wrapped = storages[DOCUMENTS]


_documents = DocumentsStorage()


def documents_storage():
    return _documents


@receiver(setting_changed)
def _storages_changed(*, setting, **kwargs):
    if setting == "STORAGES":
        _documents._wrapped = empty
