from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Indicator, Observation, Plan, Target


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0
    raw_id_fields = ["indicator"]


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "base_year", "target_year", "region"]
    inlines = [TargetInline]
    raw_id_fields = ["region"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "unit", "category", "measure", "per_10k_of"]
    list_filter = ["category", "measure"]
    search_fields = ["code", "name_zh", "name_en"]


@admin.register(Observation)
class ObservationAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "region", "year", "month", "value", "revision", "is_current", "source"]
    list_filter = ["indicator", "year", "is_current"]
    search_fields = ["indicator__code", "indicator__name_zh", "region__name", "region__code", "source"]
    raw_id_fields = ["region"]
