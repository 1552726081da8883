"""The e-Box's refusal: a message for the person, already translated, and the form field it concerns."""


class EboxError(Exception):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class UploadRefused(EboxError):
    """An uploaded file that Guichet does not keep (too large, not what it claims, a polyglot)."""
