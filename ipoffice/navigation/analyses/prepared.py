"""The counted records of a dataset under a set of rules, with each one's year and its applicants and inventors
resolved, weighted and indexed: worked out in one pass and shared by the analyses of a run, so that the full set
reads 100,000 patents once instead of once per analysis.

Kept for the last few (dataset, rules) pairs, by identity of the dataset: a dataset is never changed once built.
Record indices (positions in ``records``) stand for the records in the indexes.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from ..counting import Rules, counted, shares, year_of
from ..dataset import Dataset, Record
from .common import applicant_key, grant_date, inventor_key

_KEPT = 2


@dataclass
class Players:
    """The applicants (or inventors) of the counted records."""

    weighted: list[list[tuple[str, float]]] = field(default_factory=list)  # per record: (key, weight) by the rule
    every: list[tuple[str, ...]] = field(default_factory=list)  # per record: every distinct key, whatever the rule
    holders: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))  # key → record indices
    by_year: dict[int | None, dict[str, float]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(float)))  # year → key → weight

    @cached_property
    def totals(self) -> dict[str, float]:
        """Key → weight over all years."""
        result = defaultdict(float)
        for weights in self.by_year.values():
            for key, weight in weights.items():
                result[key] += weight
        return result

    def add(self, index: int, year: int | None, pairs: list[tuple[str, str]], rules: Rules, labels: dict):
        """Add a record's players, given as (key, label): one named twice counts once, with both shares."""
        for name, label in pairs:
            if name not in labels:
                labels[name] = label
        names = [name for name, _label in pairs]
        distinct = tuple(dict.fromkeys(names)) if len(names) > 1 else tuple(names)
        if len(distinct) == len(names) and (len(names) == 1 or rules.applicants == "whole"):
            weighted = [(name, 1.0) for name in names]  # the usual cases: no arithmetic needed
        else:
            weights: dict[str, float] = {}
            for name, weight in shares(names, rules):
                weights[name] = weights.get(name, 0.0) + weight
            weighted = list(weights.items())
        self.weighted.append(weighted)
        self.every.append(distinct)
        holders, in_year = self.holders, self.by_year[year]
        for name, weight in weighted:
            holders[name].append(index)
            in_year[name] += weight


@dataclass
class Prepared:
    records: list[Record]  # the counted records (one per family under family counting), by id
    years: list[int | None] = field(default_factory=list)  # each record's year of the date basis
    in_year: dict[int | None, list[int]] = field(default_factory=lambda: defaultdict(list))  # year → indices
    granted: list[bool] = field(default_factory=list)  # whether it has a grant (date or event)
    applicants: Players = field(default_factory=Players)
    inventors: Players = field(default_factory=Players)
    labels: dict[str, str] = field(default_factory=dict)  # applicant or inventor key → name (the first seen)
    kinds: dict[str, str] = field(default_factory=dict)  # applicant key → entity kind ("" when unresolved)


_CACHE: list[tuple[Dataset, Rules, Prepared]] = []


def prepared(dataset: Dataset, rules: Rules) -> Prepared:
    """The prepared records of this dataset under these rules (worked out on the first call)."""
    for known, known_rules, result in _CACHE:
        if known is dataset and known_rules == rules:
            return result
    result = _prepare(dataset, rules)
    _CACHE.append((dataset, rules, result))
    del _CACHE[:-_KEPT]
    return result


def _prepare(dataset: Dataset, rules: Rules) -> Prepared:
    result = Prepared(counted(dataset.records, rules))
    kinds, labels = result.kinds, result.labels
    for index, record in enumerate(result.records):
        year = year_of(record, rules)
        result.years.append(year)
        result.in_year[year].append(index)
        result.granted.append(grant_date(record) is not None)
        pairs = []
        for applicant in record.applicants:
            pair = applicant_key(applicant)
            pairs.append(pair)
            if pair[0] not in kinds:
                kinds[pair[0]] = applicant.kind
        result.applicants.add(index, year, pairs, rules, labels)
        result.inventors.add(index, year, [inventor_key(n) for n in record.inventors], rules, labels)
    return result
