"""The outbox in the Django admin (administrators only): read-only, to follow deliveries."""

from django.contrib import admin

from guichet.events.models import OutboxEvent


@admin.register(OutboxEvent)
class OutboxEventAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "subject", "created_at", "delivered_at", "attempts"]
    list_filter = ["kind"]
    readonly_fields = [field.name for field in OutboxEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
