"""Admin views of election day: read-mostly, since every change must go through the services (history, events)."""

from django.contrib import admin

from siaga.operations.models import Dispatch, Incident, IncidentEvent, OpsEvent, StatusReport


class ReadOnly(admin.ModelAdmin):
    """Rows written by services only; the admin shows them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(StatusReport)
class StatusReportAdmin(ReadOnly):
    list_display = ("tps", "status", "at", "received_at", "actor", "operation")
    list_filter = ("status", "operation")
    search_fields = ("tps__code", "actor", "client_id")
    raw_id_fields = ("tps", "district", "reported_by")


class IncidentEventInline(admin.TabularInline):
    model = IncidentEvent
    extra = 0
    can_delete = False
    readonly_fields = ("at", "actor", "from_state", "to_state", "note", "details")
    exclude = ("user",)


@admin.register(Incident)
class IncidentAdmin(ReadOnly):
    list_display = ("pk", "type", "severity", "state", "district", "tps", "at", "actor")
    list_filter = ("state", "severity", "type", "operation")
    search_fields = ("text", "tps__code", "actor", "client_id")
    raw_id_fields = ("district", "village", "tps", "reported_by")
    inlines = [IncidentEventInline]


@admin.register(Dispatch)
class DispatchAdmin(ReadOnly):
    list_display = ("squad", "incident", "state", "distance_km", "accepted_at", "actor")
    list_filter = ("state", "operation")
    raw_id_fields = ("incident", "plan", "accepted_by")


@admin.register(OpsEvent)
class OpsEventAdmin(ReadOnly):
    list_display = ("pk", "at", "kind", "operation", "district")
    list_filter = ("kind", "operation")
