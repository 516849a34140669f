"""Clearance similarity engine for word marks: pure Python, no Django models.

The API the trademarks app calls:

* :func:`mark_keys` — the search keys of one mark as examiners index it (分卡): 汉字, every pinyin reading, the
  English card, digits as digits, numerals and pinyin, translation keys.
* :func:`compare` — a :class:`Similarity` (``score``, ``sound``, ``shape``, ``meaning``, ``rules``) with a
  :class:`RuleHit` (``code``, ``reason_zh``, ``reason_en``) for every rule of the 商标审查审理指南 that fired.
* :func:`goods_relation` — how the goods and services of two marks relate through the 类似群, with a weight.
* :class:`ClearanceIndex` — an inverted index over the key n-grams of millions of marks, giving candidates.
* :func:`rank` — compare a query with candidates and sort them; :func:`warm_up` loads the tables at start-up.

Typical use::

    index = ClearanceIndex.build((mark.pk, mark.text) for mark in marks)  # or ClearanceIndex.load(path)
    keys = mark_keys("超鹰")
    ranked = rank(keys, [(pk, text_of[pk]) for pk in index.candidates(keys)], classes={9})
    for hit in ranked:
        relation, weight = goods_relation(query_groups, query_items, {9}, groups_of[hit.id], items_of[hit.id],
                                          classes_of[hit.id], cross_links)
        risk = hit.similarity.score * weight  # hit.similarity.rules carry the reasons, in Chinese and English

Rule codes and their legends are in :data:`RULES`; a verdict is similar when ``score >= SIMILAR`` (0.7), which
needs at least one rule with ``effect == "similar"``.
"""

from .compare import RULES, SIMILAR, RuleHit, Similarity, compare, compare_text
from .goods import GOODS_WEIGHTS, goods_relation
from .index import ClearanceIndex, index_terms
from .keys import MarkKeys, mark_keys
from .rank import Ranked, rank, warm_up

__all__ = [
    "GOODS_WEIGHTS",
    "RULES",
    "SIMILAR",
    "ClearanceIndex",
    "MarkKeys",
    "Ranked",
    "RuleHit",
    "Similarity",
    "compare",
    "compare_text",
    "goods_relation",
    "index_terms",
    "mark_keys",
    "rank",
    "warm_up",
]
