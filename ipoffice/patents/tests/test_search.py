"""Patent search: the query language, the analyser, and one backend-agnostic suite run on the active backend.

The suite runs on SQLite FTS5 by default and on PostgreSQL full text when DATABASE_URL points at PostgreSQL
(CI runs both): every expectation is a set (or, for date orders, a list) of the fixed corpus's keys, so both
backends must find exactly the same patents.

Segmentation decision (documented in ipoffice.patents.search.text): matching is by word. 锂电池 finds 锂电池 and
the 锂电池 inside 锂电池组, not 锂离子电池 (another word); 电池 finds them all; a one-character word (锂) is a prefix.
"""

import gc
import importlib
import json
import sqlite3
import threading
from collections import Counter
from datetime import date
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command

from ipoffice.core.importing import BULK_GC_THRESHOLDS
from ipoffice.entities.services import match_entity
from ipoffice.patents.models import Classification, Party, Patent
from ipoffice.patents.search import backends, index_patents, remove_patents
from ipoffice.patents.search import text as analyser
from ipoffice.patents.search.backends import SqliteFtsBackend, _Compiler, filter_tokens, get_backend
from ipoffice.patents.search.query import All, And, Not, Or, QueryError, Range, Term, parse, to_text
from ipoffice.patents.search.services import result_as_dict, search_patents
from ipoffice.regions.models import Region

# ---------------------------------------------------------------------------------------------------- parser


def test_filter_tokens():
    assert filter_tokens("CN", "utility", "granted", date(2019, 5, 1), "440305007") == [
        "ocn", "tutility", "sgranted", "y2019", "r44", "r4403", "r440305", "r440305007"]
    assert filter_tokens("US", "invention", "", None, None) == ["ous", "tinvention", "s"]


class TestQueryLanguage:
    def test_boolean_with_parentheses_and_not(self):
        tree = parse("锂电池 AND (正极 OR 负极) NOT 钠")
        either = Or((Term("text", "正极", pos=9), Term("text", "负极", pos=15)))
        assert tree == And((Term("text", "锂电池", pos=0), either, Not(Term("text", "钠", pos=23))))

    def test_precedence_and_implicit_and(self):
        assert to_text(parse("a OR b c")) == "(a OR (b AND c))"
        assert to_text(parse("a b OR c")) == "((a AND b) OR c)"
        assert to_text(parse("NOT a OR b")) == "(NOT a OR b)"
        assert to_text(parse("-a b")) == "(NOT a AND b)"
        assert to_text(parse("a && b || c")) == "((a AND b) OR c)"

    def test_fields_phrases_and_groups(self):
        assert to_text(parse('title:"无人机" applicant:大疆')) == '(title:"无人机" AND applicant:大疆)'
        assert to_text(parse("title:(无人机 OR 飞行器)")) == "(title:无人机 OR title:飞行器)"
        assert parse("ipc:h01m*") == Term("ipc", "H01M", prefix=True, pos=4)
        assert parse("number:CN1234567A") == Term("number", "CN1234567A", pos=7)
        assert parse("type:发明") == Term("type", "invention", pos=5)
        assert parse("status:有效") == Term("status", "granted", pos=7)
        assert parse("district:440305") == Term("district", "440305", pos=9)

    def test_chinese_field_names_and_full_width_punctuation(self):
        assert to_text(parse("标题：（无人机 OR 飞行器） 申请人:“大疆创新”")) == \
            '((title:无人机 OR title:飞行器) AND applicant:"大疆创新")'

    def test_ranges(self):
        assert parse("year:2018..2022") == Range("year", date(2018, 1, 1), date(2022, 12, 31))
        assert parse("pd:[2019-01-01 TO 2020-12-31]") == Range("pd", date(2019, 1, 1), date(2020, 12, 31))
        assert parse("pd:{2019-01-01 TO 2020-12-31}") == Range("pd", date(2019, 1, 2), date(2020, 12, 30))
        assert parse("ad:[2019 TO *]") == Range("ad", date(2019, 1, 1), None)
        assert parse("ad:2020-02") == Range("ad", date(2020, 2, 1), date(2020, 2, 29))
        assert parse("gd:>=2021") == Range("gd", date(2021, 1, 1), None)
        assert parse("gd:<2021") == Range("gd", None, date(2020, 12, 31))
        assert parse("year:..2019") == Range("year", None, date(2019, 12, 31))

    def test_everything(self):
        assert parse("") == All()
        assert parse("*") == All()
        assert parse("  ") == All()

    @pytest.mark.parametrize(("text", "position", "words"), [
        ("(锂电池 OR 钠", 0, "missing ')'"),
        ("锂电池 OR 钠)", 8, "unexpected ')'"),
        ("锂电池 AND", 4, "AND needs a term"),
        ("锂电池 OR OR 钠", 4, "OR needs a term"),
        ("()", 0, "empty parentheses"),
        ("foo:bar", 0, "unknown field 'foo'"),
        ("year:2022..2018", 5, "empty range"),
        ("pd:[2019-01-01 TO 2020-12-31", 3, "not closed"),
        ("pd:[2019-01-01 2020-12-31]", 3, "[start TO end]"),
        ("pd:2019-13-01", 3, "not a real date"),
        ("year:2019-05", 5, "not a year"),
        ("type:gadget", 5, "unknown type 'gadget'"),
        ("status:sleeping", 7, "unknown status"),
        ('title:"无人机', 6, "unterminated phrase"),
        ("title:", 0, "needs a value"),
        ("ipc:X99", 4, "not an IPC symbol"),
        ("title:[a TO b]", 6, "not a date field"),
        ("a*b", 1, "'*' may only end a word"),
        ("city:123", 5, "2, 4 or 6 digits"),
    ])
    def test_errors_name_the_position_and_the_reason(self, text, position, words):
        with pytest.raises(QueryError) as caught:
            parse(text)
        assert caught.value.position == position
        assert words in caught.value.reason
        assert f"position {position + 1}" in str(caught.value)
        columns = sum(2 if "\u4e00" <= ch <= "\u9fff" else 1 for ch in text[:position])
        assert caught.value.caret().splitlines()[1] == " " * columns + "^"


# ---------------------------------------------------------------------------------------------------- analyser


class TestAnalyser:
    def test_fold(self):
        assert analyser.fold("鋰電池ＡＢＣ１２３") == "锂电池abc123"
        assert analyser.fold("Café") == "cafe"

    def test_words_cut_and_stem(self):
        assert analyser.words("锂离子电池正极材料") == ["锂离子", "电池", "正极", "材料"]
        assert analyser.words("Lithium-ion batteries charging") == ["lithium", "ion", "batteri", "charg"]

    def test_extras_follow_the_separator(self):
        stream = analyser.analyse_text("锂电池")
        assert stream[0] == "锂电池" and stream[1] == analyser.SEP
        assert {"锂电", "电池", "lidianchi", "dianchi"} <= set(stream[2:])

    def test_a_long_text_keeps_its_first_tokens_up_to_the_limit(self):
        unit = "锂离子电池正极材料，"
        stream = analyser.analyse_text(unit * 50, limit=10)
        assert stream[:stream.index(analyser.SEP)] == (analyser.words(unit) * 3)[:10]
        assert "lilizi" in stream  # (the extras of the tokens kept)
        assert analyser.analyse_text(unit * 50, limit=len(unit) * 50) == analyser.analyse_text(unit * 50)

    def test_names_are_bigrams(self):
        assert analyser.analyse_names(["比亚迪", "Tesla, Inc."]) == ["比亚", "亚迪", "迪", analyser.SEP, "tesla", "inc"]
        assert analyser.name_tokens("大疆创新", query=True) == [["大疆", "疆创", "创新"]]

    def test_numbers(self):
        assert analyser.number_tokens("CN", "2020101234567", ["CN112345678A", ""]) == [
            "2020101234567", "112345678", "202010123456"]
        assert analyser.number_tokens("US", "29129833", ["D0452599", "USRE36154E"]) == [
            "29129833", "d0452599", "re36154"]
        assert analyser.number_query("ZL 202010123456.7") == ("CN", ["2020101234567"])
        assert analyser.number_query("201910000001X") == ("", ["201910000001x"])  # a check character, not a kind
        assert analyser.number_query("CN 112345678 A") == ("CN", ["112345678"])
        assert analyser.number_query("USD0452599S1") == ("US", ["d0452599"])
        assert analyser.number_query("RE36154") == ("", ["re36154", "re036154"])  # a US series, not an office
        assert analyser.number_query("US 6,334,226 B1") == ("US", ["6334226", "06334226"])
        assert analyser.number_query("US633", prefix=True) == ("US", ["633"])
        assert analyser.number_query("1234567") == ("", ["1234567"])  # no office: not padded

    def test_tsvector_literal(self):
        """PostgreSQL's vectors: positions from 2 with a gap between streams, each stream's weight, the separator
        taking a position only, quotes escaped, at most 255 positions a lexeme, none past 16383."""
        literal = backends.tsvector_literal
        streams = [(["电池", "正极", "电池"], "A"), (["o'k", analyser.SEP, "正极"], "B"), ([], "C"), (["x"], "")]
        assert literal(streams) == "'电池':2A,4A '正极':3A,8B 'o''k':6B 'x':11"
        assert literal([(["a\\b"], "C")]) == "'a\\\\b':2C"
        assert literal([(["y"] * 300, "A")]) == "'y':" + ",".join(f"{pos}A" for pos in range(2, 257))
        assert literal([(["a"] * 20000 + ["b"], "D")]).endswith(" 'b':16383D")


# ---------------------------------------------------------------------------------------------------- corpus

CORPUS = {
    "li_cathode": dict(
        office="CN", application_number="2019100000011", publication_number="110000001", kind="A",
        patent_type="invention", title="锂电池正极材料及其制备方法",
        abstract="本发明公开了一种锂电池正极材料，包括磷酸铁锂和导电剂，提高了电池的容量。",
        first_claim="一种锂电池正极材料，其特征在于，包括磷酸铁锂。",
        application_date=date(2019, 3, 1), publication_date=date(2019, 8, 1), grant_date=date(2021, 5, 4),
        grant_number="110000001", legal_status="granted", family_id="F1", ipc_main="H01M4/58",
        region="440307", applicants=["深圳市比亚迪锂电池有限公司"], inventors=["王传福"],
        agency=["深圳市顺天达专利商标代理有限公司"], ipc=["H01M4/58", "H01M10/0525"], cpc=[]),
    "li_ion_anode": dict(  # written in traditional characters
        office="CN", application_number="2020100000022", publication_number="111000002", kind="A",
        patent_type="invention", title="鋰離子電池負極材料", abstract="本發明涉及一種鋰離子電池負極材料，循環性能好。",
        first_claim="", application_date=date(2020, 6, 10), publication_date=date(2020, 12, 1),
        legal_status="pending", family_id="F2", ipc_main="H01M4/133", region="350902",
        applicants=["宁德时代新能源科技股份有限公司"], inventors=["曾毓群"], agency=[], ipc=["H01M4/133"], cpc=[]),
    "drone_control": dict(
        office="CN", application_number="2021200000033", publication_number="212000003", kind="U",
        patent_type="utility", title="一种无人机的控制系统",
        abstract="本实用新型公开了一种无人机的控制系统，包括飞行控制器。",
        first_claim="一种无人机的控制系统，其特征在于包括遥控器。", application_date=date(2021, 1, 5),
        publication_date=date(2021, 7, 9), grant_number="212000003", grant_date=date(2021, 7, 9),
        legal_status="granted", family_id="F3", ipc_main="B64C39/02", region="440305",
        applicants=["深圳市大疆创新科技有限公司"], inventors=["张三", "李四"],
        agency=["深圳市科进知识产权代理有限公司"],
        ipc=["B64C39/02"], cpc=["B64U10/13"]),
    "us_battery": dict(
        office="US", application_number="15123456", publication_number="10123456", kind="B2",
        patent_type="invention", title="Lithium-ion batteries with improved cathode",
        abstract="A rechargeable battery comprising an improved cathode and a charging circuit.",
        first_claim="A battery comprising a cathode.", application_date=date(2018, 2, 1),
        publication_date=date(2018, 8, 2), legal_status="granted", family_id="F1", ipc_main="H01M10/0525",
        region=None, applicants=["Tesla, Inc."], inventors=["John Smith"], agency=[], ipc=["H01M10/0525"],
        cpc=["H01M10/0525", "Y02E60/10"]),
    "drone_shell": dict(
        office="CN", application_number="2022300000044", publication_number="307000004", kind="S",
        patent_type="design", title="无人机外壳", abstract="", first_claim="", application_date=date(2022, 7, 1),
        publication_date=date(2022, 11, 1), legal_status="lapsed", family_id="", ipc_main="", region="440305",
        applicants=["深圳市大疆创新科技有限公司"], inventors=["王五"], agency=[], ipc=[], cpc=[]),
    "sodium": dict(
        office="CN", application_number="2022100000055", publication_number="114000005", kind="A",
        patent_type="invention", title="钠离子电池及其制备方法", abstract="一种钠离子电池，正极为层状氧化物。",
        first_claim="", application_date=date(2022, 3, 3), publication_date=date(2022, 9, 9),
        legal_status="pending", family_id="", ipc_main="H01M10/054", region="440106",
        applicants=["华南理工大学"], inventors=["张三"], agency=["广州市华学知识产权代理有限公司"],
        ipc=["H01M10/054"], cpc=[]),
    "pack_cooling": dict(
        office="CN", application_number="2017100000066", publication_number="107000006", kind="A",
        patent_type="invention", title="一种锂电池组的散热装置", abstract="散热装置用于电池组，负极端设有散热片。",
        first_claim="", application_date=date(2017, 5, 5), publication_date=date(2017, 10, 10),
        legal_status="withdrawn", family_id="", ipc_main="H01M10/613", region="440307",
        applicants=["深圳市比亚迪锂电池有限公司"], inventors=["王传福"], agency=[], ipc=["H01M10/613"], cpc=[]),
}


def _create(key: str, spec: dict, link: bool = True) -> Patent:
    """The patent of ``spec``, its applicants linked to entities (made where new) with ``link``."""
    spec = dict(spec)
    parties = {"applicant": spec.pop("applicants"), "inventor": spec.pop("inventors"), "agency": spec.pop("agency")}
    schemes = {"ipc": spec.pop("ipc"), "cpc": spec.pop("cpc")}
    region = spec.pop("region")
    patent = Patent.objects.create(content_hash=key, region=Region.objects.filter(code=region).first(), **spec)
    for role, names in parties.items():
        for i, name in enumerate(names):
            entity = match_entity(name, source="test").entity if role == "applicant" and link else None
            Party.objects.create(patent=patent, role=role, sequence=i, name=name, entity=entity,
                                 region=patent.region if role == "applicant" and i == 0 else None)
    for scheme, symbols in schemes.items():
        for i, symbol in enumerate(symbols):
            Classification.objects.create(patent=patent, scheme=scheme, symbol=symbol, subclass=symbol[:4],
                                          is_main=i == 0, sequence=i)
    return patent


@pytest.fixture
def corpus(db):
    patents = {key: _create(key, spec) for key, spec in CORPUS.items()}
    index_patents([p.pk for p in patents.values()])
    return patents


def _tied_copies(link: bool = True) -> dict[str, Patent]:
    """Copies of one patent: equal scores, told apart by date (none last), then id; indexed."""
    copies = {f"copy{day}": _create(f"copy{day}", dict(
        CORPUS["pack_cooling"], application_number=f"20231000000{day}7",
        application_date=date(2023, 1, day) if day else None), link) for day in (1, 3, 0, 2)}
    index_patents([p.pk for p in copies.values()])
    return copies


MANY_HITS_QUERIES = ["电池", "title:电池", "散热 AND city:4403", "电池 OR 无人机", "电池 NOT 钠", "", "ipc:H01M*"]
MANY_HITS_PAGES = [(1, 2), (2, 2), (3, 2), (1, 100), (2, 3)]


def _pages(keys: dict[int, str], facets: bool = False) -> list:
    """(total, [(key, score)], facets) of every query of MANY_HITS_QUERIES, sort and page."""
    return [(r.total, [(keys[h.id], round(h.score, 6)) for h in r.hits],
             {name: [(v.value, v.count) for v in values] for name, values in r.facets.items()})
            for text in MANY_HITS_QUERIES for sort in ("relevance", "date", "-date") for page, size in MANY_HITS_PAGES
            for r in [search_patents(text, sort=sort, page=page, page_size=size, facets=facets)]]


# ---------------------------------------------------------------------------------------------------- the suite


class TestSearch:
    """Runs on the active backend (SQLite FTS5, or PostgreSQL with DATABASE_URL); the same answers on each."""

    @pytest.fixture(autouse=True)
    def _corpus(self, corpus):
        self.corpus = corpus
        self.keys = {p.pk: key for key, p in corpus.items()}

    def found(self, query, **options) -> set[str]:
        result = search_patents(query, facets=False, page_size=100, **options)
        keys = {self.keys[h.id] for h in result.hits}
        assert result.total == len(keys)
        return keys

    def ordered(self, query, **options) -> list[str]:
        return [self.keys[h.id] for h in search_patents(query, facets=False, page_size=100, **options).hits]

    def test_backend_follows_the_database(self):
        from django.db import connection

        assert get_backend().vendor == connection.vendor
        assert get_backend().count() == len(CORPUS)

    def test_matching_ids_are_every_hit_without_a_page(self):
        from ipoffice.patents.search.services import matching_patent_ids

        ids = matching_patent_ids("电池 OR drone", filters={"type": "invention"})
        assert ids == sorted(ids)
        assert {self.keys[i] for i in ids} == self.found("电池 OR drone", filters={"type": "invention"})
        assert matching_patent_ids("锂电池") == sorted(self.corpus[k].pk for k in ("li_cathode", "pack_cooling"))
        classes = matching_patent_ids("ipc:H01M")  # from the class index (a patent may hold several symbols of it)
        assert classes == sorted(self.corpus[k].pk for k in self.found("ipc:H01M"))

    # -- analysis
    def test_a_word_finds_itself_and_longer_words_holding_it(self):
        assert self.found("锂电池") == {"li_cathode", "pack_cooling"}  # 锂电池, 锂电池组; not 锂离子电池
        assert self.found("电池") == {"li_cathode", "li_ion_anode", "sodium", "pack_cooling"}
        assert self.found("离子") == {"li_ion_anode", "sodium"}
        assert self.found("人机") == {"drone_control", "drone_shell"}

    def test_one_character_is_a_prefix(self):
        assert self.found("锂") == {"li_cathode", "li_ion_anode", "pack_cooling"}
        assert self.found("钠") == {"sodium"}

    def test_traditional_and_simplified_meet(self):
        assert self.found("鋰電池") == {"li_cathode", "pack_cooling"}
        assert self.found("锂离子电池") == {"li_ion_anode"}
        assert self.found("負極") == {"li_ion_anode", "pack_cooling"}

    def test_full_width_query(self):
        assert self.found("ｂａｔｔｅｒｙ") == {"us_battery"}

    def test_pinyin(self):
        assert self.found("dianchi") == {"li_cathode", "li_ion_anode", "sodium", "pack_cooling"}
        assert self.found("wurenji") == {"drone_control", "drone_shell"}
        assert self.found("title:lidianchi") == {"li_cathode", "pack_cooling"}

    def test_english_stemming(self):
        assert self.found("battery") == {"us_battery"}
        assert self.found("batteries") == {"us_battery"}
        assert self.found("charge") == {"us_battery"}  # charging
        assert self.found("Cathodes") == {"us_battery"}
        assert self.found("batter*") == {"us_battery"}

    # -- fields
    def test_text_fields(self):
        assert self.found("title:正极") == {"li_cathode"}
        assert self.found("abstract:正极") == {"li_cathode", "sodium"}
        assert self.found("claims:遥控器") == {"drone_control"}
        assert self.found("claims:正极") == {"li_cathode"}
        assert self.found("title:cathode") == {"us_battery"}
        assert self.found("abstract:circuit") == {"us_battery"}
        assert self.found("title:循环") == set()

    def test_name_fields(self):
        assert self.found("applicant:大疆") == {"drone_control", "drone_shell"}
        assert self.found("applicant:大疆创新") == {"drone_control", "drone_shell"}
        assert self.found('applicant:"深圳市大疆创新科技有限公司"') == {"drone_control", "drone_shell"}
        assert self.found("applicant:比亚迪") == {"li_cathode", "pack_cooling"}
        assert self.found("applicant:tesla") == {"us_battery"}
        assert self.found("applicant:大疆科技") == set()  # not a run of the name
        assert self.found("applicant:宁") == {"li_ion_anode"}  # one character, wherever it stands in a name
        assert self.found("applicant:代") == {"li_ion_anode"}
        assert self.found("applicant:学") == {"sodium"}
        assert self.found("inventor:张三") == {"drone_control", "sodium"}
        assert self.found("inventor:smith") == {"us_battery"}
        assert self.found("agency:科进") == {"drone_control"}
        assert self.found("agency:知识产权") == {"drone_control", "sodium"}

    def test_number(self):
        assert self.found("number:CN110000001A") == {"li_cathode"}
        assert self.found("number:110000001") == {"li_cathode"}
        assert self.found("number:201910000001.1") == {"li_cathode"}  # application number with its check digit
        assert self.found("number:201910000001") == {"li_cathode"}
        assert self.found("number:US10123456B2") == {"us_battery"}
        assert self.found("number:CN212000003U") == {"drone_control"}
        assert self.found("number:CN11*") == {"li_cathode", "li_ion_anode", "sodium"}
        assert self.found("number:EP110000001A") == set()  # the number of a CN patent, asked in another office
        assert self.found("number:CN110000001A OR number:US10123456B2") == {"li_cathode", "us_battery"}
        assert self.found("电池 NOT number:CN110000001A") == self.found("电池") - {"li_cathode"}
        assert self.found("CN110000001A") == set()  # a bare number is a text word

    def test_ipc_and_cpc(self):
        assert self.found("ipc:H01M") == {"li_cathode", "li_ion_anode", "us_battery", "sodium", "pack_cooling"}
        assert self.found("ipc:H01M*") == self.found("ipc:H01M")
        assert self.found("ipc:H01M10") == {"li_cathode", "us_battery", "sodium", "pack_cooling"}
        assert self.found("ipc:H01M10/0525") == {"li_cathode", "us_battery"}
        assert self.found("ipc:H01M10/05*") == {"li_cathode", "us_battery", "sodium"}
        assert self.found("ipc:H01") == self.found("ipc:H01M")
        assert self.found("ipc:B") == {"drone_control"}
        assert self.found("cpc:B64U") == {"drone_control"}
        assert self.found("cpc:Y02E60/10") == {"us_battery"}

    def test_regions(self):
        assert self.found("city:4403") == {"li_cathode", "drone_control", "drone_shell", "pack_cooling"}
        assert self.found("city:440300") == self.found("city:4403")
        assert self.found("city:深圳") == self.found("city:4403")
        assert self.found("city:深圳市") == self.found("city:4403")
        assert self.found("district:440305") == {"drone_control", "drone_shell"}
        assert self.found("district:南山区") == {"drone_control", "drone_shell"}
        assert self.found("province:44") == {"li_cathode", "drone_control", "drone_shell", "pack_cooling", "sodium"}
        assert self.found("city:广州") == {"sodium"}
        with pytest.raises(QueryError, match="unknown city '火星'"):
            search_patents("city:火星")

    def test_type_status_office_family(self):
        assert self.found("type:utility") == {"drone_control"}
        assert self.found("type:外观设计") == {"drone_shell"}
        assert self.found("status:granted") == {"li_cathode", "drone_control", "us_battery"}
        assert self.found("status:审中") == {"li_ion_anode", "sodium"}
        assert self.found("office:us") == {"us_battery"}
        assert self.found("family:F1") == {"li_cathode", "us_battery"}
        assert self.found("kind:b2") == {"us_battery"}

    def test_dates(self):
        assert self.found("year:2021..2022") == {"drone_control", "drone_shell", "sodium"}
        assert self.found("year:2019") == {"li_cathode"}
        assert self.found("pd:[2019-01-01 TO 2020-12-31]") == {"li_cathode", "li_ion_anode"}
        assert self.found("pd:{2019-08-01 TO 2020-12-01}") == set()
        assert self.found("ad:<2018-06") == {"us_battery", "pack_cooling"}
        assert self.found("gd:[2021 TO *]") == {"li_cathode", "drone_control"}
        assert self.found("ad:2020-06") == {"li_ion_anode"}

    # -- logic
    def test_boolean_logic(self):
        assert self.found("锂电池 AND (正极 OR 负极) NOT 钠") == {"li_cathode", "pack_cooling"}
        assert self.found("电池 AND (正极 OR 负极) NOT 钠离子") == {"li_cathode", "li_ion_anode", "pack_cooling"}
        assert self.found("电池 正极") == {"li_cathode", "sodium"}
        assert self.found("电池 -正极") == {"li_ion_anode", "pack_cooling"}
        assert self.found("无人机 OR 钠离子") == {"drone_control", "drone_shell", "sodium"}
        assert self.found("NOT 电池") == {"drone_control", "us_battery", "drone_shell"}
        assert self.found("NOT (电池 OR battery)") == {"drone_control", "drone_shell"}

    def test_filters_beside_many_hits_of_words_are_one_index_lookup(self, monkeypatch):
        """Keyword and filing-year conditions ANDed with words that match many patents join the full-text
        condition (no patent row read per hit) and find what the same conditions find as SQL; beside words with
        few hits, alone, or in an OR they stay SQL."""
        backend = get_backend()
        query = "电池 AND city:4403 AND year:2018..2022 AND office:CN NOT type:design NOT status:withdrawn"
        assert backend._driven(backend._compile(parse(query))[1])[1]  # 电池: 4 hits, far below the bar: SQL
        monkeypatch.setattr(backends, "FILTERS_IN_INDEX_FROM", 1)  # (PostgreSQL estimates: 1 row at the least)
        leading, rest = backend._driven(backend._compile(parse(query))[1])
        assert not rest  # every condition on the index
        expression = " ".join(fts.expr for fts in leading)
        assert all(token in expression for token in ("r4403", "y2018", "y2022", "ocn", "tdesign", "swithdrawn"))
        by_sql = self.found("电池") & self.found("city:4403") & self.found("year:2018..2022") & self.found(
            "office:CN") - self.found("type:design") - self.found("status:withdrawn")
        assert self.found(query) == by_sql == {"li_cathode"}
        by_name = self.found("电池 AND city:深圳 AND district:440307")
        assert by_name == self.found("电池") & self.found("district:440307")
        for sql_only in ("city:4403 AND type:invention", "电池 OR city:4403", "NOT 电池 AND type:utility"):
            params = _Compiler(backend, filters_in_index=True).compile(parse(sql_only)).params
            assert not any(token in str(p) for p in params for token in ("r4403", "tinvention", "tutility"))

    def test_the_migration_to_the_filters_column_keeps_the_index(self):
        """0007 makes the SQLite table again with the ``filters`` column and copies every row over: the same rows
        as indexing the patents gives, from an index without the column."""
        if get_backend().vendor != "sqlite":
            pytest.skip("SQLite's index only")
        from django.db import connection

        migration = importlib.import_module("ipoffice.patents.migrations.0007_search_filters_column")
        read = "SELECT rowid, * FROM patents_search_fts ORDER BY rowid"
        with connection.cursor() as cursor:
            indexed = cursor.execute(read).fetchall()
            migration._rebuild(cursor.cursor, migration.OLD_COLUMNS, migration._without_filters)  # as before
            assert len(cursor.execute(read).fetchall()[0]) == len(indexed[0]) - 1
            migration._rebuild(cursor.cursor, (*migration.OLD_COLUMNS, "filters"), migration._with_filters)
            assert cursor.execute(read).fetchall() == indexed
        self.corpus["li_cathode"].delete()  # the trigger is back
        assert self.found("电池 AND city:4403") == {"pack_cooling"}

    def test_the_migration_to_the_filters_vector_fills_it_as_indexing_does(self):
        """0008 makes PostgreSQL's table again with a ``filters`` vector filled in SQL: the same tokens as indexing
        gives, and the indexes back."""
        if get_backend().vendor != "postgresql":
            pytest.skip("PostgreSQL's index only")
        from django.db import connection

        migration = importlib.import_module("ipoffice.patents.migrations.0008_search_doc_filters")
        read = "SELECT patent_id, filters::text FROM patents_search_doc ORDER BY patent_id"
        indexes = "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'patents_search_doc' ORDER BY 1"
        with connection.cursor() as cursor:
            cursor.execute(read)
            indexed = cursor.fetchall()
            cursor.execute(indexes)
            index_definitions = cursor.fetchall()
            editor = SimpleNamespace(connection=connection)
            migration.Migration.operations[0].reverse_code(None, editor)  # as before 0008
            columns = "SELECT column_name FROM information_schema.columns WHERE table_name = 'patents_search_doc'"
            cursor.execute(columns)
            assert "filters" not in {row[0] for row in cursor.fetchall()}
            migration.forward(None, editor)
            cursor.execute(read)
            assert cursor.fetchall() == indexed
            cursor.execute(indexes)
            assert cursor.fetchall() == index_definitions
            cursor.execute("SELECT attname, attstorage FROM pg_attribute WHERE attname IN ('body', 'names', 'title') "
                           "AND attrelid = 'patents_search_doc'::regclass ORDER BY 1")
            assert cursor.fetchall() == [("body", "m"), ("names", "m"), ("title", "m")]  # in the row, not TOAST
        assert any("'r440305'" in row[1] for row in indexed)
        assert self.found("电池 AND city:4403") == {"li_cathode", "pack_cooling"}

    def test_the_migration_keeping_filters_in_the_row_keeps_every_document(self):
        """0012 makes PostgreSQL's table again with the filters in the row and the numbers and applicants' names
        out of it first: the same documents and indexes, forward and back."""
        if get_backend().vendor != "postgresql":
            pytest.skip("PostgreSQL's index only")
        from django.db import connection

        migration = importlib.import_module("ipoffice.patents.migrations.0012_search_doc_filters_in_row")
        read = "SELECT patent_id, body, names, numbers, applicants, title, filters FROM patents_search_doc ORDER BY 1"
        indexes = "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'patents_search_doc' ORDER BY 1"
        storage = ("SELECT attname::text, attstorage::text FROM pg_attribute WHERE attnum > 0 AND NOT attisdropped "
                   "AND attrelid = 'patents_search_doc'::regclass ORDER BY attnum")
        editor = SimpleNamespace(connection=connection)
        with connection.cursor() as cursor:
            state = [cursor.execute(sql).fetchall() for sql in (read, indexes)]
            kinds = {"patent_id": "p", "body": "m", "names": "m", "numbers": "e", "applicants": "e", "title": "m",
                     "filters": "m"}  # (p plain, m main: in the row; e external; x extended)
            assert dict(cursor.execute(storage).fetchall()) == kinds
            migration.Migration.operations[0].reverse_code(None, editor)
            assert [cursor.execute(sql).fetchall() for sql in (read, indexes)] == state
            assert {k: v for k, v in cursor.execute(storage).fetchall() if k in ("filters", "numbers")} == \
                {"filters": "x", "numbers": "x"}
            migration.Migration.operations[0].code(None, editor)
            assert [cursor.execute(sql).fetchall() for sql in (read, indexes)] == state
            assert dict(cursor.execute(storage).fetchall()) == kinds
        self.corpus["li_cathode"].delete()  # the patents' trigger still reaches the table
        assert self.found("电池 AND city:4403") == {"pack_cooling"}

    def test_text_and_filters_mixed(self):
        assert self.found("电池 AND city:4403") == {"li_cathode", "pack_cooling"}
        assert self.found("电池 OR type:design") == {"li_cathode", "li_ion_anode", "sodium", "pack_cooling",
                                                   "drone_shell"}
        assert self.found("ipc:H01M* AND city:4403 AND type:invention AND year:2018..2022") == {"li_cathode"}
        assert self.found("(applicant:大疆 OR applicant:比亚迪) NOT status:lapsed") == {
            "li_cathode", "drone_control", "pack_cooling"}
        assert self.found("title:无人机 applicant:大疆 NOT type:design") == {"drone_control"}
        assert self.found("电池 NOT applicant:比亚迪") == {"li_ion_anode", "sodium"}

    def test_phrases(self):
        assert self.found('"锂电池正极材料"') == {"li_cathode"}
        assert self.found('"正极材料 锂电池"') == set()
        assert self.found('"improved cathode"') == {"us_battery"}
        assert self.found('"improving cathodes"') == {"us_battery"}  # stemmed like the text
        assert self.found('"cathode improved"') == set()
        assert self.found('title:"无人机的控制系统"') == {"drone_control"}
        assert self.found('abstract:"无人机的控制系统"') == {"drone_control"}
        assert self.found('title:"材料 本发明"') == set()  # no phrase runs from one field into the next

    def test_everything_and_filters(self):
        assert self.found("") == set(CORPUS)
        assert self.found("*", filters={"type": "invention", "city": ["4403", "4401"]}) == {
            "li_cathode", "sodium", "pack_cooling"}
        assert self.found("电池", filters={"year": "2017..2019"}) == {"li_cathode", "pack_cooling"}

    # -- order, pages, families
    def test_sort_orders(self):
        by_date = ["pack_cooling", "us_battery", "li_cathode", "li_ion_anode", "drone_control", "sodium",
                   "drone_shell"]
        assert self.ordered("", sort="date") == by_date
        assert self.ordered("", sort="-date") == by_date[::-1]
        assert self.ordered("", sort="relevance") == by_date[::-1]  # no words: newest first
        assert self.ordered("电池", sort="date") == ["pack_cooling", "li_cathode", "li_ion_anode", "sodium"]

    def test_relevance_puts_title_hits_first(self):
        order = self.ordered("正极")
        assert set(order) == {"li_cathode", "sodium"}
        assert order[0] == "li_cathode"  # in its title, abstract and claims; sodium only in its abstract

    def test_pages(self):
        first = search_patents("", sort="date", page=1, page_size=3, facets=False)
        third = search_patents("", sort="date", page=3, page_size=3, facets=False)
        beyond = search_patents("", sort="date", page=9, page_size=3, facets=False)
        assert first.total == third.total == beyond.total == 7
        assert [self.keys[h.id] for h in first.hits] == ["pack_cooling", "us_battery", "li_cathode"]
        assert [self.keys[h.id] for h in third.hits] == ["drone_shell"]
        assert beyond.hits == []

    def test_one_per_family(self):
        assert self.found("ipc:H01M10/0525") == {"li_cathode", "us_battery"}
        assert self.found("ipc:H01M10/0525", one_per_family=True) == {"li_cathode"}  # the CN member
        assert self.found("battery", one_per_family=True) == {"us_battery"}  # the only member that matches
        assert len(self.found("", one_per_family=True)) == 6

    # -- facets
    def test_facets(self):
        result = search_patents("电池 OR 无人机")
        facets = {name: {v.value: v.count for v in values} for name, values in result.facets.items()}
        assert result.total == 6
        assert facets["year"] == {"2017": 1, "2019": 1, "2020": 1, "2021": 1, "2022": 2}
        assert facets["type"] == {"invention": 4, "utility": 1, "design": 1}
        assert facets["status"] == {"granted": 2, "pending": 2, "lapsed": 1, "withdrawn": 1}
        assert facets["ipc"] == {"H01M": 4, "B64C": 1}
        assert facets["city"] == {"4403": 4, "4401": 1, "3509": 1}
        labels = {v.label: v.count for v in result.facets["applicant"]}
        assert labels == {"深圳市比亚迪锂电池有限公司": 2, "深圳市大疆创新科技有限公司": 2,
                          "宁德时代新能源科技股份有限公司": 1, "华南理工大学": 1}
        city = {v.value: v for v in result.facets["city"]}
        assert city["4403"].label == "深圳市" and city["4403"].query == "city:4403"
        assert [v.value for v in result.facets["year"]] == ["2022", "2021", "2020", "2019", "2017"]
        assert [v.value for v in result.facets["type"]] == ["invention", "design", "utility"]

    def test_facet_queries_narrow_the_search(self):
        result = search_patents("电池 OR 无人机")
        for name, values in result.facets.items():
            for value in values:
                narrowed = search_patents(f"(电池 OR 无人机) AND {value.query}", facets=False)
                assert narrowed.total == value.count, (name, value)

    def test_facets_without_a_temporary_table(self, monkeypatch):
        from ipoffice.patents.search.backends import SqlBackend

        with_table = search_patents("电池 OR 无人机", one_per_family=True)
        monkeypatch.setattr(SqlBackend, "materialize", False)  # as on a read-only PostgreSQL standby
        without = search_patents("电池 OR 无人机", one_per_family=True)
        assert without.total == with_table.total == 6
        assert [h.id for h in without.hits] == [h.id for h in with_table.hits]
        assert {k: [(v.value, v.count) for v in vs] for k, vs in without.facets.items()} == \
            {k: [(v.value, v.count) for v in vs] for k, vs in with_table.facets.items()}

    @pytest.mark.parametrize("text, total", [("电池 OR 无人机", 6), ("ipc:H01M", 5)])  # (ids from the index, a table)
    def test_facets_over_many_hits_are_estimated_from_a_sample(self, monkeypatch, text, total):
        from ipoffice.patents.search import backends

        exact = search_patents(text)
        assert not exact.facets_estimated and exact.total == total
        monkeypatch.setattr(backends, "FACET_EXACT_MAX", 3)
        monkeypatch.setattr(backends, "FACET_SAMPLE", 3)  # every 2nd id of the hits
        estimated = search_patents(text)
        assert estimated.facets_estimated and estimated.total == total
        assert [h.id for h in estimated.hits] == [h.id for h in exact.hits]  # hits and total stay exact
        sampled = Patent.objects.filter(pk__in=[h.id for h in exact.hits if h.id % 2 == 0])
        for facet, value in (("type", lambda p: p.patent_type), ("year", lambda p: str(p.application_date.year))):
            counts = Counter(value(patent) for patent in sampled)
            assert {v.value: v.count for v in estimated.facets[facet]} == \
                {k: max(1, round(n * total / len(sampled))) for k, n in counts.items()}
        assert result_as_dict(estimated)["facets_estimated"] is True

    def test_many_hits_give_the_same_pages_as_reading_every_hit(self, monkeypatch):
        """Over FACET_EXACT_MAX hits (SQLite) or from a table of ids and scores (PostgreSQL) the page comes from the
        best scores alone (or the date order): the same hits in the same order as when every hit is read, ties on
        score included."""
        self.keys.update({copy.pk: key for key, copy in _tied_copies().items()})
        with monkeypatch.context() as reading_every_hit:  # no temporary table: the query evaluated whole, twice
            reading_every_hit.setattr(type(backends.get_backend()), "can_materialize", lambda self, cursor: False)
            every_hit = _pages(self.keys)
        scores = [h.score for h in search_patents("散热").hits]
        assert len(set(scores)) < len(scores)  # ties to break
        monkeypatch.setattr(backends, "FACET_EXACT_MAX", 1)
        assert _pages(self.keys) == every_hit
        monkeypatch.setattr(backends, "TIE_MARGIN", 1)  # the ties found by a second pass
        assert _pages(self.keys) == every_hit

    def test_facets_one_per_family(self):
        result = search_patents("ipc:H01M10/0525", one_per_family=True)
        assert {v.value: v.count for v in result.facets["year"]} == {"2019": 1}

    def test_no_hits(self):
        result = search_patents("量子计算")
        assert result.total == 0 and result.hits == []
        assert all(values == [] for values in result.facets.values())

    # -- errors
    def test_query_errors(self):
        with pytest.raises(QueryError, match=r"missing '\)'"):
            search_patents("(锂电池 OR 钠")
        with pytest.raises(QueryError, match="unknown field 'colour'"):
            search_patents("colour:red")
        with pytest.raises(QueryError, match="no letters or digits"):
            search_patents("title:、、")
        with pytest.raises(QueryError, match="unknown type"):
            search_patents("", filters={"type": "gadget"})

    # -- keeping the index in step
    def test_index_follows_changes_and_deletes(self):
        patent = self.corpus["sodium"]
        Patent.objects.filter(pk=patent.pk).update(title="钾离子电池")  # a bulk UPDATE sends no signal …
        assert self.found("title:钠离子") == {"sodium"}  # … so the index is what was indexed …
        index_patents([patent.pk])
        assert self.found("title:钠离子") == set()  # … until the patent is indexed again
        assert self.found("title:钾离子") == {"sodium"}
        patent.refresh_from_db()
        patent.title = "钠离子电池"
        patent.save()  # a save through the ORM re-indexes at once (see test_index_hooks)
        assert self.found("title:钠离子") == {"sodium"}
        count = get_backend().count()
        patent.delete()
        assert get_backend().count() == count - 1  # dropped by the database trigger
        remove_patents([self.corpus["drone_shell"].pk])
        assert self.found("无人机") == {"drone_control"}

    def test_unindexed_patents_still_match_filters(self):
        get_backend().clear()
        assert self.found("type:utility") == {"drone_control"}
        assert self.found("NOT 电池 AND type:utility") == {"drone_control"}
        assert self.found("电池") == set()

    def test_suggest_applicants(self):
        names = get_backend().suggest_applicants("大疆")
        assert names == ["深圳市大疆创新科技有限公司"]

    # -- the command line
    def test_cli_json(self):
        out = StringIO()
        call_command("patents", "search", "title:无人机", "--format", "json", "--sort", "date", stdout=out)
        data = json.loads(out.getvalue())
        assert data["total"] == 2
        hit = data["hits"][0]
        assert {k: hit[k] for k in ("office", "number", "kind", "title", "applicants", "application_date",
                                    "ipc_main", "legal_status")} == {
            "office": "CN", "number": "CN212000003", "kind": "U", "title": "一种无人机的控制系统",
            "applicants": ["深圳市大疆创新科技有限公司"], "application_date": "2021-01-05", "ipc_main": "B64C39/02",
            "legal_status": "granted"}
        assert hit["url"]
        assert {v["value"]: v["count"] for v in data["facets"]["type"]} == {"utility": 1, "design": 1}

    def test_cli_table_and_errors(self):
        out = StringIO()
        call_command("patents", "search", "applicant:比亚迪", "--size", "1", "--page", "2", "--sort=-date",
                     stdout=out)
        text = out.getvalue()
        assert text.startswith("2 patents; 2–2")
        assert "一种锂电池组的散热装置" in text
        with pytest.raises(CommandError, match="unknown field 'foo'"):
            call_command("patents", "search", "foo:bar", stdout=StringIO())

    def test_cli_reindex(self, monkeypatch):
        get_backend().clear()
        backend, during = type(get_backend()), []
        index = backend.index
        monkeypatch.setattr(backend, "index", lambda self, ids: during.append(gc.get_threshold()) or index(self, ids))
        before = gc.get_threshold()
        out = StringIO()
        call_command("patents", "reindex", stdout=out, stderr=StringIO())
        assert out.getvalue().strip() == f"{len(CORPUS)} patents indexed"
        assert set(during) == {BULK_GC_THRESHOLDS} != {before} and gc.get_threshold() == before  # fewer passes
        assert self.found("无人机") == {"drone_control", "drone_shell"}

    def test_result_as_dict(self):
        data = result_as_dict(search_patents("无人机", sort="date"))
        assert [h["title"] for h in data["hits"]] == ["一种无人机的控制系统", "无人机外壳"]
        assert set(data["facets"]) == {"year", "type", "ipc", "city", "applicant", "status"}

    def test_api_search(self, client):
        answer = client.get("/api/patents/search/", {"q": "无人机", "sort": "date"})
        assert answer.status_code == 200
        assert answer.json() == json.loads(json.dumps(result_as_dict(search_patents("无人机", sort="date"))))
        data = client.get("/api/patents/search/", {"q": "applicant:比亚迪", "page_size": 1, "page": 2,
                                                   "facets": "false"}).json()
        assert (data["total"], data["page"], len(data["hits"]), data["facets"]) == (2, 2, 1, {})
        assert [h["number"] for h in client.get("/api/patents/search/", {"q": "number:CN110000001A"}).json()["hits"]
                ] == [self.corpus["li_cathode"].display_number]
        assert client.get("/api/patents/search/").json()["total"] == len(self.corpus)  # no query: every patent
        for bad, field in [({"q": "foo:bar"}, "q"), ({"q": "title:"}, "q"), ({"sort": "score"}, "sort"),
                           ({"page_size": 1001}, "page_size"), ({"page": 0}, "page")]:
            answer = client.get("/api/patents/search/", bad)
            assert answer.status_code == 400 and field in answer.json(), bad
        assert "unknown field 'foo'" in client.get("/api/patents/search/", {"q": "foo:bar"}).json()["q"][0]

    def test_api_list_takes_a_query(self, client):
        """``/api/patents/?q=`` is the query language (as on the entities' list), beside the list's own filters and
        order; a query that cannot be read, even one read only when compiled (an unknown city), is a 400."""
        def titles(params):
            answer = client.get("/api/patents/", params)
            assert answer.status_code == 200, answer.content
            return [hit["title"] for hit in answer.json()["results"]]

        assert titles({"q": "无人机", "ordering": "application_date"}) == ["一种无人机的控制系统", "无人机外壳"]
        assert titles({"q": "无人机", "type": "design"}) == ["无人机外壳"]
        assert titles({"q": "无人机 NOT type:design"}) == ["一种无人机的控制系统"]
        assert len(titles({"q": ""})) == len(self.corpus)  # an empty query filters nothing
        for bad, reason in [("foo:bar", "unknown field 'foo'"), ("city:火星", "unknown city")]:
            answer = client.get("/api/patents/", {"q": bad})
            assert answer.status_code == 400 and reason in answer.json()["q"][0], bad


@pytest.fixture
def committed_corpus(django_db_setup, django_db_blocker):
    """The corpus and the tied copies written outside any test's transaction, as on a running site, so that other
    connections see them (no entities: they would outlive the test); deleted after."""
    with django_db_blocker.unblock():
        patents = {key: _create(key, spec, link=False) for key, spec in CORPUS.items()}
        index_patents([p.pk for p in patents.values()])
        patents.update(_tied_copies(link=False))
    yield patents
    with django_db_blocker.unblock():
        Patent.objects.filter(pk__in=[p.pk for p in patents.values()]).delete()


def test_sqlite_counts_and_scores_many_hits_on_every_core(committed_corpus, django_db_blocker, monkeypatch):
    """Outside a transaction, SQLite counts and scores the hits of a query with many of them in ranges of ids at
    the same time, and counts their facets meanwhile, all statements but one on read-only connections of worker
    threads: the same pages (ties at a page's end included) and facets as on one connection, which it keeps to
    inside a transaction (other connections cannot see its rows)."""
    from django.db import connection, transaction

    from ipoffice.core import sqlite as core_sqlite

    with django_db_blocker.unblock():
        if connection.vendor != "sqlite":
            pytest.skip("SQLite's parallel reads")
        keys = {p.pk: key for key, p in committed_corpus.items()}
        on_workers = []
        fetch = core_sqlite._fetch
        monkeypatch.setattr(core_sqlite, "_fetch", lambda params, sql, values: on_workers.append(
            (threading.current_thread().name.split("_")[0], sql.split()[0])) or fetch(params, sql, values))
        monkeypatch.setattr(backends, "FACET_EXACT_MAX", 1)
        monkeypatch.setattr(backends, "FACET_SAMPLE", 3)  # every 2nd id of the hits
        monkeypatch.setattr(backends, "SCORE_PARTS_MAX", 3)
        monkeypatch.setattr(backends.os, "cpu_count", lambda: 4)
        with transaction.atomic():
            one_connection = _pages(keys, facets=True)
        assert on_workers == []
        assert _pages(keys, facets=True) == one_connection
        assert set(on_workers) == {("ipoffice-sqlite-read", "SELECT"), ("ipoffice-sqlite-read", "WITH")}  # (facets)
        monkeypatch.setattr(backends, "TIE_MARGIN", 1)  # the ties found by a second pass, in parts too
        assert _pages(keys, facets=True) == one_connection
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            fetch(connection.get_connection_params(), "DELETE FROM patents_patent", [])


def test_a_search_outside_a_transaction_on_an_empty_registry(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        assert not Patent.objects.exists()
        assert search_patents("电池").total == 0


@pytest.mark.django_db
def test_sqlite_fts_table_exists_only_on_sqlite():
    from django.db import connection

    tables = connection.introspection.table_names(include_views=True)
    if connection.vendor == "sqlite":
        assert "patents_search_fts" in tables
        assert isinstance(get_backend(), SqliteFtsBackend)
    else:
        assert "patents_search_fts" not in tables
        assert "patents_search_doc" in tables


@pytest.mark.django_db
def test_the_facets_and_the_hits_columns_are_read_from_indexes_not_rows():
    """What the facets read of the hits' applicants and classifications (both databases), and of the hits
    themselves (PostgreSQL, which would read a heap row per hit), is in an index (migration 0010). SQLite's plan
    reads the index alone. PostgreSQL's planner takes an index-only scan of a table of a few rows or not by what
    its visibility map holds (the dead rows of earlier tests made it read by primary key), so there each index
    is checked to hold every column read."""
    from django.db import connection

    if connection.vendor == "postgresql":
        read = {"party_applicant": {"patent_id", "role", "entity_id", "name"},
                "classification_patent": {"patent_id", "scheme", "subclass"},
                "patents_patent_hit_columns": {c.removeprefix("p.") for c in backends.HIT_COLUMNS.split(", ")}}
        with connection.cursor() as cursor:
            for index, columns in read.items():
                cursor.execute("SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
                               "AND a.attnum = ANY(i.indkey) WHERE i.indexrelid = %s::regclass", [index])
                assert {row[0] for row in cursor.fetchall()} == columns, index
        return

    class Recorder:  # the facets' SQL, instead of running it
        def execute(self, sql, params):
            self.sql, self.params = sql, params

        def fetchall(self):
            return [("_sample", None, 0)]

    recorder = Recorder()
    hits = f"SELECT {backends.HIT_COLUMNS} FROM patents_patent p WHERE p.id IN (1, 2, 3)"
    get_backend()._facets(f"WITH result AS MATERIALIZED ({hits})", [], ("ipc", "applicant"), recorder, 0)
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {recorder.sql}", recorder.params)
        plan = "\n".join(row[-1] for row in cursor.fetchall())
    assert "USING COVERING INDEX party_applicant" in plan
    assert "USING COVERING INDEX classification_patent" in plan


@pytest.mark.django_db
def test_sqlite_merges_index_segments_sixteen_at_a_time():
    """Migration 0011: fewer merges while a large import writes the index (see the migration)."""
    if get_backend().vendor != "sqlite":
        pytest.skip("SQLite's FTS5 option")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT v FROM patents_search_fts_config WHERE k = 'automerge'")
        assert cursor.fetchone() == (16,)
