"""Compare a query mark with candidate marks and sort them, most similar first."""

from collections.abc import Hashable, Iterable
from typing import NamedTuple

from .compare import Similarity, compare
from .index import paused_gc
from .keys import MarkKeys, mark_keys


class Ranked(NamedTuple):
    id: Hashable
    text: str
    similarity: Similarity


def warm_up() -> None:
    """Load every table once (glyphs, pinyin syllables, the bilingual and descriptive word lists, pypinyin's
    phrases) so that the first clearance query does not pay for it; call at start-up of a long-lived process."""
    sample = ("超鹰 CAOYIN 153", "唐钟TANGZONG", "APPLE PRO", "一五三", "银行行长")
    for text in sample:
        for other in sample:
            compare(mark_keys(text), mark_keys(other))


def rank(query_text: str | MarkKeys, candidates: Iterable[tuple[Hashable, str]], *, limit: int | None = 50,
         classes: set[int] | None = None, min_score: float = 0.0) -> list[Ranked]:
    """Compare the query with each ``(id, text)`` candidate and return the best ``limit`` (all if ``None``),
    by score, then sound and shape, then text. The app multiplies by :func:`goods_relation` afterwards."""
    query = query_text if isinstance(query_text, MarkKeys) else mark_keys(query_text)
    ranked = []
    with paused_gc():
        for mark_id, text in candidates:
            similarity = compare(query, mark_keys(text), classes=classes)
            if similarity.score >= min_score:
                ranked.append(Ranked(mark_id, text, similarity))
    ranked.sort(key=lambda r: (-r.similarity.score, -(r.similarity.sound + r.similarity.shape), r.text))
    return ranked if limit is None else ranked[:limit]
