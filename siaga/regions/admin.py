from django.contrib import admin

from siaga.regions.models import TPS, District, Province, Regency, Village


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")


@admin.register(Regency)
class RegencyAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "province")
    list_filter = ("kind", "province")
    search_fields = ("code", "name")


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "regency")
    list_filter = ("regency",)
    search_fields = ("code", "name")


@admin.register(Village)
class VillageAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "district")
    list_filter = ("kind", "district__regency")
    search_fields = ("code", "name")
    list_select_related = ("district",)


@admin.register(TPS)
class TPSAdmin(admin.ModelAdmin):
    list_display = ("code", "number", "village", "voters", "kind", "manual_category", "synthetic")
    list_filter = ("kind", "manual_category", "synthetic", "village__district")
    search_fields = ("code", "village__name")
    list_select_related = ("village",)
    raw_id_fields = ("village",)
