"""System checks of the signing app: in production the Belgian eID roots must be configured and readable,
otherwise every signature is refused."""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured


@checks.register()
def trust_anchors_configured(app_configs=None, **kwargs):
    from guichet.signing import config

    problems = []
    try:
        anchors = config.trust_anchors() if getattr(settings, "GUICHET_SIGNING_TRUST_ANCHORS", []) else []
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="signing.E001")]
    if settings.PRODUCTION and not anchors:
        problems.append(checks.Warning(
            "GUICHET_SIGNING_TRUST_ANCHORS names no usable root: every eID signature will be refused.",
            hint="Install the Belgian eID roots (Belgium Root CA4 and CA6) as PEM files; see docs/signing.md.",
            id="signing.W001"))
    return problems
