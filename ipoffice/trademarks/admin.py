from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    ClassificationEdition,
    GoodsItem,
    ImportManifest,
    SimilarGroup,
    Trademark,
    TrademarkEvent,
    TrademarkGoods,
    TrademarkParty,
    Watch,
    WatchAlert,
)


class PartyInline(admin.TabularInline):
    model = TrademarkParty
    extra = 0
    raw_id_fields = ["entity", "region"]


class GoodsInline(admin.TabularInline):
    model = TrademarkGoods
    extra = 0


class EventInline(admin.TabularInline):
    model = TrademarkEvent
    extra = 0


@admin.register(Trademark)
class TrademarkAdmin(SimpleHistoryAdmin):
    list_display = ["display_number", "mark_text", "owner_name", "status", "filing_date", "registration_date",
                    "is_generated"]
    list_filter = ["office", "status", "mark_type", "mark_kind", "is_geographical_indication", "madrid_role",
                   "is_generated"]
    search_fields = ["application_number", "registration_number", "mark_text", "owner_name"]
    raw_id_fields = ["region"]
    inlines = [PartyInline, GoodsInline, EventInline]


@admin.register(ClassificationEdition)
class EditionAdmin(admin.ModelAdmin):
    list_display = ["code", "effective_from", "classes", "groups", "items", "loaded_at"]


@admin.register(SimilarGroup)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["edition", "code", "name"]
    list_filter = ["edition"]
    search_fields = ["code", "name"]


@admin.register(GoodsItem)
class ItemAdmin(admin.ModelAdmin):
    list_display = ["edition", "code", "group_code", "name", "spans_groups"]
    list_filter = ["edition", "spans_groups"]
    search_fields = ["code", "name"]


@admin.register(Watch)
class WatchAdmin(admin.ModelAdmin):
    list_display = ["entity", "threshold", "active", "last_run"]
    raw_id_fields = ["entity"]


@admin.register(WatchAlert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ["conflicting_mark", "watched_mark", "score", "goods_relation", "opposition_deadline", "status"]
    list_filter = ["status", "goods_relation"]
    raw_id_fields = ["watch", "watched_mark", "conflicting_mark"]


@admin.register(ImportManifest)
class ManifestAdmin(admin.ModelAdmin):
    list_display = ["path", "format", "status", "read", "created", "updated", "unchanged", "rejected", "started_at"]
