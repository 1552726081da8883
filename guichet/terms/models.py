"""A published version of a terms document, and a person's acceptance of one version."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Document(models.TextChoices):
    GENERAL = "general", _("terms of use")
    SHOP = "shop", _("specific conditions of the e-shop")


class TermsVersion(models.Model):
    document = models.CharField(max_length=20, choices=Document.choices)
    version = models.CharField(max_length=20)
    published_at = models.DateTimeField(default=timezone.now)
    texts = models.JSONField(help_text="HTML text per language code")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["document", "version"], name="one_terms_version")]
        ordering = ["document", "-published_at"]

    def __str__(self) -> str:
        return f"{self.get_document_display()} {self.version}"

    def text_in(self, language: str) -> str:
        return self.texts.get(language) or self.texts.get("fr") or next(iter(self.texts.values()), "")


class TermsAcceptance(models.Model):
    person = models.ForeignKey("members.Person", on_delete=models.CASCADE, related_name="terms_acceptances")
    version = models.ForeignKey(TermsVersion, on_delete=models.PROTECT, related_name="acceptances")
    accepted_at = models.DateTimeField(default=timezone.now)
    channel = models.CharField(max_length=20)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "version"], name="one_acceptance_per_version")]
