"""Public pages. Views only gather what the services compute and render it."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from ipoffice.core.errors import DataError
from ipoffice.core.text import fold
from ipoffice.entities.models import Entity, EntityMerge
from ipoffice.entities.services import entity_for_id, merge_entities, search_entities
from ipoffice.regions.models import Region, RegionGroup

from . import services
from .forms import EntityFilterForm, MergeForm
from .sections import sections_for


def home(request):
    return render(request, "portal/home.html", {"figures": services.key_figures()})


def search(request):
    query = request.GET.get("q", "").replace("\x00", "").strip()  # PostgreSQL refuses NUL in text
    entities = search_entities(query).select_related("region")[:50] if query else []
    folded = fold(query)
    regions = (Region.objects.filter(Q(name__contains=folded) | Q(name_en__icontains=folded))[:20]
               if query else [])
    return render(request, "portal/search.html", {"query": query, "entities": entities, "regions": regions})


def region_list(request):
    province = services.home_province()
    return render(request, "portal/region_list.html", {
        "province": province,
        "cities": services.city_table(province) if province else [],
        "groups": RegionGroup.objects.prefetch_related("members"),
    })


def region_detail(request, code):
    if not (code.isascii() and code.isdigit() and len(code) == 6):  # e.g. a NUL byte fails on PostgreSQL
        raise Http404(f"'{code}' is not a six-digit division code")
    region = get_object_or_404(Region.objects.select_related("parent"), code=code)
    entities = (Entity.objects.filter(region__code__startswith=region.code_prefix)
                .select_related("region").order_by("name"))
    page = Paginator(entities, 25).get_page(request.GET.get("page"))
    return render(request, "portal/region_detail.html", {
        "region": region,
        "districts": services.district_table(region) if region.level == Region.Level.CITY else [],
        "cities": services.city_table(region) if region.level == Region.Level.PROVINCE else [],
        "population": region.population.order_by("year"),
        "groups": region.groups.all(),
        "entity_count": entities.count(),
        "sections": sections_for(region, "region"),
        "page": page,
    })


def entity_list(request):
    form = EntityFilterForm(request.GET or None)
    entities = Entity.objects.select_related("region")
    if form.is_valid():
        entities = form.filter(entities)
    page = Paginator(entities.order_by("name"), 25).get_page(request.GET.get("page"))
    return render(request, "portal/entity_list.html", {"form": form, "page": page})


def entity_detail(request, pk):
    entity, merged = entity_for_id(pk)
    if entity is None:
        return render(request, "portal/not_found.html", {"what": _("entity"), "key": pk}, status=404)
    if merged:
        messages.info(request, _("Entity #%(old)s was merged into this one.") % {"old": pk})
        return redirect(entity)
    show_decisions = request.user.has_perm("entities.view_matchdecision")
    return render(request, "portal/entity_detail.html", {
        "entity": entity,
        "aliases": entity.aliases.all(),
        "branches": entity.branches.select_related("region"),
        "flags": [entity._meta.get_field(f).verbose_name for f in Entity.FLAG_FIELDS if getattr(entity, f)],
        "sections": sections_for(entity),
        "decisions": entity.match_decisions.all()[:20] if show_decisions else None,
        "merges": EntityMerge.objects.filter(target=entity),
    })


@permission_required("entities.merge_entity", raise_exception=True)
def entity_merge(request, pk):
    """Officers merge a duplicate into the entity that survives; all links follow."""
    source = get_object_or_404(Entity, pk=pk)
    form = MergeForm(request.POST or None, source=source)
    if request.method == "POST" and form.is_valid():
        try:
            record = merge_entities(source, form.cleaned_data["target"], user=request.user,
                                    reason=form.cleaned_data["reason"])
        except DataError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Merged %(name)s into this entity.") % {"name": record.merged_name})
            return redirect(record.target)
    return render(request, "portal/entity_merge.html", {"entity": source, "form": form})
