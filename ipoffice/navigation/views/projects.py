"""Project pages: the navigation landing with the project list, a project's definition (overview, counting rules,
search strategy, decomposition tree with hand tags, effects, snapshots) and the findings editor. The pages of one
snapshot (analyses, drill-down, worksheet, report) are in ``views.snapshots``."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .. import analyses
from ..editing import (
    REPORT_SECTIONS,
    add_query_version,
    all_analyses,
    can_edit,
    can_snapshot,
    finding_sections,
    save_findings,
    visible_projects,
)
from ..editing import tag_patent as tag_service
from ..forms import EffectForm, FindingsForm, NodeForm, ProjectForm, QueryVersionForm, TagForm, query_error
from ..models import Project, Snapshot
from ..snapshots import take_snapshot
from . import snapshots as snapshot_views

SECTION_LABELS = {"summary": gettext_lazy("Summary"), "recommendations": gettext_lazy("Recommendations"),
                  "risks": gettext_lazy("Risks and limits")}


def editable_project(request, slug) -> Project:
    project = get_object_or_404(visible_projects(request.user), slug=slug)
    if not can_edit(request.user, project):
        raise PermissionDenied(_("Only the owner or an analyst may change this project."))
    return project


def project_list(request):
    """The navigation landing: the projects, and links to filing tracking, signals and watch lists."""
    latest = Snapshot.objects.filter(project=OuterRef("pk")).order_by("-taken_at", "-pk")
    projects = (visible_projects(request.user).select_related("region")
                .annotate(latest_count=Subquery(latest.values("patent_count")[:1])))
    return render(request, "navigation/project_list.html", {
        "projects": projects, "can_add": request.user.has_perm("navigation.add_project")})


def project_detail(request, slug):
    project = get_object_or_404(visible_projects(request.user).select_related("region", "owner"), slug=slug)
    editing = can_edit(request.user, project)
    nodes = list(project.nodes.select_related("parent").prefetch_related("tags__patent"))
    return render(request, "navigation/project_detail.html", {
        "project": project, "can_edit": editing, "can_snapshot": can_snapshot(request.user, project),
        "queries": project.queries.select_related("created_by"), "nodes": nodes, "effects": project.effects.all(),
        "snapshots": project.snapshots.select_related("query").defer("data"),
        "query_form": QueryVersionForm(initial={"text": getattr(project.current_query, "text", "")}),
        "tag_form": TagForm()})


def project_form(request, slug=None):
    """Create a project (``navigation.add_project``) or change one (its owner or ``navigation.change_project``)."""
    if slug is None:
        if not request.user.has_perm("navigation.add_project"):
            raise PermissionDenied(_("Only analysts may create navigation projects."))
        project = Project(owner=request.user)
    else:
        project = editable_project(request, slug)
    form = ProjectForm(request.POST or None, instance=project)
    if request.method == "POST" and form.is_valid():
        project = form.save()
        messages.success(request, _("Project saved."))
        return redirect(project)
    return render(request, "navigation/project_form.html",
                  {"form": form, "project": project if slug else None, "regions": ProjectForm.region_choices()})


@require_POST
def add_query(request, slug):
    project = editable_project(request, slug)
    form = QueryVersionForm(request.POST)
    if form.is_valid():
        version = add_query_version(project, form.cleaned_data["text"], form.cleaned_data["note"], request.user)
        messages.success(request, _("Query version %(version)s saved.") % {"version": version.version})
        return redirect(project.get_absolute_url() + "#strategy")
    return render(request, "navigation/project_query.html", {"project": project, "form": form}, status=400)


def _sub_form(request, slug, form_class, related: str, pk, title, anchor: str):
    """Create or change a decomposition node or an effect of a project."""
    project = editable_project(request, slug)
    instance = get_object_or_404(getattr(project, related), pk=pk) if pk else None
    form = form_class(request.POST or None, instance=instance, project=project)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect(project.get_absolute_url() + anchor)
    return render(request, "navigation/project_part.html", {"project": project, "form": form, "instance": instance,
                                                            "title": title, "anchor": anchor},
                  status=400 if request.method == "POST" else 200)


def node_form(request, slug, pk=None):
    return _sub_form(request, slug, NodeForm, "nodes", pk, gettext_lazy("Technology branch"), "#tree")


def effect_form(request, slug, pk=None):
    return _sub_form(request, slug, EffectForm, "effects", pk, gettext_lazy("Technical effect"), "#effects")


@require_POST
def delete_node(request, slug, pk):
    project = editable_project(request, slug)
    get_object_or_404(project.nodes, pk=pk).delete()
    messages.success(request, _("Branch deleted with its sub-branches."))
    return redirect(project.get_absolute_url() + "#tree")


@require_POST
def delete_effect(request, slug, pk):
    project = editable_project(request, slug)
    get_object_or_404(project.effects, pk=pk).delete()
    messages.success(request, _("Effect deleted."))
    return redirect(project.get_absolute_url() + "#effects")


@require_POST
def tag_patent(request, slug, pk):
    """Hand tagging: put a patent into a branch or take it out, by its number."""
    project = editable_project(request, slug)
    node = get_object_or_404(project.nodes, pk=pk)
    form = TagForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a patent number and whether to put it in or take it out."))
    else:
        try:
            tag = tag_service(node, form.cleaned_data["number"], form.cleaned_data["included"], request.user)
        except LookupError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("%(patent)s tagged in %(node)s; the next snapshot applies it.")
                             % {"patent": tag.patent.display_number, "node": node})
    return redirect(project.get_absolute_url() + "#tree")


@require_POST
def new_snapshot(request, slug):
    """Freeze the dataset of the current query version (the owner or ``navigation.manage_projects``)."""
    project = get_object_or_404(visible_projects(request.user), slug=slug)
    if not can_snapshot(request.user, project):
        raise PermissionDenied(_("Only the owner or a project manager may take snapshots."))
    try:
        snapshot = take_snapshot(project)
    except ValueError as error:  # no query yet, or one the query language cannot read (QueryError)
        messages.error(request, query_error(error) if hasattr(error, "position") else str(error))
        return redirect(project.get_absolute_url() + "#snapshots")
    messages.success(request, _("Snapshot taken: %(count)s patents.") % {"count": snapshot.patent_count})
    return redirect("navigation:snapshot", project.slug, snapshot.pk)


def findings(request, slug):
    """The analyst's text per report section: summary, recommendations, risks and one per analysis."""
    project = get_object_or_404(visible_projects(request.user), slug=slug)
    editing = can_edit(request.user, project)
    titles = dict(SECTION_LABELS)
    titles.update({key: key for key in analyses.keys()})
    snapshot = project.latest_snapshot
    if snapshot is not None:
        titles.update({a.key: a.title for a in all_analyses(snapshot)})
    sections = [(key, titles[key]) for key in finding_sections(project)]
    current = dict(project.findings.values_list("section", "text"))
    form = FindingsForm(request.POST or None, initial=current, sections=sections)
    if request.method == "POST":
        if not editing:
            raise PermissionDenied(_("Only the owner or an analyst may edit the findings."))
        if form.is_valid():
            changed = save_findings(project, form.cleaned_data, request.user)
            messages.success(request, _("%(count)s sections saved.") % {"count": changed})
            return redirect("navigation:findings", project.slug)
    return render(request, "navigation/project_findings.html", {
        "project": project, "form": form, "can_edit": editing, "report_sections": REPORT_SECTIONS})


urlpatterns = [
    path("", project_list, name="projects"),
    path("projects/new/", project_form, name="project-new"),
    path("projects/<slug:slug>/", project_detail, name="project"),
    path("projects/<slug:slug>/edit/", project_form, name="project-edit"),
    path("projects/<slug:slug>/queries/", add_query, name="query-add"),
    path("projects/<slug:slug>/nodes/new/", node_form, name="node-new"),
    path("projects/<slug:slug>/nodes/<int:pk>/", node_form, name="node-edit"),
    path("projects/<slug:slug>/nodes/<int:pk>/delete/", delete_node, name="node-delete"),
    path("projects/<slug:slug>/nodes/<int:pk>/tags/", tag_patent, name="node-tag"),
    path("projects/<slug:slug>/effects/new/", effect_form, name="effect-new"),
    path("projects/<slug:slug>/effects/<int:pk>/", effect_form, name="effect-edit"),
    path("projects/<slug:slug>/effects/<int:pk>/delete/", delete_effect, name="effect-delete"),
    path("projects/<slug:slug>/snapshots/", new_snapshot, name="snapshot-new"),
    path("projects/<slug:slug>/findings/", findings, name="findings"),
    *snapshot_views.urlpatterns,
]
