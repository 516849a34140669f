"""Sound keys: toneless pinyin with every reading, confusable initials and finals, pinyin segmentation of Latin
letters, Double Metaphone for foreign words, and digits read as Chinese numerals."""

import itertools
import math
import unicodedata
from functools import cache, lru_cache

from metaphone import doublemetaphone
from pypinyin import lazy_pinyin
from pypinyin.constants import PINYIN_DICT

MAX_READINGS = 16
"""At most this many whole-mark reading combinations are kept for a mark with polyphonic characters."""

# Confusable pairs heard alike in southern Mandarin and by the public: the second is folded onto the first.
_STRONG_INITIALS = {"zh": "z", "ch": "c", "sh": "s", "l": "n"}
_STRONG_FINALS = (("iang", "ian"), ("uang", "uan"), ("eng", "en"), ("ing", "in"), ("ang", "an"))
"""Confusable initials and finals, folded onto one form: the notes' table (zh/z, ch/c, sh/s, n/l, en/eng, in/ing,
an/ang) plus iang/ian and uang/uan, which follow from an/ang. r/l and f/h are weaker confusions and only count
towards :func:`syllable_similarity`, not the fold."""
INITIALS = ("zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j", "q", "x", "r", "z", "c",
            "s", "y", "w")

DIGIT_HAN = dict(zip("0123456789", "零一二三四五六七八九", strict=True))
HAN_DIGIT = {v: k for k, v in DIGIT_HAN.items()} | {"〇": "0"}


def _toneless(reading: str) -> str:
    text = unicodedata.normalize("NFKD", reading).replace("u\u0308", "v").replace("U\u0308", "v")
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()


@lru_cache(maxsize=65536)
def char_readings(ch: str) -> tuple[str, ...]:
    """Every toneless reading of one character, commonest first: 行 → ('xing', 'hang', 'heng')."""
    raw = PINYIN_DICT.get(ord(ch)) if len(ch) == 1 else None
    if not raw:
        return ()
    readings = []
    for reading in raw.split(","):
        toneless = _toneless(reading)
        if toneless and toneless not in readings:
            readings.append(toneless)
    return tuple(readings)


@cache
def pinyin_syllables() -> frozenset[str]:
    """Every toneless syllable that some character is read with (about 410)."""
    return frozenset(r for cp in PINYIN_DICT for r in char_readings(chr(cp)) if r.isascii() and r.isalpha())


def readings(han: str, cap: int = MAX_READINGS) -> tuple[tuple[str, ...], ...]:
    """Whole-mark readings of a run of characters: every combination of the characters' readings, commonest
    first, at most ``cap`` in all; when they do not all fit, the contextual reading (pypinyin phrases) comes
    first. 超鹰 → (('chao', 'ying'), ('tiao', 'ying'))."""
    if not han:
        return ()
    per_char = [char_readings(ch) or (ch,) for ch in han]
    out = []
    if math.prod(len(r) for r in per_char) > cap:  # not every combination fits: the contextual reading first
        contextual = tuple(_toneless(s) for s in lazy_pinyin(han, errors=lambda chars: list(chars)))
        if len(contextual) == len(han):
            out.append(contextual)
    for combo in itertools.islice(itertools.product(*per_char), cap * 2):
        if combo not in out:
            out.append(combo)
        if len(out) >= cap:
            break
    return tuple(out)


@lru_cache(maxsize=8192)
def fold_syllable(syllable: str) -> str:
    """The confusable-folded form of a syllable: zhong → zon, sheng → sen, ling → nin."""
    for long, short in _STRONG_INITIALS.items():
        if syllable.startswith(long):
            syllable = short + syllable[len(long):]
            break
    for long, short in _STRONG_FINALS:
        if syllable.endswith(long):
            return syllable[: -len(long)] + short
    return syllable


def split_syllable(syllable: str) -> tuple[str, str]:
    """(initial, final): zhong → ('zh', 'ong'); an → ('', 'an')."""
    for initial in INITIALS:
        if syllable.startswith(initial) and len(syllable) > len(initial):
            return initial, syllable[len(initial):]
    return "", syllable


@lru_cache(maxsize=65536)
def syllable_similarity(a: str, b: str) -> float:
    """1 for the same syllable, 0.85 for a confusable pair (zhong/zong), 0.6 for a weak confusion with the same
    final (r/l, f/h), 0.4 for the same final, 0.3 for the same initial (after folding), else 0."""
    if a == b:
        return 1.0
    fa, fb = fold_syllable(a), fold_syllable(b)
    if fa == fb:
        return 0.85
    ia, ra = split_syllable(fa)
    ib, rb = split_syllable(fb)
    if ra == rb and {ia, ib} in ({"r", "n"}, {"f", "h"}):
        return 0.6
    if ra == rb:
        return 0.4
    return 0.3 if ia and ia == ib else 0.0


@lru_cache(maxsize=65536)
def segment_pinyin(letters: str) -> tuple[str, ...] | None:
    """Split a run of Latin letters into pinyin syllables, fewest syllables first; ``None`` when it is not
    pinyin. tangzong → ('tang', 'zong'); caoyin → ('cao', 'yin'); pfizer → None."""
    letters = letters.lower()
    if not letters or not letters.isascii() or not letters.isalpha() or len(letters) > 40:
        return None
    syllables = pinyin_syllables()
    n = len(letters)
    best: list[tuple[str, ...] | None] = [None] * (n + 1)
    best[n] = ()
    for i in range(n - 1, -1, -1):
        choice = None
        for j in range(min(n, i + 6), i, -1):
            rest = best[j]
            if rest is not None and letters[i:j] in syllables and (choice is None or len(rest) + 1 < len(choice)):
                choice = (letters[i:j], *rest)
        best[i] = choice
    return best[0]


@lru_cache(maxsize=16384)
def segmentations(letters: str, cap: int = 8) -> tuple[tuple[str, ...], ...]:
    """Every way (at most ``cap``, fewest syllables first) to split letters into pinyin syllables, as examiners
    make one pinyin card per reading: caoyin → (('cao', 'yin'), ('ca', 'o', 'yin'))."""
    syllables = pinyin_syllables()
    out: list[tuple[str, ...]] = []

    def walk(start: int, acc: tuple[str, ...]) -> None:
        if len(out) >= cap * 4:
            return
        if start == len(letters):
            out.append(acc)
            return
        for end in range(min(len(letters), start + 6), start, -1):
            if letters[start:end] in syllables:
                walk(end, (*acc, letters[start:end]))

    if letters and letters.isascii() and letters.isalpha() and len(letters) <= 30:
        walk(0, ())
    return tuple(sorted(out, key=len)[:cap])


def is_pinyin(words: tuple[str, ...]) -> bool:
    """Whether every word of a Latin element segments into pinyin syllables."""
    return bool(words) and all(segment_pinyin(w) is not None for w in words)


_SILENT_ONSETS = (("pf", "f"), ("ps", "s"), ("pn", "n"), ("kn", "n"), ("gn", "n"), ("wr", "r"), ("mn", "n"))


@lru_cache(maxsize=262144)
def metaphone_keys(letters: str) -> tuple[str, ...]:
    """Double Metaphone keys (primary, secondary if different) of a run of letters, after folding silent onsets
    the algorithm misses (Pfizer → Fizer: PF → F)."""
    letters = letters.lower()
    if not letters:
        return ()
    for onset, sound in _SILENT_ONSETS:
        if letters.startswith(onset):
            letters = sound + letters[len(onset):]
            break
    primary, secondary = doublemetaphone(letters)
    keys = [primary] if primary else []
    if secondary and secondary != primary:
        keys.append(secondary)
    return tuple(keys)


def digits_to_han(digits: str) -> str:
    """153 → 一五三 (each digit read alone, as examiners index digit marks)."""
    return "".join(DIGIT_HAN[d] for d in digits if d in DIGIT_HAN)


def han_to_digits(han: str) -> str | None:
    """一五三 → 153 when every character is a numeral; else ``None``."""
    if han and all(ch in HAN_DIGIT for ch in han):
        return "".join(HAN_DIGIT[ch] for ch in han)
    return None


def digits_pinyin(digits: str) -> tuple[str, ...]:
    """153 → ('yi', 'wu', 'san')."""
    return tuple(char_readings(DIGIT_HAN[d])[0] for d in digits if d in DIGIT_HAN)
