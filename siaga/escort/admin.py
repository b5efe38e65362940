from django.contrib import admin

from siaga.escort.models import Checkin, Leg


class CheckinInline(admin.TabularInline):
    model = Checkin
    extra = 0
    can_delete = False
    readonly_fields = ("point", "at", "received_at", "actor", "seal_numbers", "box_count", "note", "client_id",
                       "discrepancies")


@admin.register(Leg)
class LegAdmin(admin.ModelAdmin):
    list_display = ("operation", "key", "from_name", "to_name", "planned_departure", "planned_arrival", "state")
    list_filter = ("state", "direction", "seq", "operation")
    search_fields = ("key", "from_name", "to_name")
    raw_id_fields = ("district", "village", "tps", "escorts")
    readonly_fields = ("departed_at", "arrived_at", "missing_at", "created_at", "updated_at")
    inlines = [CheckinInline]


@admin.register(Checkin)
class CheckinAdmin(admin.ModelAdmin):
    list_display = ("leg", "point", "at", "actor", "box_count", "client_id")
    list_filter = ("point",)
    raw_id_fields = ("leg", "user")
