from django.contrib import admin

from .models import Representative


@admin.register(Representative)
class RepresentativeAdmin(admin.ModelAdmin):
    list_display = ["user", "entity", "status", "decided_by", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["user", "entity"]
