"""Address → district resolution on real Guangdong addresses built from the NBS 2023 town and street list."""

import csv
import random

import pytest
from opencc import OpenCC

from ipoffice.regions.models import Region
from ipoffice.regions.services import resolve_address, resolve_addresses

pytestmark = pytest.mark.django_db

CITIES_WITHOUT_DISTRICTS = {"441900", "442000"}  # 东莞, 中山: towns directly under the city
_to_traditional = OpenCC("s2t")


@pytest.fixture
def divisions(shared_data):
    """Cities, counties and towns of Guangdong from the NBS 2023 lists."""
    folder = shared_data / "regions"

    def read(name):
        with (folder / name).open(encoding="utf-8") as fh:
            return list(csv.DictReader(fh))

    cities = {row["code"] + "00": row["name"] for row in read("guangdong_cities.csv")}
    counties = {row["code"]: row["name"] for row in read("guangdong_counties.csv")}
    towns = {row["code"]: row for row in read("guangdong_towns_streets.csv")}
    assert len(cities) == 21 and len(counties) == 124 and len(towns) == 1757
    return cities, counties, towns


def _parts(divisions, town_code):
    """(city, county or '' for 东莞/中山, town, expected code) of a real town."""
    cities, counties, towns = divisions
    town = towns[town_code]
    county_code = town["areaCode"]
    city = cities[town["cityCode"] + "00"]
    county = "" if county_code in CITIES_WITHOUT_DISTRICTS else counties[county_code]
    return city, county, town["name"], county_code


# --- confidence ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("town_code", ["440106006", "440305007", "440402004", "440606005", "445202001"])
def test_confidence_falls_as_less_is_named(divisions, town_code):
    city, county, town, expected = _parts(divisions, town_code)
    forms = [
        f"广东省{city}{county}{town}88号",  # district named with its city
        f"{county}{town}88号",  # district only: city inferred
        f"广东省{city}{town}88号",  # city only
        f"广东省{town}88号",  # province only
        f"{town}88号",  # nothing
    ]
    results = resolve_addresses(forms)
    codes = [r.code for r in results]
    assert codes == [expected, expected, expected[:4] + "00", "440000", None], forms
    assert [r.level for r in results] == [Region.Level.DISTRICT, Region.Level.DISTRICT, Region.Level.CITY,
                                          Region.Level.PROVINCE, None]
    confidences = [r.confidence for r in results]
    assert confidences == sorted(confidences, reverse=True) and len(set(confidences)) == 5
    assert confidences == [0.95, 0.85, 0.6, 0.3, 0.0]
    assert [r.method for r in results] == ["district named with its city", "district named, city inferred",
                                           "city only", "province only", "no division named"]


def test_real_address_of_tianhe(divisions):
    city, county, town, expected = _parts(divisions, "440106006")
    assert (city, county, town, expected) == ("广州市", "天河区", "石牌街道", "440106")
    result = resolve_address("广东省广州市天河区石牌街道天河路88号")
    assert (result.code, result.level, result.confidence) == ("440106", Region.Level.DISTRICT, 0.95)
    assert result.region == Region.objects.get(code="440106")
    assert resolve_address("某某路88号").region is None


@pytest.mark.parametrize("address", [
    "廣東省廣州市天河區石牌街道天河路88號",  # traditional characters
    "广东省 广州市 天河区 石牌街道 天河路８８号",  # spaces and full-width digits
    "广州天河区石牌街道天河路88号",  # the city without 市
    "廣州市天河區石牌街道",
])
def test_variant_writings(address):
    result = resolve_address(address)
    assert result.code == "440106" and result.confidence >= 0.95


def test_dongguan_and_zhongshan_resolve_to_the_city(divisions):
    """Towns of 东莞 and 中山 are directly under the city: the city is the deepest division there is."""
    for town_code, expected in (("441900101", "441900"), ("442000001", "442000")):
        city, county, town, code = _parts(divisions, town_code)
        assert (county, code) == ("", expected)
        result = resolve_address(f"广东省{city}{town}88号")
        assert (result.code, result.level, result.confidence) == (expected, Region.Level.CITY, 0.6)


# --- districts newer than cpca -------------------------------------------------------------------------------


@pytest.mark.parametrize("town_code, expected", [("440309002", "440309"), ("440309006", "440309"),
                                                 ("440310005", "440310"), ("440311004", "440311")])
def test_shenzhen_districts_newer_than_cpca(divisions, town_code, expected):
    city, county, town, code = _parts(divisions, town_code)
    assert code == expected
    for address in (f"广东省{city}{county}{town}88号", f"{city}{county}{town}88号",
                    _to_traditional.convert(f"广东省{city}{county}{town}88号")):
        result = resolve_address(address)
        assert (result.code, result.level, result.confidence) == (expected, Region.Level.DISTRICT, 0.9), address
        assert result.method == "district named (newer than cpca)"
    assert resolve_address(f"广东省深圳市{town}88号").code == "440300"  # not named: the city only


def test_longhua_shenzhen_not_haikou(shared_data):
    assert resolve_address("广东省深圳市龙华区民治街道88号").code == "440309"
    assert resolve_address("海南省海口市龙华区滨海街道88号").code == "460106"


# --- batches ---------------------------------------------------------------------------------------------------


def test_batch_keeps_order_and_matches_single_calls():
    addresses = ["广东省广州市天河区石牌街道88号", "", None, "深圳市南山区粤海街道科技园", "广东省某某路",
                 "佛山市顺德区大良街道"]
    batch = resolve_addresses(addresses)
    assert [r.code for r in batch] == ["440106", None, None, "440305", "440000", "440606"]
    assert batch == [resolve_address(a) for a in addresses]
    assert resolve_addresses([]) == []


# --- accuracy over real towns ------------------------------------------------------------------------------------


def test_accuracy_over_sampled_town_addresses(divisions):
    """300 real towns and streets, each written four ways; the district (or 东莞/中山) must be found."""
    _, _, towns = divisions
    sample = random.Random(2016).sample(sorted(towns), 300)
    styles = {
        "full": lambda c, d, t: f"广东省{c}{d}{t}88号",
        "no province": lambda c, d, t: f"{c}{d}{t}1栋201室",
        "traditional": lambda c, d, t: _to_traditional.convert(f"广东省{c}{d}{t}88号"),
        "district only": lambda c, d, t: f"{d or c}{t}88号",
    }
    accuracy = {}
    for style, write in styles.items():
        parts = [_parts(divisions, code) for code in sample]
        results = resolve_addresses([write(city, county, town) for city, county, town, _ in parts])
        correct = [r.code == expected for r, (*_, expected) in zip(results, parts, strict=True)]
        accuracy[style] = sum(correct) / len(correct)
        if style != "district only":
            assert all(r.confidence >= 0.6 for r, ok in zip(results, correct, strict=True) if ok)
    print("district-correct:", {k: f"{v:.1%}" for k, v in accuracy.items()})
    assert accuracy["full"] >= 0.99
    assert accuracy["no province"] >= 0.99
    assert accuracy["traditional"] >= 0.98
    # A district named alone can be another province's (白云区 is also in 贵阳): a lower floor.
    assert accuracy["district only"] >= 0.95
