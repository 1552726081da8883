"""Models of the signing app: the exact bytes prepared for a signature, the signatures accepted with what
proved them (CMS, certificate chain, OCSP/CRL used), refused attempts, and lost or stolen card reports."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from guichet.members.models import Person


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for your signature")
    SIGNED = "signed", _("Signed")


class SignatureRequest(models.Model):
    """Bytes Guichet prepared for one person to sign (a form, a mandate, a sworn statement, a request):
    the signature is checked against these exact bytes and their SHA-256."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    signer = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="signature_requests")
    kind = models.CharField(max_length=40)
    reference = models.CharField(max_length=100)
    title = models.CharField(max_length=200)
    content = models.BinaryField()
    content_type = models.CharField(max_length=100, default="application/json")
    content_sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    prepared_at = models.DateTimeField()
    prepared_by = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [models.Index(fields=["signer", "status"]), models.Index(fields=["kind", "reference"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.reference}"

    @classmethod
    def for_subject(cls, subject):
        return cls.objects.filter(signer=subject)


class Signature(models.Model):
    """An accepted signature and everything needed to re-verify it offline (SIGN-4): the CMS, the signer's
    certificate and chain, the revocation data used and the validation result. Its hashes are in the
    ledger entry `signing.signed`, so a changed row is noticed."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    request = models.OneToOneField(SignatureRequest, on_delete=models.PROTECT, related_name="signature")
    signer = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="signatures")
    content_sha256 = models.CharField(max_length=64)
    cms = models.BinaryField()
    cms_sha256 = models.CharField(max_length=64)
    certificate = models.BinaryField()  # DER of the signer's certificate
    chain = models.JSONField(default=list)  # base64 DER, signer first, up to the trust anchor
    certificate_subject = models.CharField(max_length=500)
    certificate_serial = models.CharField(max_length=80)
    certificate_issuer = models.CharField(max_length=500)
    revocation = models.JSONField(default=dict)  # {"ocsp": [base64 DER], "crl": [base64 DER]}
    validation = models.JSONField(default=dict)  # the validation result at signing time
    signing_time = models.DateTimeField(null=True, blank=True)  # as claimed in the CMS
    validated_at = models.DateTimeField()
    ledger_sequence = models.BigIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return f"signature of {self.request_id}"


class RefusedSignature(models.Model):
    """An attempt that was refused, with the reason: never a valid signature."""

    request = models.ForeignKey(SignatureRequest, on_delete=models.CASCADE, related_name="refusals")
    at = models.DateTimeField()
    reason = models.CharField(max_length=40)
    message = models.CharField(max_length=300)
    cms_sha256 = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"refused signature of {self.request_id} ({self.reason})"


class LostCardReport(models.Model):
    """SIGN-5: from `reported_at`, signatures with this person's certificates issued before it are refused."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="lost_card_reports")
    reported_at = models.DateTimeField()
    recorded_at = models.DateTimeField()
    reported_by = models.CharField(max_length=200)  # "member" or the staff member's label
    channel = models.CharField(max_length=20)  # account, phone, counter
    reason = models.CharField(max_length=500)

    class Meta:
        indexes = [models.Index(fields=["person", "reported_at"])]

    def __str__(self) -> str:
        return f"card of {self.person_id} reported at {self.reported_at:%Y-%m-%d %H:%M}"
