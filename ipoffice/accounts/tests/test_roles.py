"""Roles: the groups and their permissions, and what each role may reach on the site, back office and API."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient

from ipoffice.accounts.roles import (
    ADMINISTRATOR,
    ANALYST,
    ENTERPRISE,
    OFFICER,
    ROLES,
    STAFF_ROLES,
    assign_role,
    ensure_roles,
    role_permissions,
    roles_of,
)
from ipoffice.entities.models import Entity
from ipoffice.entities.services import match_entity

pytestmark = pytest.mark.django_db
ANONYMOUS = "anonymous"
ALL = [ANONYMOUS, ENTERPRISE, OFFICER, ANALYST, ADMINISTRATOR]
PASSWORD = "Roles-test-pw-2016"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


def perms_of(group: Group) -> set[str]:
    return {f"{p.content_type.app_label}.{p.codename}"
            for p in group.permissions.select_related("content_type")}


def make_user(django_user_model, role):
    user = django_user_model.objects.create_user(f"role-{role}", password=PASSWORD)
    if role != ANONYMOUS:
        assign_role(user, role)
    return user


def client_as(django_user_model, role) -> Client:
    client = Client()
    if role != ANONYMOUS:
        client.force_login(make_user(django_user_model, role))
    return client


def api_as(django_user_model, role) -> APIClient:
    client = APIClient()
    if role != ANONYMOUS:
        client.force_authenticate(make_user(django_user_model, role))
    return client


@pytest.fixture
def entity():
    return match_entity("广州角色测试科技有限公司", "广州市天河区", source="test").entity


# --- the groups and their permissions -------------------------------------------------------------------

def test_every_role_is_a_group_with_exactly_its_mapped_permissions():
    wanted = role_permissions()
    assert set(ROLES) <= set(wanted)
    all_perms = Permission.objects.count()
    for role in ROLES:
        group = Group.objects.get(name=role)  # made by ``setup`` in the test database
        if "*" in wanted[role]:
            assert group.permissions.count() == all_perms
        else:
            assert perms_of(group) == wanted[role], role
    # enterprise users hold no registry or back-office permission, only those over what they own: watch lists
    enterprise = perms_of(Group.objects.get(name=ENTERPRISE))
    assert enterprise and all(p.endswith(("_watchlist", "_alert")) for p in enterprise), enterprise
    assert "entities.merge_entity" in perms_of(Group.objects.get(name=OFFICER))
    assert "entities.merge_entity" not in perms_of(Group.objects.get(name=ANALYST))
    assert "core.view_history" not in perms_of(Group.objects.get(name=ANALYST))


def test_ensure_roles_is_idempotent_and_repairs_drift():
    before = {g.name: perms_of(g) for g in Group.objects.filter(name__in=ROLES)}
    first = ensure_roles()
    second = ensure_roles()
    assert first == second
    assert first[ADMINISTRATOR] == Permission.objects.count()
    assert first[OFFICER] == len(role_permissions()[OFFICER])
    assert first[ENTERPRISE] == len(role_permissions()[ENTERPRISE])
    assert {g.name: perms_of(g) for g in Group.objects.filter(name__in=ROLES)} == before
    assert Group.objects.filter(name__in=ROLES).count() == len(ROLES)

    enterprise, analyst = Group.objects.get(name=ENTERPRISE), Group.objects.get(name=ANALYST)
    enterprise.permissions.add(Permission.objects.get(codename="delete_entity"))
    analyst.permissions.remove(Permission.objects.get(codename="view_entity"))
    ensure_roles()
    assert perms_of(enterprise) == role_permissions()[ENTERPRISE]  # the stray permission is gone
    assert perms_of(analyst) == role_permissions()[ANALYST]


def test_ensure_roles_recreates_a_deleted_group(django_user_model):
    Group.objects.filter(name=ANALYST).delete()
    ensure_roles()
    assert perms_of(Group.objects.get(name=ANALYST)) == role_permissions()[ANALYST]


def test_role_map_names_only_existing_permissions():
    existing = {f"{p.content_type.app_label}.{p.codename}"
                for p in Permission.objects.select_related("content_type")}
    for role, perms in role_permissions().items():
        assert perms - {"*"} <= existing, role


@pytest.mark.parametrize("role", list(ROLES))
def test_assign_role_marks_staff_roles_as_staff(django_user_model, role):
    user = django_user_model.objects.create_user(f"assign-{role}")
    assign_role(user, role)
    user.refresh_from_db()
    assert user.is_staff == (role in STAFF_ROLES)
    assert not user.is_superuser
    assert roles_of(user) == {role}
    assign_role(user, role)  # twice is once
    assert user.groups.count() == 1


def test_assign_role_unknown_role_raises(django_user_model):
    user = django_user_model.objects.create_user("unknown-role")
    with pytest.raises(ValueError, match="unknown role 'superhero'"):
        assign_role(user, "superhero")
    assert user.groups.count() == 0 and not user.is_staff


def test_roles_of_anonymous_and_several_roles(django_user_model):
    from django.contrib.auth.models import AnonymousUser

    assert roles_of(AnonymousUser()) == set()
    user = django_user_model.objects.create_user("two-roles")
    assign_role(user, ENTERPRISE)
    assign_role(user, ANALYST)
    assert roles_of(user) == {ENTERPRISE, ANALYST}


# --- what each role may reach ---------------------------------------------------------------------------

def denied(response) -> bool:
    """403, or a redirect to a login page."""
    if response.status_code == 403:
        return True
    return response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("role", ALL)
def test_history_pages(django_user_model, role, entity):
    client = client_as(django_user_model, role)
    allowed = role in (OFFICER, ADMINISTRATOR)
    for url in ["/history/", f"/history/entity/{entity.pk}/", "/history/?model=entity"]:
        response = client.get(url)
        if allowed:
            assert response.status_code == 200, url
        else:
            assert denied(response), (url, response.status_code)
    page = client.get(f"/entities/{entity.pk}/").content.decode()
    assert ('href="/history/"' in page) == allowed  # the menu only offers what the role may open


@pytest.mark.parametrize("role", ALL)
def test_entity_merge_page(django_user_model, role, entity):
    client = client_as(django_user_model, role)
    other = Entity.objects.create(name="广州角色测试科技公司(重复)")
    assert other.pk != entity.pk
    allowed = role in (OFFICER, ADMINISTRATOR)
    response = client.get(f"/entities/{other.pk}/merge/")
    assert response.status_code == 200 if allowed else denied(response)
    response = client.post(f"/entities/{other.pk}/merge/", {"target": entity.pk, "reason": "duplicate"})
    if allowed:
        assert response.status_code == 302, response.context["form"].errors
        assert response["Location"] == f"/entities/{entity.pk}/"
        assert not Entity.objects.filter(pk=other.pk).exists()
    else:
        assert denied(response)
        assert Entity.objects.filter(pk=other.pk).exists()
    detail = client.get(f"/entities/{entity.pk}/").content.decode()
    assert (f"/entities/{entity.pk}/merge/" in detail) == allowed


@pytest.mark.parametrize("role", ALL)
def test_back_office(django_user_model, role):
    client = client_as(django_user_model, role)
    response = client.get("/admin/")
    if role in STAFF_ROLES:
        assert response.status_code == 200
    else:
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    home = client.get("/").content.decode()
    assert ('href="/admin/"' in home) == (role in STAFF_ROLES)


def test_back_office_shows_each_staff_role_its_own_models(django_user_model):
    officer = client_as(django_user_model, OFFICER)
    assert officer.get("/admin/entities/entity/").status_code == 200
    assert officer.get("/admin/auth/user/").status_code == 403
    analyst = client_as(django_user_model, ANALYST)
    assert analyst.get("/admin/regions/population/").status_code == 200
    assert analyst.get("/admin/entities/entity/add/").status_code == 403
    administrator = client_as(django_user_model, ADMINISTRATOR)
    assert administrator.get("/admin/auth/user/").status_code == 200


WRITERS = {OFFICER, ADMINISTRATOR}


@pytest.mark.parametrize("role", ALL)
def test_api_write_permissions(django_user_model, role, entity):
    api = api_as(django_user_model, role)
    may_write = role in WRITERS
    assert api.get("/api/entities/").status_code == 200
    assert api.get("/api/regions/440100/").status_code == 200

    created = api.post("/api/entities/", {"name": f"{role}测试有限公司", "region": "440106"}, format="json")
    assert created.status_code == (201 if may_write else 403), created.content
    patched = api.patch(f"/api/entities/{entity.pk}/", {"name_en": role}, format="json")
    assert patched.status_code == (200 if may_write else 403)
    matched = api.post("/api/entities/match/", {"name": "广州角色测试科技有限公司"}, format="json")
    assert matched.status_code == (200 if may_write else 403)
    other = Entity.objects.create(name=f"{role}重复主体")
    merged = api.post(f"/api/entities/{other.pk}/merge/", {"target": entity.pk, "reason": "dup"}, format="json")
    assert merged.status_code == (200 if may_write else 403)
    # Regions are reference data: nobody writes them through the API.
    region = api.patch("/api/regions/440100/", {"name": "x"}, format="json")
    assert region.status_code == (405 if role == ADMINISTRATOR else 403)
    entity.refresh_from_db()
    assert (entity.name_en == role) == may_write
