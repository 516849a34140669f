from django.contrib import admin

from .models import Representative


@admin.register(Representative)
class RepresentativeAdmin(admin.ModelAdmin):
    list_display = ["user", "entity", "created_at"]
    raw_id_fields = ["user", "entity"]
