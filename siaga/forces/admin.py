from django.contrib import admin

from siaga.forces.models import PartnerAgency, Personnel, Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "force", "level", "parent", "synthetic")
    list_filter = ("force", "level")
    search_fields = ("code", "name")
    filter_horizontal = ("districts",)
    raw_id_fields = ("parent",)


@admin.register(Personnel)
class PersonnelAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "force", "rank", "unit", "status", "can_lead", "synthetic")
    list_filter = ("force", "status", "can_lead", "unit__level")
    search_fields = ("code", "name")
    list_select_related = ("unit",)
    raw_id_fields = ("unit", "home_village")


@admin.register(PartnerAgency)
class PartnerAgencyAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "regency", "contact_name", "phone")
    list_filter = ("kind",)
    search_fields = ("name", "contact_name")
