"""Search keys of one mark, as examiners index it on cards (分卡): a 汉字 card, pinyin cards for every reading, an
English card for Latin letters, digit cards in digits, Chinese numerals and pinyin, and translation cards."""

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ipoffice.core.text import fold, to_halfwidth, to_simplified

from . import lexicon
from .phonetic import (
    MAX_READINGS,
    char_readings,
    digits_pinyin,
    digits_to_han,
    fold_syllable,
    han_to_digits,
    metaphone_keys,
    readings,
    segment_pinyin,
    segmentations,
)

_TOKENS = re.compile(r"[a-z]+(?:['’][a-z]+)*|[\u3400-\u4dbf\u4e00-\u9fff〇]|[0-9]")


@lru_cache(maxsize=65536)
def _stable(ch: str) -> bool:
    """Whether a character is its own simplified form."""
    return to_simplified(ch) == ch


def _fold(text: str) -> str:
    """:func:`ipoffice.core.text.fold`, skipping OpenCC when every character is already simplified."""
    if text.isascii():
        return " ".join(text.lower().split())
    half = to_halfwidth(text)
    if all(ch.isascii() or _stable(ch) for ch in half):
        return " ".join(half.lower().split())
    return fold(text)


@dataclass(frozen=True, slots=True)
class MarkKeys:
    """The keys of one word mark. Build with :func:`mark_keys`; compare with :func:`compare`.

    ``latin_role`` says what the Latin letters are beside Chinese characters: ``annotation`` (pinyin that spells a
    reading of the characters: 雨森 YUSEN — treated as a note on the 汉字, not an element), ``variant`` (pinyin
    that matches a reading only through confusable sounds: 唐钟 TANGZONG, 超鹰 CAOYIN — indexed as pinyin *and* as
    an English card), ``word`` (any other letters), ``pinyin`` (a mark of pinyin alone, compared as "irregular
    English"), or ``''`` when there are no letters.
    """

    text: str
    folded: str
    han: str = ""
    latin_words: tuple[str, ...] = ()
    digits: str = ""
    elements: tuple[str, ...] = ()
    latin_role: str = ""
    pinyin: tuple[tuple[str, ...], ...] = ()
    latin_pinyin: tuple[str, ...] | None = None
    metaphone: tuple[str, ...] = ()
    lemmas: tuple[str, ...] = ()
    digit_han: str = ""
    digit_pinyin: tuple[str, ...] = ()
    numeral_digits: str = ""
    han_meaning: lexicon.Meaning | None = None
    latin_meaning: lexicon.Meaning | None = None
    han_core: str = ""
    latin_core: tuple[str, ...] = ()
    stripped: lexicon.Stripped = field(default=())

    @property
    def latin(self) -> str:
        """The letters of the Latin part without spaces: the English card."""
        return "".join(self.latin_words)

    @property
    def pinyin_keys(self) -> tuple[str, ...]:
        """Every pinyin card: each reading of the 汉字 (space-separated syllables), the pinyin the letters spell,
        the digits read aloud; then the same with confusable sounds folded (zh→z, ing→in …)."""
        cards = [" ".join(r) for r in self.pinyin]
        if self.latin_pinyin:
            cards.append(" ".join(self.latin_pinyin))
            if self.han:  # other ways to read the letters as syllables: CAOYIN → CA O YIN
                cards.extend(" ".join(s) for s in segmentations(self.latin, MAX_READINGS))
        if self.digit_pinyin:
            cards.append(" ".join(self.digit_pinyin))
        folded = [" ".join(fold_syllable(s) for s in card.split()) for card in cards]
        return tuple(dict.fromkeys(cards + folded))

    @property
    def initials(self) -> tuple[str, ...]:
        """First letters of each reading's syllables: 超鹰 → ('cy', 'ty')."""
        return tuple(dict.fromkeys("".join(s[0] for s in r) for r in self.pinyin if r))

    @property
    def has_latin_element(self) -> bool:
        """Whether the letters count as an element of their own (not a mere pinyin annotation)."""
        return bool(self.latin_words) and self.latin_role != "annotation"

    @property
    def dominant(self) -> str:
        """The element the relevant public reads first: the 汉字 part, else the letters, else the digits."""
        return self.elements[0] if self.elements else ""

    @property
    def translations(self) -> frozenset[str]:
        """Translation keys: every concept the words carry (apple, eagle …)."""
        return frozenset(c for m in (self.han_meaning, self.latin_meaning) if m for concepts in m for c in concepts)


@lru_cache(maxsize=131072)
def mark_keys(text: str) -> MarkKeys:
    """The search keys of a word mark. Traditional characters become simplified, full width half, letters lower
    case; the mark splits into a 汉字, a Latin and a digit element."""
    return build_keys(text)


_EVERY = None


def build_keys(text: str, *, for_index: bool = False) -> MarkKeys:
    """:func:`mark_keys` without the cache. ``for_index`` leaves out what :func:`index_terms` does not read (the
    whole-mark reading combinations and the role of the letters), for building large indexes fast."""
    global _EVERY
    if _EVERY is None:
        _EVERY = lexicon.families_for(None)
    folded = _fold(text)
    han, digits, words = [], [], []
    for token in _TOKENS.findall(folded):
        first = token[0]
        if "a" <= first <= "z":
            words.append(token.replace("'", "").replace("’", ""))
        elif first.isdigit():
            digits.append(token)
        else:
            han.append(token)
    han_text, digit_text, latin_words = "".join(han), "".join(digits), tuple(words)

    elements = tuple(kind for kind, present in (("han", han_text), ("latin", latin_words), ("digits", digit_text))
                     if present)
    han_readings = readings(han_text) if not for_index else ()
    letters = "".join(latin_words)
    latin_pinyin = segment_pinyin(letters) if letters else None
    role = ""
    if latin_words and not for_index:
        if not han_text:
            role = "pinyin" if latin_pinyin else "word"
        else:
            role = _pinyin_role(han_text, letters, latin_pinyin)
    if role == "annotation":
        elements = tuple(kind for kind in elements if kind != "latin")

    han_core, han_stripped = lexicon.strip_han(han_text, _EVERY) if han_text else ("", ())
    latin_core, latin_stripped = lexicon.strip_latin(latin_words, _EVERY) if latin_words else ((), ())
    return MarkKeys(
        text=text,
        folded=folded,
        han=han_text,
        latin_words=latin_words,
        digits=digit_text,
        elements=elements,
        latin_role=role,
        pinyin=han_readings,
        latin_pinyin=latin_pinyin,
        metaphone=metaphone_keys(letters) if letters else (),
        lemmas=tuple(lexicon.lemma(w) for w in latin_words if w not in lexicon.ARTICLES),
        digit_han=digits_to_han(digit_text),
        digit_pinyin=digits_pinyin(digit_text),
        numeral_digits=han_to_digits(han_text) or "",
        han_meaning=lexicon.han_meaning(han_core) if han_text else None,
        latin_meaning=lexicon.latin_meaning(latin_core) if latin_words else None,
        han_core=han_core,
        latin_core=latin_core,
        stripped=han_stripped + latin_stripped,
    )


def _pinyin_role(han: str, letters: str, syllables: tuple[str, ...] | None) -> str:
    """annotation, variant or word: how the letters beside the 汉字 relate to the characters' readings."""
    if not syllables:
        return "word"
    per_char = [char_readings(ch) for ch in han]
    candidates = [s for s in segmentations(letters) if len(s) == len(han)]
    for candidate in candidates:
        if all(s in r for s, r in zip(candidate, per_char, strict=True)):
            return "annotation"
    for candidate in candidates:
        if all(fold_syllable(s) in {fold_syllable(x) for x in r} for s, r in zip(candidate, per_char, strict=True)):
            return "variant"
    return "word"
