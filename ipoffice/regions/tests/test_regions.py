"""The division tree, the plan's region groups, code normalisation, region look-up and English names."""

import csv

import pytest
from django.db.models import Count

from ipoffice.core.errors import DataError
from ipoffice.regions.models import Region, RegionGroup
from ipoffice.regions.services import apply_division_list, english_name, find_region, level_of, normalise_code

pytestmark = pytest.mark.django_db

PROVINCE, CITY, DISTRICT = Region.Level.PROVINCE, Region.Level.CITY, Region.Level.DISTRICT

# The 21 prefecture-level cities of Guangdong (GB/T 2260).
GUANGDONG_CITIES = {
    "440100": "广州市", "440200": "韶关市", "440300": "深圳市", "440400": "珠海市", "440500": "汕头市",
    "440600": "佛山市", "440700": "江门市", "440800": "湛江市", "440900": "茂名市", "441200": "肇庆市",
    "441300": "惠州市", "441400": "梅州市", "441500": "汕尾市", "441600": "河源市", "441700": "阳江市",
    "441800": "清远市", "441900": "东莞市", "442000": "中山市", "445100": "潮州市", "445200": "揭阳市",
    "445300": "云浮市",
}
# 东莞 and 中山 govern their towns directly: they have no county-level divisions.
CITIES_WITHOUT_DISTRICTS = {"441900", "442000"}

GROUPS = {
    "prd": ("珠三角", {"广州市", "深圳市", "珠海市", "佛山市", "惠州市", "东莞市", "中山市", "江门市", "肇庆市"}),
    "east": ("粤东", {"汕头市", "汕尾市", "潮州市", "揭阳市"}),
    "west": ("粤西", {"湛江市", "茂名市", "阳江市"}),
    "north": ("粤北", {"韶关市", "河源市", "梅州市", "清远市", "云浮市"}),
}


def _csv_rows(path):
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


# --- the division tree ---------------------------------------------------------------------------------


def test_guangdong_has_its_21_cities():
    province = Region.objects.get(code="440000")
    assert (province.name, province.level, province.parent) == ("广东省", PROVINCE, None)
    cities = Region.objects.filter(parent=province)
    assert {c.code: c.name for c in cities} == GUANGDONG_CITIES
    assert {c.level for c in cities} == {CITY}


def test_every_city_has_its_districts_except_dongguan_and_zhongshan():
    counts = dict(Region.objects.filter(parent__code="440000").annotate(n=Count("children"))
                  .values_list("code", "n"))
    for code, n in counts.items():
        if code in CITIES_WITHOUT_DISTRICTS:
            assert n == 0, code
        else:
            assert n >= 3, f"{GUANGDONG_CITIES[code]} has only {n} districts"
    assert counts["440100"] == 11  # 广州: 荔湾 越秀 海珠 天河 白云 黄埔 番禺 花都 南沙 从化 增城
    # Children are districts and carry their city's code prefix.
    for district in Region.objects.filter(parent__parent__code="440000"):
        assert district.level == DISTRICT
        assert district.code[:4] == district.parent.code[:4]


def test_tianhe_district():
    tianhe = Region.objects.get(code="440106")
    assert tianhe.name == "天河区"
    assert tianhe.short_name == "天河"
    assert tianhe.name_en == "Tianhe District"
    assert tianhe.level == DISTRICT
    assert tianhe.parent.code == "440100"
    assert tianhe.parent.parent.code == "440000"
    assert tianhe.code_prefix == "440106"
    assert tianhe.parent.code_prefix == "4401"
    assert tianhe.parent.parent.code_prefix == "44"


def test_placeholder_rows_are_not_divisions():
    assert not Region.objects.filter(name__in=["市辖区", "县", "省直辖县级行政区划"]).exists()
    # A county-level city under a placeholder hangs from the province (湖北 仙桃市).
    xiantao = Region.objects.get(code="429004")
    assert (xiantao.name, xiantao.level, xiantao.parent.code) == ("仙桃市", DISTRICT, "420000")


def test_the_tree_matches_the_nbs_2023_lists(shared_data):
    """Every NBS 2023 city and county of Guangdong is in the tree, under the right parent, by the same name."""
    cities = _csv_rows(shared_data / "regions" / "guangdong_cities.csv")
    assert len(cities) == 21
    assert {row["code"] + "00": row["name"] for row in cities} == GUANGDONG_CITIES
    counties = _csv_rows(shared_data / "regions" / "guangdong_counties.csv")
    assert len(counties) == 124
    stored = {r.code: r for r in Region.objects.filter(code__startswith="44").select_related("parent")}
    for row in counties:
        region = stored.get(row["code"])
        assert region is not None, f"{row['code']} {row['name']} missing"
        assert region.name == row["name"]
        if row["code"] in CITIES_WITHOUT_DISTRICTS:  # listed as their own county
            assert region.level == CITY
        else:
            assert region.level == DISTRICT
            assert region.parent.code == row["cityCode"] + "00"
    # Nothing extra: the county-level divisions of Guangdong are exactly the NBS ones.
    district_codes = {c for c, r in stored.items() if r.level == DISTRICT}
    assert district_codes == {row["code"] for row in counties} - CITIES_WITHOUT_DISTRICTS


@pytest.mark.parametrize("code, name", [("440309", "龙华区"), ("440310", "坪山区"), ("440311", "光明区")])
def test_shenzhen_districts_newer_than_cpca(shared_data, code, name):
    district = Region.objects.get(code=code)
    assert (district.name, district.level, district.parent.code) == (name, DISTRICT, "440300")


def test_applying_the_nbs_list_again_changes_nothing(shared_data):
    before = Region.objects.count()
    counts = apply_division_list(shared_data / "regions" / "guangdong_counties.csv")
    assert counts == {"created": 0, "updated": 0, "unchanged": 124}
    assert Region.objects.count() == before


def test_a_twelve_digit_nbs_list_is_read_to_county_level(tmp_path):
    """统计用区划代码 give every level twelve digits: counties are taken, towns and streets skipped."""
    path = tmp_path / "nbs_2023_12digit.csv"
    path.write_text("code,name\n440000000000,广东省\n440100000000,广州市\n440106000000,天河区\n"
                    "440106001000,五山街道\n440106006000,石牌街道\n440106001001,华工社区\n", encoding="utf-8")
    before = Region.objects.count()
    assert apply_division_list(path) == {"created": 0, "updated": 0, "unchanged": 3}
    assert Region.objects.count() == before
    assert not Region.objects.filter(name__in=["五山街道", "石牌街道", "华工社区"]).exists()


def test_a_bad_division_list_is_rejected_whole(tmp_path):
    path = tmp_path / "divisions.csv"
    path.write_text("code,name\n440106,天河区\n44x106,坏代码\n440199,\n", encoding="utf-8")
    before = Region.objects.count()
    with pytest.raises(DataError) as caught:
        apply_division_list(path)
    error = caught.value
    assert [(p.record, p.field) for p in error.problems] == [(3, "code"), (4, "name")]
    assert str(path) in str(error)
    assert "record 3, field 'code'" in str(error) and "44x106" in str(error)
    assert "record 4, field 'name': empty name" in str(error)
    assert Region.objects.count() == before

    path.write_text("id,title\n440106,天河区\n", encoding="utf-8")
    with pytest.raises(DataError, match="expected columns 'code' and 'name'"):
        apply_division_list(path)


# --- region groups ---------------------------------------------------------------------------------------


def test_the_four_region_groups():
    groups = list(RegionGroup.objects.prefetch_related("members"))
    assert [g.code for g in groups] == ["prd", "east", "west", "north"]  # in the plan's order
    for group in groups:
        name, cities = GROUPS[group.code]
        assert group.name == name
        assert {m.name for m in group.members.all()} == cities
        assert {m.level for m in group.members.all()} == {CITY}
    assert RegionGroup.objects.get(code="prd").name_en == "Pearl River Delta"


def test_region_groups_partition_guangdong():
    members = [m.code for g in RegionGroup.objects.all() for m in g.members.all()]
    assert len(members) == len(set(members)) == 21
    assert set(members) == set(GUANGDONG_CITIES)


# --- codes ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("given, expected", [
    ("44", "440000"), ("4401", "440100"), ("440106", "440106"), (" 4403 ", "440300"),
    ("440106001", "440106"), ("440106001000", "440106"), (44, "440000"),
])
def test_normalise_code(given, expected):
    assert normalise_code(given) == expected


@pytest.mark.parametrize("bad", ["", "4", "440", "44010", "4401060", "44a1", "广州", "4401 06", "-44", "4401.0"])
def test_normalise_code_rejects_what_is_not_a_code(bad):
    with pytest.raises(DataError) as caught:
        normalise_code(bad)
    assert f"'{bad.strip()}' is not a GB/T 2260 division code" in str(caught.value)


@pytest.mark.parametrize("code, level", [("440000", PROVINCE), ("440100", CITY), ("440106", DISTRICT),
                                         ("441900", CITY), ("110105", DISTRICT)])
def test_level_of(code, level):
    assert level_of(code) == level


# --- find_region ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, code", [
    ("44", "440000"), ("4401", "440100"), ("440106", "440106"), ("440106000000", "440106"),
    ("广东省", "440000"), ("广东", "440000"), ("Guangdong", "440000"),
    ("广州市", "440100"), ("广州", "440100"), (" 广州 ", "440100"), ("廣州", "440100"), ("廣州市", "440100"),
    ("Guangzhou", "440100"), ("GUANGZHOU", "440100"), ("ｇｕａｎｇｚｈｏｕ", "440100"),
    ("深圳", "440300"), ("Shenzhen", "440300"), ("東莞", "441900"), ("Dongguan", "441900"),
    ("天河区", "440106"), ("天河", "440106"), ("天河區", "440106"),
    ("中山", "442000"),  # the city, not 大连 中山区
    ("白云区", "440111"),  # 广州 白云区 before 贵阳 白云区
    ("北京", "110000"),
])
def test_find_region(text, code):
    assert find_region(text).code == code


def test_find_region_prefers_the_home_province_for_a_newer_district(shared_data):
    assert find_region("龙华区").code == "440309"  # 深圳 龙华区 (NBS list) before 海口 龙华区


def test_find_region_level_filter_and_home_province():
    assert find_region("中山", level=DISTRICT).code == "210202"  # 大连市中山区
    assert find_region("广州", level=CITY).code == "440100"
    assert find_region("朝阳区", within="110000").code == "110105"
    assert find_region("龙华区", within="460000").code == "460106"


def test_find_region_ambiguous_name_asks_for_the_code():
    with pytest.raises(DataError) as caught:
        find_region("朝阳区")  # 北京 and 长春, none in Guangdong
    message = str(caught.value)
    assert "ambiguous" in message and "110105" in message and "220104" in message and "give the code" in message


@pytest.mark.parametrize("text, message", [
    ("火星市", "unknown region '火星市'"),
    ("Gotham", "unknown region 'Gotham'"),
    ("", "unknown region ''"),
    ("449999", "unknown region code 449999"),
    ("4499", "unknown region code 4499"),
    ("4401060", "'4401060' is not a GB/T 2260 division code (2, 4 or 6 digits)"),
])
def test_find_region_unknown(text, message):
    with pytest.raises(DataError) as caught:
        find_region(text)
    assert str(caught.value) == message


# --- English names ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name, level, english", [
    ("广东省", PROVINCE, "Guangdong"),
    ("广州市", CITY, "Guangzhou"),
    ("天河区", DISTRICT, "Tianhe District"),
    ("新丰县", DISTRICT, "Xinfeng County"),
    ("英德市", DISTRICT, "Yingde"),  # county-level city
    ("乳源瑶族自治县", DISTRICT, "Ruyuanyaozu Autonomous County"),
    ("浦东新区", DISTRICT, "Pudong New Area"),
    ("清新区", DISTRICT, "Qingxin District"),  # 清远 清新区 is not a "New Area"
    ("香港特别行政区", PROVINCE, "Xianggang"),
    ("广西壮族自治区", PROVINCE, "Guangxi"),
    ("莫力达瓦达斡尔族自治旗", DISTRICT, "Molidawadawoerzuzizhi Banner"),
])
def test_english_name(name, level, english):
    assert english_name(name, level) == english


def test_stored_english_names():
    codes = ["440000", "440300", "440305", "441803"]
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name_en"))
    assert names == {"440000": "Guangdong", "440300": "Shenzhen", "440305": "Nanshan District",
                     "441803": "Qingxin District"}
