"""The entities API: search and filters, who may write, validation errors, match, merge, tokens, throttling."""

import pytest
from django.conf import settings
from django.core.cache import cache
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle

from ipoffice.accounts.roles import ANALYST, ENTERPRISE, OFFICER, assign_role
from ipoffice.entities.credit_code import check_character
from ipoffice.entities.models import Entity, EntityAlias, EntityMerge, MatchDecision
from ipoffice.entities.services import add_alias, match_entity

pytestmark = pytest.mark.django_db
PASSWORD = "Entity-api-pw-2016"


def credit_code(first17: str) -> str:
    """A valid unified social credit code ending in its computed check character."""
    return first17 + check_character(first17)


DJI_CODE = credit_code("91440300MA5D8NWP1")  # not the real one; valid shape and check character
OTHER_CODE = credit_code("91440101MA59ABCD1")


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()  # the anonymous throttle counts in the cache, across tests
    yield
    cache.clear()


@pytest.fixture
def make_user(django_user_model):
    def make(role=None, username=None):
        user = django_user_model.objects.create_user(username or f"api-{role or 'plain'}", password=PASSWORD)
        if role:
            assign_role(user, role)
        return user

    return make


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def officer_api(make_user):
    return client_for(make_user(OFFICER))


@pytest.fixture
def entities():
    """A few entities across Shenzhen and Guangzhou, made the way records bring them in."""
    dji = match_entity("深圳市大疆创新科技有限公司", "深圳市南山区西丽街道", DJI_CODE, source="test").entity
    dji.is_high_tech = True
    dji.save()
    add_alias(dji, "DJI", EntityAlias.Kind.ABBREVIATION)
    shenzhen_city = Entity.objects.create(name="深圳市知识产权服务中心", kind=Entity.Kind.AGENCY,
                                          region_id=_region_id("440300"))
    sysu = match_entity("中山大学", "广州市海珠区新港西路135号", source="test").entity
    tianhe = match_entity("广州天河软件科技有限公司", "广州市天河区天河路1号", source="test").entity
    return {"dji": dji, "szcity": shenzhen_city, "sysu": sysu, "tianhe": tianhe}


def _region_id(code):
    from ipoffice.regions.models import Region

    return Region.objects.get(code=code).pk


def names(response):
    assert response.status_code == 200, response.content
    return [row["name"] for row in response.json()["results"]]


# --- reading ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("query", ["大疆", "大疆創新", "深圳市大疆創新科技有限公司", "dajiang", "DaJiang", "DJI"])
def test_q_finds_by_chinese_traditional_pinyin_and_alias(entities, query):
    assert names(APIClient().get("/api/entities/", {"q": query})) == ["深圳市大疆创新科技有限公司"]


def test_q_by_credit_code_and_no_match(entities):
    assert names(APIClient().get("/api/entities/", {"q": DJI_CODE.lower()})) == ["深圳市大疆创新科技有限公司"]
    assert names(APIClient().get("/api/entities/", {"q": "不存在的公司"})) == []


def test_filter_by_kind(entities):
    assert names(APIClient().get("/api/entities/", {"kind": "university"})) == ["中山大学"]
    assert names(APIClient().get("/api/entities/", {"kind": "agency"})) == ["深圳市知识产权服务中心"]
    assert APIClient().get("/api/entities/", {"kind": "spaceship"}).status_code == 400


def test_filter_by_region_includes_districts(entities):
    shenzhen = names(APIClient().get("/api/entities/", {"region": "4403"}))
    assert sorted(shenzhen) == sorted(["深圳市大疆创新科技有限公司", "深圳市知识产权服务中心"])
    assert names(APIClient().get("/api/entities/", {"region": "440300"})) == shenzhen
    guangzhou = names(APIClient().get("/api/entities/", {"region": "4401"}))
    assert sorted(guangzhou) == sorted(["中山大学", "广州天河软件科技有限公司"])
    assert names(APIClient().get("/api/entities/", {"region": "440106"})) == ["广州天河软件科技有限公司"]
    assert len(names(APIClient().get("/api/entities/", {"region": "44"}))) == 4
    assert names(APIClient().get("/api/entities/", {"region": "not-a-code"})) == []


def test_filter_by_flags(entities):
    assert names(APIClient().get("/api/entities/", {"is_high_tech": "true"})) == ["深圳市大疆创新科技有限公司"]
    assert len(names(APIClient().get("/api/entities/", {"is_high_tech": "false"}))) == 3
    assert names(APIClient().get("/api/entities/", {"is_high_tech": "true", "region": "4401"})) == []


def test_filter_by_parent(entities):
    branch = match_entity("深圳市大疆创新科技有限公司广州分公司", "广州市天河区", source="test").entity
    assert branch.parent_id == entities["dji"].pk
    api = APIClient()
    assert names(api.get("/api/entities/", {"parent": entities["dji"].pk})) == [branch.name]
    assert names(api.get("/api/entities/", {"parent": 99999999})) == []
    for bad in ["-1", "1.5", "-1.3e+48", "1e30", "99999999999999999999", "abc"]:  # once a 500 (overflow)
        response = api.get("/api/entities/", {"parent": bad})
        assert response.status_code == 400 and "parent" in response.json(), bad


def test_ordering_and_pagination(entities):
    api = APIClient()
    default = names(api.get("/api/entities/"))
    assert default == sorted(default)
    assert names(api.get("/api/entities/", {"ordering": "-name"})) == sorted(default, reverse=True)
    by_creation = [r["id"] for r in api.get("/api/entities/", {"ordering": "created_at"}).json()["results"]]
    assert by_creation == sorted(by_creation)

    first = api.get("/api/entities/", {"page_size": 3}).json()
    assert first["count"] == 4 and len(first["results"]) == 3
    assert "page=2" in first["next"]
    second = api.get(first["next"]).json()
    assert len(second["results"]) == 1 and second["next"] is None
    assert [r["name"] for r in first["results"] + second["results"]] == default


def test_detail_row(entities):
    body = APIClient().get(f"/api/entities/{entities['dji'].pk}/").json()
    assert body["credit_code"] == DJI_CODE
    assert body["region"] == "440305" and body["region_name"] == "南山区"
    assert body["is_high_tech"] is True and body["kind"] == "enterprise"
    assert {"name": "DJI", "kind": "abbreviation", "source": ""} in body["aliases"]
    assert APIClient().get("/api/entities/99999999/").status_code == 404


# --- who may write ---------------------------------------------------------------------------------------

NEW = {"name": "佛山市顺德区美的测试电器有限公司", "region": "440606", "kind": "enterprise"}


@pytest.mark.parametrize("role", [None, ENTERPRISE, ANALYST])
def test_readers_cannot_write(entities, make_user, role):
    api = APIClient() if role is None else client_for(make_user(role))
    assert api.get("/api/entities/").status_code == 200
    assert api.get(f"/api/entities/{entities['sysu'].pk}/").status_code == 200
    denied = (401, 403)
    assert api.post("/api/entities/", NEW, format="json").status_code in denied
    assert api.patch(f"/api/entities/{entities['sysu'].pk}/", {"name": "x"}, format="json").status_code in denied
    assert api.put(f"/api/entities/{entities['sysu'].pk}/", NEW, format="json").status_code in denied
    assert api.post("/api/entities/match/", {"name": "某某公司"}, format="json").status_code in denied
    merge = {"target": entities["sysu"].pk, "reason": "duplicate"}
    assert api.post(f"/api/entities/{entities['tianhe'].pk}/merge/", merge, format="json").status_code in denied
    assert api.delete(f"/api/entities/{entities['sysu'].pk}/").status_code in (*denied, 405)
    assert Entity.objects.count() == 4
    assert Entity.objects.get(pk=entities["sysu"].pk).name == "中山大学"


def test_anonymous_write_body_says_why_in_the_callers_language(entities):
    response = APIClient().post("/api/entities/", NEW, format="json")
    assert response.status_code in (401, 403)
    assert "身份认证" in response.json()["detail"]  # Chinese unless asked otherwise
    response = APIClient().post("/api/entities/", NEW, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert "credentials were not provided" in response.json()["detail"]


def test_officer_creates_and_patches(officer_api):
    response = officer_api.post("/api/entities/", {**NEW, "credit_code": OTHER_CODE, "is_high_tech": True},
                                format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["region"] == "440606" and body["region_name"] == "顺德区" and body["is_high_tech"] is True
    assert body["credit_code"] == OTHER_CODE and body["is_generated"] is False
    entity = Entity.objects.get(pk=body["id"])
    assert entity.name_pinyin.startswith("foshanshi")

    response = officer_api.patch(f"/api/entities/{entity.pk}/", {"name_en": "Midea Test", "region": "4406"},
                                 format="json")
    assert response.status_code == 400 and "region" in response.json()  # region takes the six-digit code
    response = officer_api.patch(f"/api/entities/{entity.pk}/", {"name_en": "Midea Test", "region": "440600"},
                                 format="json")
    assert response.status_code == 200, response.content
    entity.refresh_from_db()
    assert entity.name_en == "Midea Test" and entity.region.code == "440600" and entity.is_high_tech
    assert entity.history.count() == 2  # creation and change are both in the history


def test_created_name_is_normalised(officer_api):
    response = officer_api.post("/api/entities/", {"name": "廣州 測試（集團）有限公司"}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["name"] == "广州测试(集团)有限公司"


@pytest.mark.parametrize("code, reason", [
    ("91440300MA5D8NWP1X", "check character"),
    ("9144030", "18 characters"),
    ("91440300MA5D8NWPIO", "no I, O, S, V, Z"),
])
def test_invalid_credit_code_is_400_naming_field_and_reason(officer_api, code, reason):
    if reason == "check character":
        code = code[:17] + ("0" if DJI_CODE[17] != "0" else "1")
    response = officer_api.post("/api/entities/", {**NEW, "credit_code": code}, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert list(errors) == ["credit_code"]
    assert reason in " ".join(errors["credit_code"])
    assert not Entity.objects.filter(name=NEW["name"]).exists()


def test_duplicate_credit_code_is_400_in_any_case(officer_api, entities):
    for code in (DJI_CODE, DJI_CODE.lower(), f" {DJI_CODE} "):
        response = officer_api.post("/api/entities/", {**NEW, "credit_code": code}, format="json")
        assert response.status_code == 400, (code, response.content)
        assert "credit_code" in response.json()
    assert Entity.objects.filter(credit_code=DJI_CODE).count() == 1


def test_lower_case_credit_code_is_stored_upper_case(officer_api):
    response = officer_api.post("/api/entities/", {**NEW, "credit_code": OTHER_CODE.lower()}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["credit_code"] == OTHER_CODE


@pytest.mark.parametrize("region", ["999999", "449999", "guangzhou", "4401", "44\x000100", "４４０１００"])
def test_unknown_region_is_400_naming_region(officer_api, region):
    response = officer_api.post("/api/entities/", {**NEW, "region": region}, format="json",
                                HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    errors = response.json()
    assert list(errors) == ["region"]
    assert region in errors["region"][0] and "not exist" in errors["region"][0]


@pytest.mark.parametrize("name", ["a&" * 100, "ﷺ" * 20, "㍿" * 150])
def test_name_too_long_once_normalised_is_400_not_a_database_error(officer_api, name):
    """Normalising lengthens these (' and ', NFKC); PostgreSQL refused them with a 500."""
    for url in ("/api/entities/", "/api/entities/match/"):
        response = officer_api.post(url, {"name": name}, format="json")
        assert response.status_code == 400, (url, response.content)
        assert "once normalised" in response.json()["name"][0]
    assert not Entity.objects.exists()
    entity = Entity.objects.create(name="长度测试公司")
    response = officer_api.patch(f"/api/entities/{entity.pk}/", {"name": name}, format="json")
    assert response.status_code == 400 and "name" in response.json()


def test_missing_name_and_bad_kind_are_400(officer_api):
    response = officer_api.post("/api/entities/", {"kind": "spaceship"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"name", "kind"}


# --- match -----------------------------------------------------------------------------------------------

def test_match_creates_then_links_with_method_and_reason(officer_api):
    first = officer_api.post("/api/entities/match/", {"name": "东莞市松山湖测试材料有限公司",
                                                      "address": "东莞市松山湖高新区"}, format="json")
    assert first.status_code == 201, first.content
    created = first.json()
    assert created["method"] == "created" and created["created"] is True
    assert "created" in created["reason"]
    entity = Entity.objects.get(pk=created["entity"])
    assert entity.region.code.startswith("4419")

    again = officer_api.post("/api/entities/match/", {"name": "東莞市松山湖測試材料有限責任公司"}, format="json")
    assert again.status_code == 200, again.content
    linked = again.json()
    assert linked["entity"] == entity.pk and linked["created"] is False
    assert linked["method"] == "name" and linked["reason"]
    assert linked["input_name"] == "東莞市松山湖測試材料有限責任公司"
    assert MatchDecision.objects.filter(entity=entity).count() == 2


def test_match_by_credit_code_and_branch(officer_api, entities):
    by_code = officer_api.post("/api/entities/match/", {"name": "大疆", "credit_code": DJI_CODE},
                               format="json").json()
    assert by_code["entity"] == entities["dji"].pk and by_code["method"] == "credit_code"
    assert DJI_CODE in by_code["reason"]

    branch = officer_api.post("/api/entities/match/", {"name": "深圳市大疆创新科技有限公司上海分公司"},
                              format="json")
    assert branch.status_code == 201
    body = branch.json()
    assert body["method"] == "branch" and "深圳市大疆创新科技有限公司" in body["reason"]
    assert Entity.objects.get(pk=body["entity"]).parent_id == entities["dji"].pk


def test_match_without_create_and_invalid_input(officer_api):
    response = officer_api.post("/api/entities/match/", {"name": "从未见过的测试公司", "create": False},
                                format="json")
    assert response.status_code == 404 and response.json()["detail"]
    assert not Entity.objects.filter(name="从未见过的测试公司").exists()

    empty = officer_api.post("/api/entities/match/", {"name": ""}, format="json")
    assert empty.status_code == 400 and "name" in empty.json()
    blank = officer_api.post("/api/entities/match/", {"name": " ;, "}, format="json")
    assert blank.status_code == 400 and "name" in str(blank.json())


def test_match_name_longer_than_an_entity_name_is_400(officer_api):
    response = officer_api.post("/api/entities/match/", {"name": "测" * 240 + "有限公司"}, format="json")
    assert response.status_code == 400 and "name" in response.json()
    assert not Entity.objects.filter(name__startswith="测测测").exists()


def test_match_with_invalid_credit_code_says_it_was_ignored(officer_api):
    body = officer_api.post("/api/entities/match/", {"name": "珠海测试游艇有限公司", "credit_code": "123"},
                            format="json").json()
    assert body["method"] == "created" and "ignored" in body["reason"]
    assert Entity.objects.get(pk=body["entity"]).credit_code is None


# --- merge -----------------------------------------------------------------------------------------------

def test_merge_moves_links_and_old_id_follows(officer_api, entities, client):
    duplicate = Entity.objects.create(name="大疆创新科技有限公司")  # as a careless import might have made it
    branch = Entity.objects.create(name="大疆创新科技有限公司北京分公司", parent=duplicate)
    response = officer_api.post(f"/api/entities/{duplicate.pk}/merge/",
                                {"target": entities["dji"].pk, "reason": "same enterprise"}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["merged_id"] == duplicate.pk and body["target"] == entities["dji"].pk
    assert body["reason"] == "same enterprise" and body["moved"]

    assert officer_api.get(f"/api/entities/{duplicate.pk}/").status_code == 404
    branch.refresh_from_db()
    assert branch.parent_id == entities["dji"].pk
    target = officer_api.get(f"/api/entities/{entities['dji'].pk}/").json()
    assert "大疆创新科技有限公司" in [a["name"] for a in target["aliases"]]
    assert EntityMerge.objects.get(merged_id=duplicate.pk).merged_by.username == "api-officer"

    page = client.get(f"/entities/{duplicate.pk}/")
    assert page.status_code == 302 and page["Location"] == f"/entities/{entities['dji'].pk}/"


def test_merge_errors(officer_api, entities):
    sysu, tianhe = entities["sysu"].pk, entities["tianhe"].pk
    itself = officer_api.post(f"/api/entities/{sysu}/merge/", {"target": sysu, "reason": "x"}, format="json")
    assert itself.status_code == 400 and "itself" in str(itself.json())
    no_reason = officer_api.post(f"/api/entities/{tianhe}/merge/", {"target": sysu}, format="json")
    assert no_reason.status_code == 400 and "reason" in no_reason.json()
    no_target = officer_api.post(f"/api/entities/{tianhe}/merge/", {"target": 99999999, "reason": "x"},
                                 format="json")
    assert no_target.status_code == 400 and "target" in no_target.json()
    unknown = officer_api.post("/api/entities/99999999/merge/", {"target": sysu, "reason": "x"}, format="json")
    assert unknown.status_code == 404
    not_a_number = officer_api.post("/api/entities/abc/merge/", {"target": sysu, "reason": "x"}, format="json")
    assert not_a_number.status_code == 404
    assert Entity.objects.filter(pk__in=[sysu, tianhe]).count() == 2
    assert not EntityMerge.objects.exists()


def test_merge_needs_the_merge_permission(entities, make_user):
    from django.contrib.auth.models import Permission

    clerk = make_user(None, "clerk")  # may add and change entities, but not merge them
    clerk.user_permissions.add(*Permission.objects.filter(
        content_type__app_label="entities", codename__in=["add_entity", "change_entity"]))
    api = client_for(clerk)
    assert api.patch(f"/api/entities/{entities['sysu'].pk}/", {"name_en": "SYSU"}, format="json").status_code == 200
    response = api.post(f"/api/entities/{entities['tianhe'].pk}/merge/",
                        {"target": entities["sysu"].pk, "reason": "x"}, format="json")
    assert response.status_code == 403
    assert Entity.objects.filter(pk=entities["tianhe"].pk).exists()


# --- token authentication --------------------------------------------------------------------------------

def test_token_authentication_allows_writes(make_user):
    make_user(OFFICER, "token-officer")
    api = APIClient()
    wrong = api.post("/api/token/", {"username": "token-officer", "password": "wrong"}, format="json")
    assert wrong.status_code == 400 and "non_field_errors" in wrong.json()
    response = api.post("/api/token/", {"username": "token-officer", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    assert len(token) == 40
    assert api.post("/api/token/", {"username": "token-officer", "password": PASSWORD}).json()["token"] == token

    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    created = api.post("/api/entities/", NEW, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert api.patch(f"/api/entities/{pk}/", {"industry": "C"}, format="json").status_code == 200
    assert Entity.objects.get(pk=pk).industry == "C"
    assert Entity.objects.get(pk=pk).history.latest().history_user.username == "token-officer"

    api.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40, HTTP_ACCEPT_LANGUAGE="en")
    bad = api.get("/api/entities/")
    assert bad.status_code in (401, 403) and bad.json()["detail"] == "Invalid token."


def test_enterprise_token_still_cannot_write(make_user):
    make_user(ENTERPRISE, "token-enterprise")
    api = APIClient()
    token = api.post("/api/token/", {"username": "token-enterprise", "password": PASSWORD}).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/entities/").status_code == 200
    assert api.post("/api/entities/", NEW, format="json").status_code == 403


# --- throttling ------------------------------------------------------------------------------------------

def test_anonymous_throttle_is_configured():
    config = settings.REST_FRAMEWORK
    assert "rest_framework.throttling.AnonRateThrottle" in config["DEFAULT_THROTTLE_CLASSES"]
    number, period = config["DEFAULT_THROTTLE_RATES"]["anon"].split("/")
    assert int(number) > 0 and period in ("second", "minute", "hour", "day", "sec", "min")


def test_anonymous_requests_beyond_the_rate_get_429_with_a_reason(monkeypatch, make_user):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/min"})
    api = APIClient()
    assert [api.get("/api/regions/440100/").status_code for _ in range(3)] == [200, 200, 200]
    response = api.get("/api/entities/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429
    assert "throttled" in response.json()["detail"]
    assert int(response["Retry-After"]) > 0

    officer = client_for(make_user(OFFICER))  # signed-in users are not held by the anonymous rate
    assert [officer.get("/api/regions/440100/").status_code for _ in range(5)] == [200] * 5
    cache.clear()
    assert api.get("/api/entities/").status_code == 200
