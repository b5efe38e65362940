from django.contrib import admin

from siaga.core.models import AuditEvent, Job


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "actor", "action", "target")
    list_filter = ("action",)
    search_fields = ("actor", "target")
    readonly_fields = ("at", "user", "actor", "action", "target", "details")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("created_at", "kind", "subject", "state", "progress", "created_by")
    list_filter = ("kind", "state")
    search_fields = ("subject", "created_by", "message")
    readonly_fields = [f.name for f in Job._meta.fields]

    def has_add_permission(self, request):
        return False
