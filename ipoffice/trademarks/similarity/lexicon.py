"""Word knowledge: the curated bilingual table (TM-R6), descriptive and weak words per class family (TM-R12,
TM-R13) and a small English lemmatiser (TM-R11). Data in ``data/bilingual.csv`` and ``data/descriptive.yaml``."""

import csv
from functools import cache, lru_cache
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent / "data"

ARTICLES = frozenset({"the", "a", "an"})

_IRREGULAR = {
    "men": "man", "women": "woman", "children": "child", "mice": "mouse", "geese": "goose", "feet": "foot",
    "teeth": "tooth", "oxen": "ox", "better": "good", "best": "good", "worse": "bad", "worst": "bad",
    "ran": "run", "won": "win", "flew": "fly", "flying": "fly", "flies": "fly", "dying": "die", "lying": "lie",
    "bigger": "big", "biggest": "big", "leaves": "leaf", "knives": "knife", "wives": "wife", "lives": "life",
    "wolves": "wolf", "halves": "half", "shelves": "shelf", "thieves": "thief", "sheep": "sheep", "fish": "fish",
    "deer": "deer", "news": "news", "mr": "mister", "mrs": "missus", "intl": "international", "int'l": "international",
    "bros": "brother", "bro": "brother", "co": "company", "corp": "corporation", "tech": "technology",
    "&": "and", "n": "and",
}
_KEEP = frozenset({"bus", "gas", "plus", "lotus", "virus", "status", "campus", "cactus", "chaos", "always", "series",
                   "news", "swiss", "boss", "glass", "grass", "class", "press", "dress", "express", "bliss", "kiss",
                   "miss", "moss", "this", "yes", "his", "its", "is", "was", "has", "does", "physics", "gps", "sos",
                   "lens", "iris", "oasis", "atlas", "axis", "tennis", "genesis", "analysis", "basis", "paris",
                   "texas", "venus", "zeus", "mars", "olympus", "pegasus", "nexus", "focus", "bonus", "corpus"})
_VOWELS = frozenset("aeiouy")


@lru_cache(maxsize=131072)
def lemma(word: str) -> str:
    """A comparison stem of an English word, so that forms of one word agree (TM-R11): plurals, -ing, -ed,
    comparatives, -ly adverbs and a trailing silent e are folded. eagles → eagl, eagle → eagl, running → run,
    faster → fast, stories → story. Stems are keys, not dictionary words."""
    w = word.lower().replace("'", "")
    if w in _IRREGULAR:
        w = _IRREGULAR[w]
    elif len(w) > 3 and w not in _KEEP:
        if w.endswith("ies") and len(w) > 4:
            w = w[:-3] + "y"
        elif w.endswith(("sses", "xes", "ches", "shes", "zzes")):
            w = w[:-2]
        elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
            w = w[:-1]
        elif w.endswith("ing") and len(w) > 5:
            w = _undouble(w[:-3])
        elif w.endswith("ied") and len(w) > 4:
            w = w[:-3] + "y"
        elif w.endswith("ed") and len(w) > 4:
            w = _undouble(w[:-2])
        elif w.endswith("est") and len(w) > 6:
            w = _undouble(w[:-3])
        elif w.endswith("er") and len(w) > 5:
            w = _undouble(w[:-2])
        elif w.endswith("ly") and len(w) > 5:
            w = w[:-2]
    if len(w) > 3 and w.endswith("e") and w[-2] not in _VOWELS:
        w = w[:-1]
    return w


def _undouble(stem: str) -> str:
    if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in _VOWELS and stem[-1] not in "ls":
        return stem[:-1]
    return stem


# -- bilingual table -------------------------------------------------------------------------------------------


@cache
def bilingual() -> tuple[dict[tuple[str, ...], str], dict[str, frozenset[str]]]:
    """(English lemma sequence → concept, Chinese word → concepts). A concept is the table's English headword."""
    english: dict[tuple[str, ...], str] = {}
    chinese: dict[str, set[str]] = {}
    with (DATA / "bilingual.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            concept = row["en"].strip().lower()
            english[tuple(lemma(w) for w in concept.split())] = concept
            for zh in row["zh"].split("|"):
                if zh.strip():
                    chinese.setdefault(zh.strip(), set()).add(concept)
    return english, {k: frozenset(v) for k, v in chinese.items()}


Meaning = tuple[frozenset[str], ...]
"""The concepts of a mark's words, one set per word (a Chinese word may carry several: 鹰 → eagle, hawk)."""


@lru_cache(maxsize=131072)
def latin_meaning(words: tuple[str, ...]) -> Meaning | None:
    """The concepts of a run of English words when the table covers every word; ``None`` otherwise. Longest
    phrases first: ('golden', 'eagle') → ({'golden'}, {'eagle'})."""
    english, _ = bilingual()
    lemmas = [lemma(w) for w in words if w not in ARTICLES]
    out: list[frozenset[str]] = []
    i = 0
    while i < len(lemmas):
        for j in range(min(len(lemmas), i + 3), i, -1):
            concept = english.get(tuple(lemmas[i:j]))
            if concept:
                out.append(frozenset({concept}))
                i = j
                break
        else:
            return None
    return tuple(out) or None


@lru_cache(maxsize=131072)
def han_meaning(han: str) -> Meaning | None:
    """The concepts of a run of Chinese characters when the table covers it entirely, by longest match;
    ``None`` otherwise. 金鹰 → ({'gold', 'golden'}, {'eagle', 'hawk'}): a word's concepts are every headword
    that lists it."""
    _, chinese = bilingual()
    out: list[frozenset[str]] = []
    i = 0
    while i < len(han):
        for j in range(min(len(han), i + 4), i, -1):
            concepts = chinese.get(han[i:j])
            if concepts:
                out.append(concepts)
                i = j
                break
        else:
            return None
    return tuple(out) or None


def same_meaning(a: Meaning | None, b: Meaning | None) -> bool:
    """Two meanings agree when they have as many words and the words can be paired with a shared concept (the
    order may differ between languages)."""
    if not a or not b or len(a) != len(b):
        return False
    rest = list(b)
    for concepts in a:
        for k, other in enumerate(rest):
            if concepts & other:
                del rest[k]
                break
        else:
            return False
    return True


def meaning_overlap(a: Meaning | None, b: Meaning | None) -> float:
    """Share of words with a shared concept, 0..1 (1 when :func:`same_meaning`)."""
    if not a or not b:
        return 0.0
    if same_meaning(a, b):
        return 1.0
    rest = list(b)
    shared = 0
    for concepts in a:
        for k, other in enumerate(rest):
            if concepts & other:
                del rest[k]
                shared += 1
                break
    return shared / max(len(a), len(b))


# -- descriptive and weak words --------------------------------------------------------------------------------


@cache
def _word_lists() -> dict:
    with (DATA / "descriptive.yaml").open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@cache
def families() -> dict[str, frozenset[int] | None]:
    """Family name → its Nice classes (``None`` for every class)."""
    out = {}
    for name, spec in _word_lists()["descriptive"].items():
        out[name] = None if spec["classes"] == "all" else frozenset(spec["classes"])
    return out


def families_for(classes: set[int] | frozenset[int] | None) -> frozenset[str]:
    """The families whose words are descriptive for these classes; every family when ``classes`` is empty."""
    if not classes:
        return frozenset(families())
    return frozenset(name for name, fam in families().items() if fam is None or fam & set(classes))


@cache
def descriptive_words(family_set: frozenset[str]) -> tuple[frozenset[str], tuple[str, ...]]:
    """(English lemmas, Chinese words longest first) that describe goods in these families."""
    lists = _word_lists()["descriptive"]
    en = frozenset(lemma(str(w)) for name in family_set for w in lists[name]["en"])
    zh = sorted({str(w) for name in family_set for w in lists[name]["zh"]}, key=len, reverse=True)
    return en, tuple(zh)


@cache
def weak_words() -> tuple[frozenset[str], tuple[str, ...]]:
    """(English lemmas, Chinese words longest first): adjectives and adverbs of little distinctiveness (TM-R13)."""
    lists = _word_lists()["adjectives"]
    return (frozenset(lemma(str(w)) for w in lists["en"]),
            tuple(sorted({str(w) for w in lists["zh"]}, key=len, reverse=True)))


Stripped = tuple[tuple[str, str], ...]
"""(word, kind) pairs taken off a mark, kind ``descriptive`` (TM-R12) or ``weak`` (TM-R13)."""


@lru_cache(maxsize=131072)
def strip_latin(words: tuple[str, ...], family_set: frozenset[str]) -> tuple[tuple[str, ...], Stripped]:
    """The distinctive words of a Latin element (articles dropped) and the descriptive or weak words taken off.
    Nothing is taken when only such words remain."""
    descriptive, _ = descriptive_words(family_set)
    weak, _ = weak_words()
    core, stripped = [], []
    for w in words:
        if w in ARTICLES:
            continue
        stem = lemma(w)
        if stem in descriptive:
            stripped.append((w, "descriptive"))
        elif stem in weak:
            stripped.append((w, "weak"))
        else:
            core.append(w)
    if not core:
        return tuple(w for w in words if w not in ARTICLES), ()
    return tuple(core), tuple(stripped)


@cache
def _han_word_sets(family_set: frozenset[str]) -> tuple[frozenset[str], frozenset[str], int]:
    _, descriptive = descriptive_words(family_set)
    _, weak = weak_words()
    return frozenset(descriptive), frozenset(weak), max(map(len, descriptive + weak), default=1)


@lru_cache(maxsize=131072)
def strip_han(han: str, family_set: frozenset[str]) -> tuple[str, Stripped]:
    """The distinctive part of a run of Chinese characters: descriptive words are taken off both ends and weak
    adjectives off the front, longest first, while at least one character remains."""
    return strip_stages(han, family_set)[-1]


@lru_cache(maxsize=131072)
def strip_stages(han: str, family_set: frozenset[str]) -> tuple[tuple[str, Stripped], ...]:
    """Every stage of :func:`strip_han`, from the whole text to the core, each with the words taken off so far:
    老禄服饰 → (老禄服饰, ()), (老禄, (服饰,)), (禄, (服饰, 老))."""
    descriptive, weak, longest = _han_word_sets(family_set)
    stripped: list[tuple[str, str]] = []
    core = han
    stages = [(han, ())]
    while len(core) > 1:
        for size in range(min(longest, len(core) - 1), 0, -1):
            if core[-size:] in descriptive:
                stripped.append((core[-size:], "descriptive"))
                core = core[:-size]
                break
            if core[:size] in descriptive:
                stripped.append((core[:size], "descriptive"))
                core = core[size:]
                break
            if core[:size] in weak:
                stripped.append((core[:size], "weak"))
                core = core[size:]
                break
        else:
            break
        stages.append((core, tuple(stripped)))
    return tuple(stages)


def plus_words(longer: tuple[str, ...], shorter: tuple[str, ...], family_set: frozenset[str]) -> Stripped | None:
    """The words ``longer`` adds to ``shorter`` when they are all descriptive or weak and the rest is ``shorter``
    in order (KAROLA PRO = KAROLA + PRO); ``None`` otherwise."""
    if len(longer) <= len(shorter):
        return None
    descriptive, _ = descriptive_words(family_set)
    weak, _ = weak_words()
    added: list[tuple[str, str]] = []
    k = 0
    for word in longer:
        if k < len(shorter) and word == shorter[k]:
            k += 1
            continue
        stem = lemma(word)
        if word in ARTICLES:
            continue
        if stem in descriptive:
            added.append((word, "descriptive"))
        elif stem in weak:
            added.append((word, "weak"))
        else:
            return None
    return tuple(added) if k == len(shorter) and added else None


@lru_cache(maxsize=131072)
def dedupe_han(han: str) -> str:
    """Collapse repeated characters and repeated words (TM-R2): 娃娃乐 → 娃乐, 好运好运 → 好运."""
    text = _collapse_repeats(han)
    return "".join(ch for k, ch in enumerate(text) if k == 0 or ch != text[k - 1])


def dedupe_words(words: tuple[str, ...]) -> tuple[str, ...]:
    """Collapse repeated words and words made of one repeated chunk (TM-R2): bling bling → bling; coco → co."""
    out: list[str] = []
    for w in words:
        w = _collapse_repeats(w)
        if not out or out[-1] != w:
            out.append(w)
    return tuple(out)


def _collapse_repeats(text: str) -> str:
    n = len(text)
    for size in range(1, n // 2 + 1):
        if n % size == 0 and text[:size] * (n // size) == text:
            return text[:size] if size > 1 or n > 1 else text
    return text
