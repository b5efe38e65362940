"""Admin pages of accounts. Lock-outs are under "Axes": Access attempts (counters, locked ones among them), access
failures and access logs; deleting an access attempt unlocks it, as `siaga user unlock` does."""

from django.contrib import admin

from siaga.accounts.models import ApiToken, Profile


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "unit")
    list_filter = ("role",)
    search_fields = ("user__username", "unit__code", "unit__name")
    autocomplete_fields = ("unit",)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "user", "created_at", "last_used_at", "revoked_at")
    search_fields = ("prefix", "user__username")
    readonly_fields = ("prefix", "digest", "created_at", "last_used_at")
