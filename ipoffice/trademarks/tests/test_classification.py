"""The 类似商品和服务区分表 from its real file: every item under an existing group, every group under its class,
editions by filing date, goods search, cross-group links from the ``*`` items; a bad file loads nothing."""

import gzip
import json
from datetime import date

import pytest

from ipoffice.core.errors import DataError
from ipoffice.trademarks import classification
from ipoffice.trademarks.classification import edition_for, load_classification, resolve_goods, search_goods
from ipoffice.trademarks.models import ClassificationEdition, CrossLink, GoodsItem, NiceClass, SimilarGroup

pytestmark = pytest.mark.django_db

# The 2026 snapshot as its README counts it (classes / groups / items).
FULL_2026 = (45, 492, 11986)


def rows_of(path):
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def test_the_2026_table_loads_with_every_item_under_an_existing_group(table_2026):
    result = load_classification(table_2026)
    rows = rows_of(table_2026)
    expected = tuple(sum(r["type"] == kind for r in rows) for kind in ("class", "group", "item"))
    assert (result["classes"], result["groups"], result["items"]) == expected
    if expected[0] == 45:
        assert expected == FULL_2026
    edition = result["edition"]
    assert edition == "NCL13-2026"
    groups = set(SimilarGroup.objects.filter(edition=edition).values_list("code", flat=True))
    item_groups = set(GoodsItem.objects.filter(edition=edition).values_list("group_code", flat=True))
    assert item_groups <= groups
    classes = set(NiceClass.objects.filter(edition=edition).values_list("number", flat=True))
    assert set(SimilarGroup.objects.filter(edition=edition).values_list("class_number", flat=True)) <= classes
    assert not GoodsItem.objects.filter(edition=edition, name__contains="*").exists()
    starred = sum("*" in r["name"] for r in rows if r["type"] == "item")
    assert GoodsItem.objects.filter(edition=edition, spans_groups=True).count() == starred
    for link in CrossLink.objects.filter(edition=edition)[:50]:
        assert CrossLink.objects.filter(edition=edition, group_code=link.linked_group_code,
                                        linked_group_code=link.group_code).exists()
    again = load_classification(table_2026)
    assert again["unchanged"] and GoodsItem.objects.filter(edition=edition).count() == expected[2]


def test_editions_by_filing_date_and_goods_search(table_2026):
    load_classification(table_2026)
    assert edition_for(date(2026, 3, 1)) == "NCL13-2026"
    assert edition_for(date(2019, 3, 1)) == "NCL13-2026"  # the nearest loaded edition
    item = GoodsItem.objects.filter(edition="NCL13-2026").order_by("code").first()
    name = item.names[0]
    found = search_goods(name, "NCL13-2026")
    assert found and found[0].code == item.code
    items, groups, classes, unmatched = resolve_goods(f"{name}；不存在的商品", "NCL13-2026")
    assert item.code in items and item.group_code in groups and item.class_number in classes
    assert unmatched == ["不存在的商品"]
    assert classification.item_by_code(item.code, "NCL13-2026") == (item.code, item.group_code, item.class_number)


def test_a_bad_table_loads_nothing(table_2026, tmp_path):
    before = (ClassificationEdition.objects.count(), GoodsItem.objects.count(), SimilarGroup.objects.count())
    rows = rows_of(table_2026)
    item = next(i for i, r in enumerate(rows) if r["type"] == "item")
    rows[item]["parentCode"] = "9999"
    broken = tmp_path / "cn_nice_similar_groups_ncl12-2025.jsonl"
    broken.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n{not json\n",
                      encoding="utf-8")
    with pytest.raises(DataError) as error:
        load_classification(broken)
    message = str(error.value)
    assert "9999" in message and "not JSON" in message and "parentCode" in message
    assert (ClassificationEdition.objects.count(), GoodsItem.objects.count(), SimilarGroup.objects.count()) == before


def test_edition_is_needed(tmp_path):
    path = tmp_path / "table.jsonl"
    path.write_text('{"code":"01","type":"class","name":"x","parentCode":null}\n', encoding="utf-8")
    with pytest.raises(DataError, match="give --edition"):
        load_classification(path)


def test_import_classification_command(table_2026, capsys):
    from django.core.management import call_command

    call_command("trademarks", "import-classification", str(table_2026))
    assert "NCL13-2026" in capsys.readouterr().out
