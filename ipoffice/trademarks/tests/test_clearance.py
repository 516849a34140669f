"""Clearance search, watches, the statutory clocks, the bulk loader, the demo marks and the indicators."""

import json
from datetime import date, timedelta

import pytest
from django.core.management import call_command

from ipoffice.indicators.registry import registry_value
from ipoffice.regions.models import Region
from ipoffice.trademarks.bulk import bulk_load, rows_with_header
from ipoffice.trademarks.clocks import add_months, clocks_for, opposition_window
from ipoffice.trademarks.generator import GENERATED, HEADER, MarkGenerator
from ipoffice.trademarks.models import Trademark, TrademarkEvent, Watch, WatchAlert
from ipoffice.trademarks.services import NOTICE_ZH, clear, explain, statistics
from ipoffice.trademarks.watch import run_watches

pytestmark = pytest.mark.django_db
COLUMN = {name: i for i, name in enumerate(HEADER)}


def row(number, text, owner, *, goods="250045 服装*；250042 衬衫", group="2501", klass="25", address="",
        filed="2019-03-01", published="", registered="", status="注册商标", **extra):
    values = [""] * len(HEADER)
    values[COLUMN["注册号"]], values[COLUMN["商标名称"]], values[COLUMN["申请人名称"]] = number, text, owner
    values[COLUMN["商品/服务"]], values[COLUMN["类似群"]], values[COLUMN["国际分类"]] = goods, group, klass
    values[COLUMN["申请人地址"]] = address or "广东省广州市天河区天河路1号"
    values[COLUMN["申请日"]], values[COLUMN["初审公告日"]], values[COLUMN["注册公告日"]] = filed, published, registered
    values[COLUMN["商标状态"]], values[COLUMN["数据来源"]] = status, GENERATED
    for key, value in extra.items():
        values[COLUMN[key]] = value
    return values


@pytest.fixture
def register(engine):
    rows = MarkGenerator(seed=11, as_of=date(2020, 12, 31)).chunk(0, 300)
    rows += [
        row("80000001", "美乐康", "广州美乐康服饰有限公司", published="2019-10-06", registered="2020-01-07"),
        row("80000002", "美乐健", "深圳市健达实业有限公司", address="广东省深圳市南山区科技路8号",
            published="2019-10-06", registered="2020-01-07"),
        row("80000003", "美乐康", "佛山市美乐康家具有限公司", goods="200309 书柜", group="2001", klass="20",
            address="广东省佛山市顺德区北滘镇", published="2019-10-06", registered="2020-01-07"),
        row("80000004", "MEILEKANG", "东莞市乐康贸易有限公司", address="广东省东莞市南城街道",
            published="2019-10-06", registered="2020-01-07"),
    ]
    bulk_load(rows_with_header(rows))
    return Trademark.objects.all()


def test_clearance_finds_the_same_and_the_similar_mark_with_reasons(register):
    result = clear("美乐康", classes="25", goods="服装", limit=10)
    assert result.notice.startswith(NOTICE_ZH)
    top = result.hits[0]
    assert (top.mark, top.number, top.goods_relation) == ("美乐康", "80000001", "same_item")
    assert top.score == 1.0 and [r["code"] for r in top.rules] == ["TM-R1"]
    assert top.owner == "广州美乐康服饰有限公司" and top.classes == [25]
    by_number = {h.number: h for h in result.hits}
    assert "TM-R3" in [r["code"] for r in by_number["80000002"].rules]
    assert by_number["80000002"].rank_score > by_number["80000003"].rank_score  # similar goods beat identical text
    assert by_number["80000003"].goods_relation == "unrelated"
    assert all(a.rank_score >= b.rank_score for a, b in zip(result.hits, result.hits[1:], strict=False))


def test_clearance_json_command(register, capsys):
    call_command("trademarks", "clear", "美樂康", "--classes", "25", "--format", "json", "--limit", "5")
    data = json.loads(capsys.readouterr().out)
    assert set(data["hits"][0]) >= {"number", "mark", "owner", "classes", "score", "rules", "goods_relation"}
    assert data["hits"][0]["number"] == "80000001" and data["hits"][0]["rules"][0]["code"] == "TM-R1"
    assert "仅供参考" in data["notice"]


def test_clearance_rejects_bad_input(register):
    from ipoffice.core.errors import DataError

    for kwargs in ({"text": ""}, {"text": "甲" * 101}, {"text": "美乐", "classes": "46"},
                   {"text": "美乐", "classes": "x"}):
        with pytest.raises(DataError):
            clear(**kwargs)


def test_explain_a_hit(register):
    mark = Trademark.objects.get(application_number="80000002")
    reason = explain(mark, "美乐康", classes="25")
    assert reason["goods_relation"] == "same_class" and reason["rules"][0]["code"] == "TM-R3"
    assert "康/健" in reason["rules"][0]["reason_zh"]


def test_the_index_follows_the_register(register):
    assert not any(h.mark == "美乐泰" for h in clear("美乐泰", classes="25").hits)
    bulk_load(rows_with_header([row("80000009", "美乐泰", "广州泰和服饰有限公司", registered="2020-02-01")]))
    assert clear("美乐泰", classes="25").hits[0].number == "80000009"


def test_statutory_clocks():
    assert opposition_window(date(2020, 1, 6)).start == date(2020, 1, 7)
    assert opposition_window(date(2020, 1, 6)).end == date(2020, 4, 6)
    assert opposition_window(date(2020, 11, 30)).end == date(2021, 2, 28)
    clocks = clocks_for(registration_date=date(2010, 3, 21))
    assert (clocks.term_start, clocks.term_end) == (date(2010, 3, 21), date(2020, 3, 20))
    assert (clocks.renewal.start, clocks.renewal.end) == (date(2019, 3, 21), date(2020, 3, 20))
    assert (clocks.grace.start, clocks.grace.end) == (date(2020, 3, 21), date(2020, 9, 20))
    assert clocks.non_use_from == date(2013, 3, 21)
    assert clocks.phase(date(2019, 6, 1)) == "renewal" and clocks.phase(date(2020, 5, 1)) == "grace"
    assert clocks.phase(date(2021, 1, 1)) == "expired" and clocks.phase(date(2015, 1, 1)) == "in_term"
    assert add_months(date(2020, 2, 29), 12) == date(2021, 2, 28)


def test_watch_raises_an_alert_with_the_opposition_deadline(register):
    owner = Trademark.objects.get(application_number="80000001").parties.get(role="owner").entity
    watch = Watch.objects.create(entity=owner, threshold=0.5)
    today = date(2021, 3, 1)
    published = today - timedelta(days=10)
    bulk_load(rows_with_header([
        row("80000010", "美乐唐", "中山市唐人服装有限公司", published=published.isoformat(), status="初审公告",
            address="广东省中山市石岐区"),
        row("80000011", "美乐唐", "中山市唐人家具有限公司", published=published.isoformat(), status="初审公告",
            goods="200309 书柜", group="2001", klass="20"),
    ]))
    result = run_watches(today=today)
    assert result.alerts == 1
    alert = WatchAlert.objects.get(watch=watch)
    assert alert.conflicting_mark.application_number == "80000010"
    assert alert.watched_mark.application_number == "80000001"
    assert alert.opposition_deadline == add_months(published, 3)
    assert alert.goods_relation == "same_item" and alert.rules[0]["code"] == "TM-R3"
    assert run_watches(today=today).alerts == 0  # no second alert for the same pair


def test_indicators_and_statistics(register):
    guangzhou = Region.objects.get(code="440100")
    province = Region.objects.get(code="440000")
    valid = registry_value("valid_domestic_trademarks", guangzhou, 2020)
    assert valid >= 1 and registry_value("valid_domestic_trademarks", province, 2020) >= valid
    assert registry_value("valid_domestic_trademarks", guangzhou, 2018) < valid  # 美乐康 registered in 2020
    assert registry_value("gi_trademarks", province, 2020) == Trademark.objects.filter(
        is_geographical_indication=True, status="registered", region__code__startswith="44",
        registration_date__lte=date(2020, 12, 31)).count()
    madrid = Trademark.objects.filter(madrid_role="origin", region__code__startswith="44").count()
    assert registry_value("madrid_registrations", province, 2020) == madrid
    stats = statistics(2020)
    assert stats["totals"]["valid"] == registry_value("valid_domestic_trademarks", province, 2020)
    assert {r["region"].code for r in stats["rows"]} >= {"440100", "440300"}


def test_bulk_load_is_idempotent_and_all_or_nothing():
    rows = MarkGenerator(seed=12).chunk(0, 50)
    assert bulk_load(rows_with_header(rows))["created"] == 50
    assert bulk_load(rows_with_header(rows)) == {"read": 50, "created": 0, "skipped": 50}
    events = TrademarkEvent.objects.all()  # the child rows as the ORM reads them back (dates, JSON)
    assert events.exists() and all(isinstance(e.date, date) and e.details == {} for e in events)
    assert all(m.goods.exists() and m.parties.filter(role="owner").exists() for m in Trademark.objects.all())
    bad = MarkGenerator(seed=13).chunk(100, 3)
    bad[2][COLUMN["国际分类"]] = "0"
    from ipoffice.core.errors import DataError

    with pytest.raises(DataError) as error:
        bulk_load(rows_with_header(bad), source="bad.csv")
    assert "record 4" in str(error.value) and "国际分类" in str(error.value)
    assert Trademark.objects.count() == 50


def test_demo_marks(engine):
    from ipoffice.entities.demo import generate_entities
    from ipoffice.trademarks.demo import generate_demo_marks

    generate_entities(60)
    added = generate_demo_marks(150)
    assert added == 151 and Trademark.objects.filter(is_generated=True).count() == 151
    assert generate_demo_marks(150) == 0
    assert Trademark.objects.filter(is_generated=True, parties__entity__is_generated=True).exists()
    assert WatchAlert.objects.count() == 1
    alert = WatchAlert.objects.get()
    assert alert.opposition_deadline > alert.conflicting_mark.preliminary_publication_date


def test_the_index_is_cached_on_disk(register, engine, monkeypatch):
    from ipoffice.trademarks import services

    first = services.clearance_index()
    services._index_cache.clear()

    def no_build(*args, **kwargs):
        raise AssertionError("the cached index should have been loaded")

    monkeypatch.setattr(engine.ClearanceIndex, "build", no_build)
    again = services.clearance_index()
    assert again is not first and again.candidates(services.keys_of("美乐康"), 5)[:1] == \
        first.candidates(services.keys_of("美乐康"), 5)[:1]
