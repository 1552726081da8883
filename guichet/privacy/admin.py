"""Privacy records in the Django admin (read-mostly)."""

from django.contrib import admin

from guichet.privacy.models import Consent, DeclarationVersion, DpoCase


@admin.register(DeclarationVersion)
class DeclarationVersionAdmin(admin.ModelAdmin):
    list_display = ["version", "published_at", "register_digest"]
    exclude = ["snapshot"]


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    list_display = ["context", "purpose", "given_at", "how", "withdrawn_at"]
    raw_id_fields = ["person"]


@admin.register(DpoCase)
class DpoCaseAdmin(admin.ModelAdmin):
    list_display = ["reference", "kind", "channel", "received_at", "status"]
    raw_id_fields = ["person"]
