from django.contrib import admin

from siaga.accounts.models import ApiToken, LoginAttempt, Profile


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "unit")
    list_filter = ("role",)
    search_fields = ("user__username", "unit__code", "unit__name")
    autocomplete_fields = ("unit",)


@admin.register(LoginAttempt)
class LoginAttemptAdmin(admin.ModelAdmin):
    list_display = ("at", "username", "success", "blocked", "ip")
    list_filter = ("success", "blocked")
    search_fields = ("username",)
    readonly_fields = ("at", "username", "success", "blocked", "ip")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "user", "created_at", "last_used_at", "revoked_at")
    search_fields = ("prefix", "user__username")
    readonly_fields = ("prefix", "digest", "created_at", "last_used_at")
