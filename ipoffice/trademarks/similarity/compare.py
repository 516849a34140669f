"""Compare two word marks by the rules of the 商标审查审理指南 (TM-R1 … TM-R14) and the pinyin practice.

Every verdict carries its reasons: a :class:`RuleHit` per rule that fired, with Chinese and English text. A rule
that makes marks similar has ``effect="similar"`` and the score it supports (``weight``); a rule that says "not
similar" (TM-R9, the first-character exception of TM-R3 and TM-R8, the pinyin rules TM-PY1 and TM-PY2) has
``effect="not_similar"`` and caps the score. Without a positive rule the score stays below :data:`SIMILAR`.
"""

from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz.distance import JaroWinkler, Levenshtein

from . import lexicon
from .glyph import char_similarity
from .keys import MarkKeys, mark_keys
from .phonetic import char_readings, fold_syllable, syllable_similarity

SIMILAR = 0.7
"""A score at or above this is reported as similar."""

SOUND_SIMILAR = 0.85
"""Sound similarity from which the pronunciation counts as the same or similar (a confusable syllable scores
0.85)."""

SHAPE_SIMILAR_HAN = 0.75
"""Mark-level glyph similarity (aligned characters) from which two Chinese marks look alike for TM-R4."""

SHAPE_SIMILAR_HAN_ALONE = 0.88
"""… and from which they look alike enough on shape alone (TM-R5)."""

CHAR_SHAPE_ALONE = 0.78
"""Glyph similarity from which two different characters look alike enough on shape alone (TM-R5): 土/士 0.79,
未/末 0.97, but not two characters that merely share a radical and a structure (佳/优 0.77, 江/河 0.77)."""

CHAR_SHAPE_SIMILAR = 0.6
"""Glyph similarity from which two different characters count as alike (top 1–2 % of random pairs)."""

SHAPE_SIMILAR_LATIN = 0.7
"""Normalised Levenshtein similarity from which two letter strings look alike (TM-R4 for Latin marks)."""

RULES = {
    "TM-R1": ("汉字构成相同，仅字体、设计、注音或排列顺序不同",
              "same Chinese characters; only font, design, annotation or order differ"),
    "TM-R2": ("字、词重叠", "repeated characters or words"),
    "TM-R3": ("三个以上汉字仅个别汉字不同（首字区别明显者除外）",
              "three or more characters with one different (unless the first differs clearly)"),
    "TM-R4": ("读音相同或近似，且字形或整体外观近似", "same or similar sound and similar shape"),
    "TM-R5": ("读音不同但字形近似", "different sound but similar shape"),
    "TM-R6": ("含义相同或近似（含中外文翻译、数字与汉字数字）",
              "same or similar meaning (translation, digits and numerals)"),
    "TM-R7": ("字母或数字相同，仅字体或设计不同", "same letters or digits; only font or design differ"),
    "TM-R8": ("四个以上字母仅一个字母不同（首字母区别明显者除外）",
              "four or more letters with one different (unless the first differs clearly)"),
    "TM-R9": ("一至两个字母，或字母相同顺序不同且音形区别明显：不近似",
              "one or two letters, or the same letters reordered with a clear difference: not similar"),
    "TM-R10": ("外文词语相同，仅词序调换", "the same foreign words in another order"),
    "TM-R11": ("外文仅单复数、时态、冠词、比较级或词性等形式变化", "foreign word changed only in form"),
    "TM-R12": ("在先商标加上描述商品特点、通用名称、地名或型号的文字",
               "earlier mark plus descriptive or generic words"),
    "TM-R13": ("在先商标加上显著性较弱的形容词或副词", "earlier mark plus a weak adjective or adverb"),
    "TM-R14": ("组合商标的汉字、外文、数字部分近似", "composite mark: an element is similar"),
    "TM-PY1": ("拼音是汉字的注音，汉字不近似则不近似", "pinyin annotates the characters; dissimilar characters decide"),
    "TM-PY2": ("纯拼音商标与读音相同的汉字商标一般不近似",
               "a pure pinyin mark and a Chinese mark of the same reading are generally not similar"),
}
"""Each rule code with a short title in Chinese and English, for legends (TM-R15, same arrangement or depicted
thing, needs the device layer and is not implemented)."""

WEIGHTS = {
    "TM-R1": 0.95, "TM-R1-same": 1.0, "TM-R2": 0.85, "TM-R3": 0.8, "TM-R4": 0.8, "TM-R5": 0.75, "TM-R6": 0.8,
    "TM-R6-digits": 0.85, "TM-R7": 1.0, "TM-R8": 0.8, "TM-R10": 0.85, "TM-R11": 0.85, "TM-R12": 0.85,
    "TM-R13": 0.85,
}
"""The score each positive rule supports before the composite factor (R14)."""

CAPS = {"TM-R3": 0.55, "TM-R8": 0.55, "TM-R9": 0.35, "TM-PY1": 0.5, "TM-PY2": 0.5}
"""The score a negative rule allows at most."""

COMPOSITE_DOMINANT = 0.95
COMPOSITE_OTHER = 0.85
"""R14 factors: an element pair that is the dominant part of both marks keeps 95 % of its weight; any other pair
(e.g. the letters of a mark whose 汉字 part is dominant) 85 %."""

_KIND_ZH = {"han": "汉字部分", "latin": "字母部分", "digits": "数字部分"}
_KIND_EN = {"han": "Chinese part", "latin": "letter part", "digits": "digit part"}


@dataclass(frozen=True, slots=True)
class RuleHit:
    """One rule that fired, with its reason in Chinese and English."""

    code: str
    reason_zh: str
    reason_en: str
    effect: str = "similar"
    weight: float = 0.0
    element: str = ""


@dataclass(frozen=True, slots=True)
class Similarity:
    """The verdict on one pair of marks: overall ``score`` and its ``sound``, ``shape`` and ``meaning`` parts
    (each 0–1), and the rules that fired."""

    score: float
    sound: float
    shape: float
    meaning: float
    rules: list[RuleHit] = field(default_factory=list)

    @property
    def similar(self) -> bool:
        return self.score >= SIMILAR

    @property
    def codes(self) -> list[str]:
        """Codes of the rules that make the marks similar, in order."""
        return list(dict.fromkeys(h.code for h in self.rules if h.effect == "similar"))

    @property
    def negative_codes(self) -> list[str]:
        return list(dict.fromkeys(h.code for h in self.rules if h.effect == "not_similar"))


@dataclass(slots=True)
class _Pair:
    kinds: tuple[str, str]
    sound: float = 0.0
    shape: float = 0.0
    meaning: float = 0.0
    hits: list[RuleHit] = field(default_factory=list)
    factor: float = 1.0

    @property
    def positive(self) -> list[RuleHit]:
        return [h for h in self.hits if h.effect == "similar"]


def _hit(code: str, zh: str, en: str, *, weight: float | None = None, element: str = "") -> RuleHit:
    return RuleHit(code, zh, en, "similar", WEIGHTS.get(code, 0.8) if weight is None else weight, element)


def _not(code: str, zh: str, en: str, *, element: str = "") -> RuleHit:
    return RuleHit(code, zh, en, "not_similar", CAPS[code], element)


# -- alignment -------------------------------------------------------------------------------------------------


def _align(a, b, sim) -> float:
    """1 − weighted edit distance / longer length, substitution costing 1 − sim(x, y)."""
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    prev = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        left = i
        cur = [left]
        diagonal = prev[0]
        for j, y in enumerate(b, 1):
            up = prev[j]
            cost = diagonal if x == y else diagonal + 1 - sim(x, y)
            if up + 1 < cost:
                cost = up + 1
            if left + 1 < cost:
                cost = left + 1
            cur.append(cost)
            left, diagonal = cost, up
        prev = cur
    return max(0.0, 1 - prev[-1] / max(len(a), len(b)))


@lru_cache(maxsize=262144)
def char_sound(a: str, b: str) -> float:
    """Best syllable similarity over the readings of two characters (any reading of a polyphone counts)."""
    if a == b:
        return 1.0
    ra, rb = char_readings(a) or (a,), char_readings(b) or (b,)
    return max(syllable_similarity(x, y) for x in ra for y in rb)


def _syllables_sound(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    return _align(a, b, syllable_similarity)


def _han_vs_syllables(han: str, syllables: tuple[str, ...]) -> float:
    """How well pinyin syllables read a run of characters (any reading of each character)."""
    def sim(ch, syllable):
        return max((syllable_similarity(r, syllable) for r in char_readings(ch)), default=0.0)

    return _align(han, syllables, sim)


# -- element pairs ---------------------------------------------------------------------------------------------


def _han_pair(q: MarkKeys, e: MarkKeys, fams: frozenset[str]) -> _Pair:
    a, b = q.han, e.han
    pair = _Pair(("han", "han"), sound=_align(a, b, char_sound), shape=_align(a, b, char_similarity))
    core_a, stripped_a = lexicon.strip_han(a, fams)
    core_b, stripped_b = lexicon.strip_han(b, fams)
    meaning_a, meaning_b = lexicon.han_meaning(core_a), lexicon.han_meaning(core_b)
    pair.meaning = lexicon.meaning_overlap(meaning_a, meaning_b)
    hits = pair.hits
    if a == b:
        hits.append(_hit("TM-R1-same", "汉字构成相同，仅字体、设计或注音可能不同",
                         "same Chinese characters; only font, design or annotation may differ", element="han"))
        return _relabel(pair, "TM-R1-same", "TM-R1")
    if sorted(a) == sorted(b):
        pair.sound = max(pair.sound, 0.9)  # the same syllables, read in another order
        pair.shape = max(pair.shape, 0.9)
        hits.append(_hit("TM-R1", f"汉字构成相同，仅排列顺序不同（{a} / {b}）",
                         f"same Chinese characters in another order ({a} / {b})", element="han"))
    if lexicon.dedupe_han(a) == lexicon.dedupe_han(b):
        hits.append(_hit("TM-R2", f"字、词重叠：去掉重复后相同（{lexicon.dedupe_han(a)}）",
                         f"repeated characters or words; the same once repetition is removed "
                         f"({lexicon.dedupe_han(a)})", element="han"))
    plus = _han_plus(a, b, fams)
    if plus is None and core_a == core_b and len(core_a) >= 2:  # 苹果电子 / 苹果科技: same mark, other words
        plus = (core_a, _extra_words(stripped_a, stripped_b))
    if plus:  # but both stripped to one character (佳美 / 优美 → 美) is no earlier mark plus a word
        hits.extend(_descriptive_hits(plus[1], plus[0], "han"))
    if len(a) >= 3 and len(b) >= 3 and len(a) == len(b):
        diff = [k for k, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(diff) == 1:
            hits.extend(_r3(a, b, diff[0], meaning_a, meaning_b))
    same_length_alike = len(a) == len(b)
    for x, y in zip(a, b, strict=False):
        if x != y and not (char_sound(x, y) >= SOUND_SIMILAR or char_similarity(x, y) >= CHAR_SHAPE_SIMILAR):
            same_length_alike = False
    if same_length_alike and pair.sound >= SOUND_SIMILAR and pair.shape >= SHAPE_SIMILAR_HAN and \
            all(char_similarity(x, y) >= 0.5 for x, y in zip(a, b, strict=True)):
        hits.append(_hit("TM-R4", f"读音相同或近似（{pair.sound:.2f}），且字形近似（{pair.shape:.2f}）",
                         f"same or similar pronunciation ({pair.sound:.2f}) and similar shape ({pair.shape:.2f})",
                         element="han"))
    elif same_length_alike and pair.shape >= SHAPE_SIMILAR_HAN_ALONE and \
            all(char_similarity(x, y) >= CHAR_SHAPE_ALONE for x, y in zip(a, b, strict=True)):
        hits.append(_hit("TM-R5", f"读音不同但字形近似（{pair.shape:.2f}）",
                         f"different sound but similar shape ({pair.shape:.2f})", element="han"))
    if lexicon.same_meaning(meaning_a, meaning_b) and core_a != core_b:
        hits.append(_hit("TM-R6", f"含义相同或近似（{_concepts(meaning_a)}）",
                         f"same or similar meaning ({_concepts(meaning_a)})", element="han"))
    return pair


def _han_plus(a: str, b: str, fams) -> tuple[str, lexicon.Stripped] | None:
    """(earlier mark, added words) when one mark is the other plus descriptive or weak words."""
    for longer, shorter in ((a, b), (b, a)):
        for text, words in lexicon.strip_stages(longer, fams)[1:]:
            if text == shorter:
                return shorter, words
    return None


def _relabel(pair: _Pair, old: str, new: str) -> _Pair:
    pair.hits = [RuleHit(new, h.reason_zh, h.reason_en, h.effect, h.weight, h.element) if h.code == old else h
                 for h in pair.hits]
    return pair


def _r3(a: str, b: str, pos: int, meaning_a, meaning_b) -> list[RuleHit]:
    x, y = a[pos], b[pos]
    if pos == 0 and (char_sound(x, y) < SOUND_SIMILAR or char_similarity(x, y) < CHAR_SHAPE_SIMILAR):
        # 首字读音或者字形明显不同: either one clearly different is enough for the exception
        return [_not("TM-R3", f"三个以上汉字仅一字不同，但首字（{x}/{y}）读音或字形明显不同，不判近似",
                     f"three or more characters with one different, but the first character ({x}/{y}) differs "
                     f"clearly in sound or shape: not similar", element="han")]
    if meaning_a and meaning_b and not lexicon.same_meaning(meaning_a, meaning_b):
        return [_not("TM-R3", f"三个以上汉字仅一字不同，但整体含义不同（{_concepts(meaning_a)} / "
                     f"{_concepts(meaning_b)}）",
                     f"one character different, but the overall meaning differs ({_concepts(meaning_a)} / "
                     f"{_concepts(meaning_b)})", element="han")]
    return [_hit("TM-R3", f"由三个以上汉字构成，仅第{pos + 1}字不同（{x}/{y}）",
                 f"three or more Chinese characters, only character {pos + 1} differs ({x}/{y})", element="han")]


def _concepts(meaning) -> str:
    return " ".join(sorted(m)[0] for m in meaning) if meaning else ""


def _extra_words(stripped_a: lexicon.Stripped, stripped_b: lexicon.Stripped) -> lexicon.Stripped:
    """The descriptive or weak words one mark has and the other has not."""
    words_a, words_b = {w for w, _ in stripped_a}, {w for w, _ in stripped_b}
    return tuple((w, k) for w, k in stripped_a + stripped_b if (w in words_a) != (w in words_b))


def _descriptive_hits(extra: lexicon.Stripped, core, element: str) -> list[RuleHit]:
    core_text = core if isinstance(core, str) else " ".join(core)
    shown = str.upper if element == "latin" else str
    descriptive = [shown(w) for w, kind in extra if kind == "descriptive"]
    weak = [shown(w) for w, kind in extra if kind == "weak"]
    hits = []
    if descriptive:
        words = "、".join(descriptive)
        hits.append(_hit("TM-R12", f"在先商标（{core_text}）加上直接描述商品特点或通用名称、地名、型号等的文字"
                         f"（{words}）",
                         f"the earlier mark ({core_text}) plus words describing the goods or their generic name, "
                         f"place or model ({', '.join(descriptive)})", element=element))
    if weak:
        words = "、".join(weak)
        hits.append(_hit("TM-R13", f"在先商标（{core_text}）加上显著性较弱的形容词或副词（{words}）",
                         f"the earlier mark ({core_text}) plus an adjective or adverb of little distinctiveness "
                         f"({', '.join(weak)})", element=element))
    return hits


def _latin_sound(q: MarkKeys, e: MarkKeys) -> float:
    best = 0.0
    if set(q.metaphone) & set(e.metaphone):
        best = 1.0
    elif q.metaphone and e.metaphone:
        best = 0.9 * max(JaroWinkler.normalized_similarity(x, y) for x in q.metaphone for y in e.metaphone)
    if q.latin_pinyin and e.latin_pinyin:
        best = max(best, _syllables_sound(q.latin_pinyin, e.latin_pinyin))
    return best


def _latin_pair(q: MarkKeys, e: MarkKeys, fams: frozenset[str]) -> _Pair:
    a, b = q.latin, e.latin
    pair = _Pair(("latin", "latin"), sound=_latin_sound(q, e), shape=Levenshtein.normalized_similarity(a, b))
    core_a, stripped_a = lexicon.strip_latin(q.latin_words, fams)
    core_b, stripped_b = lexicon.strip_latin(e.latin_words, fams)
    meaning_a, meaning_b = lexicon.latin_meaning(core_a), lexicon.latin_meaning(core_b)
    pair.meaning = lexicon.meaning_overlap(meaning_a, meaning_b)
    hits = pair.hits
    shown_a, shown_b = " ".join(q.latin_words).upper(), " ".join(e.latin_words).upper()
    if a == b:
        hits.append(_hit("TM-R7", f"字母相同（{a.upper()}），仅字体、大小写或设计不同",
                         f"same letters ({a.upper()}); only font, case, spacing or design differ", element="latin"))
        return pair
    if len(q.latin_words) >= 2 and sorted(q.latin_words) == sorted(e.latin_words):
        hits.append(_hit("TM-R10", f"外文词语相同，仅词序调换（{shown_a} / {shown_b}）",
                         f"same foreign words, only the word order swapped ({shown_a} / {shown_b})",
                         element="latin"))
    elif q.lemmas and (q.lemmas == e.lemmas or "".join(q.lemmas) == "".join(e.lemmas) or
                       (len(q.lemmas) >= 2 and sorted(q.lemmas) == sorted(e.lemmas))):
        hits.append(_hit("TM-R11", f"外文仅形式变化（单复数、时态、冠词、比较级或词性）：{shown_a} / {shown_b}",
                         f"the foreign words differ only in form (number, tense, article, degree or part of "
                         f"speech): {shown_a} / {shown_b}", element="latin"))
    if lexicon.dedupe_words(q.latin_words) == lexicon.dedupe_words(e.latin_words):
        hits.append(_hit("TM-R2", f"字母、词语重叠：去掉重复后相同（{shown_a} / {shown_b}）",
                         f"repeated letters or words; the same once repetition is removed ({shown_a} / {shown_b})",
                         element="latin"))
    joined_a, joined_b = "".join(core_a), "".join(core_b)
    added = lexicon.plus_words(q.latin_words, e.latin_words, fams) or \
        lexicon.plus_words(e.latin_words, q.latin_words, fams)
    if added:
        shorter = q.latin_words if len(q.latin_words) < len(e.latin_words) else e.latin_words
        hits.extend(_descriptive_hits(added, " ".join(shorter).upper(), "latin"))
    elif (stripped_a or stripped_b) and (joined_a == joined_b or _lemma_join(core_a) == _lemma_join(core_b)) and \
            len(joined_a) >= 4:
        hits.extend(_descriptive_hits(_extra_words(stripped_a, stripped_b), " ".join(core_a).upper(), "latin"))
    distance = Levenshtein.distance(a, b)
    if distance == 1 and min(len(a), len(b)) >= 4:
        first_sound_same = bool(q.metaphone and e.metaphone and q.metaphone[0][:1] == e.metaphone[0][:1])
        if a[0] == b[0] or first_sound_same:
            hits.append(_hit("TM-R8", f"四个以上字母仅一个字母不同（{shown_a} / {shown_b}）"
                             + ("" if a[0] == b[0] else "，首字母读音相同"),
                             f"four or more letters with one letter different ({shown_a} / {shown_b})"
                             + ("" if a[0] == b[0] else "; the first letters sound the same"), element="latin"))
        else:
            hits.append(_not("TM-R8", f"仅一个字母不同，但首字母（{a[0].upper()}/{b[0].upper()}）音、形区别明显",
                             f"one letter different, but the first letter ({a[0].upper()}/{b[0].upper()}) differs "
                             f"clearly in sound and shape", element="latin"))
    if pair.sound >= SOUND_SIMILAR and pair.shape >= SHAPE_SIMILAR_LATIN:
        hits.append(_hit("TM-R4", f"读音相同或近似（{pair.sound:.2f}），且字母组成近似（{pair.shape:.2f}）",
                         f"same or similar pronunciation ({pair.sound:.2f}) and similar look ({pair.shape:.2f})",
                         element="latin"))
    if lexicon.same_meaning(meaning_a, meaning_b) and \
            sorted(lexicon.lemma(w) for w in core_a) != sorted(lexicon.lemma(w) for w in core_b):
        hits.append(_hit("TM-R6", f"含义相同或近似（{_concepts(meaning_a)}）",
                         f"same or similar meaning ({_concepts(meaning_a)})", element="latin"))
    if not pair.positive:
        if max(len(a), len(b)) <= 2:
            hits.append(_not("TM-R9", f"一至两个字母构成、无含义且字母不同（{shown_a} / {shown_b}），不判近似",
                             f"one or two letters without meaning, different letters ({shown_a} / {shown_b}): "
                             f"not similar", element="latin"))
        elif len(a) >= 3 and sorted(a) == sorted(b) and pair.sound < SOUND_SIMILAR:
            hits.append(_not("TM-R9", f"字母相同但排列顺序不同，读音、外观区别明显（{shown_a} / {shown_b}），不判近似",
                             f"the same letters in another order with clearly different sound and look "
                             f"({shown_a} / {shown_b}): not similar", element="latin"))
    return pair


def _lemma_join(words: tuple[str, ...]) -> str:
    return "".join(lexicon.lemma(w) for w in words)


def _han_latin_pair(h: MarkKeys, lat: MarkKeys, fams: frozenset[str], kinds: tuple[str, str]) -> _Pair:
    """A 汉字 element against a Latin element: translation (TM-R6), or pinyin of the same reading (TM-PY2)."""
    core_h, _ = lexicon.strip_han(h.han, fams)
    core_l, _ = lexicon.strip_latin(lat.latin_words, fams)
    meaning_h, meaning_l = lexicon.han_meaning(core_h), lexicon.latin_meaning(core_l)
    pair = _Pair(kinds, meaning=lexicon.meaning_overlap(meaning_h, meaning_l))
    if lat.latin_pinyin:
        pair.sound = _han_vs_syllables(h.han, lat.latin_pinyin)
    if lexicon.same_meaning(meaning_h, meaning_l):
        shown = " ".join(core_l).upper()
        pair.hits.append(_hit("TM-R6", f"中外文含义相同（{core_h} = {shown}：{_concepts(meaning_h)}），属于翻译对应",
                              f"same meaning across scripts ({core_h} = {shown}: {_concepts(meaning_h)}), "
                              "a translation match", element="han/latin"))
    elif lat.latin_pinyin and pair.sound >= SOUND_SIMILAR:
        pair.hits.append(_not("TM-PY2", f"纯拼音商标与读音相同的汉字商标（{' '.join(lat.latin_pinyin).upper()} / "
                              f"{h.han}）一般不判近似", f"a pure pinyin mark and a Chinese mark with the same reading "
                              f"({' '.join(lat.latin_pinyin).upper()} / {h.han}) are generally not similar",
                              element="han/latin"))
    return pair


def _numeral_pair(h: MarkKeys, d: MarkKeys, kinds: tuple[str, str]) -> _Pair:
    pair = _Pair(kinds)
    if h.numeral_digits and h.numeral_digits == d.digits:
        pair.sound = pair.meaning = 1.0
        pair.hits.append(_hit("TM-R6-digits", f"数字与汉字数字含义、读音相同（{d.digits} = {h.han}）",
                              f"digits and Chinese numerals with the same meaning and reading ({d.digits} = {h.han})",
                              element="han/digits"))
        _relabel(pair, "TM-R6-digits", "TM-R6")
    return pair


def _digits_pair(q: MarkKeys, e: MarkKeys) -> _Pair:
    pair = _Pair(("digits", "digits"), shape=Levenshtein.normalized_similarity(q.digits, e.digits))
    pair.sound = _syllables_sound(q.digit_pinyin, e.digit_pinyin)
    if q.digits == e.digits:
        pair.hits.append(_hit("TM-R7", f"数字相同（{q.digits}），仅字体或设计不同",
                              f"same digits ({q.digits}); only font or design differ", element="digits"))
    return pair


# -- the whole marks -------------------------------------------------------------------------------------------


def _elements(k: MarkKeys, other: MarkKeys) -> list[str]:
    kinds = list(k.elements)
    if k.latin_words and "latin" not in kinds and not other.han:
        kinds.append("latin")  # a pinyin annotation counts as letters against a mark with no 汉字
    return kinds


def compare(query: MarkKeys, earlier: MarkKeys, *, classes: set[int] | None = None) -> Similarity:
    """How similar ``query`` is to ``earlier``, with the rules that fired. ``classes`` (Nice) choose which
    descriptive words count for TM-R12; by default every family's."""
    fams = lexicon.families_for(classes)
    q_kinds, e_kinds = _elements(query, earlier), _elements(earlier, query)
    pairs: list[_Pair] = []
    for kq in q_kinds:
        for ke in e_kinds:
            pair = _element_pair(query, earlier, kq, ke, fams)
            if pair is None:
                continue
            composite = len(q_kinds) > 1 or len(e_kinds) > 1
            if composite:
                dominant = kq == query.dominant and ke == earlier.dominant
                pair.factor = COMPOSITE_DOMINANT if dominant else COMPOSITE_OTHER
            pairs.append(pair)
    return _verdict(query, earlier, pairs, q_kinds, e_kinds)


def _element_pair(q: MarkKeys, e: MarkKeys, kq: str, ke: str, fams) -> _Pair | None:
    if kq == ke == "han":
        return _han_pair(q, e, fams)
    if kq == ke == "latin":
        return _latin_pair(q, e, fams)
    if kq == ke == "digits":
        return _digits_pair(q, e)
    if (kq, ke) == ("han", "latin"):
        return _han_latin_pair(q, e, fams, (kq, ke))
    if (kq, ke) == ("latin", "han"):
        return _han_latin_pair(e, q, fams, (kq, ke))
    if (kq, ke) == ("han", "digits"):
        return _numeral_pair(q, e, (kq, ke))
    if (kq, ke) == ("digits", "han"):
        return _numeral_pair(e, q, (kq, ke))
    return None


def _verdict(q: MarkKeys, e: MarkKeys, pairs: list[_Pair], q_kinds: list[str], e_kinds: list[str]) -> Similarity:
    composite = len(q_kinds) > 1 or len(e_kinds) > 1
    sound = max((p.sound * p.factor for p in pairs), default=0.0)
    shape = max((p.shape * p.factor for p in pairs), default=0.0)
    meaning = max((p.meaning * p.factor for p in pairs), default=0.0)
    rules: list[RuleHit] = []
    best = 0.0
    for pair in pairs:
        for hit in pair.positive:
            rules.append(hit)
            best = max(best, hit.weight * pair.factor)
        if composite and pair.positive:
            inner = max(pair.positive, key=lambda h: h.weight)
            kq, ke = pair.kinds
            part_zh = _KIND_ZH[kq] if kq == ke else f"{_KIND_ZH[kq]}与{_KIND_ZH[ke]}"
            part_en = _KIND_EN[kq] if kq == ke else f"{_KIND_EN[kq]} and {_KIND_EN[ke]}"
            role_zh = "（显著部分）" if pair.factor == COMPOSITE_DOMINANT else ""
            role_en = " (the dominant part)" if pair.factor == COMPOSITE_DOMINANT else ""
            rules.append(RuleHit("TM-R14", f"组合商标：{part_zh}{role_zh}近似（{inner.code}）",
                                 f"composite mark: the {part_en}{role_en} is similar ({inner.code})", "similar",
                                 inner.weight * pair.factor, f"{kq}/{ke}"))
    if best and composite:
        # every element of both marks has a similar counterpart (NM903 / nm903): no discount for a part
        by_kind: dict[tuple[int, str], float] = {}
        for pair in pairs:
            if pair.positive:
                weight = max(h.weight for h in pair.positive)
                for side, kind in enumerate(pair.kinds):
                    by_kind[side, kind] = max(by_kind.get((side, kind), 0.0), weight)
        if all((0, k) in by_kind for k in q_kinds) and all((1, k) in by_kind for k in e_kinds):
            best = max(best, min(by_kind.values()))
    if best:
        score = min(1.0, best + 0.05 * (sound + shape + meaning) / 3)
        return Similarity(round(score, 4), round(sound, 4), round(shape, 4), round(meaning, 4), rules)
    negatives = [h for p in pairs for h in p.hits if h.effect == "not_similar"]
    negatives += _pinyin_annotation_rule(q, e)
    score = min(SIMILAR - 0.01, 0.4 * sound + 0.45 * shape + 0.15 * meaning)
    for hit in negatives:
        score = min(score, hit.weight)
    return Similarity(round(score, 4), round(sound, 4), round(shape, 4), round(meaning, 4), negatives)


def _pinyin_annotation_rule(q: MarkKeys, e: MarkKeys) -> list[RuleHit]:
    """TM-PY1: pinyin beside 汉字 annotates them; equal pinyin does not make marks with dissimilar 汉字 similar."""
    if not (q.han and e.han and q.latin_words and e.latin_words):
        return []
    if q.latin_role != "annotation" or e.latin_role != "annotation":
        return []
    py_q = tuple(fold_syllable(s) for s in q.latin_pinyin or ())
    py_e = tuple(fold_syllable(s) for s in e.latin_pinyin or ())
    if q.latin != e.latin and py_q != py_e:
        return []
    return [_not("TM-PY1", f"拼音（{q.latin.upper()}）是汉字的注音；汉字（{q.han} / {e.han}）不近似，"
                 "即使拼音相同也不判近似",
                 f"the pinyin ({q.latin.upper()}) annotates the characters; the characters ({q.han} / {e.han}) are "
                 f"not similar, so the marks are not similar although the pinyin is the same", element="latin")]


def compare_text(query: str, earlier: str, *, classes: set[int] | None = None) -> Similarity:
    """:func:`compare` on two mark texts."""
    return compare(mark_keys(query), mark_keys(earlier), classes=classes)
