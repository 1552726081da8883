"""The one call the decisions make to the signing app: ask a person to sign the BIM sworn statement."""

from __future__ import annotations


def prepare(signer, *, kind: str, reference: str, title: str, content: bytes, actor=None):
    from guichet.signing.services import prepare as signing_prepare

    return signing_prepare(signer, kind=kind, reference=reference, title=str(title), content=content,
                           content_type="application/json", actor=actor)
