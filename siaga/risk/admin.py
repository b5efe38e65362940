from django.contrib import admin

from siaga.risk.models import Indicator, IndicatorValue


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("code", "name_id", "group", "source", "weight")
    list_filter = ("source", "group")
    search_fields = ("code", "name_id", "name_en")


@admin.register(IndicatorValue)
class IndicatorValueAdmin(admin.ModelAdmin):
    list_display = ("tps", "indicator", "value", "note")
    list_filter = ("indicator",)
    search_fields = ("tps__code",)
    raw_id_fields = ("tps",)
