"""Communication records in the Django admin: group subscribers are registered here (COMM-7); the rest is
read-mostly (deliveries show what reached whom and when)."""

from django.contrib import admin

from guichet.communication.models import Delivery, DoNotCallImport, Prospect, Subscriber


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ["name", "url", "active", "created_at"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["public_id", "subscriber", "created_at", "attempts", "next_attempt_at", "delivered_at"]
    list_filter = ["subscriber"]
    readonly_fields = ["change", "subscriber", "created_at", "attempts", "next_attempt_at", "delivered_at", "last_error"]


@admin.register(DoNotCallImport)
class DoNotCallImportAdmin(admin.ModelAdmin):
    list_display = ["file_name", "started_at", "lines", "imported", "rejected"]


@admin.register(Prospect)
class ProspectAdmin(admin.ModelAdmin):
    list_display = ["public_id", "source", "collected_at", "consent_given_at"]
