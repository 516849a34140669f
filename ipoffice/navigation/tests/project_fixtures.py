"""Fixtures of the project-page tests: a small generated corpus, a project on it with a snapshot, and users per
role. Test modules import the fixtures they use."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model

from ipoffice.accounts.roles import ANALYST, OFFICER, assign_role
from ipoffice.patents import generator
from ipoffice.patents.importing import import_file
from ipoffice.regions.models import Region

from ..models import Effect, Project, SearchQuery
from ..snapshots import take_snapshot

QUERY = "type:invention OR type:utility"
REFERENCE = "*"
__all__ = ["corpus", "analyst", "officer", "project", "snapshot"]


@pytest.fixture
def corpus(tmp_path):
    summary = generator.generate(tmp_path, 150, seed=11, formats=("csv",))
    manifest = import_file(summary.paths["csv"][0])
    assert manifest.status == "done"
    return manifest.created


@pytest.fixture
def analyst(django_user_model):
    user = django_user_model.objects.create_user("nav-analyst", password="pw-analyst-1")
    assign_role(user, ANALYST)
    return get_user_model().objects.get(pk=user.pk)  # fresh permission cache


@pytest.fixture
def officer(django_user_model):
    user = django_user_model.objects.create_user("nav-officer", password="pw-officer-1")
    assign_role(user, OFFICER)
    return get_user_model().objects.get(pk=user.pk)


@pytest.fixture
def project(corpus, analyst):
    project = Project.objects.create(slug="nev", name="新能源汽车", project_type="industry",
                                     region=Region.objects.get(code="440000"), is_public=True, owner=analyst,
                                     cutoff_date=date(2024, 6, 30), reference_query=REFERENCE)
    SearchQuery.objects.create(project=project, version=1, text=QUERY, note="first")
    Effect.objects.create(project=project, name="降低能耗", query="降低")
    return project


@pytest.fixture
def snapshot(project):
    return take_snapshot(project)
