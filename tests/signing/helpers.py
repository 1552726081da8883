"""Helpers of the signing tests: a document prepared for a person and a CMS made with given credentials."""

from guichet.signing import cms, services
from guichet.signing.test_token import SoftwareSigner

CONTENT = b'{"form":"sworn statement","household":["Marie Dubois"],"income":"12000.00"}'


def prepared(person, content: bytes = CONTENT, *, kind: str = "form", reference: str = "F-1"):
    return services.prepare(person, kind=kind, reference=reference, title="Sworn statement", content=content,
                            actor=person)


def signed_with(credentials, content: bytes = CONTENT) -> bytes:
    return cms.build(content, SoftwareSigner(credentials))
