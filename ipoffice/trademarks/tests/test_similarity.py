"""The clearance similarity engine against pairs built from the 商标审查审理指南 rules and the pinyin practice.

Pure unit tests: no database. Each positive pair must fire its rule and score as similar; each negative pair
must score low; the recall test hides the positives among 100 000 generated marks in a ClearanceIndex.
"""

import time

import pytest

from ipoffice.trademarks.similarity import (
    SIMILAR,
    ClearanceIndex,
    compare,
    compare_text,
    goods_relation,
    index_terms,
    mark_keys,
    rank,
    warm_up,
)
from ipoffice.trademarks.similarity.glyph import char_similarity
from ipoffice.trademarks.similarity.lexicon import lemma
from ipoffice.trademarks.similarity.phonetic import fold_syllable, metaphone_keys, segment_pinyin
from ipoffice.trademarks.similarity.synthetic import MarkGenerator

# (query, earlier, rule that must fire, what the pair shows)
POSITIVE = [
    ("雨森", "森雨", "TM-R1", "same characters in another order"),
    ("雨森", "雨森 YU SEN", "TM-R1", "pinyin beside the 汉字 is an annotation: same characters"),
    ("鷹牌", "鹰牌", "TM-R1", "traditional characters are indexed as simplified"),
    ("娃娃乐", "娃乐", "TM-R2", "repeated character"),
    ("BLING BLING", "BLING", "TM-R2", "repeated word"),
    ("美达华", "美达康", "TM-R3", "three characters, the last one different"),
    ("菜香园", "蔡香园", "TM-R3", "first character differs but sounds the same and looks alike: no exception"),
    ("侯王", "候王", "TM-R4", "same sound, similar shape"),
    ("Fizer", "Pfizer", "TM-R4", "the known Metaphone miss: PF sounds as F"),
    ("Fizer", "Pfizer", "TM-R8", "one letter different, first letters sound the same"),
    ("CHAOYING", "超鹰CAOYIN", "TM-R4", "the pinyin card CAOYIN sounds as CHAOYING (ch/c, ing/in)"),
    ("土力", "士力", "TM-R5", "different sound, similar shape"),
    ("未来星", "末来星", "TM-R5", "未/末 look alike"),
    ("APPLE", "苹果", "TM-R6", "translation"),
    ("ROOK", "车", "TM-R6", "ROOK ↔ 车, the guide's example"),
    ("金鹰", "GOLDEN EAGLE", "TM-R6", "translation of a two-word mark"),
    ("CROWN", "皇冠", "TM-R6", "translation"),
    ("老鹰", "雄鹰", "TM-R6", "Chinese synonyms through the same concept"),
    ("153", "一五三", "TM-R6", "digits and Chinese numerals"),
    ("ＳＯＮＹ", "sony", "TM-R7", "full width and case are folded"),
    ("153", "153", "TM-R7", "same digits"),
    ("LENOVA", "LENOVO", "TM-R8", "four or more letters, one different, first letter equal"),
    ("SUN STAR", "STAR SUN", "TM-R10", "word order swapped"),
    ("EAGLES", "EAGLE", "TM-R11", "plural"),
    ("THE CROWN", "CROWN", "TM-R11", "article"),
    ("RUNNING HORSE", "RUN HORSE", "TM-R11", "gerund"),
    ("苹果电子", "苹果", "TM-R12", "earlier mark plus a descriptive word"),
    ("鹰牌", "鹰", "TM-R12", "earlier mark plus 牌"),
    ("广州雨森", "雨森", "TM-R12", "earlier mark plus a place of production"),
    ("GOLDSTAR TECH", "GOLDSTAR", "TM-R12", "earlier mark plus a generic word"),
    ("KAROLA PRO", "KAROLA", "TM-R12", "earlier mark plus a model word"),
    ("新百灵", "百灵", "TM-R13", "earlier mark plus a weak adjective"),
    ("SUPER NOVA", "NOVA", "TM-R13", "earlier mark plus a weak adjective"),
    ("唐钟TANGZONG", "TANGZONG", "TM-R14", "the English card of a composite mark"),
    ("唐钟TANGZONG", "唐钟", "TM-R14", "the 汉字 part of a composite mark"),
    ("超鹰", "超鹰CAOYIN", "TM-R14", "the 汉字 part of a composite mark with a pinyin variant"),
    ("YU SEN", "雨森 YUSEN", "TM-R14", "the letters of a composite mark match a letter mark"),
    ("鹰 EAGLE", "EAGLE", "TM-R14", "the letter part of a composite mark"),
]

# (query, earlier, negative rule that must fire or None, what the pair shows)
NEGATIVE = [
    ("呱呱 GUAGUA", "刮刮 GUAGUA", "TM-PY1", "same pinyin, dissimilar 汉字: not similar"),
    ("YUSEN", "雨森", "TM-PY2", "pure pinyin mark against 汉字 of the same reading: generally not similar"),
    ("华美达", "康美达", "TM-R3", "one character different but it is the first and differs clearly"),
    ("MOTA", "ROTA", "TM-R8", "one letter different but it is the first and differs clearly"),
    ("AB", "AE", "TM-R9", "two letters, different"),
    ("TIM", "MIT", "TM-R9", "same letters in another order, different sound"),
    ("华为", "小米", None, "clearly different"),
    ("NIKE", "PUMA", None, "clearly different"),
    ("康师傅", "统一", None, "clearly different"),
    ("123", "789", None, "clearly different digits"),
    ("星巴克", "麦当劳", None, "clearly different"),
    ("APPLE", "ORANGE", None, "different meaning"),
    ("鹰", "龙", None, "different meaning"),
    ("联想", "海尔", None, "clearly different"),
    ("GOOGLE", "AMAZON", None, "clearly different"),
    ("金龙鱼", "鲁花", None, "clearly different"),
]


def _ids(pairs):
    return [f"{code}:{query}/{earlier}" for query, earlier, code, _ in pairs]


@pytest.mark.parametrize(("query", "earlier", "code", "shows"), POSITIVE, ids=_ids(POSITIVE))
def test_positive_pairs_fire_their_rule(query, earlier, code, shows):
    result = compare_text(query, earlier)
    assert code in result.codes, (shows, result)
    assert result.similar and result.score >= SIMILAR, (shows, result)
    for hit in result.rules:
        assert hit.reason_zh and hit.reason_en


@pytest.mark.parametrize(("query", "earlier", "code", "shows"), NEGATIVE, ids=_ids(NEGATIVE))
def test_negative_pairs_score_low(query, earlier, code, shows):
    result = compare_text(query, earlier)
    assert not result.similar, (shows, result)
    assert not result.codes, (shows, result)
    if code:
        assert code in result.negative_codes, (shows, result)
        assert result.score <= 0.55
    else:
        assert result.score < 0.4, (shows, result)


def test_comparison_is_mostly_symmetric():
    for query, earlier, code, _ in POSITIVE:
        assert compare_text(earlier, query).similar, (earlier, query, code)


def test_scores_are_in_range_and_identical_marks_score_one():
    same = compare_text("金龙鱼", "金龍魚")
    assert same.score == 1.0 and same.codes == ["TM-R1"]
    for query, earlier, _, _ in POSITIVE + NEGATIVE:
        result = compare_text(query, earlier)
        for value in (result.score, result.sound, result.shape, result.meaning):
            assert 0.0 <= value <= 1.0


def test_descriptive_words_depend_on_the_class():
    assert "TM-R12" in compare_text("苹果食品", "苹果", classes={30}).codes
    assert "TM-R12" not in compare_text("苹果食品", "苹果", classes={9}).codes
    assert "TM-R12" in compare_text("苹果电子", "苹果", classes={9}).codes


# -- the search keys (分卡) --------------------------------------------------------------------------------------


def test_keys_of_a_polyphonic_mark_with_a_pinyin_variant():
    keys = mark_keys("超鹰CAOYIN")
    assert keys.han == "超鹰" and keys.latin == "caoyin" and keys.latin_role == "variant"
    assert {"chao ying", "cao yin"} <= set(keys.pinyin_keys)
    assert ("chao", "ying") in keys.pinyin and ("tiao", "ying") in keys.pinyin  # every reading of 超
    assert "cy" in keys.initials
    assert keys.elements == ("han", "latin")


def test_keys_give_every_syllable_split_of_pinyin_letters():
    assert {"cao yin", "ca o yin"} <= set(mark_keys("超鹰CAOYIN").pinyin_keys)  # the guide's CA O YIN card


def test_weak_words_need_an_earlier_mark_to_remain():
    assert "TM-R13" not in compare_text("佳美", "优美").codes  # both stripped to 美: no earlier mark plus a word
    assert "TM-R13" in compare_text("佳美", "美").codes


def test_keys_where_the_pinyin_does_not_match_the_reading():
    keys = mark_keys("唐钟TANGZONG")
    assert {"tang zhong", "tang zong"} <= set(keys.pinyin_keys)  # pinyin cards
    assert keys.latin == "tangzong" and keys.has_latin_element  # English card
    annotated = mark_keys("雨森 YU SEN")
    assert annotated.latin_role == "annotation" and annotated.elements == ("han",)


def test_keys_of_digits_and_numerals():
    keys = mark_keys("153")
    assert keys.digits == "153" and keys.digit_han == "一五三" and keys.digit_pinyin == ("yi", "wu", "san")
    assert "yi wu san" in keys.pinyin_keys
    assert mark_keys("一五三").numeral_digits == "153"


def test_keys_fold_script_width_and_case():
    assert mark_keys("鷹牌").han == "鹰牌"
    assert mark_keys("ＳＯＮＹ").latin == "sony"
    mixed = mark_keys("Apple 苹果 3")
    assert mixed.elements == ("han", "latin", "digits") and mixed.dominant == "han"
    assert mark_keys("APPLE").translations == {"apple"} == mark_keys("苹果").translations
    assert mark_keys("苹果电子科技").han_core == "苹果"


def test_phonetic_helpers():
    assert metaphone_keys("pfizer") == metaphone_keys("fizer")
    assert segment_pinyin("tangzong") == ("tang", "zong") and segment_pinyin("pfizer") is None
    assert fold_syllable("zhong") == fold_syllable("zong") and fold_syllable("ying") == fold_syllable("yin")
    assert lemma("eagles") == lemma("eagle") and lemma("running") == lemma("run") and lemma("stories") == "story"


def test_glyph_similarity_from_structure_and_components():
    assert char_similarity("未", "末") > 0.9
    assert char_similarity("己", "已") > 0.9
    assert char_similarity("侯", "候") > 0.9
    assert char_similarity("春", "秋") < 0.3
    assert char_similarity("鹰", "鹰") == 1.0


def test_goods_relation():
    links = {"0901": {"0907"}}
    assert goods_relation({"0901"}, {"090001"}, {9}, {"0901"}, {"090001"}, {9}, links) == ("same_item", 1.0)
    assert goods_relation({"0901"}, {"090001"}, {9}, {"0901"}, {"090002"}, {9}, links) == ("same_group", 0.9)
    assert goods_relation({"0901"}, set(), {9}, {"0907"}, set(), {9}, links)[0] == "cross_group"
    assert goods_relation({"0907"}, set(), {9}, {"0901"}, set(), {9}, links)[0] == "cross_group"
    assert goods_relation({"0902"}, set(), {9}, {"0905"}, set(), {9}, links)[0] == "same_class"
    assert goods_relation({"0902"}, set(), {9}, {"2501"}, set(), {25}, links) == ("unrelated", 0.1)


def test_rank_sorts_by_score():
    warm_up()
    ranked = rank("雨森", [(1, "华为"), (2, "森雨"), (3, "雨森 YUSEN"), (4, "YUSEN")])
    assert [r.id for r in ranked][:2] == [3, 2]
    assert ranked[-1].similarity.score < SIMILAR


def test_index_roundtrip(tmp_path):
    rows = [(10, "雨森"), (11, "华为"), (12, "APPLE"), (13, "苹果"), (14, "153")]
    index = ClearanceIndex.build(rows, workers=1)
    assert index.candidates(mark_keys("森雨"))[0] == 10
    assert 13 in index.candidates(mark_keys("APPLE"))
    assert 14 in index.candidates(mark_keys("一五三"))
    index.save(tmp_path / "index.npz")
    loaded = ClearanceIndex.load(tmp_path / "index.npz")
    assert loaded.candidates(mark_keys("森雨")) == index.candidates(mark_keys("森雨"))
    assert len(loaded) == 5
    assert index_terms(mark_keys("雨森"))


# -- recall in an index of 100 000 generated marks -----------------------------------------------------------


def test_recall_of_rule_positive_pairs_among_generated_marks():
    pairs = [(query, earlier) for query, earlier, _, _ in POSITIVE]
    texts = {t for pair in pairs for t in pair}
    generated = [t for t in MarkGenerator(seed=20240101).marks(100_000) if t not in texts]
    rows = list(enumerate(generated))
    base = len(rows)
    rows += [(base + k, earlier) for k, (_, earlier) in enumerate(pairs)]
    started = time.perf_counter()
    index = ClearanceIndex.build(rows)
    built = time.perf_counter() - started
    text_of = dict(rows)
    found, latencies = 0, []
    for k, (query, _) in enumerate(pairs):
        started = time.perf_counter()
        keys = mark_keys(query)
        ranked = rank(keys, [(c, text_of[c]) for c in index.candidates(keys, limit=500)], limit=50)
        latencies.append(time.perf_counter() - started)
        found += any(r.id == base + k for r in ranked)
    recall = found / len(pairs)
    latencies.sort()
    print(f"\nrecall of rule-positive pairs in the top 50 among {len(rows):,} marks: {found}/{len(pairs)} = "
          f"{recall:.1%}; build {built:.1f} s; query p50 {latencies[len(latencies) // 2] * 1000:.0f} ms")
    assert recall >= 0.9


def test_compare_accepts_keys():
    assert compare(mark_keys("雨森"), mark_keys("森雨")).codes == ["TM-R1"]
