"""Every navigation analysis against counts worked out by hand on a small fixed dataset (16 patents, no database).

The dataset (cut-off 2022-12-31, 18-month lag; years by filing date unless said otherwise):

    id office type  filed       applicants          inventors        region status  nodes     effects
    1  CN  inv  2014-03-10  E1                  李明 王芳          440106 granted 1 1.1     效率     family F1
    2  US  inv  2015-02-20  E1 (prio 2014-03-10) 李明              440106 pending 1 1.1     效率     family F1
    3  CN  util 2016-05-05  E1 E2               李明 陈静          440106 granted 1 1.2     能耗
    4  CN  inv  2017-01-15  E2                  陈静              440104 granted 2         寿命     grant event only
    5  CN  inv  2018-04-04  E1 E2 E3            李明 陈静 赵强      440106 withdr. 1 1.1     效率 能耗
    6  CN  util 2018-08-08  E4                  刘洋              440305 lapsed  2         效率
    7  CN  des  2019-03-03  E5 (individual)     张伟              440106 granted
    8  CN  inv  2019-06-06  E3 E4               赵强 刘洋          440304 pending 2         寿命
    9  CN  inv  2020-01-10  E1 (alias name; prio 2019-11-11) 王芳  440106 pending 1 1.2     能耗
    10 CN  util 2020-05-05  某某贸易商行 (unresolved) 孙丽          440304 invalid 2
    11 CN  inv  2021-03-03  E4                  刘洋              440305 pending 1 1.1     效率
    12 CN  util 2021-07-07  E3                  赵强              440304 granted 2         寿命
    13 CN  inv  2022-02-02  E1 E4               李明 刘洋          440106 pending 1 1.2     能耗
    14 US  inv  2018-09-09  ACME Co., Ltd. (US) John Smith        -      granted                    family F14
    15 CN  inv  2019-10-10  Acme Company Limited (US; prio 2018-09-09) John Smith, Mary Jones   pending  family F14
    16 CN  inv  2016-12-30  E2                  陈静              440104 granted 2         效率

E1 华星电池 and E4 深圳动力 are enterprises, E2 华南大学 a university, E3 广东新能源研究院 an institute, E5 张伟 an
individual; the two ACME spellings share one normalised name.
"""

from datetime import date

import pytest
from django.utils import translation
from lxml import etree

from ipoffice.navigation.analyses import keys, run, run_all
from ipoffice.navigation.analyses.key_patents import CORE_SCORE, components, score
from ipoffice.navigation.analyses.life_cycle import phase
from ipoffice.navigation.analyses.networks import to_gexf, to_graphml
from ipoffice.navigation.counting import Rules
from ipoffice.navigation.dataset import Applicant, Dataset, Record

E1 = Applicant("华星电池有限公司", 1, "华星电池有限公司", "enterprise", "CN", "440106")
E1_ALIAS = Applicant("华星电池有限责任公司", 1, "华星电池有限公司", "enterprise", "CN", "440106")
E2 = Applicant("华南大学", 2, "华南大学", "university", "CN", "440104")
E3 = Applicant("广东新能源研究院", 3, "广东新能源研究院", "institute", "CN", "440304")
E4 = Applicant("深圳动力科技有限公司", 4, "深圳动力科技有限公司", "enterprise", "CN", "440305")
E5 = Applicant("张伟", 5, "张伟", "individual", "CN", "440106")
TRADER = Applicant("某某贸易商行", region="440304", country="CN")
ACME1 = Applicant("ACME Co., Ltd.", country="US")
ACME2 = Applicant("Acme Company Limited", country="US")


def record(pk, office, ptype, filed, published, applicants, inventors, region, status, *, granted=None,
           priority=None, family="", ipc=(), cpc=(), nodes=(), effects=(), citations=0, family_size=1, claims=None,
           events=(), country="CN"):
    return Record(
        id=pk, office=office, number=f"{office}{pk:09d}A", application_number=f"{office}{pk}", kind="A",
        patent_type=ptype, title=f"专利{pk}", application_date=filed, priority_date=priority,
        publication_date=published, grant_date=granted, family_id=family, legal_status=status, claims_count=claims,
        ipc=list(ipc), cpc=list(cpc), applicants=list(applicants), inventors=list(inventors), agency="",
        region=region, country=country, forward_citations=citations, family_size=family_size,
        events=[tuple(e) for e in events], nodes=list(nodes), effects=list(effects))


GRANT = "C14", "grant"
RECORDS = [
    record(1, "CN", "invention", "2014-03-10", "2015-09-01", [E1], ["李明", "王芳"], "440106", "granted",
           granted="2017-05-02", family="F1", ipc=["H01M10/052", "H01M4/13"], nodes=["1", "1.1"], effects=["效率"],
           citations=12, family_size=2, claims=10,
           events=[("2017-05-02", *GRANT), ("2019-04-01", "TR01", "transfer")]),
    record(2, "US", "invention", "2015-02-20", "2016-08-01", [E1], ["李明"], "440106", "pending",
           priority="2014-03-10", family="F1", ipc=["H01M10/052"], nodes=["1", "1.1"], effects=["效率"],
           family_size=2, claims=8),
    record(3, "CN", "utility", "2016-05-05", "2016-11-11", [E1, E2], ["李明", "陈静"], "440106", "granted",
           granted="2016-11-11", ipc=["H01M4/13", "H02J7/00"], nodes=["1", "1.2"], effects=["能耗"], citations=3,
           claims=6, events=[("2016-11-11", *GRANT), ("2020-03-03", "EE01", "licence")]),
    record(4, "CN", "invention", "2017-01-15", "2018-07-20", [E2], ["陈静"], "440104", "granted",
           ipc=["H02J7/00"], nodes=["2"], effects=["寿命"], citations=5, claims=20,
           events=[("2019-09-09", *GRANT), ("2021-05-05", "PE01", "pledge")]),
    record(5, "CN", "invention", "2018-04-04", "2019-10-10", [E1, E2, E3], ["李明", "陈静", "赵强"], "440106",
           "withdrawn", ipc=["H01M10/0525"], nodes=["1", "1.1"], effects=["效率", "能耗"], claims=12),
    record(6, "CN", "utility", "2018-08-08", "2019-01-01", [E4], ["刘洋"], "440305", "lapsed", granted="2019-01-01",
           ipc=["H02J7/02"], nodes=["2"], effects=["效率"], citations=1, claims=5,
           events=[("2019-01-01", *GRANT), ("2021-02-02", "C17", "lapse")]),
    record(7, "CN", "design", "2019-03-03", "2019-08-08", [E5], ["张伟"], "440106", "granted", granted="2019-08-08",
           events=[("2019-08-08", *GRANT)]),
    record(8, "CN", "invention", "2019-06-06", "2020-12-12", [E3, E4], ["赵强", "刘洋"], "440304", "pending",
           ipc=["H02J7/00", "B60L53/10"], nodes=["2"], effects=["寿命"], claims=15),
    record(9, "CN", "invention", "2020-01-10", "2021-07-07", [E1_ALIAS], ["王芳"], "440106", "pending",
           priority="2019-11-11", ipc=["H01M10/056"], nodes=["1", "1.2"], effects=["能耗"], claims=9,
           events=[("2021-03-01", "TR01", "transfer"), ("2021-09-01", "TR01", "transfer")]),
    record(10, "CN", "utility", "2020-05-05", "2020-11-11", [TRADER], ["孙丽"], "440304", "invalidated",
           granted="2020-11-11", ipc=["H02J7/00"], nodes=["2"],
           events=[("2020-11-11", *GRANT), ("2022-02-02", "IW01", "invalidation")]),
    record(11, "CN", "invention", "2021-03-03", "2022-09-09", [E4], ["刘洋"], "440305", "pending",
           ipc=["H01M4/13"], nodes=["1", "1.1"], effects=["效率"], claims=10),
    record(12, "CN", "utility", "2021-07-07", "2022-01-20", [E3], ["赵强"], "440304", "granted", granted="2022-01-20",
           ipc=["H02J7/02"], nodes=["2"], effects=["寿命"], claims=4,
           events=[("2022-01-20", *GRANT), ("2022-06-06", "PE01", "pledge")]),
    record(13, "CN", "invention", "2022-02-02", "2022-08-08", [E1, E4], ["李明", "刘洋"], "440106", "pending",
           ipc=["H01M10/056"], nodes=["1", "1.2"], effects=["能耗"], claims=7),
    record(14, "US", "invention", "2018-09-09", "2020-03-03", [ACME1], ["John Smith"], "", "granted",
           granted="2021-01-05", family="F14", ipc=["H01M10/052"], cpc=["H01M10/052"], citations=20, family_size=3,
           claims=25, country="US"),
    record(15, "CN", "invention", "2019-10-10", "2021-04-04", [ACME2], ["John Smith", "Mary Jones"], "", "pending",
           priority="2018-09-09", family="F14", ipc=["H01M10/052"], family_size=3, claims=20, country="US"),
    record(16, "CN", "invention", "2016-12-30", "2018-06-06", [E2], ["陈静"], "440104", "granted",
           granted="2019-12-12", ipc=["H02J7/00", "H01M10/44"], nodes=["2"], effects=["效率"], citations=8, claims=14,
           events=[("2019-12-12", *GRANT), ("2022-03-03", "TR01", "transfer")]),
]
NODES = [{"code": "1", "name": "电池", "parent": ""}, {"code": "1.1", "name": "电极", "parent": "1"},
         {"code": "1.2", "name": "电解液", "parent": "1"}, {"code": "2", "name": "充电", "parent": ""}]
REGIONS = {"440000": "广东省", "440100": "广州市", "440104": "越秀区", "440106": "天河区", "440300": "深圳市",
           "440304": "福田区", "440305": "南山区"}
BASELINE = {"CN": 1000, "44": 200, "4401": 80, "440106": 30, "440104": 20, "4403": 100, "440304": 40, "440305": 50}
CUTOFF = date(2022, 12, 31)


def dataset(region="440100") -> Dataset:
    return Dataset(records=RECORDS, cutoff=CUTOFF.isoformat(), query="电池", region=region, nodes=NODES,
                   effects=["效率", "能耗", "寿命"], regions=REGIONS,
                   ipc_titles={"H01M": "用于直接转变化学能为电能的方法或装置", "H02J": "供电或配电的电路装置或系统"},
                   baseline=BASELINE)


def rules(**changes) -> Rules:
    return Rules(**{"unit": "application", "applicants": "whole", "date_basis": "filing", "cutoff": CUTOFF,
                    "lag_months": 18, **changes})


def rows_by(result, column):
    return {row[column]: row for row in result.rows}


def test_every_analysis_runs_in_report_order_with_table_chart_method_and_drill():
    results = run_all(dataset(), rules())
    assert [r.key for r in results] == keys() == [
        "trend", "life_cycle", "composition", "geography", "top_applicants", "top_inventors", "ipc", "nodes",
        "effect_matrix", "co_applicants", "co_inventors", "key_patents", "concentration", "legal_status",
        "positioning"]
    for result in results:
        assert result.rows and result.method and result.chart["$schema"].endswith("v5.json"), result.key
        assert all(row["drill"] in result.drill for row in result.rows if row.get("drill")), result.key
        assert all(set(ids) <= set(range(1, 17)) for ids in result.drill.values()), result.key
    empty = run_all(Dataset(records=[], cutoff=CUTOFF.isoformat()), rules())
    assert [r.key for r in empty] == keys()


# ---------------------------------------------------------------------------------------------------- trend


def test_trend_counts_filings_by_filing_year_and_grants_by_grant_date_or_grant_event():
    result = run("trend", dataset(), rules())
    by_year = rows_by(result, "year")
    # filed: 2014 [1], 2015 [2], 2016 [3, 16], 2017 [4], 2018 [5, 6, 14], 2019 [7, 8, 15], 2020 [9, 10],
    # 2021 [11, 12], 2022 [13]
    assert {y: r["filings"] for y, r in by_year.items()} == {
        2014: 1, 2015: 1, 2016: 2, 2017: 1, 2018: 3, 2019: 3, 2020: 2, 2021: 2, 2022: 1}
    # granted: 3 in 2016; 1 in 2017; 4 (event only), 6, 7, 16 in 2019; 10 in 2020; 14 in 2021; 12 in 2022
    assert {y: r["grants"] for y, r in by_year.items()} == {
        2014: 0, 2015: 0, 2016: 1, 2017: 1, 2018: 0, 2019: 4, 2020: 1, 2021: 1, 2022: 1}
    assert result.drill["2019:grants"] == [4, 6, 7, 16]
    assert result.drill["2018"] == [5, 6, 14]
    # cut-off 2022-12-31 less 18 months = 2021-06-30: 2021 and 2022 are still growing
    assert [y for y, r in by_year.items() if r["incomplete"]] == [2021, 2022]
    assert "2021, 2022" in result.notes[0]


def test_trend_family_counting_keeps_the_earliest_member():
    result = run("trend", dataset(), rules(unit="family"))
    filings = {r["year"]: r["filings"] for r in result.rows}
    # F1 → 1 (filed 2014-03-10 before 2 on 2015-02-20); F14 → 14 (2018-09-09 before 15 on 2019-10-10):
    # 2015 has no family left (and no grant), 2019 keeps 7 and 8
    assert 2015 not in filings
    assert filings[2014] == 1 and filings[2018] == 3 and filings[2019] == 2
    assert sum(filings.values()) == 14


def test_trend_priority_basis_falls_back_on_filing_and_family_prefers_the_cn_member():
    filings = {r["year"]: r["filings"] for r in run("trend", dataset(), rules(date_basis="priority")).rows}
    # 2 → 2014 (priority), 9 → 2019, 15 → 2018; the others by filing date
    assert filings[2014] == 2 and filings[2018] == 4 and filings[2019] == 3 and filings[2020] == 1
    result = run("trend", dataset(), rules(date_basis="priority", unit="family"))
    # F14: 14 (no priority → filed 2018-09-09) ties 15 (priority 2018-09-09): the CN member 15 stays
    assert result.drill["2018"] == [5, 6, 15]
    # F1: 1 (2014-03-10) ties 2 (priority 2014-03-10): the CN member 1
    assert result.drill["2014"] == [1]


def test_trend_publication_basis_and_its_lag_band():
    result = run("trend", dataset(), rules(date_basis="publication"))
    # published: 2015 [1], 2016 [2, 3], 2018 [4, 16], 2019 [5, 6, 7], 2020 [8, 10, 14], 2021 [9, 15], 2022 [11, 12, 13]
    assert {r["year"]: r["filings"] for r in result.rows if r["filings"]} == {
        2015: 1, 2016: 2, 2018: 2, 2019: 3, 2020: 3, 2021: 2, 2022: 3}
    assert result.notes == []  # the cut-off year has ended: publications have no lag
    halfway = run("trend", dataset(), rules(date_basis="publication", cutoff=date(2022, 6, 30)))
    assert [r["year"] for r in halfway.rows if r["incomplete"]] == [2022]


# ---------------------------------------------------------------------------------------------------- life cycle


def test_life_cycle_counts_distinct_resolved_applicants_per_year_and_reads_the_phase():
    result = run("life_cycle", dataset(), rules())
    by_year = rows_by(result, "year")
    # 2016: E1, E2 (3) and E2 (16) → 2; 2018: E1 E2 E3 (5), E4 (6), ACME (14) → 5; 2019: E5, E3, E4, ACME → 4;
    # 2020: E1 under its alias name (same entity) and the trader → 2
    assert {y: r["applicants"] for y, r in by_year.items()} == {
        2014: 1, 2015: 1, 2016: 2, 2017: 1, 2018: 5, 2019: 4, 2020: 2, 2021: 2, 2022: 2}
    # complete years end in 2020: 2018–2020 has 3+3+2 = 8 filings and 7 distinct applicants, 2015–2017 has
    # 1+2+1 = 4 filings and 2 applicants: filings +100 %, applicants +250 %, the earlier window < 10 → emerging
    assert result.extra["phase"] == "emerging"
    assert result.extra["filings"] == (4, 8) and result.extra["applicants"] == (2, 7)
    assert result.chart["layer"][1]["encoding"]["text"] == {"field": "year"}
    # first-applicant counting: 2018 keeps E1 (5), E4 (6), ACME (14)
    assert rows_by(run("life_cycle", dataset(), rules(applicants="first")), "year")[2018]["applicants"] == 3


def test_life_cycle_phases():
    years = [2015, 2016, 2017, 2018, 2019, 2020]
    people = {y: {f"p{i}" for i in range(n)} for y, n in zip(years, [10, 10, 10, 20, 20, 20], strict=True)}
    grown = {y: 20 for y in years[:3]} | {y: 40 for y in years[3:]}
    assert phase(grown, people, years)[0] == "growth"  # filings 60 → 120, applicants 10 → 20, base ≥ 10
    flat_people = {y: {"a", "b"} for y in years}
    assert phase(grown, flat_people, years)[0] == "maturity"  # filings up, applicants 2 → 2
    shrinking = {y: 40 for y in years[:3]} | {y: 20 for y in years[3:]}
    assert phase(shrinking, people, years)[0] == "decline"  # filings 120 → 60 (−50 %)
    assert phase({2020: 3}, {2020: {"a"}}, years)[0] == "emerging"  # nothing in 2015–2017
    assert phase({}, {}, [])[0] == "undetermined"


# ---------------------------------------------------------------------------------------------------- composition


def test_composition_by_type_and_by_applicant_kind_under_each_counting_rule():
    result = run("composition", dataset(), rules())
    counts = {row["drill"]: row["count"] for row in result.rows}
    # types: 11 inventions, 4 utility models (3, 6, 10, 12), 1 design (7)
    assert {k: v for k, v in counts.items() if k.startswith("type:")} == {
        "type:invention": 11, "type:utility": 4, "type:design": 1}
    # whole: enterprise 1, 2, 3, 5, 6, 8, 9, 11 and 13 twice (E1 and E4) = 10; university 3, 4, 5, 16 = 4;
    # institute 5, 8, 12 = 3; individual 7 = 1; other: trader 10, ACME 14, 15 = 3
    assert {k: v for k, v in counts.items() if k.startswith("kind:")} == {
        "kind:enterprise": 10, "kind:university": 4, "kind:institute": 3, "kind:individual": 1, "kind:other": 3}
    assert result.drill["kind:enterprise"] == [1, 2, 3, 5, 6, 8, 9, 11, 13]
    assert rows_by(result, "drill")["kind:other"]["share"] == round(100 * 3 / 21, 1)
    fractional = {r["drill"]: r["count"] for r in run("composition", dataset(), rules(applicants="fractional")).rows}
    # enterprise 1 + 1 + 1/2 (3) + 1/3 (5) + 1 + 1/2 (8) + 1 + 1 + 1/2 + 1/2 (13) = 7 1/3; university 1/2 + 1 + 1/3
    # + 1 = 2 5/6; institute 1/3 + 1/2 + 1 = 1 5/6: the kinds add up to the 16 patents
    assert (fractional["kind:enterprise"], fractional["kind:university"], fractional["kind:institute"]) == (
        7.33, 2.83, 1.83)
    first = {r["drill"]: r["count"] for r in run("composition", dataset(), rules(applicants="first")).rows}
    # first applicants: enterprise 1, 2, 3, 5, 6, 9, 11, 13; university 4, 16; institute 8, 12
    assert (first["kind:enterprise"], first["kind:university"], first["kind:institute"]) == (8, 2, 2)


# ---------------------------------------------------------------------------------------------------- geography


def test_geography_four_levels_with_region_names():
    result = run("geography", dataset(), rules())
    counts = {row["drill"]: row["count"] for row in result.rows}
    # CN: all but 14 and 15 (US applicants); Guangzhou 440106 ×7 (1 2 3 5 7 9 13) + 440104 ×2 (4 16) = 9,
    # Shenzhen 440304 ×3 (8 10 12) + 440305 ×2 (6 11) = 5
    assert counts == {"country:CN": 14, "country:US": 2, "province:440000": 14, "city:440100": 9,
                      "city:440300": 5, "district:440106": 7, "district:440304": 3, "district:440104": 2,
                      "district:440305": 2}
    assert rows_by(result, "drill")["city:440300"]["name"] == "深圳市"
    assert result.drill["city:440300"] == [6, 8, 10, 11, 12]
    assert rows_by(result, "drill")["city:440100"]["share"] == round(100 * 9 / 14, 1)


# ---------------------------------------------------------------------------------------------------- players


def test_top_applicants_entity_resolved_with_share_years_and_grant_rate():
    result = run("top_applicants", dataset(), rules())
    # E1 (its alias on 9 included): 1 2 3 5 9 13 = 6; E2 3 4 5 16 = 4; E4 6 8 11 13 = 4; E3 5 8 12 = 3;
    # ACME's two spellings 14 15 = 2; E5 and the trader 1 each (ties by name)
    assert [(r["name"], r["count"]) for r in result.rows] == [
        ("华星电池有限公司", 6), ("华南大学", 4), ("深圳动力科技有限公司", 4), ("广东新能源研究院", 3),
        ("ACME Co., Ltd.", 2), ("张伟", 1), ("某某贸易商行", 1)]
    e1 = result.rows[0]
    # share 6/16; years 2014–2022; granted 1 and 3 of 6
    assert (e1["share"], e1["first_year"], e1["last_year"], e1["grant_rate"]) == (37.5, 2014, 2022, 33.3)
    assert result.rows[1]["grant_rate"] == 75.0  # 3, 4 (grant event), 16 of 3, 4, 5, 16
    assert result.drill["e:1"] == [1, 2, 3, 5, 9, 13]
    assert result.drill["n:acme ltd"] == [14, 15]
    fractional = run("top_applicants", dataset(), rules(applicants="fractional")).rows[0]
    # E1: 1 + 1 + 1/2 + 1/3 + 1 + 1/2 = 4 1/3, share 4.333/16 = 27.1 %
    assert (fractional["count"], fractional["share"]) == (4.33, 27.1)
    first = {r["name"]: r["count"] for r in run("top_applicants", dataset(), rules(applicants="first")).rows}
    # first applicants only: E4 keeps 6 and 11 (second on 8 and 13)
    assert first["华星电池有限公司"] == 6 and first["深圳动力科技有限公司"] == 2


def test_top_inventors():
    result = run("top_inventors", dataset(), rules())
    # 李明 1 2 3 5 13; 陈静 3 4 5 16; 刘洋 6 8 11 13; 赵强 5 8 12
    assert [(r["name"], r["count"]) for r in result.rows[:4]] == [("李明", 5), ("刘洋", 4), ("陈静", 4), ("赵强", 3)]
    assert result.drill["李明"] == [1, 2, 3, 5, 13]
    family = run("top_inventors", dataset(), rules(unit="family"))
    assert family.rows[0]["count"] == 4  # 2 is not its family's representative


# ---------------------------------------------------------------------------------------------------- classification


def test_ipc_counts_each_distinct_subclass_and_main_group_once_per_patent():
    result = run("ipc", dataset(), rules())
    counts = {row["drill"]: row["count"] for row in result.rows}
    # H01M: 1 2 3 5 9 11 13 14 15 16 = 10; H02J: 3 4 6 8 10 12 16 = 7; B60L: 8
    assert (counts["ipc:H01M"], counts["ipc:H02J"], counts["ipc:B60L"]) == (10, 7, 1)
    # H01M10/00: 1 2 5 9 13 14 15 16 = 8; H01M4/00: 1 3 11 = 3; 1 has both but counts once in H01M
    assert (counts["ipc:H01M10/00"], counts["ipc:H01M4/00"], counts["ipc:H02J7/00"]) == (8, 3, 7)
    assert counts["cpc:H01M"] == 1 and result.drill["cpc:H01M10/00"] == [14]
    assert rows_by(result, "drill")["ipc:H01M"]["title"].startswith("用于直接转变")
    assert rows_by(result, "drill")["ipc:H01M"]["share"] == 62.5  # 10 of 16


def test_nodes_in_tree_order_with_depth_and_year_windows():
    result = run("nodes", dataset(), rules())
    assert [(r["code"], r["depth"], r["total"]) for r in result.rows] == [
        ("1", 0, 7), ("1.1", 1, 4), ("1.2", 1, 3), ("2", 0, 6)]
    # windows end with the cut-off year: 2013–2017 and 2018–2022; branch 1: 1 2 3 then 5 9 11 13
    one = result.rows[0]
    assert (one["w2013"], one["w2018"]) == (3, 4)
    assert result.drill[one["w2018_drill"]] == [5, 9, 11, 13]
    assert result.drill["2:2013-2017"] == [4, 16]
    assert "2021, 2022" in result.notes[0]


def test_effect_matrix_cells_drill_down_by_node_and_effect():
    result = run("effect_matrix", dataset(), rules())
    cells = {row["code"]: [row["e0"], row["e1"], row["e2"]] for row in result.rows}  # 效率, 能耗, 寿命
    assert cells == {"1": [4, 4, 0], "1.1": [4, 1, 0], "1.2": [0, 3, 0], "2": [2, 0, 3]}
    assert result.drill["1|效率"] == [1, 2, 5, 11]
    assert result.drill["2|寿命"] == [4, 8, 12]
    assert result.rows[0]["e1_drill"] == "1|能耗"
    assert [layer["mark"]["type"] for layer in result.chart["layer"]] == ["circle", "text"]
    family = run("effect_matrix", dataset(), rules(unit="family"))
    assert family.drill["1|效率"] == [1, 5, 11]  # 2 shares family F1 with 1


# ---------------------------------------------------------------------------------------------------- networks


def test_co_applicant_network_nodes_edges_and_exports():
    result = run("co_applicants", dataset(), rules())
    # pairs: 3 (E1 E2), 5 (E1 E2, E1 E3, E2 E3), 8 (E3 E4), 13 (E1 E4); partners E1 3, E3 3, E2 2, E4 2
    assert [(n["id"], n["degree"], n["weight"]) for n in result.extra["nodes"]] == [
        ("e:1", 3, 6), ("e:3", 3, 3), ("e:2", 2, 4), ("e:4", 2, 4)]
    assert result.extra["edges"] == [
        {"source": "e:1", "target": "e:2", "weight": 2}, {"source": "e:1", "target": "e:3", "weight": 1},
        {"source": "e:1", "target": "e:4", "weight": 1}, {"source": "e:2", "target": "e:3", "weight": 1},
        {"source": "e:3", "target": "e:4", "weight": 1}]
    assert result.drill["e:3"] == [5, 8, 12]
    gexf = etree.fromstring(to_gexf(result).encode())
    ns = {"g": "http://gexf.net/1.3"}
    assert gexf.get("version") == "1.3"
    assert len(gexf.findall(".//g:node", ns)) == 4 and len(gexf.findall(".//g:edge", ns)) == 5
    assert gexf.find(".//g:node[@id='e:1']", ns).get("label") == "华星电池有限公司"
    graphml = etree.fromstring(to_graphml(result).encode())
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    assert len(graphml.findall(".//g:node", ns)) == 4
    assert [e.find("g:data", ns).text for e in graphml.findall(".//g:edge", ns)] == ["2", "1", "1", "1", "1"]


def test_co_inventor_network():
    result = run("co_inventors", dataset(), rules())
    degree = {n["id"]: n["degree"] for n in result.extra["nodes"]}
    # 李明 with 王芳 (1), 陈静 (3, 5), 赵强 (5), 刘洋 (13); Smith with Jones (15)
    assert degree == {"李明": 4, "赵强": 3, "陈静": 2, "刘洋": 2, "王芳": 1, "John Smith": 1, "Mary Jones": 1}
    assert {"source": "李明", "target": "陈静", "weight": 2} in result.extra["edges"]
    assert etree.fromstring(to_graphml(result).encode()) is not None


# ---------------------------------------------------------------------------------------------------- key patents


def test_key_patent_score_components():
    by_id = {r.id: r for r in RECORDS}
    # 14: 20 citations (cap 10) 35 + family 3 → 2/4 × 20 = 10 + 25 claims (cap 20) 15 + in force 20 + invention 10
    assert components(by_id[14]) == {"citations": 35, "family": 10, "claims": 15, "in_force": 20, "invention": 10}
    assert score(by_id[14]) == 90
    # 1: 35 + 1/4 × 20 = 5 + 10/20 × 15 = 7.5 + 20 + 10
    assert score(by_id[1]) == 77.5
    # 16: 8/10 × 35 = 28 + 0 + 14/20 × 15 = 10.5 + 20 + 10
    assert score(by_id[16]) == 68.5
    assert score(by_id[10]) == 0  # invalidated utility model, nothing else
    assert CORE_SCORE == 60


def test_key_patents_ranking_and_core_drill():
    result = run("key_patents", dataset(), rules())
    # 14 90, 1 77.5, 16 68.5, 4 62.5 (17.5 + 15 + 20 + 10), then 3 and 15 tie at 35 (by id)
    assert [(r["number"], r["score"]) for r in result.rows[:6]] == [
        ("US000000014A", 90), ("CN000000001A", 77.5), ("CN000000016A", 68.5), ("CN000000004A", 62.5),
        ("CN000000003A", 35), ("CN000000015A", 35)]
    assert result.drill["core"] == [14, 1, 16, 4]
    assert result.rows[0]["citations"] == 35 and result.drill[result.rows[0]["drill"]] == [14]


# ---------------------------------------------------------------------------------------------------- concentration


def test_concentration_cr4_and_hhi_overall_and_per_window():
    with translation.override("en"):
        result = run("concentration", dataset(), rules())
    by_drill = rows_by(result, "drill")
    overall = by_drill["all"]
    # weights E1 6, E2 4, E4 4, E3 3, ACME 2, E5 1, trader 1 = 21; CR4 17/21 = 81.0 %;
    # HHI (100/21)² × (36 + 16 + 16 + 9 + 4 + 1 + 1) = 10000 × 83 / 441 = 1882 → moderately concentrated
    assert (overall["applicants"], overall["patents"], overall["cr4"], overall["hhi"]) == (7, 16, 81.0, 1882)
    assert overall["reading"] == "moderately concentrated"
    # 2018–2022: E4 4, E1 3, E3 3, ACME 2, E2, E5, trader 1 = 15; CR4 12/15; HHI 10000 × 41 / 225 = 1822
    recent = by_drill["2018-2022"]
    assert (recent["patents"], recent["cr4"], recent["hhi"]) == (11, 80.0, 1822)
    # 2013–2017: E1 3 (1 2 3), E2 3 (3 4 16): 50² + 50² = 5000 → highly concentrated
    early = by_drill["2013-2017"]
    assert (early["cr4"], early["hhi"], early["reading"]) == (100.0, 5000, "highly concentrated")
    # the top four overall are E1, E2, E4, E3: their patents
    assert result.drill["all:top4"] == [1, 2, 3, 4, 5, 6, 8, 9, 11, 12, 13, 16]
    fractional = rows_by(run("concentration", dataset(), rules(applicants="fractional")), "drill")["all"]
    # E1 13/3, E4 3, E2 17/6, ACME 2, E3 11/6, E5 1, trader 1 = 16; CR4 (13/3 + 3 + 17/6 + 2)/16 = 76.0 %;
    # HHI 10000/256 × (169/9 + 9 + 289/36 + 4 + 121/36 + 1 + 1) = 10000 × 1626 / (36 × 256) = 1764
    assert (fractional["cr4"], fractional["hhi"]) == (76.0, 1764)


# ---------------------------------------------------------------------------------------------------- legal status


def test_legal_status_composition_and_transactions_per_year():
    result = run("legal_status", dataset(), rules())
    counts = {row["drill"]: row["count"] for row in result.rows}
    # granted 1 3 4 7 12 14 16; pending 2 8 9 11 13 15; withdrawn 5; lapsed 6; invalidated 10
    assert {k: v for k, v in counts.items() if k.startswith("status:")} == {
        "status:pending": 6, "status:granted": 7, "status:lapsed": 1, "status:withdrawn": 1,
        "status:invalidated": 1}
    # transfers 1 (2019), 9 twice (2021), 16 (2022); licence 3 (2020); pledges 4 (2021), 12 (2022)
    assert {k: v for k, v in counts.items() if not k.startswith("status:")} == {
        "transfer:2019": 1, "licence:2020": 1, "transfer:2021": 2, "pledge:2021": 1, "transfer:2022": 1,
        "pledge:2022": 1}
    assert result.drill["transfer:2021"] == [9]
    assert result.drill["status:granted"] == [1, 3, 4, 7, 12, 14, 16]
    assert run("legal_status", dataset(), rules(cutoff=date(2022, 6, 30))).notes  # 2022 only up to the cut-off


# ---------------------------------------------------------------------------------------------------- positioning


def test_positioning_share_and_location_quotient_of_a_city():
    result = run("positioning", dataset("440100"), rules())
    rows = rows_by(result, "code")
    # CN applications: all but 2 and 14 (US office) = 14; in Guangdong 13 (15 has no region); Guangzhou 1 3 4 5 7 9 13
    # 16 = 8. Baseline: CN 1000, Guangdong 200, Guangzhou 80
    city = rows["440100"]
    assert (city["filings"], city["all_filings"]) == (8, 80)
    assert (city["share_province"], city["share_china"]) == (61.5, 57.1)  # 8/13, 8/14
    # LQ against the province: (8/80) / (13/200) = 1.54; against China: (8/80) / (14/1000) = 7.14
    assert (city["lq_province"], city["lq_china"]) == (1.54, 7.14)
    province = rows["440000"]
    assert (province["filings"], province["lq_province"], province["lq_china"]) == (13, 1.0, 4.64)  # .065/.014
    assert rows["CN"]["lq_china"] == 1.0
    assert result.drill["4401"] == [1, 3, 4, 5, 7, 9, 13, 16]
    assert list(rows) == ["440100", "440000", "CN"]


def test_positioning_defaults_to_guangdong_with_its_cities():
    result = run("positioning", dataset(""), rules())
    rows = rows_by(result, "code")
    assert list(rows) == ["440000", "CN", "440100", "440300"]
    # Shenzhen 6 8 10 11 12 = 5 of 100: against Guangdong (5/100)/(13/200) = 0.77, against China 0.05/0.014 = 3.57
    assert (rows["440300"]["filings"], rows["440300"]["lq_province"], rows["440300"]["lq_china"]) == (5, 0.77, 3.57)
    assert rows["440300"]["name"] == "深圳市"


@pytest.mark.parametrize("key", ["trend", "top_applicants", "concentration", "effect_matrix"])
def test_analyses_leave_the_dataset_unchanged(key):
    before = [(r.id, list(r.nodes), list(r.applicants)) for r in RECORDS]
    run(key, dataset(), rules(unit="family", applicants="fractional"))
    assert [(r.id, list(r.nodes), list(r.applicants)) for r in RECORDS] == before
