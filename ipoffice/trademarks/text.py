"""The text elements of a mark (Chinese characters, Latin letters, digits) and its folded search forms.

This is only the register's own bookkeeping (what to store and search by); how marks are compared is the
similarity engine's business (``ipoffice.trademarks.similarity``).
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from ipoffice.core.text import fold, has_han, pinyin

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]+(?:['’\-.&][A-Za-z\u00c0-\u024f]+)*")
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class MarkText:
    zh: str
    latin: str
    digits: str
    folded: str
    pinyin: str


@lru_cache(maxsize=65536)
def split_mark_text(text: str) -> MarkText:
    """``"美乐 MEILE 168"`` → zh ``美乐``, latin ``MEILE``, digits ``168``, folded ``美乐 meile 168``, pinyin ``meile``.

    Full-width forms and traditional characters are folded first (``ＡＢＣ`` → ``abc``, ``龍`` → ``龙``).
    """
    folded = fold(text or "")
    zh = "".join(_HAN.findall(folded))
    latin = " ".join(_LATIN.findall(folded)).upper()
    digits = " ".join(_DIGITS.findall(folded))
    return MarkText(zh, latin, digits, folded, pinyin(zh) if zh and has_han(zh) else "")
