"""Registry records in the Django admin (administrators only)."""

from django.contrib import admin

from guichet.members.models import Address, Affiliation, ContactChange, Household, HouseholdMembership, Person


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "member_number", "birth_date", "language"]
    search_fields = ["last_name", "member_number", "national_number"]


class MembershipInline(admin.TabularInline):
    model = HouseholdMembership
    raw_id_fields = ["person"]


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    inlines = [MembershipInline]


@admin.register(Affiliation)
class AffiliationAdmin(admin.ModelAdmin):
    list_display = ["person", "context", "product", "status", "start", "end"]
    list_filter = ["context", "status"]
    raw_id_fields = ["person", "holder"]


@admin.register(Address)
class AddressAdmin(admin.ModelAdmin):
    list_display = ["person", "postcode", "city", "country", "valid_from", "valid_to", "source"]
    raw_id_fields = ["person"]


@admin.register(ContactChange)
class ContactChangeAdmin(admin.ModelAdmin):
    """The history of contact changes is evidence: read-only here."""

    list_display = ["person", "kind", "changed_at", "channel", "verified_at"]
    list_filter = ["kind", "channel"]
    readonly_fields = [field.name for field in ContactChange._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
