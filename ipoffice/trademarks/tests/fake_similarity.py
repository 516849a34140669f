"""A stand-in for ``ipoffice.trademarks.similarity`` with the same interface, for tests of the register while the
real engine is not installed. Deliberately simple: characters, letters and pinyin compared as sets."""

from dataclasses import dataclass, field
from difflib import SequenceMatcher

from ipoffice.core.text import fold, pinyin


@dataclass(frozen=True)
class MarkKeys:
    text: str
    chars: str
    pinyin: str


@dataclass
class RuleHit:
    code: str
    reason_zh: str
    reason_en: str


@dataclass
class Similarity:
    score: float
    sound: float
    shape: float
    meaning: float
    rules: list = field(default_factory=list)


def mark_keys(text: str) -> MarkKeys:
    folded = fold(text).replace(" ", "")
    return MarkKeys(text, folded, pinyin(folded))


def compare(query: MarkKeys, earlier: MarkKeys) -> Similarity:
    shape = SequenceMatcher(None, query.chars, earlier.chars).ratio()
    sound = SequenceMatcher(None, query.pinyin, earlier.pinyin).ratio()
    rules = []
    if query.chars and sorted(query.chars) == sorted(earlier.chars):
        rules.append(RuleHit("TM-R1", "汉字相同", "same characters"))
    elif len(query.chars) >= 3 and len(query.chars) == len(earlier.chars) and \
            sum(a != b for a, b in zip(query.chars, earlier.chars, strict=True)) == 1:
        rules.append(RuleHit("TM-R3", "三个以上汉字仅一字不同", "three or more characters, one different"))
    score = max(shape, sound)
    return Similarity(round(score, 4), round(sound, 4), round(shape, 4), 0.0, rules)


def goods_relation(query_groups, query_items, query_classes, mark_groups, mark_items, mark_classes, cross_links):
    if query_items & mark_items:
        return "same_item", 1.0
    if query_groups & mark_groups:
        return "same_group", 0.9
    if any(cross_links.get(g, set()) & mark_groups for g in query_groups):
        return "cross_group", 0.6
    if query_classes & mark_classes:
        return "same_class", 0.4
    return "unrelated", 0.0


class ClearanceIndex:
    def __init__(self, rows):
        self.rows = [(mark_id, mark_keys(text)) for mark_id, text in rows]

    @classmethod
    def build(cls, rows, *, workers=None, chunk=20000):
        return cls(list(rows))

    def candidates(self, query: MarkKeys, limit: int) -> list[int]:
        scored = [(compare(query, keys).score, mark_id) for mark_id, keys in self.rows]
        return [mark_id for score, mark_id in sorted(scored, key=lambda s: (-s[0], s[1])) if score > 0.3][:limit]

    def save(self, path):
        import pickle

        with open(path, "wb") as fh:
            pickle.dump([(i, k.text) for i, k in self.rows], fh)

    @classmethod
    def load(cls, path):
        import pickle

        with open(path, "rb") as fh:
            return cls(pickle.load(fh))
