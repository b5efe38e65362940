from django.contrib import admin

from siaga.elections.models import Election, Operation, Stage


class StageInline(admin.TabularInline):
    model = Stage
    extra = 0


@admin.register(Election)
class ElectionAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "voting_day", "synthetic")
    list_filter = ("kind",)
    search_fields = ("name",)
    filter_horizontal = ("regencies",)
    inlines = [StageInline]


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    list_display = ("name", "election", "start", "end", "min_share_numerator", "min_share_denominator")
    list_filter = ("election",)


@admin.register(Operation)
class OperationAdmin(admin.ModelAdmin):
    list_display = ("name", "election", "start", "end", "commanding_unit")
    search_fields = ("name",)
    raw_id_fields = ("commanding_unit",)
