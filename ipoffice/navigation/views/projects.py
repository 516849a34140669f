"""Project pages: list, detail, analyses with drill-down, worksheet, findings, report."""

from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.urls import path

from ..models import Project


def visible_projects(user):
    """Public projects, and every project for those who may run them."""
    if user.has_perm("navigation.view_project"):
        return Project.objects.all()
    if user.is_authenticated:
        return Project.objects.filter(Q(is_public=True) | Q(owner=user))
    return Project.objects.filter(is_public=True)


def project_list(request):
    return render(request, "navigation/project_list.html",
                  {"projects": visible_projects(request.user).select_related("region")})


def project_detail(request, slug):
    project = get_object_or_404(visible_projects(request.user), slug=slug)
    return render(request, "navigation/project_detail.html", {"project": project})


urlpatterns = [
    path("", project_list, name="projects"),
    path("projects/<slug:slug>/", project_detail, name="project"),
]
