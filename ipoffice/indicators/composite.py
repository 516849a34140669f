"""Composite indices (综合指数) after the OECD/JRC handbook, GII and COINr: pure computation, no Django.

Formulas F-8 … F-13 of ../shared/notes/indicator-methods.md. Steps, in order:

1. **Coverage.** A unit (region) is ranked when it has a value for at least ``min_coverage`` of the
   indicators (``exclude_unit``: for all of them). Unranked units take no part in what follows.
2. **Treatment (F-8).** For each indicator, skewness and excess kurtosis with the sample-adjusted
   definitions of Excel / e1071 type 2 (as COINr). If ``|skew| > 2.25`` and ``kurt > 3.5`` the most extreme
   value (all values tied with it) is replaced by the next one, on the side of the skew, re-checking each
   time, up to 5 points. If the indicator still fails, the *original* values are log-transformed instead
   (COINr ``log_CT``: ``ln(x − min + 0.01·(max − min))``; mirrored, ``−ln(max − x + a)``, for a negative
   skew so the order is kept). Every touched point is logged; goalposts and references follow a log.
3. **Direction** ``x ← d·x`` (``d = −1`` when lower is better).
4. **Normalisation (F-9)** over the ranked units, each indicator on its own:
   ``minmax`` 100·(x − min)/(max − min); ``zscore`` (x − μ)/σ (sample σ); ``goalposts``
   100·clip((x − L)/(U − L), 0, 1) with fixed L, U; ``distance_to_reference`` 100·min(1, 1 − (G − x)/(G − min))
   with G the indicator's reference (a target) or, without one, the best observed value; ``rank``
   100·(rank − 1)/(n − 1), ties averaged. A constant indicator normalises to 50 (z = 0).
5. **Weights (F-10)** at two levels, indicators within their group (pillar) and groups within the index.
   Indicators: ``equal`` within their group; ``expert`` (the indicator specs' weights); for both, groups
   weigh as their group specs say (equal by default). Or from the data, for both levels: ``entropy``
   (熵权法: y = min-max in [0, 1], p_ij = y_ij/Σ_i y_ij, e_j = −(1/ln m) Σ_i p_ij ln p_ij with 0·ln 0 = 0,
   w_j = (1 − e_j)/Σ_k (1 − e_k)); ``pca`` (w_j = squared loading of the first principal component of
   the correlation matrix). Entropy and PCA weights are computed over all indicators; a group's weight is
   the sum of its indicators' weights, so the two levels reproduce the flat weighted index. The effective
   weight is reported too: the Pearson correlation of each normalised indicator with the index.
6. **Aggregation (F-11)**, indicators → groups → index: weighted arithmetic Σ w x / Σ w, or weighted
   geometric (Π x^w)^(1/Σ w), which needs positive values: each normalised indicator is first mapped to
   [1, 100] (1 + 0.99·v for the 0–100 methods; min-max of the z-scores for ``zscore``, which makes z-score
   and min-max the same under geometric aggregation).
7. **Missing values**: ``reweight`` aggregates over the values present (weights re-normalised, at both
   levels); ``mean_impute`` fills a gap with the indicator's mean over the ranked units on the normalised
   scale; ``exclude_unit`` ranks only units with every value.
8. **Rank** 1 = best; equal scores (to 9 decimals) share the best rank (1, 2, 2, 4).
9. **Coherence (F-13)**: Pearson r of each indicator with its group and with the index (flag r < 0.3 or
   r > 0.92), of each group with the index; Cronbach's α per group (flag α < 0.7); share of variance of the
   first principal component per group and overall.

**Uncertainty (F-12)**: Monte-Carlo runs, each drawing a normalisation, an aggregation, a missing-data
rule and treatment on/off uniformly from the alternatives, and multiplying every nominal weight (both
levels) by ``1 + δ·u``, ``u ~ U(−1, 1)`` (δ = 0.25: ±25 %). The few distinct data variants are prepared once
and all the runs sharing one are aggregated together as matrix products. Per unit: nominal rank, median
rank and the 5th–95th percentile interval (lower and higher order statistics, so integer ranks), and the
share of runs in which it was ranked; per choice, the share of rank variance it explains on its own.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

NORMALISATIONS = ("minmax", "zscore", "distance_to_reference", "goalposts", "rank")
WEIGHTINGS = ("equal", "expert", "entropy", "pca")
AGGREGATIONS = ("arithmetic", "geometric")
MISSING = ("exclude_unit", "mean_impute", "reweight")
R_LOW, R_HIGH = 0.3, 0.92  # JRC: indicator–pillar correlation outside this range is flagged
ALPHA_LOW = 0.7  # Cronbach's α below this: the pillar's indicators do not measure one thing
SCORE_DECIMALS = 9  # scores equal to this many decimals share a rank
_CHUNK = 256  # Monte-Carlo runs aggregated at once (bounds memory: runs × units × groups)


# ---------------------------------------------------------------------------------------------- specs


@dataclass(frozen=True)
class IndicatorSpec:
    """One indicator of an index: +1 if higher is better; expert weight within its group; optional fixed
    goalposts (low, high) in the indicator's own unit and a reference value (target) for distance-to-reference."""

    code: str
    direction: int = 1
    weight: float = 1.0
    group: str | None = None
    goalposts: tuple[float, float] | None = None
    reference: float | None = None

    def __post_init__(self):
        if self.direction not in (1, -1):
            raise ValueError(f"{self.code}: direction must be +1 or -1, not {self.direction}")
        if not (math.isfinite(float(self.weight)) and self.weight >= 0):
            raise ValueError(f"{self.code}: weight must be a number ≥ 0, not {self.weight}")
        if self.goalposts is not None:
            low, high = (float(v) for v in self.goalposts)
            if not (math.isfinite(low) and math.isfinite(high)) or low == high:
                raise ValueError(f"{self.code}: goalposts must be two different numbers, not {self.goalposts}")
            object.__setattr__(self, "goalposts", (low, high))
        if self.reference is not None:
            object.__setattr__(self, "reference", float(self.reference))


@dataclass(frozen=True)
class GroupSpec:
    """A pillar (sub-index) and its weight in the index."""

    code: str
    weight: float = 1.0
    name_zh: str = ""
    name_en: str = ""


@dataclass(frozen=True)
class IndexSpec:
    """What an index is made of and how it is computed. With no groups named, indicators are aggregated
    straight into the index."""

    code: str
    name_zh: str
    name_en: str
    indicators: tuple[IndicatorSpec, ...]
    normalisation: str = "minmax"
    weighting: str = "equal"
    aggregation: str = "arithmetic"
    missing: str = "reweight"
    min_coverage: float = 2 / 3
    treatment: bool = True
    groups: tuple[GroupSpec, ...] = ()
    skew_limit: float = 2.25
    kurtosis_limit: float = 3.5
    winsor_max: int = 5

    def __post_init__(self):
        indicators = tuple(self.indicators)
        object.__setattr__(self, "indicators", indicators)
        problems = []
        for name, value, allowed in (("normalisation", self.normalisation, NORMALISATIONS),
                                     ("weighting", self.weighting, WEIGHTINGS),
                                     ("aggregation", self.aggregation, AGGREGATIONS),
                                     ("missing", self.missing, MISSING)):
            if value not in allowed:
                problems.append(f"{name} '{value}' is not one of {', '.join(allowed)}")
        if not indicators:
            problems.append("no indicators")
        codes = [i.code for i in indicators]
        if len(set(codes)) != len(codes):
            problems.append(f"indicator(s) given twice: {', '.join(sorted({c for c in codes if codes.count(c) > 1}))}")
        if not 0 <= self.min_coverage <= 1:
            problems.append(f"min_coverage must lie in [0, 1], not {self.min_coverage}")
        named = [i.group for i in indicators]
        if any(g is None for g in named) and any(g is not None for g in named):
            problems.append("either every indicator names a group or none does")
        groups = tuple(self.groups)
        if not groups and named and named[0] is not None:
            groups = tuple(GroupSpec(g) for g in dict.fromkeys(named))
        group_codes = [g.code for g in groups]
        if len(set(group_codes)) != len(group_codes):
            problems.append("a group is given twice")
        for g in groups:
            if g.code not in named:
                problems.append(f"group '{g.code}' has no indicator")
            if not (math.isfinite(float(g.weight)) and g.weight >= 0):
                problems.append(f"group '{g.code}': weight must be a number ≥ 0")
        for i in indicators:
            if i.group is not None and i.group not in group_codes:
                problems.append(f"{i.code}: unknown group '{i.group}'")
        if self.normalisation == "goalposts":
            lacking = [i.code for i in indicators if i.goalposts is None]
            if lacking:
                problems.append(f"goalposts normalisation but no goalposts for {', '.join(lacking)}")
        if self.weighting == "expert" and indicators and not any(i.weight > 0 for i in indicators):
            problems.append("expert weights are all zero")
        if problems:
            raise ValueError(f"index {self.code}: " + "; ".join(problems))
        object.__setattr__(self, "groups", groups)

    @property
    def codes(self) -> list[str]:
        return [i.code for i in self.indicators]

    @property
    def grouped(self) -> bool:
        return bool(self.groups)

    def replace(self, **changes) -> "IndexSpec":
        return replace(self, **changes)


# --------------------------------------------------------------------------------------------- results


@dataclass
class Treatment:
    """An indicator that failed the skewness/kurtosis test and what was done to it."""

    indicator: str
    method: str  # "winsorised" or "log"
    skewness: float
    kurtosis: float
    skewness_after: float | None
    kurtosis_after: float | None
    passes: bool  # within the limits afterwards
    points: list[tuple[str, float, float]] = field(default_factory=list)  # (unit, before, after)


@dataclass
class Coherence:
    indicator_group_r: dict[str, float | None]
    indicator_index_r: dict[str, float | None]
    group_index_r: dict[str, float | None]
    cronbach_alpha: dict[str, float | None]
    first_component_share: dict[str, float | None]  # per group, and "index" for all indicators
    flags: list[str]


@dataclass
class UnitResult:
    unit: str
    score: float | None
    rank: int | None
    coverage: float
    raw: dict[str, float | None]
    normalised: dict[str, float | None]
    groups: dict[str, float | None] = field(default_factory=dict)
    imputed: list[str] = field(default_factory=list)

    @property
    def ranked(self) -> bool:
        return self.rank is not None


@dataclass
class IndexResult:
    spec: IndexSpec
    units: list[UnitResult]  # best first; unranked units last, in input order
    weights: dict[str, float]  # nominal weight of each indicator in the index (sums to 1)
    indicator_weights: dict[str, float]  # within its group (sums to 1 in each group)
    group_weights: dict[str, float]  # sums to 1
    effective_weights: dict[str, float | None]  # Pearson r of the normalised indicator with the index
    treatment: list[Treatment]
    coherence: Coherence
    warnings: list[str]

    def unit(self, code: str) -> UnitResult:
        for u in self.units:
            if u.unit == code:
                return u
        raise KeyError(code)

    @property
    def ranking(self) -> list[str]:
        return [u.unit for u in self.units if u.rank is not None]

    @property
    def scores(self) -> dict[str, float | None]:
        return {u.unit: u.score for u in self.units}

    def as_dict(self) -> dict:
        spec = self.spec
        return _clean({
            "index": spec.code, "name_zh": spec.name_zh, "name_en": spec.name_en,
            "method": {"normalisation": spec.normalisation, "weighting": spec.weighting,
                       "aggregation": spec.aggregation, "missing": spec.missing, "min_coverage": spec.min_coverage,
                       "treatment": spec.treatment},
            "weights": self.weights, "indicator_weights": self.indicator_weights,
            "group_weights": self.group_weights, "effective_weights": self.effective_weights,
            "units": [vars(u) | {"ranked": u.ranked} for u in self.units],
            "treatment": [vars(t) for t in self.treatment],
            "coherence": vars(self.coherence), "warnings": self.warnings,
        })


@dataclass
class UnitUncertainty:
    unit: str
    nominal_rank: int | None
    median_rank: float | None
    rank_low: int | None  # lower quantile (5th percentile by default)
    rank_high: int | None  # upper quantile (95th percentile by default)
    mean_rank: float | None
    ranked_share: float  # share of runs in which the unit was ranked

    @property
    def interval(self) -> tuple[int | None, int | None]:
        return self.rank_low, self.rank_high


@dataclass
class UncertaintyResult:
    runs: int
    seed: int
    quantiles: tuple[float, float]
    choices: dict[str, list]  # the alternatives drawn from, and the weight noise
    units: list[UnitUncertainty]  # in nominal rank order, unranked last
    sensitivity: dict[str, float | None]  # first-order share of rank variance of each varied choice
    ranks: np.ndarray = field(repr=False)  # runs × units (input order), NaN when unranked in a run
    unit_codes: list[str] = field(repr=False, default_factory=list)

    def unit(self, code: str) -> UnitUncertainty:
        for u in self.units:
            if u.unit == code:
                return u
        raise KeyError(code)

    def as_dict(self) -> dict:
        return _clean({"runs": self.runs, "seed": self.seed, "quantiles": list(self.quantiles),
                       "choices": self.choices, "units": [vars(u) for u in self.units],
                       "sensitivity": self.sensitivity})


def _clean(value):
    """JSON-able: NaN/inf to None, tuples to lists, numpy scalars to Python numbers."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


# ------------------------------------------------------------------------------------------ statistics


def skewness(values) -> float:
    """Sample skewness, Excel SKEW / e1071 type 2 (as COINr); NaN with fewer than 3 values or no spread."""
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    n = x.size
    if n < 3:
        return math.nan
    d = x - x.mean()
    m2 = float(np.sum(d**2))
    if m2 == 0:
        return math.nan
    g1 = math.sqrt(n) * float(np.sum(d**3)) / m2**1.5
    return g1 * math.sqrt(n * (n - 1)) / (n - 2)


def kurtosis(values) -> float:
    """Sample excess kurtosis, Excel KURT / e1071 type 2 (as COINr); NaN with fewer than 4 values."""
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    n = x.size
    if n < 4:
        return math.nan
    d = x - x.mean()
    m2 = float(np.sum(d**2))
    if m2 == 0:
        return math.nan
    r = n * float(np.sum(d**4)) / m2**2
    return ((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3))


def _fails(values, spec: IndexSpec) -> bool:
    s, k = skewness(values), kurtosis(values)
    return bool(abs(s) > spec.skew_limit and k > spec.kurtosis_limit)  # NaN compares False: passes


def _pearson(a, b) -> float | None:
    a, b = np.asarray(a, float), np.asarray(b, float)
    ok = ~(np.isnan(a) | np.isnan(b))
    if ok.sum() < 3:
        return None
    a, b = a[ok] - a[ok].mean(), b[ok] - b[ok].mean()
    den = math.sqrt(float(a @ a) * float(b @ b))
    return float(a @ b) / den if den > 0 else None


def _cronbach_alpha(block: np.ndarray) -> float | None:
    """α = k/(k−1)·(1 − Σ var_j / var(Σ_j x_j)) over the rows with every value."""
    block = block[~np.isnan(block).any(axis=1)]
    n, k = block.shape
    if k < 2 or n < 2:
        return None
    total = block.sum(axis=1).var(ddof=1)
    if total == 0:
        return None
    return float(k / (k - 1) * (1 - block.var(axis=0, ddof=1).sum() / total))


def _first_component_share(block: np.ndarray) -> float | None:
    """Share of the total variance taken by the first principal component (correlation matrix)."""
    block = block[~np.isnan(block).any(axis=1)]
    if block.shape[0] < 3:
        return None
    block = block[:, block.std(axis=0) > 0]
    if block.shape[1] < 2:
        return None
    eigenvalues = np.linalg.eigvalsh(np.corrcoef(block, rowvar=False))
    return float(eigenvalues[-1] / eigenvalues.sum())


# ------------------------------------------------------------------------------------------- treatment


@dataclass(frozen=True)
class _Log:
    """The log transform applied to an indicator: sign·ln(sign·(x − c)), for fixed points too."""

    sign: int
    c: float

    def __call__(self, y: float) -> float:
        arg = self.sign * (y - self.c)
        return self.sign * (math.log(arg) if arg > 0 else -math.inf)


def _treat_column(x: np.ndarray, units: Sequence[str], code: str, spec: IndexSpec):
    """(treated column, Treatment or None, transform or None); NaNs stay NaN."""
    ok = ~np.isnan(x)
    v = x[ok]
    if v.size < 4 or not _fails(v, spec):
        return x, None, None
    s0, k0 = skewness(v), kurtosis(v)
    w = v.copy()
    count = 0
    while count < spec.winsor_max and _fails(w, spec):
        high = skewness(w) >= 0
        extreme = w.max() if high else w.min()
        hit = w == extreme
        rest = w[~hit]
        if rest.size == 0:
            break
        w[hit] = rest.max() if high else rest.min()
        count += int(hit.sum())
    transform = None
    if not _fails(w, spec):
        method, new = "winsorised", w
    else:  # log of the original values (COINr log_CT), mirrored for a negative skew
        method = "log"
        a = 0.01 * float(v.max() - v.min())
        transform = _Log(1, float(v.min()) - a) if s0 >= 0 else _Log(-1, float(v.max()) + a)
        new = transform.sign * np.log(transform.sign * (v - transform.c))
    out = x.copy()
    out[ok] = new
    names = [u for u, present in zip(units, ok.tolist(), strict=True) if present]
    points = [(u, b, c) for u, b, c in zip(names, v.tolist(), new.tolist(), strict=True) if b != c]
    return out, Treatment(code, method, s0, k0, _none(skewness(new)), _none(kurtosis(new)),
                          not _fails(new, spec), points), transform


def _none(value: float) -> float | None:
    return None if value is None or not math.isfinite(value) else float(value)


# ------------------------------------------------------------------------------------------- matrices


@dataclass
class _Prepared:
    """The ranked units' treated, directed values, ready for normalising."""

    ranked: np.ndarray  # bool per unit
    directed: np.ndarray  # ranked units × indicators, d·x after treatment, NaN when missing
    fixed: list  # per indicator: directed (low, high) goalposts, directed reference, after any log
    treatment: list[Treatment]


def _matrix(spec: IndexSpec, table: Mapping[str, Mapping[str, float | None]]) -> tuple[list[str], np.ndarray]:
    units = [str(u) for u in table]
    codes = spec.codes
    x = np.full((len(units), len(codes)), np.nan)
    for i, unit in enumerate(table):
        row = table[unit] or {}
        for j, code in enumerate(codes):
            value = row.get(code)
            if value is not None:
                try:
                    value = float(value)
                except (TypeError, ValueError):
                    continue
                if math.isfinite(value):
                    x[i, j] = value
    return units, x


def _coverage(x: np.ndarray) -> np.ndarray:
    return (~np.isnan(x)).mean(axis=1) if x.shape[1] else np.zeros(x.shape[0])


def _ranked_mask(coverage: np.ndarray, spec: IndexSpec, missing: str) -> np.ndarray:
    if missing == "exclude_unit":
        return coverage >= 1 - 1e-12
    return (coverage >= spec.min_coverage - 1e-12) & (coverage > 0)


def _prepare(spec: IndexSpec, units: list[str], x: np.ndarray, *, treat: bool, missing: str) -> _Prepared:
    ranked = _ranked_mask(_coverage(x), spec, missing)
    values = x[ranked].copy()
    names = [u for u, r in zip(units, ranked, strict=True) if r]
    treatments, fixed = [], []
    for j, ind in enumerate(spec.indicators):
        transform = None
        if treat:
            values[:, j], treated, transform = _treat_column(values[:, j], names, ind.code, spec)
            if treated:
                treatments.append(treated)
        t = transform or (lambda y: y)
        d = ind.direction
        goalposts = tuple(sorted(d * t(g) for g in ind.goalposts)) if ind.goalposts else None
        reference = d * t(ind.reference) if ind.reference is not None else None
        fixed.append((goalposts, reference))
        values[:, j] *= d
    return _Prepared(ranked, values, fixed, treatments)


def _column_extremes(d: np.ndarray):
    ok = ~np.isnan(d)
    has = ok.any(axis=0)
    low = np.where(ok, d, np.inf).min(axis=0, initial=np.inf)
    high = np.where(ok, d, -np.inf).max(axis=0, initial=-np.inf)
    return np.where(has, low, np.nan), np.where(has, high, np.nan), ok


def _normalise(d: np.ndarray, method: str, fixed: list) -> np.ndarray:
    """Normalised values (0–100, z for zscore); NaN stays NaN."""
    low, high, ok = _column_extremes(d)
    with np.errstate(invalid="ignore", divide="ignore"):
        if method == "minmax":
            span = high - low
            v = np.where(span > 0, 100 * (d - low) / np.where(span > 0, span, 1), 50.0)
        elif method == "zscore":
            n = ok.sum(axis=0)
            mean = np.where(ok, d, 0).sum(axis=0) / np.maximum(n, 1)
            sd = np.sqrt(np.where(ok, (d - mean) ** 2, 0).sum(axis=0) / np.maximum(n - 1, 1))
            v = np.where(sd > 0, (d - mean) / np.where(sd > 0, sd, 1), 0.0)
        elif method == "goalposts":
            lo = np.array([f[0][0] for f in fixed])
            hi = np.array([f[0][1] for f in fixed])
            v = 100 * np.clip((d - lo) / (hi - lo), 0, 1)
        elif method == "distance_to_reference":
            ref = np.array([f[1] if f[1] is not None else np.nan for f in fixed])
            goal = np.where(np.isnan(ref), high, ref)
            span = goal - low
            v = np.where(span > 0, 100 * np.minimum(1, 1 - (goal - d) / np.where(span > 0, span, 1)), 100.0)
        elif method == "rank":
            v = np.full(d.shape, np.nan)
            for j in range(d.shape[1]):
                col = ok[:, j]
                m = int(col.sum())
                if m:
                    r = _average_ranks(d[col, j])
                    v[col, j] = 100 * (r - 1) / (m - 1) if m > 1 else 50.0
        else:
            raise ValueError(f"unknown normalisation '{method}'")
    return np.where(ok, v, np.nan)


def _average_ranks(values: np.ndarray) -> np.ndarray:
    """Ascending ranks from 1, ties given their average rank."""
    order = np.argsort(values, kind="stable")
    s = values[order]
    new = np.concatenate(([True], s[1:] != s[:-1]))
    starts = np.flatnonzero(new)
    ends = np.concatenate((starts[1:], [len(s)]))
    ranks = np.empty(len(values))
    ranks[order] = ((starts + ends + 1) / 2)[np.cumsum(new) - 1]
    return ranks


def _positive(v: np.ndarray, method: str) -> np.ndarray:
    """Values in [1, 100] for geometric aggregation."""
    if method != "zscore":
        return 1 + 0.99 * v
    low, high, _ = _column_extremes(v)
    span = high - low
    with np.errstate(invalid="ignore"):
        return np.where(span > 0, 1 + 99 * (v - low) / np.where(span > 0, span, 1), 50.5)


def _impute(v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Gaps filled with the column mean; also the mask of what was filled."""
    missing = np.isnan(v)
    ok = ~missing
    n = ok.sum(axis=0)
    mean = np.where(ok, v, 0).sum(axis=0) / np.where(n > 0, n, 1)
    mean = np.where(n > 0, mean, np.nan)
    return np.where(missing, mean, v), missing & (n > 0)


# --------------------------------------------------------------------------------------------- weights


def _group_columns(spec: IndexSpec) -> tuple[list[str], list[np.ndarray]]:
    if not spec.grouped:
        return [""], [np.arange(len(spec.indicators))]
    codes = [g.code for g in spec.groups]
    return codes, [np.array([j for j, i in enumerate(spec.indicators) if i.group == g]) for g in codes]


def _entropy_weights(d: np.ndarray) -> np.ndarray:
    low, high, ok = _column_extremes(d)
    k = d.shape[1]
    e = np.ones(k)
    for j in range(k):
        col = d[ok[:, j], j]
        m = col.size
        if m < 2 or high[j] == low[j]:
            continue
        y = (col - low[j]) / (high[j] - low[j])
        p = y / y.sum()
        terms = np.where(p > 0, p * np.log(np.where(p > 0, p, 1)), 0.0)
        e[j] = -terms.sum() / math.log(m)
    divergence = 1 - e
    total = divergence.sum()
    return divergence / total if total > 0 else np.full(k, 1 / k)


def _pca_weights(d: np.ndarray) -> np.ndarray:
    k = d.shape[1]
    if k == 1:
        return np.ones(1)
    ok = ~np.isnan(d)
    n = np.maximum(ok.sum(axis=0), 1)
    mean = np.where(ok, d, 0).sum(axis=0) / n
    centred = np.where(ok, d - mean, 0.0)  # missing values at the mean
    sd = np.sqrt((centred**2).sum(axis=0) / np.maximum(n - 1, 1))
    live = sd > 0
    w = np.zeros(k)
    if live.sum() == 0:
        return np.full(k, 1 / k)
    if live.sum() == 1:
        w[live] = 1
        return w
    z = centred[:, live] / sd[live]
    _, vectors = np.linalg.eigh(np.corrcoef(z, rowvar=False))
    w[live] = vectors[:, -1] ** 2
    return w / w.sum()


def _weights(spec: IndexSpec, d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(weight of each indicator within its group, weight of each group), each summing to 1."""
    _, columns = _group_columns(spec)
    k, g = len(spec.indicators), len(columns)
    if spec.weighting in ("entropy", "pca"):
        flat = _entropy_weights(d) if spec.weighting == "entropy" else _pca_weights(d)
        group = np.array([flat[c].sum() for c in columns])
        within = np.zeros(k)
        for gi, c in enumerate(columns):
            within[c] = flat[c] / group[gi] if group[gi] > 0 else 1 / len(c)
        if group.sum() == 0:
            group = np.ones(g)
        return within, group / group.sum()
    raw = np.array([i.weight if spec.weighting == "expert" else 1.0 for i in spec.indicators])
    within = np.zeros(k)
    for c in columns:
        total = raw[c].sum()
        within[c] = raw[c] / total if total > 0 else 1 / len(c)
    group = np.array([g.weight for g in spec.groups]) if spec.grouped else np.ones(1)
    if group.sum() == 0:
        group = np.ones(g)
    return within, group / group.sum()


# ----------------------------------------------------------------------------------------- aggregation


def _aggregate(v: np.ndarray, within: np.ndarray, group: np.ndarray, columns: list[np.ndarray],
               geometric: bool, with_groups: bool = True) -> tuple[np.ndarray, list[np.ndarray]]:
    """Scores (runs × units) and each group's scores (runs × units) for runs × indicators weights ``within``
    and runs × groups weights ``group``; NaN values are left out and the weights re-normalised. Geometric
    means are taken as arithmetic means of logarithms."""
    present = ~np.isnan(v)
    complete = bool(present.all())
    with np.errstate(divide="ignore", invalid="ignore"):
        y = np.where(present, np.log(np.where(present, v, 1)) if geometric else v, 0.0)
        groups = []
        for c in columns:
            w = within[:, c]
            if complete:  # every value present: plain weighted means
                groups.append((w / w.sum(axis=1, keepdims=True)) @ y[:, c].T)
                continue
            num = w @ y[:, c].T
            den = w @ present[:, c].T.astype(float)
            groups.append(np.where(den > 0, num / np.where(den > 0, den, 1), np.nan))
        if complete:
            share = group / group.sum(axis=1, keepdims=True)
            score = groups[0] * share[:, :1]
            for gi in range(1, len(groups)):
                score += groups[gi] * share[:, gi:gi + 1]
        else:
            num = np.zeros_like(groups[0])
            den = np.zeros_like(groups[0])
            for gi, g in enumerate(groups):
                has = ~np.isnan(g)
                num += np.where(has, g, 0.0) * group[:, gi:gi + 1]
                den += has * group[:, gi:gi + 1]
            score = np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)
    if geometric:
        return np.exp(score), [np.exp(g) for g in groups] if with_groups else []
    return score, groups if with_groups else []


def _rank_rows(scores: np.ndarray) -> np.ndarray:
    """Rank 1 = highest score in each row; equal scores share the best rank; NaN stays NaN."""
    s = np.round(scores, SCORE_DECIMALS)
    missing = np.isnan(s)
    key = np.where(missing, np.inf, -s)
    order = np.argsort(key, axis=1)  # tied keys end up adjacent whatever the sort
    sorted_key = np.take_along_axis(key, order, axis=1)
    positions = np.broadcast_to(np.arange(s.shape[1]), s.shape)
    new = np.ones(s.shape, dtype=bool)
    new[:, 1:] = sorted_key[:, 1:] != sorted_key[:, :-1]
    first = np.maximum.accumulate(np.where(new, positions, 0), axis=1)
    ranks = np.empty(s.shape)
    np.put_along_axis(ranks, order, first + 1.0, axis=1)
    return np.where(missing, np.nan, ranks)


# ------------------------------------------------------------------------------------------- compute


def _ready(spec: IndexSpec, prepared: _Prepared, normalisation: str, aggregation: str, missing: str):
    """For the ranked units: normalised values, the same with gaps filled (``mean_impute``), the values to
    aggregate (in [1, 100] for a geometric mean) and the mask of filled gaps."""
    v = _normalise(prepared.directed, normalisation, prepared.fixed)
    imputed = np.zeros(v.shape, dtype=bool)
    filled = v
    if missing == "mean_impute":
        filled, imputed = _impute(v)
    ready = _positive(filled, normalisation) if aggregation == "geometric" else filled
    return v, filled, ready, imputed


def compute(spec: IndexSpec, table: Mapping[str, Mapping[str, float | None]]) -> IndexResult:
    """The index for each unit of ``table`` ({unit: {indicator code: value or None}})."""
    units, x = _matrix(spec, table)
    codes = spec.codes
    coverage = _coverage(x)
    prepared = _prepare(spec, units, x, treat=spec.treatment, missing=spec.missing)
    ranked = prepared.ranked
    group_codes, columns = _group_columns(spec)
    within, group_w = _weights(spec, prepared.directed)
    v, filled, ready, imputed = _ready(spec, prepared, spec.normalisation, spec.aggregation, spec.missing)
    warnings = []
    if ranked.sum() == 0:
        warnings.append("no unit has enough data to be ranked")
    for j, code in enumerate(codes):
        if ranked.any() and np.isnan(v[:, j]).all():
            warnings.append(f"{code}: no value for any ranked unit; left out")
        elif ranked.sum() > 1 and np.nanmax(prepared.directed[:, j]) == np.nanmin(prepared.directed[:, j]):
            warnings.append(f"{code}: the same value for every ranked unit; it cannot tell them apart")
    score, groups = _aggregate(ready, within[None, :], group_w[None, :], columns, spec.aggregation == "geometric")
    score, groups = score[0], np.stack([g[0] for g in groups], axis=1)
    ranks = _rank_rows(score[None, :])[0]

    rows = np.flatnonzero(ranked)
    results = []
    for i, unit in enumerate(units):
        r = np.searchsorted(rows, i) if ranked[i] else None
        ok = r is not None and not math.isnan(score[r])
        results.append(UnitResult(
            unit=unit, score=float(score[r]) if ok else None, rank=int(ranks[r]) if ok else None,
            coverage=float(coverage[i]), raw={c: _none(x[i, j]) for j, c in enumerate(codes)},
            normalised={c: _none(filled[r, j]) if r is not None else None for j, c in enumerate(codes)},
            groups={g: _none(groups[r, gi]) if r is not None else None for gi, g in enumerate(group_codes)}
            if spec.grouped else {},
            imputed=[c for j, c in enumerate(codes) if r is not None and imputed[r, j]]))
    results.sort(key=lambda u: (u.rank is None, u.rank or 0))

    effective = {c: _pearson(v[:, j], score) for j, c in enumerate(codes)}
    coherence = _coherence(spec, v, score, groups, columns, group_codes, effective)
    group_of = {int(j): gi for gi, cols in enumerate(columns) for j in cols}
    return IndexResult(
        spec=spec, units=results, weights={c: float(within[j] * group_w[group_of[j]]) for j, c in enumerate(codes)},
        indicator_weights={c: float(within[j]) for j, c in enumerate(codes)},
        group_weights={g: float(group_w[gi]) for gi, g in enumerate(group_codes)} if spec.grouped else {},
        effective_weights=effective, treatment=prepared.treatment, coherence=coherence, warnings=warnings)


def _coherence(spec, v, score, groups, columns, group_codes, effective) -> Coherence:
    codes = spec.codes
    flags = []
    indicator_group, group_index, alpha, share = {}, {}, {}, {}
    for gi, cols in enumerate(columns):
        name = group_codes[gi] or "index"
        for j in cols:
            r = _pearson(v[:, j], groups[:, gi]) if spec.grouped else effective[codes[j]]
            indicator_group[codes[j]] = r
            if len(cols) > 1 and r is not None and not R_LOW <= r <= R_HIGH:
                bound = f"< {R_LOW}" if r < R_LOW else f"> {R_HIGH}"
                flags.append(f"{codes[j]}: r = {r:.2f} with {name} ({bound})")
        if spec.grouped:
            group_index[group_codes[gi]] = _pearson(groups[:, gi], score)
        a = _cronbach_alpha(v[:, cols]) if len(cols) > 1 else None
        alpha[name] = a
        if a is not None and a < ALPHA_LOW:
            flags.append(f"{name}: Cronbach's α = {a:.2f} (< {ALPHA_LOW})")
        share[name] = _first_component_share(v[:, cols])
    if spec.grouped:
        share["index"] = _first_component_share(v)
    return Coherence(indicator_group, dict(effective), group_index, alpha, share, flags)


# --------------------------------------------------------------------------------------------- uncertainty


def _choices(spec: IndexSpec, normalisations, aggregations, missing, treatments) -> dict[str, tuple]:
    if normalisations is None:
        normalisations = tuple(dict.fromkeys((spec.normalisation, "minmax", "zscore", "rank")))
    if aggregations is None:
        aggregations = AGGREGATIONS
    if missing is None:
        missing = tuple(dict.fromkeys((spec.missing, "reweight", "mean_impute")))
    if treatments is None:
        treatments = (True, False) if spec.treatment else (False,)
    for name, values, allowed in (("normalisation", normalisations, NORMALISATIONS),
                                  ("aggregation", aggregations, AGGREGATIONS), ("missing", missing, MISSING),
                                  ("treatment", treatments, (True, False))):
        if not values or any(v not in allowed for v in values):
            raise ValueError(f"{name} alternatives must be a non-empty subset of {allowed}, not {values}")
    if "goalposts" in normalisations and any(i.goalposts is None for i in spec.indicators):
        raise ValueError("goalposts normalisation needs goalposts for every indicator")
    return {"normalisation": tuple(normalisations), "aggregation": tuple(aggregations),
            "missing": tuple(missing), "treatment": tuple(bool(t) for t in treatments)}


def uncertainty(spec: IndexSpec, table: Mapping[str, Mapping[str, float | None]], runs: int = 1000, seed: int = 0,
                *, normalisations: Sequence[str] | None = None, aggregations: Sequence[str] | None = None,
                missing: Sequence[str] | None = None, treatments: Sequence[bool] | None = None,
                weight_noise: float = 0.25, quantiles: tuple[float, float] = (0.05, 0.95),
                nominal: IndexResult | None = None) -> UncertaintyResult:
    """Monte-Carlo ranks over the methodological choices (F-12); the same seed gives the same result.

    Alternatives default to the spec's own choice plus min-max, z-score and rank normalisation; arithmetic
    and geometric aggregation; re-weighting and mean imputation; treatment on and off (when the spec treats).
    Weights are the spec's nominal weights, each multiplied by 1 + ``weight_noise``·U(−1, 1).
    """
    if runs < 1:
        raise ValueError("at least one run")
    if not 0 <= weight_noise < 1:
        raise ValueError("weight_noise must lie in [0, 1)")
    low_q, high_q = quantiles
    if not 0 <= low_q <= high_q <= 1:
        raise ValueError(f"quantiles must satisfy 0 ≤ low ≤ high ≤ 1, not {quantiles}")
    choices = _choices(spec, normalisations, aggregations, missing, treatments)
    nominal = nominal or compute(spec, table)
    units, x = _matrix(spec, table)
    coverage = _coverage(x)
    group_codes, columns = _group_columns(spec)
    codes = spec.codes
    within = np.array([nominal.indicator_weights[c] for c in codes])
    group_w = np.array([nominal.group_weights[g] for g in group_codes]) if spec.grouped else np.ones(1)

    rng = np.random.default_rng(seed)
    drawn = {name: rng.integers(len(values), size=runs) for name, values in choices.items()}
    noise_within = 1 + weight_noise * rng.uniform(-1, 1, size=(runs, len(codes)))
    noise_group = 1 + weight_noise * rng.uniform(-1, 1, size=(runs, len(columns)))

    ranks = np.full((runs, len(units)), np.nan, dtype=np.float32)
    prepared = {}
    keys = np.stack([drawn[n] for n in choices], axis=1)
    configs, inverse = np.unique(keys, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    for index, config in enumerate(configs):
        norm, agg, miss, treat = (choices[n][int(c)] for n, c in zip(choices, config, strict=True))
        key = (treat, _ranked_mask(coverage, spec, miss).tobytes())
        if key not in prepared:
            prepared[key] = _prepare(spec, units, x, treat=treat, missing=miss)
        prep = prepared[key]
        if not prep.ranked.any():
            continue
        *_, ready, _ = _ready(spec, prep, norm, agg, miss)
        rows = np.flatnonzero(prep.ranked)
        which = np.flatnonzero(inverse == index)
        for start in range(0, which.size, _CHUNK):
            chunk = which[start:start + _CHUNK]
            score, _ = _aggregate(ready, within * noise_within[chunk], group_w * noise_group[chunk], columns,
                                  agg == "geometric", with_groups=False)
            ranks[np.ix_(chunk, rows)] = _rank_rows(score)

    # order statistics of each unit's ranks (NaN, unranked, sort last): median, lower and higher quantiles
    by_unit = np.sort(ranks.T, axis=1)
    m = (~np.isnan(by_unit)).sum(axis=1)
    last = np.maximum(m - 1, 0)

    def at(position):
        return np.take_along_axis(by_unit, position[:, None].astype(np.intp), axis=1)[:, 0].astype(float)

    median = (at(last // 2) + at((last + 1) // 2)) / 2
    low = at(np.floor(low_q * last + 1e-9))
    high = at(np.ceil(high_q * last - 1e-9))
    mean = np.where(m > 0, np.where(np.isnan(by_unit), 0, by_unit).sum(axis=1) / np.maximum(m, 1), np.nan)
    nominal_rank = {u.unit: u.rank for u in nominal.units}
    out = []
    for i, unit in enumerate(units):
        ok = bool(m[i])
        out.append(UnitUncertainty(unit, nominal_rank.get(unit), float(median[i]) if ok else None,
                                   int(low[i]) if ok else None, int(high[i]) if ok else None,
                                   float(mean[i]) if ok else None, float(m[i] / runs)))
    order = {u: n for n, u in enumerate(nominal.ranking)}
    out.sort(key=lambda u: (u.unit not in order, order.get(u.unit, 0), u.median_rank or 0))
    return UncertaintyResult(
        runs=runs, seed=seed, quantiles=(low_q, high_q),
        choices={**{k: list(v) for k, v in choices.items()}, "weight_noise": weight_noise},
        units=out, sensitivity=_sensitivity(ranks, drawn, choices), ranks=ranks, unit_codes=units)


def _sensitivity(ranks: np.ndarray, drawn: dict, choices: dict) -> dict[str, float | None]:
    """For each varied choice: Σ_units between-level variance of the rank / Σ_units its total variance."""
    seen = ~np.isnan(ranks)
    values = np.where(seen, ranks, 0.0)
    n = seen.sum(axis=0)
    mean = values.sum(axis=0) / np.maximum(n, 1)
    total = (np.where(seen, (values - mean) ** 2, 0.0)).sum()
    out = {}
    for name, levels in choices.items():
        if len(levels) < 2:
            continue
        if total == 0:
            out[name] = 0.0
            continue
        between = 0.0
        for level in range(len(levels)):
            runs = drawn[name] == level
            m = seen[runs].sum(axis=0)
            level_mean = values[runs].sum(axis=0) / np.maximum(m, 1)
            between += float((m * (level_mean - mean) ** 2).sum())
        out[name] = float(between / total)
    return out
