"""The navigation part of ``ipoffice demo``: the worked example with a snapshot, signal detection, and the demo
enterprise user's competitor watch list with its alerts, made once however often the demo runs."""

import pytest

from ..demo import DEMO_WATCH_LIST, load_demo
from ..models import Alert, Project, WatchList
from .project_fixtures import corpus  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db


def test_the_demo_makes_its_navigation_data_once(corpus, django_user_model):  # noqa: F811
    enterprise = django_user_model.objects.create_user("enterprise", password="pw-enterprise-1")
    said = []
    load_demo(said.append)
    project = Project.objects.get(slug="nev-battery-guangdong")
    assert project.snapshots.count() == 1 and project.latest_snapshot.patent_count > 0
    watch_list = WatchList.objects.get(owner=enterprise, name=DEMO_WATCH_LIST)
    assert watch_list.kind == WatchList.Kind.COMPETITORS and 0 < watch_list.entities.count() <= 5
    alerts = Alert.objects.filter(watch_list=watch_list).count()
    assert alerts and any("watch list of enterprise" in line for line in said)
    load_demo(said.append)
    assert project.snapshots.count() == 1
    assert WatchList.objects.filter(owner=enterprise).count() == 1
    assert Alert.objects.filter(watch_list=watch_list).count() == alerts
