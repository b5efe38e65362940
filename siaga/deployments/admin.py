from django.contrib import admin

from siaga.deployments.models import Pin, Plan


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("operation", "version", "status", "pattern", "seed", "created_at", "created_by")
    list_filter = ("status", "operation")
    readonly_fields = ("summary", "document", "created_at")


@admin.register(Pin)
class PinAdmin(admin.ModelAdmin):
    list_display = ("operation", "personnel", "tps", "post_id", "created_by", "created_at")
    raw_id_fields = ("personnel", "tps")
