"""Enterprise users register, ask to act for an entity, and an officer confirms or rejects."""

import pytest
from django.contrib.auth import get_user_model

from ipoffice.accounts import services
from ipoffice.accounts.models import Representative
from ipoffice.accounts.roles import OFFICER, assign_role
from ipoffice.core.errors import DataError
from ipoffice.entities.models import Entity

pytestmark = pytest.mark.django_db
CODE = "914403001922038216"  # a real-format code with a valid check character


@pytest.fixture
def entity():
    return Entity.objects.create(name="华为技术有限公司", credit_code=CODE)


@pytest.fixture
def officer():
    user = get_user_model().objects.create_user("officer-1", password="x")
    assign_role(user, OFFICER)
    return user


def test_register_then_officer_confirms(client, entity, officer):
    response = client.post("/accounts/register/", {"username": "hw-ip", "email": "ip@example.com",
                                                    "password": "Zhuanli-2016!", "credit_code": CODE.lower(),
                                                    "note": "知识产权部"})
    assert response.status_code == 302 and response.url == "/accounts/me/"
    request = Representative.objects.get(user__username="hw-ip")
    assert (request.entity, request.status) == (entity, Representative.Status.PENDING)
    assert not services.acts_for(request.user, entity)
    assert set(request.user.groups.values_list("name", flat=True)) == {"enterprise"}

    client.force_login(officer)
    assert "hw-ip" in client.get("/accounts/requests/").content.decode()
    client.post(f"/accounts/requests/{request.pk}/", {"decision": "confirm"})
    request.refresh_from_db()
    assert request.status == Representative.Status.CONFIRMED and request.decided_by == officer
    assert services.acts_for(request.user, entity)
    with pytest.raises(DataError, match="already"):
        services.decide(request, officer=officer, confirm=False)


@pytest.mark.parametrize(("code", "field", "message"), [
    ("914403001922038217", "credit_code", "check character"),
    ("91440300708461136T", "credit_code", "no entity with credit code"),
])
def test_register_rejects_bad_codes(client, entity, code, field, message):
    response = client.post("/accounts/register/", {"username": "u1", "email": "u1@example.com",
                                                    "password": "Zhuanli-2016!", "credit_code": code})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not get_user_model().objects.filter(username="u1").exists()


def test_register_rejects_weak_password_and_taken_name(entity):
    with pytest.raises(DataError) as error:
        services.register_enterprise_user(username="u2", password="123", email="", credit_code=CODE)
    assert error.value.problems[0].field == "password"
    get_user_model().objects.create_user("taken")
    with pytest.raises(DataError, match="taken"):
        services.register_enterprise_user(username="taken", password="Zhuanli-2016!", email="", credit_code=CODE)
    assert not get_user_model().objects.filter(username="u2").exists()


def test_only_officers_decide(client, entity):
    user, request = services.register_enterprise_user(username="u3", password="Zhuanli-2016!", email="",
                                                      credit_code=CODE)
    client.force_login(user)
    assert client.get("/accounts/requests/").status_code == 403
    assert client.post(f"/accounts/requests/{request.pk}/", {"decision": "confirm"}).status_code == 403
    request.refresh_from_db()
    assert request.status == Representative.Status.PENDING
