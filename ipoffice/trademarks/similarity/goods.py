"""How the goods or services of two marks relate, through the 类似群 (similar groups) of the 区分表.

Items in the same group are in principle similar; items of different groups are similar when the group notes or
the ``*`` cross-group markers link them (交叉检索); the same Nice class alone is a weak link (the CNIPA search UI
filters by class, which is how cross-class conflicts are missed, so the class is kept as the fallback).
"""

GOODS_WEIGHTS = {
    "same_item": 1.0,
    "same_group": 0.9,
    "cross_group": 0.7,
    "same_class": 0.35,
    "unrelated": 0.1,
}
"""Weights to multiply a mark similarity by. same_item: a shared item code (identical goods). same_group: a
shared 类似群 — similar in principle. cross_group: the groups are linked by a note or a ``*`` item, to be
cross-searched. same_class: only the Nice class is shared — usually not similar, shown for review. unrelated:
kept above zero so that an identical well-known mark still surfaces at the bottom of a clearance list."""


def goods_relation(query_groups: set[str], query_items: set[str], query_classes: set[int],
                   mark_groups: set[str], mark_items: set[str], mark_classes: set[int],
                   cross_links: dict[str, set[str]]) -> tuple[str, float]:
    """The closest relation between the query's goods and a mark's goods, and its weight (:data:`GOODS_WEIGHTS`).

    ``*_groups`` are 4-digit 类似群 codes ("0304"), ``*_items`` item codes ("030001", "C120008"), ``*_classes``
    Nice classes, ``cross_links`` group → groups it must be cross-searched with (either direction counts).
    """
    if query_items & mark_items:
        relation = "same_item"
    elif query_groups & mark_groups:
        relation = "same_group"
    elif any(cross_links.get(g, set()) & mark_groups for g in query_groups) or \
            any(cross_links.get(g, set()) & query_groups for g in mark_groups):
        relation = "cross_group"
    elif (set(query_classes) | _group_classes(query_groups)) & (set(mark_classes) | _group_classes(mark_groups)):
        relation = "same_class"
    else:
        relation = "unrelated"
    return relation, GOODS_WEIGHTS[relation]


def _group_classes(groups: set[str]) -> set[int]:
    """The Nice classes that 类似群 codes belong to (their first two digits)."""
    return {int(g[:2]) for g in groups if g[:2].isdigit()}
