"""Accounts in the Django admin (administrators only)."""

from django.contrib import admin

from guichet.accounts.models import Restriction, User


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["username", "display_name", "staff_role", "is_active", "last_login"]
    list_filter = ["staff_role", "is_active"]
    search_fields = ["username", "display_name"]
    exclude = ["password"]
    raw_id_fields = ["person"]


@admin.register(Restriction)
class RestrictionAdmin(admin.ModelAdmin):
    list_display = ["person", "scope", "reason", "created_at", "lifted_at"]
    raw_id_fields = ["person", "created_by", "lifted_by"]
