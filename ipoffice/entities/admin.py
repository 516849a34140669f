from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Entity, EntityAlias, EntityMerge, MatchDecision


class AliasInline(admin.TabularInline):
    model = EntityAlias
    extra = 0


@admin.register(Entity)
class EntityAdmin(SimpleHistoryAdmin):
    list_display = ["name", "credit_code", "kind", "size_class", "region", "is_high_tech", "is_generated"]
    list_filter = ["kind", "size_class", "industry", "is_high_tech", "is_gbt29490_certified", "is_generated"]
    search_fields = ["name", "name_en", "credit_code", "aliases__name"]
    raw_id_fields = ["region", "parent"]
    inlines = [AliasInline]


@admin.register(MatchDecision)
class MatchDecisionAdmin(admin.ModelAdmin):
    list_display = ["input_name", "entity", "method", "score", "reason", "created_at"]
    list_filter = ["method"]
    search_fields = ["input_name", "entity__name"]
    raw_id_fields = ["entity"]


@admin.register(EntityMerge)
class EntityMergeAdmin(admin.ModelAdmin):
    list_display = ["merged_name", "merged_id", "target", "merged_by", "merged_at"]
    raw_id_fields = ["target"]
