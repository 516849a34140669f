"""The OpenAPI schema, the API docs page, and a property-based check that no documented endpoint answers 5xx."""

import os
import re
from contextlib import contextmanager

import pytest
import yaml
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from ipoffice.accounts.roles import OFFICER, assign_role
from ipoffice.entities.services import match_entity

pytestmark = pytest.mark.django_db
# Per operation and generation mode; 12 operations × 2 modes stay well under a minute. Raise it (and set
# IPOFFICE_FUZZ_RANDOM=1 for fresh seeds) to hunt longer.
EXAMPLES = int(os.environ.get("IPOFFICE_FUZZ_EXAMPLES", "12"))
DERANDOMIZE = os.environ.get("IPOFFICE_FUZZ_RANDOM", "") != "1"
EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["'](https?:)?//(?P<host>[^/"']+)""", re.I)


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    return APIClient()


def test_schema_is_valid_openapi_3(api):
    response = api.get("/api/schema/")
    assert response.status_code == 200
    assert "openapi" in response["Content-Type"]
    schema = yaml.safe_load(response.content)
    assert str(schema["openapi"]).startswith("3.")
    assert schema["info"]["title"] == "ipoffice API"
    paths = schema["paths"]
    for path in ["/api/regions/", "/api/regions/{code}/", "/api/region-groups/", "/api/entities/",
                 "/api/entities/{id}/", "/api/entities/match/", "/api/entities/{id}/merge/", "/api/token/"]:
        assert path in paths, path
    assert "delete" not in paths["/api/entities/{id}/"]
    assert set(paths["/api/regions/{code}/"]) == {"get"}
    region_params = {p["name"] for p in paths["/api/regions/"]["get"]["parameters"]}
    assert {"level", "parent", "group", "within", "ordering", "page", "page_size"} <= region_params
    entity_params = {p["name"] for p in paths["/api/entities/"]["get"]["parameters"]}
    assert {"q", "kind", "region", "is_high_tech", "ordering", "page_size"} <= entity_params
    schemes = schema["components"]["securitySchemes"]
    assert {"tokenAuth", "cookieAuth"} <= set(schemes)

    as_json = api.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert as_json.status_code == 200 and as_json.json()["openapi"] == schema["openapi"]


def test_schema_validates_against_the_openapi_specification(api):
    """Checked with the official OpenAPI 3.0 JSON Schema (as schemathesis bundles it)."""
    definitions = pytest.importorskip("schemathesis.specs.openapi.definitions")
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert schema["openapi"].startswith("3.0.")
    validator = definitions.OPENAPI_30_VALIDATOR
    errors = [str(e) for e in validator.iter_errors(schema)]
    assert not errors, errors[:5]
    broken = {**schema, "paths": {"/api/regions/": {"get": {"responses": "none"}}}}
    assert not validator.is_valid(broken)  # the validator does reject a wrong document


def test_every_schema_reference_resolves(api):
    schema = yaml.safe_load(api.get("/api/schema/").content)
    text = yaml.safe_dump(schema)
    for ref in set(re.findall(r"\$ref: '?#/components/schemas/(\w+)", text)):
        assert ref in schema["components"]["schemas"], ref


@pytest.mark.parametrize("path", ["/api/docs/"])
def test_docs_page_uses_only_local_static_files(api, path):
    response = api.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    external = [m.group(0) for m in EXTERNAL.finditer(html) if m.group("host") not in ("localhost", "testserver")]
    assert not external, f"{path} loads from other hosts: {external}"
    assets = re.findall(r"""(?:src|href)\s*=\s*["'](/static/[^"']+)""", html)
    assert any(a.endswith(".js") for a in assets)
    for asset in assets:
        served = api.get(asset)
        assert served.status_code == 200, asset
        body = b"".join(served.streaming_content) if served.streaming else served.content
        assert body, asset
    if path == "/api/docs/":
        assert "/api/schema/" in html


# --- property-based: generated requests never get a server error ----------------------------------------

@contextmanager
def _in_process_requests():
    """Let WSGI requests share the test's database transaction, as Django's test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_no_documented_endpoint_answers_5xx(django_user_model):
    schemathesis = pytest.importorskip("schemathesis")
    from schemathesis import GenerationMode

    from ipoffice.wsgi import application

    officer = django_user_model.objects.create_user("fuzz-officer", password="Fuzz-officer-pw-1")
    assign_role(officer, OFFICER)
    token = Token.objects.create(user=officer).key
    for name, address in [("深圳市大疆创新科技有限公司", "深圳市南山区"), ("中山大学", "广州市海珠区"),
                          ("华为技术有限公司", "深圳市龙岗区")]:
        match_entity(name, address, source="fuzz")
    auth = {"Authorization": f"Token {token}"}

    with _in_process_requests():
        schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
        failures, seen, statuses, unsatisfiable = [], 0, {}, []
        for result in schema.get_all_operations():
            operation = result.ok()
            seen += 1
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                strategy = operation.as_strategy(generation_mode=mode, headers=auth)

                @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=DERANDOMIZE,
                          phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
                @given(case=strategy)
                def check(case):
                    cache.clear()  # the throttle is not under test here
                    with transaction.atomic():  # every request starts from the same data
                        response = case.call()
                        transaction.set_rollback(True)
                    statuses.setdefault(case.operation.label, set()).add(response.status_code)
                    if response.status_code >= 500:
                        failures.append(f"{response.status_code} {case.as_curl_command()}")

                try:
                    check()
                except Unsatisfiable:
                    # Some operations have nothing that can be made invalid (e.g. no parameters at all).
                    if mode is GenerationMode.POSITIVE:
                        raise
                    unsatisfiable.append(operation.label)
    assert not failures, "server errors:\n" + "\n".join(sorted(set(failures))[:20])
    assert seen >= 12
    assert len(unsatisfiable) < seen / 2, unsatisfiable  # only operations with nothing to break
    # Worth something only if the officer's generated writes got past authentication to the views.
    assert 201 in statuses["POST /api/entities/"], statuses
    assert statuses["POST /api/entities/{id}/merge/"] - {401, 403}, statuses

