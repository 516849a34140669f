"""Merging duplicate entities: every link follows, duplicates are dropped, the old id keeps leading on."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from ipoffice.accounts.models import Representative
from ipoffice.core.errors import DataError
from ipoffice.entities import services
from ipoffice.entities.models import Entity, EntityAlias, EntityMerge, MatchDecision
from ipoffice.entities.services import add_alias, entity_for_id, match_entity, merge_entities
from ipoffice.regions.models import Region

pytestmark = pytest.mark.django_db

HUAWEI_CODE = "914403001922038216"


@pytest.fixture
def users():
    model = get_user_model()
    return model.objects.create_user("officer"), model.objects.create_user("rep1"), model.objects.create_user("rep2")


@pytest.fixture
def pair(users):
    """A duplicate (made from a record with the wrong legal form) and the entity it should be."""
    officer, rep1, rep2 = users
    target = Entity.objects.create(name="华为技术有限公司", region=Region.objects.get(code="440307"),
                                   address="广东省深圳市龙岗区坂田街道华为基地")
    add_alias(target, "华为", EntityAlias.Kind.ABBREVIATION)
    source = Entity.objects.create(name="华为技术股份有限公司", credit_code=HUAWEI_CODE,
                                   name_en="Huawei Technologies Co., Ltd.", industry="I", is_high_tech=True)
    add_alias(source, "華為", EntityAlias.Kind.ABBREVIATION)  # the target has it already: dropped
    add_alias(source, "HUAWEI TECH", EntityAlias.Kind.ALIAS)  # moves
    add_alias(source, "华为技术有限责任公司", EntityAlias.Kind.ALIAS)  # the target's own name: dropped
    branch = Entity.objects.create(name="华为技术股份有限公司东莞分公司", parent=source)
    decisions = [MatchDecision.objects.create(input_name=n, entity=source, method="created", score=1.0,
                                              reason="test") for n in ("华为技术股份有限公司", "HUAWEI TECH")]
    Representative.objects.create(user=rep1, entity=source)
    Representative.objects.create(user=rep2, entity=source)
    Representative.objects.create(user=rep2, entity=target)  # rep2 already acts for the target
    return source, target, branch, decisions


def _state(*entities):
    """What a merge could change, read fresh from the database."""
    pks = [e.pk for e in entities]
    return (
        sorted(Entity.objects.filter(pk__in=pks).values_list("pk", "name", "credit_code", "name_en", "parent_id",
                                                              "is_high_tech")),
        sorted(EntityAlias.objects.values_list("entity_id", "name_key", "kind")),
        sorted(MatchDecision.objects.values_list("entity_id", "input_name")),
        sorted(Representative.objects.values_list("entity_id", "user__username")),
        sorted(Entity.objects.filter(parent__isnull=False).values_list("pk", "parent_id")),
        EntityMerge.objects.count(),
    )


def test_merge_moves_every_link(users, pair):
    officer, rep1, rep2 = users
    source, target, branch, decisions = pair
    old_pk = source.pk
    record = merge_entities(source, target, user=officer, reason="  the same company, registered twice  ")

    assert not Entity.objects.filter(pk=old_pk).exists()
    target.refresh_from_db()
    # aliases: moved, duplicates dropped, the source's names kept as former and English names
    aliases = {a.name: (a.kind, a.source) for a in target.aliases.all()}
    assert aliases == {
        "华为": ("abbreviation", ""),
        "HUAWEI TECH": ("alias", ""),
        "华为技术股份有限公司": ("former", f"merge of #{old_pk}"),
        "Huawei Technologies Co., Ltd.": ("english", f"merge of #{old_pk}"),
    }
    assert not EntityAlias.objects.filter(entity_id=old_pk).exists()
    # branches, decisions and representatives follow; rep2's second link is dropped
    branch.refresh_from_db()
    assert branch.parent == target
    assert set(MatchDecision.objects.values_list("entity_id", flat=True)) == {target.pk}
    assert sorted(Representative.objects.values_list("user__username", "entity_id")) == [
        ("rep1", target.pk), ("rep2", target.pk)]
    # what the target lacked comes from the source; flags are kept
    assert (target.credit_code, target.name_en, target.industry, target.is_high_tech) == (
        HUAWEI_CODE, "Huawei Technologies Co., Ltd.", "I", True)
    assert target.region.code == "440307" and target.address == "广东省深圳市龙岗区坂田街道华为基地"
    # the merge is recorded
    assert record == EntityMerge.objects.get()
    assert (record.merged_id, record.merged_name, record.merged_credit_code, record.target, record.merged_by) == (
        old_pk, "华为技术股份有限公司", HUAWEI_CODE, target, officer)
    assert record.reason == "the same company, registered twice"
    # rep2's link to the source was dropped as a duplicate, not moved
    assert record.moved == {"entities.entity.parent": 1, "entities.entityalias.entity": 1,
                            "entities.matchdecision.entity": 2, "accounts.representative.entity": 1}
    # the old id leads to the survivor
    assert entity_for_id(old_pk) == (target, True)
    assert entity_for_id(target.pk) == (target, False)
    assert entity_for_id(10**9) == (None, False)
    # the matcher now finds the target under the source's name and code
    assert match_entity("华为技术股份有限公司").entity == target
    assert match_entity("Huawei", credit_code=HUAWEI_CODE).entity == target
    connection.check_constraints()


def test_merges_chain(users):
    first, second, third = (Entity.objects.create(name=n) for n in ("广州视源电子科技有限公司", "视源股份",
                                                                     "广州视源电子科技股份有限公司"))
    first_pk, second_pk = first.pk, second.pk  # a deleted instance loses its pk
    merge_entities(first, second, reason="duplicate")
    merge_entities(second, third, reason="duplicate")
    assert entity_for_id(first_pk) == (third, True)
    assert entity_for_id(second_pk) == (third, True)
    assert EntityMerge.objects.filter(target=third).count() == 2
    assert {a.name for a in third.aliases.all()} == {"广州视源电子科技有限公司", "视源股份"}


def test_merging_a_parent_into_its_branch(users):
    """The branch takes the parent's place: it must not point at the deleted parent (nor at itself)."""
    holding = Entity.objects.create(name="招商局集团有限公司")
    parent = Entity.objects.create(name="招商银行股份有限公司", parent=holding)
    branch = Entity.objects.create(name="招商银行股份有限公司深圳分行", parent=parent)
    sibling = Entity.objects.create(name="招商银行股份有限公司广州分行", parent=parent)
    merge_entities(parent, branch, reason="the records were the bank's, not the branch's")
    branch.refresh_from_db()
    sibling.refresh_from_db()
    assert branch.parent == holding
    assert sibling.parent == branch
    connection.check_constraints()


def test_merging_a_branch_into_its_parent(users):
    parent = Entity.objects.create(name="招商银行股份有限公司")
    branch = Entity.objects.create(name="招商银行深圳分行", parent=parent)
    merge_entities(branch, parent, reason="not a separate entity")
    parent.refresh_from_db()
    assert parent.parent is None and not parent.branches.exists()
    assert {a.name for a in parent.aliases.all()} == {"招商银行深圳分行"}
    connection.check_constraints()


@pytest.mark.parametrize("reason", ["", "   "])
def test_merge_needs_a_reason(pair, reason):
    source, target, *_ = pair
    before = _state(source, target)
    with pytest.raises(DataError) as caught:
        merge_entities(source, target, reason=reason)
    assert caught.value.problems[0].field == "reason"
    assert "give a reason" in str(caught.value)
    assert _state(source, target) == before


def test_merge_into_itself_is_refused(pair):
    source, target, *_ = pair
    before = _state(source, target)
    with pytest.raises(DataError) as caught:
        merge_entities(target, Entity.objects.get(pk=target.pk), reason="oops")
    assert caught.value.problems[0].field == "target"
    assert "cannot be merged into itself" in str(caught.value)
    assert _state(source, target) == before


def test_merge_is_atomic(pair, monkeypatch):
    """A failure late in the merge leaves everything as it was: links, aliases, the source, no record."""
    source, target, *_ = pair
    before = _state(source, target)

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_copy_missing_fields", fail)  # after the links moved and the record was made
    with pytest.raises(RuntimeError, match="disk full"):
        merge_entities(source, target, reason="duplicate")
    assert _state(source, target) == before
    assert Entity.objects.filter(pk=source.pk).exists()
    assert entity_for_id(source.pk) == (Entity.objects.get(pk=source.pk), False)


def test_history_keeps_the_merged_entity(pair):
    source, target, *_ = pair
    old_pk = source.pk
    merge_entities(source, target, reason="duplicate")
    versions = list(Entity.history.filter(id=old_pk))
    assert [v.history_type for v in versions][0] == "-"
    assert versions[0].name == "华为技术股份有限公司" and versions[0].credit_code == HUAWEI_CODE
