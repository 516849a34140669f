"""Portal pages: language, search, regions, entities, merge form, login flow, and no external resources."""

import re

import pytest
from django.test import Client

from ipoffice.accounts.roles import ADMINISTRATOR, ENTERPRISE, OFFICER, assign_role
from ipoffice.entities.models import Entity, EntityAlias, EntityMerge
from ipoffice.entities.services import add_alias, match_entity

pytestmark = pytest.mark.django_db
PASSWORD = "Portal-test-pw-2016"
LINKS = re.compile(r"""\b(?:src|href|action)\s*=\s*["']([^"']*)["']""", re.I)
TITLE = re.compile(r"<title>(.*?)</title>", re.S)
HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def entities():
    dji = match_entity("深圳市大疆创新科技有限公司", "深圳市南山区西丽街道", source="test").entity
    dji.is_high_tech = True
    dji.save()
    add_alias(dji, "DJI", EntityAlias.Kind.ABBREVIATION)
    add_alias(dji, "大疆创新", EntityAlias.Kind.ALIAS)
    branch = match_entity("深圳市大疆创新科技有限公司广州分公司", "广州市天河区天河路", source="test").entity
    sysu = match_entity("中山大学", "广州市海珠区新港西路135号", source="test").entity
    tianhe = match_entity("广州天河门户测试有限公司", "广州市天河区", source="test").entity
    return {"dji": dji, "branch": branch, "sysu": sysu, "tianhe": tianhe}


@pytest.fixture
def officer_client(django_user_model):
    officer = django_user_model.objects.create_user("portal-officer", password=PASSWORD)
    assign_role(officer, OFFICER)
    client = Client()
    client.force_login(officer)
    return client


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def title(response) -> str:
    return TITLE.search(html(response)).group(1).strip()


def listed(entities_shown) -> list[str]:
    return [e.name for e in entities_shown]


# --- language --------------------------------------------------------------------------------------------

def test_home_is_chinese_by_default_and_english_on_request(client, entities):
    page = html(client.get("/"))
    assert '<html lang="zh-hans">' in page
    assert title(client.get("/")) == "首页 · ipoffice"
    assert "广东省" in page and "登录" in page

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/regions/"})
    assert response.status_code == 302 and response["Location"] == "/regions/"
    english = html(client.get("/"))
    assert '<html lang="en">' in english
    assert title(client.get("/")) == "Home · ipoffice"
    assert "Log in" in english and "登录" not in english
    assert not HAN.search(title(client.get("/regions/")))

    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert '<html lang="zh-hans">' in html(client.get("/"))


def test_pages_are_chinese_first_whatever_the_browser_asks(entities):
    """An English browser still gets the Chinese site until the visitor uses the switch; the API follows
    Accept-Language."""
    assert '<html lang="zh-hans">' in html(Client(HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").get("/"))
    assert '<html lang="zh-hans">' in html(Client(HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9").get("/"))
    english = Client(HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    english.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert '<html lang="en">' in html(english.get("/"))
    answer = Client(HTTP_ACCEPT_LANGUAGE="en").get("/api/entities/?parent=abc")
    assert answer["Content-Language"] == "en"


def test_home_shows_key_figures(client, entities):
    figures = client.get("/").context["figures"]
    assert figures["cities"] == 21 and figures["districts"] > 100
    assert figures["entities"] == 4 and figures["high_tech"] == 1
    by_kind = {str(label): count for label, count in figures["by_kind"]}
    assert by_kind["高校"] == 1 and by_kind["企业"] == 3


# --- search ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("query", ["大疆", "大疆創新", "dajiang", "DJI", "szsdjcx"])
def test_search_finds_entities_by_chinese_traditional_pinyin_alias_and_initials(client, entities, query):
    response = client.get("/search/", {"q": query})
    names = listed(response.context["entities"])
    assert "深圳市大疆创新科技有限公司" in names
    assert "中山大学" not in names
    assert f'href="/entities/{entities["dji"].pk}/"' in html(response)


def test_search_finds_regions_and_handles_no_match(client, entities):
    regions = client.get("/search/", {"q": "天河"}).context["regions"]
    assert "440106" in [r.code for r in regions]
    assert "440100" in [r.code for r in client.get("/search/", {"q": "廣州"}).context["regions"]]
    assert "440100" in [r.code for r in client.get("/search/", {"q": "Guangzhou"}).context["regions"]]
    nothing = client.get("/search/", {"q": "没有这个名字的东西"})
    assert listed(nothing.context["entities"]) == [] and list(nothing.context["regions"]) == []
    assert "没有匹配的主体。" in html(nothing) and "没有匹配的地区。" in html(nothing)
    empty = client.get("/search/", {"q": "  "})
    assert empty.status_code == 200 and empty.context["entities"] == []


def test_search_with_a_nul_byte_is_not_a_server_error(client, entities):
    """PostgreSQL refuses NUL in text parameters; the page once answered 500 there."""
    response = client.get("/search/?q=%E5%A4%A7%00%E7%96%86")  # 大\x00疆
    assert response.status_code == 200
    assert "深圳市大疆创新科技有限公司" in listed(response.context["entities"])
    assert client.get("/search/?q=%00").status_code == 200


# --- regions ---------------------------------------------------------------------------------------------

def test_region_list_shows_groups_and_cities(client, entities):
    page = html(client.get("/regions/"))
    assert "珠三角" in page and "粤北" in page
    for city in ["广州市", "深圳市", "潮州市", "云浮市"]:
        assert city in page
    assert 'href="/regions/440100/"' in page
    rows = client.get("/regions/").context["cities"]
    assert len(rows) == 21
    guangzhou = next(r for r in rows if r["city"].code == "440100")
    assert guangzhou["entities"] == 3 and guangzhou["group"].code == "prd" and guangzhou["districts"] == 11


def test_city_page_lists_its_districts_and_entities(client, entities):
    response = client.get("/regions/440100/")
    page = html(response)
    assert "广州市" in page and "天河区" in page and 'href="/regions/440106/"' in page
    assert "珠三角" in page
    assert response.context["entity_count"] == 3
    assert "中山大学" in page
    assert "深圳市大疆创新科技有限公司广州分公司" in page
    assert "2020" in page  # population table
    district = html(client.get("/regions/440106/"))
    assert "天河区" in district and "广州天河门户测试有限公司" in district and "中山大学" not in district


@pytest.mark.parametrize("code", ["999999", "440199", "abc", "4401", "%00", "44010%00", "４４０１００"])
def test_unknown_region_is_404(client, code):
    assert client.get(f"/regions/{code}/").status_code == 404


# --- entities --------------------------------------------------------------------------------------------

def test_entity_list_filters(client, entities):
    def shown(**params):
        response = client.get("/entities/", params)
        assert response.status_code == 200
        return sorted(listed(response.context["page"].object_list))

    assert len(shown()) == 4
    assert shown(q="大疆創新") == sorted(["深圳市大疆创新科技有限公司", "深圳市大疆创新科技有限公司广州分公司"])
    assert shown(kind="university") == ["中山大学"]
    assert shown(city="440300") == ["深圳市大疆创新科技有限公司"]
    assert shown(city="440100", kind="enterprise") == sorted(["广州天河门户测试有限公司",
                                                             "深圳市大疆创新科技有限公司广州分公司"])
    assert shown(high_tech="on") == ["深圳市大疆创新科技有限公司"]
    assert shown(q="dajiang", city="440100") == ["深圳市大疆创新科技有限公司广州分公司"]


def test_entity_list_rejects_an_unknown_filter_value_visibly(client, entities):
    response = client.get("/entities/", {"city": "110100"})  # Beijing is not a city of the province
    assert response.status_code == 200
    assert "city" in response.context["form"].errors


def test_entity_list_pages(client):
    Entity.objects.bulk_create([Entity(name=f"分页测试{i:02d}有限公司", name_key=f"k{i}") for i in range(30)])
    first = client.get("/entities/")
    assert len(first.context["page"].object_list) == 25
    assert first.context["page"].has_next()
    second = client.get("/entities/", {"page": 2})
    assert len(second.context["page"].object_list) == 5
    assert client.get("/entities/", {"page": "abc"}).status_code == 200


def test_entity_page_shows_aliases_and_branches(client, entities):
    dji = entities["dji"]
    page = html(client.get(f"/entities/{dji.pk}/"))
    assert "<h1>深圳市大疆创新科技有限公司" in page
    assert "其他名称" in page and "DJI" in page and "大疆创新" in page
    assert "分支机构" in page and "深圳市大疆创新科技有限公司广州分公司" in page
    assert f'href="/entities/{entities["branch"].pk}/"' in page
    assert "南山区" in page and 'href="/regions/440305/"' in page
    assert "高新技术企业" in page or "high-tech" in page.lower()
    branch = html(client.get(f"/entities/{entities['branch'].pk}/"))
    assert f'href="/entities/{dji.pk}/"' in branch  # the branch links back to its parent
    assert "/merge/" not in page  # the public sees no merge button


def test_unknown_entity_is_404(client):
    response = client.get("/entities/99999999/")
    assert response.status_code == 404
    assert "未找到" in response.content.decode()


# --- merge form ------------------------------------------------------------------------------------------

def test_merge_form_lists_candidates(officer_client, entities):
    duplicate = Entity.objects.create(name="大疆创新科技有限公司")
    response = officer_client.get(f"/entities/{duplicate.pk}/merge/")
    assert entities["dji"] in list(response.context["form"].candidates)
    assert duplicate not in list(response.context["form"].candidates)


def test_merging_into_itself_shows_an_error_and_changes_nothing(officer_client, entities):
    sysu = entities["sysu"]
    response = officer_client.post(f"/entities/{sysu.pk}/merge/", {"target": sysu.pk, "reason": "same"})
    assert response.status_code == 200
    assert "主体不能合并到自身。" in html(response)
    assert Entity.objects.filter(pk=sysu.pk).exists() and not EntityMerge.objects.exists()


@pytest.mark.parametrize("data, field", [({"target": "", "reason": "x"}, "target"),
                                         ({"target": "99999999", "reason": "x"}, "target"),
                                         ({"target": "abc", "reason": "x"}, "target"),
                                         ({"reason": ""}, "reason")])
def test_merge_form_validation(officer_client, entities, data, field):
    data = {"target": entities["dji"].pk, **data}
    response = officer_client.post(f"/entities/{entities['tianhe'].pk}/merge/", data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert Entity.objects.count() == 4 and not EntityMerge.objects.exists()


def test_merge_through_the_portal(officer_client, entities, client):
    duplicate = Entity.objects.create(name="大疆创新科技有限公司")
    response = officer_client.post(f"/entities/{duplicate.pk}/merge/",
                                   {"target": entities["dji"].pk, "reason": "重复登记"}, follow=True)
    assert response.redirect_chain == [(f"/entities/{entities['dji'].pk}/", 302)]
    page = html(response)
    assert "已将 大疆创新科技有限公司 合并到本主体。" in page
    assert "重复登记" in page  # the merge record on the survivor's page
    old = client.get(f"/entities/{duplicate.pk}/", follow=True)
    assert old.redirect_chain == [(f"/entities/{entities['dji'].pk}/", 302)]
    assert f"主体 #{duplicate.pk} 已合并到本主体。" in html(old)
    assert officer_client.get(f"/entities/{duplicate.pk}/merge/").status_code == 404


# --- login -----------------------------------------------------------------------------------------------

def test_login_and_logout_flow(client, django_user_model):
    user = django_user_model.objects.create_user("portal-user", password=PASSWORD)
    assign_role(user, ENTERPRISE)
    page = html(client.get("/accounts/login/"))
    assert 'name="username"' in page and 'name="password"' in page and "登录" in page

    wrong = client.post("/accounts/login/", {"username": "portal-user", "password": "wrong"})
    assert wrong.status_code == 200 and wrong.context["form"].errors
    assert "_auth_user_id" not in client.session

    response = client.post("/accounts/login/", {"username": "portal-user", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    home = html(client.get("/"))
    assert 'id="current-user"' in home and "portal-user" in home and 'id="logout-form"' in home
    assert "企业用户" in html(client.get("/accounts/me/"))

    assert client.get("/accounts/logout/").status_code == 405  # logging out takes a POST (CSRF-protected)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and response["Location"] == "/"
    assert "portal-user" not in html(client.get("/"))
    response = client.get("/accounts/me/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_login_follows_next_and_refuses_other_hosts(client, django_user_model):
    officer = django_user_model.objects.create_user("portal-next", password=PASSWORD)
    assign_role(officer, OFFICER)
    response = client.post("/accounts/login/?next=/history/",
                           {"username": "portal-next", "password": PASSWORD, "next": "/history/"})
    assert response.status_code == 302 and response["Location"] == "/history/"
    client.post("/accounts/logout/")
    response = client.post("/accounts/login/", {"username": "portal-next", "password": PASSWORD,
                                                "next": "https://evil.example.com/"})
    assert response.status_code == 302 and response["Location"] == "/"


def test_forms_carry_csrf_tokens(entities):
    client = Client(enforce_csrf_checks=True)
    page = html(client.get("/accounts/login/"))
    assert 'name="csrfmiddlewaretoken"' in page
    assert client.post("/accounts/login/", {"username": "x", "password": "y"}).status_code == 403


# --- no external resources -------------------------------------------------------------------------------

def external_links(page: str) -> list[str]:
    found = []
    for link in LINKS.findall(page):
        if re.match(r"(?i)^(https?:)?//", link) and not re.match(r"(?i)^(https?:)?//(testserver|localhost)\b",
                                                                    link):
            found.append(link)
    return found


def test_no_page_loads_anything_from_another_host(client, entities, django_user_model):
    administrator = django_user_model.objects.create_user("portal-admin", password=PASSWORD)
    assign_role(administrator, ADMINISTRATOR)
    dji, sysu = entities["dji"], entities["sysu"]
    public = ["/", "/search/?q=大疆", "/regions/", "/regions/440000/", "/regions/440100/", "/regions/440106/",
              "/entities/", f"/entities/{dji.pk}/", f"/entities/{sysu.pk}/", "/accounts/login/", "/api/docs/"]
    private = ["/history/", f"/history/entity/{dji.pk}/", f"/entities/{sysu.pk}/merge/", "/accounts/me/",
               "/admin/", "/admin/entities/entity/", f"/admin/entities/entity/{dji.pk}/change/"]
    checked = 0
    for language in ("zh-hans", "en"):
        client.cookies["django_language"] = language
        for url in public:
            page = html(client.get(url))
            assert not external_links(page), (url, external_links(page))
            checked += 1
    client.force_login(administrator)
    for url in private:
        page = html(client.get(url))
        assert not external_links(page), (url, external_links(page))
        checked += 1
    assert checked == 2 * len(public) + len(private)


def test_external_link_scanner_catches_cdn_references():
    assert external_links('<script src="https://cdn.jsdelivr.net/x.js"></script>') == [
        "https://cdn.jsdelivr.net/x.js"]
    assert external_links('<link href="//fonts.googleapis.com/css">') == ["//fonts.googleapis.com/css"]
    assert external_links('<img src="/static/a.png"><a href="http://testserver/x">') == []


def test_stylesheet_is_served_locally(client):
    page = html(client.get("/"))
    css = re.search(r'href="(/static/portal/site\.css[^"]*)"', page).group(1)
    response = client.get(css)
    assert response.status_code == 200
