"""API of navigation projects: reading follows visibility, writing the owner or the analyst's permissions, every
analysis and its drill-down, the worksheet; bad input gets a 4xx with the reason, and generated requests never a
5xx."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from ..editing import run_analysis
from ..models import Project
from .project_fixtures import *  # noqa: F403  (the fixtures)
from .project_fixtures import QUERY

pytestmark = pytest.mark.django_db
BASE = "/api/navigation"


@pytest.fixture
def api():
    return APIClient()


def test_projects_list_filter_and_visibility(api, snapshot, officer):
    Project.objects.create(slug="hidden", name="内部", project_type="enterprise")
    assert [p["slug"] for p in api.get(f"{BASE}/projects/").json()["results"]] == ["nev"]
    api.force_authenticate(officer)
    assert {p["slug"] for p in api.get(f"{BASE}/projects/").json()["results"]} == {"nev", "hidden"}
    assert [p["slug"] for p in api.get(f"{BASE}/projects/", {"type": "industry"}).json()["results"]] == ["nev"]
    assert [p["slug"] for p in api.get(f"{BASE}/projects/", {"region": "44"}).json()["results"]] == ["nev"]
    assert api.get(f"{BASE}/projects/", {"region": "110000"}).json()["results"] == []
    bad = api.get(f"{BASE}/projects/", {"type": "space"})
    assert bad.status_code == 400 and "space" in str(bad.json())
    nev = api.get(f"{BASE}/projects/nev/").json()
    assert (nev["region"], nev["current_query"], nev["latest_snapshot"]) == ("440000", QUERY, snapshot.pk)


def test_create_and_update_need_the_right_people(api, analyst, officer):
    data = {"slug": "drones", "name": "无人机", "project_type": "industry", "region": "440300",
            "reference_query": "ipc:B64C*"}
    assert api.post(f"{BASE}/projects/", data).status_code in (401, 403)
    api.force_authenticate(officer)
    assert api.post(f"{BASE}/projects/", data).status_code == 403
    api.force_authenticate(analyst)
    bad = api.post(f"{BASE}/projects/", {**data, "reference_query": "ipc:B64C* AND ("})
    assert bad.status_code == 400 and "个字符处" in bad.json()["reference_query"][0]
    created = api.post(f"{BASE}/projects/", data, format="json")
    assert created.status_code == 201 and created.json()["owner"] == analyst.username
    assert api.patch(f"{BASE}/projects/drones/", {"name": "无人机产业"}).json()["name"] == "无人机产业"
    api.force_authenticate(officer)
    assert api.patch(f"{BASE}/projects/drones/", {"name": "x"}).status_code == 403


def test_queries_nodes_effects(api, project, analyst):
    api.force_authenticate(analyst)
    bad = api.post(f"{BASE}/projects/nev/queries/", {"text": "电池 AND ("})
    assert bad.status_code == 400 and "个字符处" in str(bad.json())
    added = api.post(f"{BASE}/projects/nev/queries/", {"text": "电池", "note": "narrower"})
    assert added.status_code == 201 and added.json()["version"] == 2
    assert [q["version"] for q in api.get(f"{BASE}/projects/nev/queries/").json()] == [2, 1]

    root = api.post(f"{BASE}/nodes/", {"project": "nev", "code": "1", "name": "电池", "query": "电池"})
    assert root.status_code == 201, root.json()
    child = api.post(f"{BASE}/nodes/", {"project": "nev", "code": "1.1", "name": "电极", "parent_code": "1"})
    assert child.status_code == 201 and child.json()["parent"] == "1"
    assert api.post(f"{BASE}/nodes/", {"project": "nev", "code": "1", "name": "x"}).status_code == 400
    assert api.post(f"{BASE}/nodes/", {"code": "2", "name": "x"}).status_code == 400  # which project?
    loop = api.patch(f"{BASE}/nodes/{root.json()['id']}/", {"parent_code": "1.1"})
    assert loop.status_code == 400 and "parent_code" in loop.json()
    assert [n["code"] for n in api.get(f"{BASE}/nodes/", {"project": "nev"}).json()["results"]] == ["1", "1.1"]
    assert api.post(f"{BASE}/effects/", {"project": "nev", "name": "降低能耗", "query": "x"}).status_code == 400
    effect = api.post(f"{BASE}/effects/", {"project": "nev", "name": "延长寿命", "query": "寿命"})
    assert effect.status_code == 201
    api.force_authenticate(None)
    assert api.delete(f"{BASE}/effects/{effect.json()['id']}/").status_code in (401, 403)
    api.force_authenticate(analyst)
    assert api.delete(f"{BASE}/effects/{effect.json()['id']}/").status_code == 204


def test_snapshots_analyses_and_drill_down(api, project, analyst, officer):
    assert api.get(f"{BASE}/projects/nev/analyses/").status_code == 404  # no snapshot yet
    api.force_authenticate(officer)
    assert api.post(f"{BASE}/projects/nev/snapshots/").status_code == 403
    api.force_authenticate(analyst)
    taken = api.post(f"{BASE}/projects/nev/snapshots/")
    assert taken.status_code == 201
    snapshot_id = taken.json()["id"]
    assert [s["id"] for s in api.get(f"{BASE}/projects/nev/snapshots/").json()] == [snapshot_id]
    keys = [a["key"] for a in api.get(f"{BASE}/projects/nev/analyses/").json()]
    assert "trend" in keys
    trend = api.get(f"{BASE}/projects/nev/analyses/trend/", {"snapshot": snapshot_id}).json()
    assert {"key", "title", "method", "columns", "rows", "notes", "chart", "drill"} <= set(trend)
    from ..models import Snapshot
    expected = run_analysis(Snapshot.objects.get(pk=snapshot_id), "trend")
    assert trend["rows"] == expected.rows
    year = str(expected.rows[0]["year"])
    drilled = api.get(f"{BASE}/projects/nev/analyses/trend/drill/{year}/", {"page_size": 500}).json()
    assert drilled["count"] == trend["drill"][year]
    assert {p["id"] for p in drilled["results"]} == set(expected.drill[year])
    assert api.get(f"{BASE}/projects/nev/analyses/trend/drill/1066/").status_code == 404
    assert api.get(f"{BASE}/projects/nev/analyses/nothing/").status_code == 404
    assert api.get(f"{BASE}/projects/nev/analyses/", {"snapshot": "x"}).status_code == 400
    assert api.get(f"{BASE}/projects/nev/analyses/", {"snapshot": 999999}).status_code == 404


def test_worksheet_through_the_api(api, snapshot, analyst, officer):
    url = f"{BASE}/snapshots/{snapshot.pk}/worksheet/"
    assert api.get(url).json() == {"figures": {"precision": None, "recall": None}}
    api.force_authenticate(officer)
    assert api.post(url, {"sample": "precision", "size": 2}).status_code == 403
    api.force_authenticate(analyst)
    assert api.post(url, {"sample": "precision", "size": 0}).status_code == 400
    assert api.post(url, {"sample": "precision", "size": 2}).json()["added"] == 2
    lines = api.get(f"{BASE}/judgements/", {"snapshot": snapshot.pk}).json()["results"]
    assert len(lines) == 2 and all(line["relevant"] is None for line in lines)
    for line, verdict in zip(lines, [True, False], strict=True):
        answer = api.patch(f"{BASE}/judgements/{line['id']}/", {"relevant": verdict, "note": "checked"},
                           format="json")
        assert answer.status_code == 200 and answer.json()["judged_by"] == analyst.username
    precision = api.get(url).json()["figures"]["precision"]
    assert (precision["successes"], precision["trials"], precision["value"]) == (1, 2, 0.5)
    assert api.get(f"{BASE}/judgements/", {"snapshot": "x"}).status_code == 400


def test_generated_requests_never_get_a_server_error(snapshot, analyst):
    """The schemathesis pattern of core's schema test, on the navigation operations, as an analyst."""
    schemathesis = pytest.importorskip("schemathesis")
    from django.db import transaction
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis.errors import Unsatisfiable
    from rest_framework.authtoken.models import Token
    from schemathesis import GenerationMode

    from ipoffice.core.tests.test_api_schema import _in_process_requests
    from ipoffice.wsgi import application

    auth = {"Authorization": f"Token {Token.objects.create(user=analyst).key}"}
    failures, seen = [], 0
    with _in_process_requests():
        schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
        for result in schema.get_all_operations():
            operation = result.ok()
            if "/navigation/projects" not in operation.path and "/navigation/judgements" not in operation.path \
                    and "/navigation/snapshots" not in operation.path and "/navigation/nodes" not in operation.path \
                    and "/navigation/effects" not in operation.path:
                continue
            seen += 1
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                @settings(max_examples=8, deadline=None, database=None, derandomize=True,
                          phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
                @given(case=operation.as_strategy(generation_mode=mode, headers=auth))
                def check(case):
                    cache.clear()
                    with transaction.atomic():
                        response = case.call()
                        transaction.set_rollback(True)
                    if response.status_code >= 500:
                        failures.append(f"{response.status_code} {case.as_curl_command()}")

                try:
                    check()
                except Unsatisfiable:
                    pass
    assert seen >= 15
    assert not failures, "server errors:\n" + "\n".join(sorted(set(failures))[:20])


def test_a_project_filter_that_cannot_be_a_key_is_a_400(api, snapshot):
    for endpoint in ("nodes", "effects", "snapshots"):
        assert api.get(f"/api/navigation/{endpoint}/", {"project": snapshot.project.slug}).status_code == 200
        bad = api.get(f"/api/navigation/{endpoint}/", {"project": "bad\x00key"}, HTTP_ACCEPT_LANGUAGE="en")
        assert bad.status_code == 400 and "project" in bad.json()
