"""Composite indices configured as data: each ``data/indices/*.yaml`` file is one index (a new index is a new
file), computed for the cities of Guangdong from the observations in the database by ``composite.py``.

A file gives the index's code and names, the seed text it answers, the method (normalisation, weighting,
aggregation, missing, min_coverage, treatment, max_lag) and its groups (pillars), each with a weight and
its indicators by code, each optionally with ``weight`` (expert weighting), ``direction`` (default: the
indicator's), ``goalposts: [low, high]`` and ``reference`` (a target, for distance-to-reference).
"""

import math
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from ipoffice.core.errors import DataError, Problem, read_yaml_mapping
from ipoffice.regions.models import Region
from ipoffice.regions.services import HOME_PROVINCE

from .composite import (
    AGGREGATIONS,
    MISSING,
    NORMALISATIONS,
    WEIGHTINGS,
    GroupSpec,
    IndexResult,
    IndexSpec,
    IndicatorSpec,
    compute,
    uncertainty,
)
from .models import Indicator
from .observations import series

INDICES = resources.files("ipoffice.indicators") / "data" / "indices"
UNITS = ("cities",)
_INDEX_FIELDS = {"code", "name_zh", "name_en", "seed", "units", "normalisation", "weighting", "aggregation",
                 "missing", "min_coverage", "treatment", "max_lag", "groups"}
_GROUP_FIELDS = {"code", "name_zh", "name_en", "weight", "indicators"}
_INDICATOR_FIELDS = {"code", "weight", "direction", "goalposts", "reference"}


@dataclass(frozen=True)
class IndexDefinition:
    """An index as its file defines it; directions left out are taken from the indicator (``spec()``)."""

    code: str
    name_zh: str
    name_en: str
    seed: str
    units: str
    groups: tuple[GroupSpec, ...]
    indicators: tuple[dict, ...]  # {"code", "group", and whichever of weight, direction, goalposts, reference}
    method: dict = field(default_factory=dict)  # normalisation, weighting, aggregation, missing, ...
    max_lag: int = 0
    path: str = ""

    @property
    def codes(self) -> list[str]:
        return [i["code"] for i in self.indicators]

    def spec(self) -> IndexSpec:
        """The computable spec, each indicator's direction from the database unless the file gives one."""
        known = {i.code: i for i in Indicator.objects.filter(code__in=self.codes)}
        unknown = [c for c in self.codes if c not in known]
        if unknown:
            raise DataError([Problem(f"unknown indicator '{c}'", f"indicator {c}", "code") for c in unknown],
                            self.path or self.code)
        indicators = [IndicatorSpec(i["code"], direction=i.get("direction", known[i["code"]].direction),
                                    weight=i.get("weight", 1.0), group=i["group"], goalposts=i.get("goalposts"),
                                    reference=i.get("reference")) for i in self.indicators]
        return IndexSpec(self.code, self.name_zh, self.name_en, tuple(indicators), groups=self.groups, **self.method)


def _number(value, problems, record, name, *, positive=False):
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or \
            (positive and value < 0):
        problems.append(Problem(f"'{value}' is not a {'number ≥ 0' if positive else 'number'}", record, name))
        return False
    return True


def load_definition(path: Path) -> IndexDefinition:
    """Read and check an index file; every problem names the record and the field."""
    path = Path(path)
    data = read_yaml_mapping(path, "an index definition")
    problems = []
    for name in ("code", "name_zh", "name_en", "groups"):
        if not data.get(name):
            problems.append(Problem("missing", "index", name))
    unknown = set(data) - _INDEX_FIELDS
    if unknown:
        problems.append(Problem(f"unknown field(s) {', '.join(sorted(unknown))}", "index"))
    for name, allowed in (("normalisation", NORMALISATIONS), ("weighting", WEIGHTINGS),
                          ("aggregation", AGGREGATIONS), ("missing", MISSING), ("units", UNITS)):
        if name in data and data[name] not in allowed:
            problems.append(Problem(f"'{data[name]}' is not one of {', '.join(allowed)}", "index", name))
    if "min_coverage" in data and _number(data["min_coverage"], problems, "index", "min_coverage") and \
            not 0 <= data["min_coverage"] <= 1:
        problems.append(Problem("must lie between 0 and 1", "index", "min_coverage"))
    if "treatment" in data and not isinstance(data["treatment"], bool):
        problems.append(Problem("must be true or false", "index", "treatment"))
    max_lag = data.get("max_lag", 0)
    if isinstance(max_lag, bool) or not isinstance(max_lag, int) or max_lag < 0:
        problems.append(Problem(f"'{max_lag}' is not a whole number of years ≥ 0", "index", "max_lag"))
    groups, indicators = [], []
    for number, group in enumerate(data.get("groups") or [], start=1):
        record = f"group {group.get('code', number) if isinstance(group, dict) else number}"
        if not isinstance(group, dict):
            problems.append(Problem("not a mapping", record))
            continue
        for name in ("code", "indicators"):
            if not group.get(name):
                problems.append(Problem("missing", record, name))
        if set(group) - _GROUP_FIELDS:
            problems.append(Problem(f"unknown field(s) {', '.join(sorted(set(group) - _GROUP_FIELDS))}", record))
        weight = group.get("weight", 1)
        if _number(weight, problems, record, "weight", positive=True):
            groups.append(GroupSpec(str(group.get("code")), float(weight), group.get("name_zh", ""),
                                    group.get("name_en", "")))
        for item in group.get("indicators") or []:
            if not isinstance(item, dict) or not item.get("code"):
                problems.append(Problem("an indicator without a code", record, "indicators"))
                continue
            where = f"indicator {item['code']}"
            if set(item) - _INDICATOR_FIELDS:
                problems.append(Problem(f"unknown field(s) {', '.join(sorted(set(item) - _INDICATOR_FIELDS))}",
                                        where))
            entry = {"code": str(item["code"]), "group": str(group.get("code"))}
            if "weight" in item and _number(item["weight"], problems, where, "weight", positive=True):
                entry["weight"] = float(item["weight"])
            if "direction" in item:
                if item["direction"] in (1, -1):
                    entry["direction"] = int(item["direction"])
                else:
                    problems.append(Problem(f"'{item['direction']}' is not 1 or -1", where, "direction"))
            if "reference" in item and _number(item["reference"], problems, where, "reference"):
                entry["reference"] = float(item["reference"])
            if "goalposts" in item:
                posts = item["goalposts"]
                if isinstance(posts, list) and len(posts) == 2 and \
                        all(_number(p, problems, where, "goalposts") for p in posts) and posts[0] != posts[1]:
                    entry["goalposts"] = (float(posts[0]), float(posts[1]))
                else:
                    problems.append(Problem("must be two different numbers [low, high]", where, "goalposts"))
            indicators.append(entry)
    codes = [i["code"] for i in indicators]
    for code in sorted({c for c in codes if codes.count(c) > 1}):
        problems.append(Problem("given twice", f"indicator {code}", "code"))
    if problems:
        raise DataError(problems, str(path))
    method = {name: data[name] for name in ("normalisation", "weighting", "aggregation", "missing", "min_coverage",
                                            "treatment") if name in data}
    definition = IndexDefinition(str(data["code"]), data["name_zh"], data["name_en"], data.get("seed", ""),
                                 data.get("units", "cities"), tuple(groups), tuple(indicators), method, max_lag,
                                 str(path))
    try:  # the method's own consistency (goalposts present, weights not all zero, ...)
        IndexSpec(definition.code, definition.name_zh, definition.name_en,
                  tuple(IndicatorSpec(i["code"], weight=i.get("weight", 1.0), group=i["group"],
                                      goalposts=i.get("goalposts"), reference=i.get("reference"))
                        for i in indicators), groups=definition.groups, **method)
    except ValueError as error:
        raise DataError.single(str(error), record="index", source=str(path)) from error
    return definition


def definitions() -> dict[str, IndexDefinition]:
    """Every index shipped with the project, by code."""
    with resources.as_file(INDICES) as folder:
        found = {}
        for path in sorted(Path(folder).glob("*.yaml")):
            definition = load_definition(path)
            if definition.code in found:
                raise DataError.single(f"index code '{definition.code}' also in {found[definition.code].path}",
                                       record="index", field="code", source=str(path))
            found[definition.code] = definition
        return found


def definition(code: str) -> IndexDefinition:
    try:
        return definitions()[code]
    except KeyError:
        raise DataError.single(f"no index '{code}' (known: {', '.join(definitions())})", field="index") from None


def guangdong_cities(province_code: str = HOME_PROVINCE) -> list[Region]:
    """The prefecture-level cities of the province (21 for Guangdong), by code."""
    return list(Region.objects.filter(level=Region.Level.CITY, code__startswith=province_code[:2]).order_by("code"))


def _collect(index: IndexDefinition, year: int, regions, max_lag: int):
    """({region code: {indicator: value or None}}, {region code: {indicator: year of the value}})."""
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=index.codes).select_related("per_10k_of")}
    table, years = {}, {}
    for region in regions:
        row, used = {}, {}
        for code in index.codes:
            points = series(indicators[code], region) if code in indicators else {}
            row[code] = None
            for y in range(year, year - max_lag - 1, -1):
                if y in points:
                    row[code], used[code] = points[y].value, y
                    break
        table[region.code], years[region.code] = row, used
    return table, years


def build_table(index_code: str, year: int, regions=None, *, max_lag: int | None = None) -> dict[str, dict]:
    """{region code: {indicator code: value in ``year`` or None}} for the index's indicators (densities
    computed from their stock and the population); with ``max_lag`` (default: the index file's), the latest
    value up to that many years earlier stands in for a missing one. Regions default to the 21 cities."""
    index = definition(index_code)
    regions = guangdong_cities() if regions is None else list(regions)
    return _collect(index, year, regions, index.max_lag if max_lag is None else max_lag)[0]


def run_index(index_code: str, year: int, runs: int = 1000, *, regions=None, seed: int = 0) -> dict:
    """The index for ``year``: every region's score, rank, pillar scores and Monte-Carlo rank interval, the
    weights, the treatment log and the coherence checks, as a JSON-able dict for pages and reports."""
    index = definition(index_code)
    spec = index.spec()
    regions = guangdong_cities() if regions is None else list(regions)
    table, years = _collect(index, year, regions, index.max_lag)
    result: IndexResult = compute(spec, table)
    mc = uncertainty(spec, table, runs=runs, seed=seed, nominal=result) if runs > 0 and result.ranking else None
    names = {r.code: r for r in regions}
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=spec.codes)}
    out = result.as_dict()
    bands = {u.unit: u for u in mc.units} if mc else {}
    units = []
    for unit in out["units"]:
        region = names[unit["unit"]]
        band = bands.get(unit["unit"])
        unit = {"code": region.code, "name": region.name, "name_en": region.name_en, **unit}
        unit.pop("unit")
        unit["years"] = {c: y for c, y in years[region.code].items() if y != year}
        unit["uncertainty"] = {"median_rank": band.median_rank, "rank_low": band.rank_low,
                               "rank_high": band.rank_high, "ranked_share": band.ranked_share} if band else None
        units.append(unit)
    groups = []
    for group in spec.groups:
        members = [i for i in spec.indicators if i.group == group.code]
        groups.append({
            "code": group.code, "name_zh": group.name_zh, "name_en": group.name_en,
            "weight": out["group_weights"].get(group.code),
            "group_index_r": out["coherence"]["group_index_r"].get(group.code),
            "cronbach_alpha": out["coherence"]["cronbach_alpha"].get(group.code),
            "indicators": [{
                "code": i.code, "name_zh": indicators[i.code].name_zh, "name_en": indicators[i.code].name_en,
                "unit": indicators[i.code].unit, "direction": i.direction, "reference": i.reference,
                "weight": out["weights"][i.code], "weight_in_group": out["indicator_weights"][i.code],
                "effective_weight": out["effective_weights"][i.code],
                "group_r": out["coherence"]["indicator_group_r"][i.code]} for i in members]})
    return {
        "index": spec.code, "name_zh": spec.name_zh, "name_en": spec.name_en, "seed_quote": index.seed,
        "year": year, "method": out["method"] | {"max_lag": index.max_lag}, "groups": groups,
        "units": units, "ranked": sum(1 for u in units if u["rank"] is not None),
        "treatment": out["treatment"], "coherence": out["coherence"], "warnings": out["warnings"],
        "uncertainty": {k: v for k, v in mc.as_dict().items() if k != "units"} if mc else None,
    }
