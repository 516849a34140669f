from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Population, Region, RegionGroup


@admin.register(Region)
class RegionAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "name_en", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name", "name_en"]
    raw_id_fields = ["parent"]


@admin.register(RegionGroup)
class RegionGroupAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "name_en"]
    filter_horizontal = ["members"]


@admin.register(Population)
class PopulationAdmin(SimpleHistoryAdmin):
    list_display = ["region", "year", "population_10k", "source"]
    list_filter = ["year"]
    search_fields = ["region__name", "region__code"]
    raw_id_fields = ["region"]
