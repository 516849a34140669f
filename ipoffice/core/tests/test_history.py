"""Change history of tracked records: who changed what, when, and what the values were before and after."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone
from simple_history.middleware import HistoryRequestMiddleware

from ipoffice.core import history
from ipoffice.core.history import object_history, recent_changes
from ipoffice.entities.models import Entity
from ipoffice.entities.services import merge_entities
from ipoffice.regions.models import Population, Region, RegionGroup
from ipoffice.regions.services import import_population

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return get_user_model().objects.create_user("officer_li", password="x")


def test_entity_changes_record_who_when_and_what(officer):
    entity = Entity.objects.create(name="华为技术有限公司")
    before = timezone.now()
    entity._history_user = officer
    entity.name_en = "Huawei Technologies Co., Ltd."
    entity.address = "广东省深圳市龙岗区坂田街道"
    entity.is_high_tech = True
    entity.save()
    after = timezone.now()

    changed, created = object_history("entity", entity.pk)
    assert (created.kind, created.who, created.fields) == ("created", "system", [])
    assert (changed.kind, changed.who, changed.model, changed.object_id) == ("changed", "officer_li", "entity",
                                                                             entity.pk)
    assert before <= changed.when <= after
    assert changed.label.startswith("华为技术有限公司")
    fields = {name: (old, new) for name, old, new in changed.fields}
    assert fields["name_en"] == ("", "Huawei Technologies Co., Ltd.")
    assert fields["address"] == ("", "广东省深圳市龙岗区坂田街道")
    assert fields["is_high_tech"] == (False, True)
    assert "name" not in fields and "credit_code" not in fields  # only what changed


def test_region_change_is_recorded(officer):
    tianhe = Region.objects.get(code="440106")
    tianhe._history_user = officer
    tianhe.name_en = "Tianhe"
    tianhe.save()
    latest = object_history("region", tianhe.pk)[0]
    assert (latest.kind, latest.who, latest.model) == ("changed", "officer_li", "region")
    assert latest.fields == [("name_en", "Tianhe District", "Tianhe")]
    # the versions before are the reference load (no user)
    assert [c.kind for c in object_history("region", tianhe.pk)][-1] == "created"
    assert object_history("region", tianhe.pk)[-1].who == "system"


def test_region_group_membership_change_is_recorded(officer):
    east = RegionGroup.objects.get(code="east")
    chaozhou = Region.objects.get(code="445100")
    east._history_user = officer
    east.members.remove(chaozhou)
    latest = object_history("regiongroup", east.pk)[0]
    assert (latest.kind, latest.who) == ("changed", "officer_li")
    [(field, old, new)] = latest.fields
    assert field == "members"
    assert chaozhou.pk in {m["region"] for m in old} and chaozhou.pk not in {m["region"] for m in new}
    assert len(old) == 4 and len(new) == 3


def test_population_update_is_recorded(tmp_path):
    path = tmp_path / "population.csv"
    path.write_text("region,year,population_10k,source\n广州市,2020,1874.03,修订\n", encoding="utf-8")
    record = Population.objects.get(region__code="440100", year=2020)
    assert import_population(path)["updated"] == 1
    latest = object_history("population", record.pk)[0]
    fields = {name: (old, new) for name, old, new in latest.fields}
    assert fields["population_10k"] == (Decimal("1867.66"), Decimal("1874.03"))
    assert fields["source"][1] == "修订"


def test_change_through_a_request_records_the_logged_in_user(officer):
    """The history middleware takes the user of the request that made the change."""
    entity = Entity.objects.create(name="深圳市大疆创新科技有限公司")

    def view(request):
        entity.name_en = "SZ DJI Technology Co., Ltd."
        entity.save()
        return HttpResponse("ok")

    request = RequestFactory().post("/anything/")
    request.user = officer
    assert HistoryRequestMiddleware(view)(request).status_code == 200
    assert object_history("entity", entity.pk)[0].who == "officer_li"


def test_change_through_the_api_records_the_user(client):
    admin = get_user_model().objects.create_superuser("admin_wang", password="x")
    entity = Entity.objects.create(name="珠海格力电器股份有限公司")
    client.force_login(admin)
    response = client.patch(f"/api/entities/{entity.pk}/", {"name_en": "Gree Electric Appliances, Inc. of Zhuhai"},
                            content_type="application/json")
    assert response.status_code == 200, response.content
    latest = object_history("entity", entity.pk)[0]
    assert (latest.who, latest.kind) == ("admin_wang", "changed")
    assert ("name_en", "", "Gree Electric Appliances, Inc. of Zhuhai") in latest.fields


def test_recent_changes_newest_first_across_models(officer):
    entity = Entity.objects.create(name="中兴通讯股份有限公司")
    entity._history_user = officer
    entity.name_en = "ZTE Corporation"
    entity.save()
    region = Region.objects.get(code="440305")
    region._history_user = officer
    region.name_en = "Nanshan"
    region.save()
    doomed = Entity.objects.create(name="中兴通讯股份有限公司(重复)")
    doomed_pk = doomed.pk
    doomed.delete()

    latest = recent_changes(limit=4)
    assert [(c.model, c.kind) for c in latest] == [("entity", "deleted"), ("entity", "created"),
                                                   ("region", "changed"), ("entity", "changed")]
    assert latest[0].object_id == doomed_pk
    assert [c.when for c in latest] == sorted((c.when for c in latest), reverse=True)
    assert len(recent_changes(limit=2)) == 2
    only_regions = recent_changes(limit=5, model="region")
    assert {c.model for c in only_regions} == {"region"} and len(only_regions) == 5
    assert (only_regions[0].object_id, only_regions[0].who) == (region.pk, "officer_li")


def test_a_merged_entity_shows_as_deleted(officer):
    source = Entity.objects.create(name="华为技术股份有限公司")
    target = Entity.objects.create(name="华为技术有限公司")
    source_pk = source.pk
    merge_entities(source, target, user=officer, reason="duplicate")
    assert [c.kind for c in object_history("entity", source_pk)] == ["deleted", "created"]
    assert object_history("entityalias", target.aliases.get().pk)[0].kind == "created"


def test_unknown_model_and_registering_one(monkeypatch):
    with pytest.raises(LookupError):
        object_history("no-such-model", 1)
    with pytest.raises(LookupError):
        recent_changes(model="no-such-model")
    monkeypatch.setattr(history, "TRACKED", dict(history.TRACKED))
    history.register("district", "regions.Region")
    assert object_history("district", Region.objects.get(code="440106").pk)[-1].kind == "created"
    assert object_history("entity", 10**9) == []
