"""The search analyser: the one place where text becomes index tokens, for the documents and for the queries.

Both backends index the same token streams (lists of strings) and search them as whole tokens, so they find
the same documents. Every token is a run of letters and digits (never punctuation or spaces), lower case.

Text (title, abstract, claims)
    1. fold: full-width → half-width (NFKC), traditional → simplified (OpenCC t2s), lower case, accents off.
    2. cut with jieba (rjieba) in precise mode: ``锂离子电池正极材料`` → ``锂离子 电池 正极 材料``.
    3. English words (and any other Latin-script word) are stemmed with Snowball English (Porter 2):
       ``batteries`` → ``batteri``, ``charging`` → ``charg``.
    The *precise* stream keeps the word order, so a phrase is a run of adjacent precise tokens. After it, behind
    a separator token that no text yields (:data:`SEP`), come the *extra* tokens:
    - the dictionary words inside every long word, as jieba's search mode cuts them (``锂电池`` → ``锂电``,
      ``电池``; ``无人机`` → ``无人``, ``人机``), so that ``电池`` finds ``锂电池``;
    - the dictionary words that run over a cut between two Chinese words (``正极为`` is cut ``正 极为``: 正极 is
      added), so that a word is found wherever its characters stand together, as a literal search would;
    - the toneless pinyin of every Chinese word of two or more characters, syllables joined and stemmed like
      English (``电池`` → ``dianchi``), so that a pinyin query finds the Chinese word.
    A query word is cut the same way (precise mode) and each of its tokens must match a precise or extra token.
    So ``锂电池`` finds 锂电池 and 锂电池组 but **not** 锂离子电池 (another word: ask ``锂电池 OR 锂离子电池``, or
    ``锂 电池``); ``电池`` finds all three. A one-character Chinese query word is a prefix: ``锂`` finds 锂离子 and
    锂电池.

Names (applicants, inventors, agencies, agents)
    Names are short and full of words that no dictionary knows (大疆, 比亚迪), so they are indexed as character
    bigrams of each Chinese run, plus the run's last character alone (``比亚迪`` → ``比亚 亚迪 迪``), and Latin
    words as they are (lower case, not stemmed). A name query is the phrase of its bigrams, so it matches any
    part of a name: ``大疆`` and ``大疆创新`` both find 深圳市大疆创新科技有限公司. Names are kept apart by
    :data:`SEP`, so a phrase never runs from one name into the next.

Numbers
    Application, publication and grant numbers without office prefix and kind code, and a CN application number
    also without its check character: ``CN112345678A`` → ``112345678``; ``2020101234567`` and ``202010123456``.
    A query is brought to the same form (:func:`number_query`); its office, when it names one, is matched as the
    patent's office, not as a spelling of the number.
"""

import re
import sys
import unicodedata
from functools import lru_cache
from pathlib import Path

import rjieba
import snowballstemmer
from opencc import OpenCC
from pypinyin import lazy_pinyin

from ipoffice.core.text import to_halfwidth

#: Separates the precise stream from the extra tokens, and one name from the next. The analyser never yields it
#: (it is punctuation), and both backends keep it as a token (FTS5's ``ascii`` tokenizer keeps every non-ASCII
#: character; PostgreSQL takes the tokens as given).
SEP = "·"

_t2s = OpenCC("t2s")
_stemmer = snowballstemmer.stemmer("english")
_RUN = re.compile(r"[^\W_]+")  # letters and digits
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_ASCII_ALPHA = re.compile(r"[a-z]+")


def _traditional_characters() -> frozenset[str]:
    path = Path(__import__("opencc").__file__).parent / "dictionary" / "TSCharacters.txt"
    chars = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        key, _, values = line.partition("\t")
        if key and values.split() and values.split()[0] != key:
            chars.add(key)
    return frozenset(chars)


_TRADITIONAL = _traditional_characters()


def to_simplified(text: str) -> str:
    """OpenCC t2s, skipped when the text holds no traditional character (most text: t2s is slow)."""
    if _TRADITIONAL.isdisjoint(text):
        return text
    return _t2s.convert(text)


_ACCENTED = re.compile(r"[\u00c0-\u024f\u1e00-\u1eff]")


def fold(text: str) -> str:
    """Half width, simplified, lower case; accents are taken off Latin letters."""
    text = to_simplified(to_halfwidth(text or "")).lower()
    if _ACCENTED.search(text):
        text = "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))
        text = unicodedata.normalize("NFC", text)
    return text


def is_han(text: str) -> bool:
    return bool(_HAN.fullmatch(text))


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Snowball English stem of a Latin word; words with digits or other scripts stay as they are."""
    if _ASCII_ALPHA.fullmatch(word):
        return _stemmer.stemWord(word)
    return word


@lru_cache(maxsize=200_000)
def pinyin_token(word: str) -> str:
    """The pinyin token of a Chinese word, as a query word spelt in pinyin is analysed: 电池 → dianchi."""
    return stem("".join(lazy_pinyin(word)).lower())


@lru_cache(maxsize=200_000)
def sub_words(word: str) -> tuple[str, ...]:
    """The dictionary words of two and three characters inside a longer word (jieba's search mode)."""
    found = []
    for size in (2, 3):
        if len(word) > size:
            found.extend(word[i:i + size] for i in range(len(word) - size + 1) if rjieba.has_word(word[i:i + size]))
    return tuple(found)


def _split_run(run: str):
    """A run of letters and digits as its Chinese parts and its other parts, in order."""
    if run.isascii():
        yield run
        return
    pos = 0
    for match in _HAN.finditer(run):
        if match.start() > pos:
            yield run[pos:match.start()]
        yield match.group()
        pos = match.end()
    if pos < len(run):
        yield run[pos:]


@lru_cache(maxsize=500_000)
def _piece(piece: str) -> tuple[tuple[tuple[str, bool, tuple[str, ...] | None], ...], bool]:
    """The tokens of one jieba piece, each with whether it is Chinese and, for a Chinese word of two or more
    characters, its :func:`sub_words` (else None); and whether the piece is all token characters (no space or
    punctuation in it or around it)."""
    runs = _RUN.findall(piece)
    parts = tuple((part, True, sub_words(part) if len(part) > 1 else None) if _HAN.match(part)
                  else (stem(part), False, None)
                  for run in runs for part in _split_run(run))
    return parts, len(runs) == 1 and runs[0] == piece


def _streams(text: str, limit: int) -> tuple[list[str], list[str], list[str]]:
    """The first ``limit`` tokens of the precise stream; the extra words they give, in order and with repeats
    (bridging words, then the sub-words of each token); and the Chinese words of two or more characters among
    them. A token is joined to the one before when both are Chinese with nothing between them in the text."""
    precise, extras, chinese = [], [], []
    previous, previous_han = "", False
    text = fold(text)
    bounded = len(text) > limit  # (every token is a character or more: a shorter text stays under the limit)
    for piece in rjieba.cut(text):
        parts, clean = _piece(piece)
        if bounded and len(precise) + len(parts) > limit:
            parts = parts[:limit - len(precise)]
        if not clean:
            previous_han = False
        for token, han, subs in parts:
            if han:
                if previous_han:
                    extras.extend(bridging_words(previous, token))
                if subs is not None:
                    chinese.append(token)
                    extras.extend(subs)
            precise.append(token)
            previous, previous_han = token, han
        if bounded and len(precise) >= limit:
            break
        if not clean:
            previous_han = False
    return precise, extras, chinese


def words(text: str) -> list[str]:
    """The precise stream of a text: jieba words and stemmed Latin words, in order."""
    return _streams(text, sys.maxsize)[0]


@lru_cache(maxsize=200_000)
def bridging_words(left: str, right: str) -> tuple[str, ...]:
    """Dictionary words of two or three characters that run over the cut between two Chinese words: jieba cuts
    正极为 as 正|极为 and 负极端 as 负|极端, yet 正极 and 负极 are in the text."""
    joined = left + right
    found = []
    for size in (2, 3):
        for start in range(max(0, len(left) - size + 1), len(left)):
            if start + size <= len(joined) and rjieba.has_word(joined[start:start + size]):
                found.append(joined[start:start + size])
    return tuple(found)


def analyse_text(text: str, limit: int = 5000) -> list[str]:
    """The index stream of a text field: precise tokens, :data:`SEP`, extra tokens (see the module docstring)."""
    precise, candidates, chinese = _streams(text, limit)
    seen = set(precise)
    extras = [word for word in dict.fromkeys(candidates) if word not in seen]
    seen.update(extras)
    for word in (*dict.fromkeys(chinese), *extras):
        candidate = pinyin_token(word)
        if candidate not in seen:
            seen.add(candidate)
            extras.append(candidate)
    return precise + [SEP] + extras if extras else precise


def name_tokens(name: str, *, query: bool = False) -> list[list[str]]:
    """The runs of a name, each as its tokens: Chinese runs as bigrams (plus the last character alone when
    indexing), other runs as one lower-case word."""
    runs = []
    for run in _RUN.findall(fold(name)):
        for part in _split_run(run):
            if _HAN.match(part) and len(part) > 1:
                grams = [part[i:i + 2] for i in range(len(part) - 1)]
                runs.append(grams if query else grams + [part[-1]])
            else:
                runs.append([part])
    return runs


@lru_cache(maxsize=200_000)
def _name_stream(name: str) -> tuple[str, ...]:
    """The index tokens of one name (names repeat: the same applicants, inventors and agencies)."""
    return tuple(t for run in name_tokens(name) for t in run)


def analyse_names(names) -> list[str]:
    """The index stream of a list of names, :data:`SEP` between them."""
    stream = []
    for name in names:
        tokens = _name_stream(name)
        if tokens:
            if stream:
                stream.append(SEP)
            stream.extend(tokens)
    return stream


#: An office prefix: two letters before the digits or before a US series letter (design D, plant PP, reissue RE,
#: statutory invention registration H, T, X); RE and PP themselves are series, not offices.
_OFFICE = re.compile(r"^(?:ZL|(?!RE|PP)[A-Z]{2})(?=(?:RE|PP|[DHTX])?\d)")
_KIND = re.compile(r"(?<=\d)[A-Z]\d?$")
_US_NUMBER = re.compile(r"(D|RE|PP|H|T|X)?(\d+)")  # a US patent number, with its series letters
_NUMBER_PUNCT = re.compile(r"[\s.,/\-]")
_CN_APPLICATION = re.compile(r"\d{12}[\dX]|\d{8}[\dX]")


def clean_number(text: str) -> str:
    """Upper case, without spaces, dots, slashes, dashes or commas: ``CN 202010123456.7`` → ``CN2020101234567``."""
    return _NUMBER_PUNCT.sub("", unicodedata.normalize("NFKC", text or "")).upper()


def _number_core(office: str, number: str) -> str:
    """A cleaned number without its office prefix, and without its kind code unless it is a CN application number
    (whose last character, a digit or X, is a check character)."""
    core = _OFFICE.sub("", number)
    if office in ("CN", "") and _CN_APPLICATION.fullmatch(core):
        return core
    return _KIND.sub("", core)


def number_tokens(office: str, application: str, publications) -> list[str]:
    """The forms of a patent's application number and publication or grant numbers that ``number:`` queries look
    for (lower case). Not every spelling (with and without office and kind): a dozen per patent, all unique, made
    the numbers the largest part of the index."""
    office = (office or "").upper()
    found = [_number_core(office, clean_number(raw)) for raw in (application, *publications)]
    if office == "CN" and _CN_APPLICATION.fullmatch(found[0]):
        found.append(found[0][:-1])  # the application number without its check character
    return list(dict.fromkeys(t.lower() for t in found if t))


def number_query(text: str, prefix: bool = False) -> tuple[str, list[str]]:
    """(office, tokens) of a ``number:`` query: ``CN1234567A`` → ``("CN", ["1234567"])``, ``ZL…`` → ``("CN", …)``,
    ``2020101234567`` → ``("", ["2020101234567"])``. A US patent number is also looked for in the eight characters
    the USPTO writes it in (``US6334226`` → ``06334226``, ``D452599`` → ``D0452599``), unless it is a prefix."""
    value = clean_number(text)
    if value.startswith("ZL") and value[2:3].isdigit():
        value = "CN" + value[2:]
    office = match.group() if (match := _OFFICE.match(value)) else ""
    core = _number_core(office, value)
    tokens = [core]
    us = _US_NUMBER.fullmatch(core)
    if us and not prefix and len(core) < 8 and (office == "US" or (not office and us.group(1))):
        series = us.group(1) or ""
        tokens.append(series + us.group(2).zfill(8 - len(series)))
    return office, [token.lower() for token in tokens if token]
