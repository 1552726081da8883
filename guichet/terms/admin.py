"""Terms versions and acceptances in the Django admin (read-mostly)."""

from django.contrib import admin

from guichet.terms.models import TermsAcceptance, TermsVersion


@admin.register(TermsVersion)
class TermsVersionAdmin(admin.ModelAdmin):
    list_display = ["document", "version", "published_at"]


@admin.register(TermsAcceptance)
class TermsAcceptanceAdmin(admin.ModelAdmin):
    list_display = ["person", "version", "accepted_at", "channel"]
    raw_id_fields = ["person"]
