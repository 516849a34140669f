"""The read-only regions API: filters, ordering, pagination, detail and errors."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

PRD_CITIES = {"440100", "440300", "440400", "440600", "440700", "441200", "441300", "441900", "442000"}
GUANGZHOU_DISTRICTS = {"440103", "440104", "440105", "440106", "440111", "440112", "440113", "440114",
                       "440115", "440117", "440118"}


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()  # the anonymous throttle counts in the cache, across tests
    yield
    cache.clear()


@pytest.fixture
def api():
    return APIClient()


def codes(response):
    assert response.status_code == 200, response.content
    return [row["code"] for row in response.json()["results"]]


def test_list_is_paginated_with_count_and_next_link(api):
    body = api.get("/api/regions/").json()
    assert body["count"] > 3000  # the whole country's divisions
    assert len(body["results"]) == 50  # default page size
    assert body["previous"] is None
    assert "page=2" in body["next"]
    assert body["results"][0]["code"] == "110000"  # ordered by code by default

    page = api.get("/api/regions/", {"page_size": 5, "level": 2, "parent": "440000"}).json()
    assert page["count"] == 21 and len(page["results"]) == 5
    assert "page_size=5" in page["next"] and "page=2" in page["next"]
    second = api.get(page["next"]).json()
    assert len(second["results"]) == 5
    assert not {r["code"] for r in page["results"]} & {r["code"] for r in second["results"]}
    assert "page=" not in second["previous"] or "page=1" in second["previous"]


def test_page_size_is_capped_and_out_of_range_page_is_404(api):
    body = api.get("/api/regions/", {"page_size": 100000}).json()
    assert len(body["results"]) == 500
    response = api.get("/api/regions/", {"page": 99999})
    assert response.status_code == 404
    assert "detail" in response.json()


def test_list_row_shape(api):
    row = api.get("/api/regions/", {"within": "440106"}).json()["results"][0]
    assert row["code"] == "440106" and row["name"] == "天河区"
    assert row["level"] == 3 and row["parent"] == "440100"
    assert row["url"].endswith("/api/regions/440106/")
    assert "children" not in row  # only the detail lists children


def test_filter_by_level_and_parent(api):
    provinces = codes(api.get("/api/regions/", {"level": 1, "page_size": 100}))
    assert len(provinces) == 34 and "440000" in provinces
    assert all(code.endswith("0000") for code in provinces)

    cities = codes(api.get("/api/regions/", {"parent": "440000", "page_size": 100}))
    assert len(cities) == 21 and "440100" in cities and "440300" in cities
    assert set(codes(api.get("/api/regions/", {"parent": "440100"}))) == GUANGZHOU_DISTRICTS


def test_filter_by_group_gives_the_nine_pearl_river_delta_cities(api):
    assert set(codes(api.get("/api/regions/", {"group": "prd"}))) == PRD_CITIES
    assert len(codes(api.get("/api/regions/", {"group": "east"}))) == 4
    assert codes(api.get("/api/regions/", {"group": "nope"})) == []


def test_filter_within_takes_any_code_form(api):
    within = set(codes(api.get("/api/regions/", {"within": "4401"})))
    assert within == GUANGZHOU_DISTRICTS | {"440100"}
    assert set(codes(api.get("/api/regions/", {"within": "440100"}))) == within
    province = api.get("/api/regions/", {"within": "44", "level": 3}).json()
    assert province["count"] > 100
    assert all(r["code"].startswith("44") for r in province["results"])


def test_filter_by_name_and_combined_filters(api):
    assert codes(api.get("/api/regions/", {"name": "天河"})) == ["440106"]
    assert codes(api.get("/api/regions/", {"name": "天河", "level": 2})) == []


def test_invalid_filter_value_is_400_naming_the_field(api):
    response = api.get("/api/regions/", {"level": "nine"})
    assert response.status_code == 400
    assert "level" in response.json()


def test_ordering(api):
    params = {"parent": "440100"}
    ascending = codes(api.get("/api/regions/", params))
    assert ascending == sorted(ascending)
    descending = codes(api.get("/api/regions/", {**params, "ordering": "-code"}))
    assert descending == sorted(ascending, reverse=True)
    by_name = api.get("/api/regions/", {**params, "ordering": "name"}).json()["results"]
    names = [r["name"] for r in by_name]
    assert names == sorted(names)
    mixed = codes(api.get("/api/regions/", {"within": "4401", "ordering": "level,-code"}))
    assert mixed[0] == "440100" and mixed[1:] == sorted(GUANGZHOU_DISTRICTS, reverse=True)


def test_detail_includes_children_groups_and_population(api):
    response = api.get("/api/regions/440100/")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "广州市" and body["level"] == 2 and body["parent"] == "440000"
    assert set(body["children"]) == GUANGZHOU_DISTRICTS
    assert body["groups"] == ["prd"]
    years = [p["year"] for p in body["population"]]
    assert 2020 in years and years == sorted(years)
    latest = body["population"][-1]
    assert float(latest["population_10k"]) > 1000 and latest["source"]


def test_district_detail_has_no_children(api):
    body = api.get("/api/regions/440106/").json()
    assert body["children"] == [] and body["parent"] == "440100"


@pytest.mark.parametrize("path", ["/api/regions/999999/", "/api/regions/440199/", "/api/region-groups/nope/"])
def test_unknown_code_is_404_with_a_reason(api, path):
    response = api.get(path)
    assert response.status_code == 404
    assert response.json()["detail"]


@pytest.mark.parametrize("path", ["/api/regions/4401/", "/api/regions/abc/", "/api/regions/4401000/"])
def test_malformed_code_is_404(api, path):
    assert api.get(path).status_code == 404


def test_region_groups(api):
    response = api.get("/api/region-groups/")
    assert response.status_code == 200
    groups = response.json()["results"]
    assert [g["code"] for g in groups] == ["prd", "east", "west", "north"]
    prd = groups[0]
    assert prd["name"] == "珠三角" and set(prd["members"]) == PRD_CITIES
    assert sum(len(g["members"]) for g in groups) == 21  # every city of the province in exactly one group
    detail = api.get("/api/region-groups/north/").json()
    assert detail["code"] == "north" and len(detail["members"]) == 5
    reversed_codes = [g["code"] for g in api.get("/api/region-groups/", {"ordering": "-order"}).json()["results"]]
    assert reversed_codes == ["north", "west", "east", "prd"]


def test_regions_are_read_only(api, django_user_model):
    from ipoffice.accounts.roles import ADMINISTRATOR, assign_role

    assert api.post("/api/regions/", {"code": "449999", "name": "x", "level": 3}).status_code in (401, 403)
    admin = django_user_model.objects.create_user("regions-admin", password="pw-Regions-1")
    assign_role(admin, ADMINISTRATOR)
    api.force_authenticate(admin)
    assert api.post("/api/regions/", {"code": "449999", "name": "x", "level": 3}).status_code == 405
    assert api.patch("/api/regions/440100/", {"name": "x"}).status_code == 405
    assert api.delete("/api/regions/440100/").status_code == 405
    assert api.get("/api/regions/440100/").json()["name"] == "广州市"
