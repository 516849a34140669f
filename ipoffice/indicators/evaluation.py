"""Evaluating targets (规划实施评估): progress, growth rates, projections and a status for each target.

Notation (see ../shared/notes/indicator-methods.md): baseline B in the plan's base year t0, target G in the
target year T, latest value A in year t ≤ the evaluation year.

Level targets (reach ≥ G, exceed > G, count to build ≥ G):
- progress = (A − B) / (G − B) when B is known (linear 实现程度), else A / G (完成率);
- actual CAGR = (A / B)^(1/(t − t0)) − 1; required CAGR = (G / A)^(1/(T − t)) − 1;
- projection to T: compound at the actual CAGR; linear from B (or the first value) for shares, scores and
  counts, whose growth is additive; a count to build starts from 0 when the plan gives no baseline.
- status: achieved when the target is met; off track when T has passed without it; otherwise, for compound
  measures, r = actual CAGR / CAGR required from the baseline: on track r ≥ 0.95, at risk 0.6 ≤ r < 0.95,
  off track below (a decline included); for additive measures progress is compared with the share of plan
  time elapsed τ at the latest year observed the same way (on track when progress ≥ 0.95 τ, at risk ≥ 0.6 τ).
Growth-rate targets (年均增长 g*): realised CAGR from the base year (or the first year observed in the
plan period) to t, and each year's rate; progress = CAGR / g*; achieved when T is reached with CAGR ≥ g*;
on track CAGR ≥ g*, at risk ≥ 0.6 g*, off track below. The required CAGR is what the remaining years need to
reach the level implied by g* at T; the projection is the series' level at T at the actual CAGR.
Yearly-mean targets (年均 … 达 n) compare the mean of the plan years observed so far with G.
No value at all, or a single value with nothing to compare it with, gives ``no_data``.
"""

from dataclasses import asdict, dataclass, field

from ipoffice.regions.models import Region

from .models import Measure, Plan, Target
from .observations import Point, series, yearly_growth

ON_TRACK, AT_RISK = 0.95, 0.6
ADDITIVE = {Measure.SHARE, Measure.SCORE, Measure.COUNT}


@dataclass
class Evaluation:
    indicator: str
    name_zh: str
    name_en: str
    unit: str
    category: str
    kind: str
    region: str
    target: float
    target_year: int
    base_year: int
    baseline: float | None
    baseline_year: int | None
    latest_value: float | None
    latest_year: int | None
    progress: float | None = None
    time_elapsed: float | None = None
    actual_cagr: float | None = None
    required_cagr: float | None = None
    projection: float | None = None
    status: str = "no_data"
    reason: str = ""
    yearly_growth: dict = field(default_factory=dict)
    series: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


def cagr(start: float, end: float, years: int) -> float | None:
    """Compound annual growth rate; None when it is undefined (non-positive values, no time)."""
    if years <= 0 or start is None or end is None or start <= 0 or end <= 0:
        return None
    return (end / start) ** (1 / years) - 1


def _grade(ratio: float) -> str:
    return "on_track" if ratio >= ON_TRACK else "at_risk" if ratio >= AT_RISK else "off_track"


def evaluate_target(target: Target, as_of: int, region: Region | None = None) -> Evaluation:
    """Evaluate one target for the plan's region (or another region) with the data known up to ``as_of``."""
    plan, indicator = target.plan, target.indicator
    region = region or plan.region
    # A plan is judged on its own period: figures after the target year do not count.
    points = {y: p for y, p in series(indicator, region).items() if y <= min(as_of, plan.target_year)}
    t0, horizon = plan.base_year, plan.target_year
    result = Evaluation(
        indicator=indicator.code, name_zh=indicator.name_zh, name_en=indicator.name_en, unit=indicator.unit,
        category=indicator.category, kind=target.kind, region=region.code, target=float(target.value),
        target_year=horizon, base_year=t0, baseline=None, baseline_year=None, latest_value=None, latest_year=None,
        time_elapsed=min(max((as_of - t0) / (horizon - t0), 0.0), 1.0),
        series={y: p.value for y, p in sorted(points.items())}, yearly_growth=yearly_growth(points))
    if target.kind == Target.Kind.GROWTH_RATE:
        _evaluate_growth(result, target, points, as_of)
    elif (target.measure or indicator.measure) == Measure.ANNUAL_MEAN:
        _evaluate_mean(result, points)
    else:
        _evaluate_level(result, target, points, indicator.measure)
    return result


def _baseline(target: Target, points: dict[int, Point], t0: int, region_is_plans: bool):
    if target.baseline is not None and region_is_plans:
        return float(target.baseline), t0
    if t0 in points:
        return points[t0].value, t0
    return None, None


def _evaluate_level(result: Evaluation, target: Target, points: dict[int, Point], measure: str) -> None:
    t0, horizon, goal = result.base_year, result.target_year, result.target
    base, base_year = _baseline(target, points, t0, result.region == target.plan.region.code)
    if base is None and target.kind == Target.Kind.COUNT_TO_BUILD:
        base, base_year = 0.0, t0
    result.baseline, result.baseline_year = base, base_year
    if not points:
        result.reason = "no observation"
        return
    t = max(points)
    value = points[t].value
    result.latest_value, result.latest_year = value, t
    if base_year is not None and t <= base_year:
        result.reason = f"only the baseline year {base_year} is known"
        return
    # Progress is measured at the latest year observed, so is the share of plan time (τ of the notes' F-2).
    result.time_elapsed = min(max((t - t0) / (horizon - t0), 0.0), 1.0)
    # Lower-is-better indicators (控制在…以内) meet their target from below.
    signed_value, signed_goal = value * target.indicator.direction, goal * target.indicator.direction
    met = signed_value > signed_goal if target.kind == Target.Kind.EXCEED else signed_value >= signed_goal
    additive = measure in ADDITIVE
    if base is not None and goal != base:
        result.progress = (value - base) / (goal - base)
    elif goal:
        result.progress = value / goal
    if base is not None and base_year is not None:
        result.actual_cagr = cagr(base, value, t - base_year)
    if t < horizon:
        result.required_cagr = cagr(value, goal, horizon - t)
        result.projection = _project(result, base, base_year, value, t, additive)
    else:
        result.projection = value
    if met:
        result.status, result.reason = "achieved", f"{value:g} against the target {goal:g}"
    elif t >= horizon:
        result.status, result.reason = "off_track", f"target year {horizon} reached at {value:g} < {goal:g}"
    elif base is None:
        if result.projection is None:
            result.reason = "one value and no baseline: progress cannot be judged"
            return
        ratio = result.projection / goal
        result.status, result.reason = _grade(ratio), f"projection is {ratio:.0%} of the target"
    elif additive or result.actual_cagr is None:
        ratio = result.progress / result.time_elapsed if result.time_elapsed else 0.0
        result.status = _grade(ratio)
        result.reason = f"progress {result.progress:.0%} after {result.time_elapsed:.0%} of the plan period"
    else:
        needed = cagr(base, goal, horizon - base_year)
        ratio = result.actual_cagr / needed if needed else 0.0
        result.status = _grade(ratio)
        result.reason = f"actual CAGR {result.actual_cagr:.2%} against {needed:.2%} needed from the baseline"


def _project(result, base, base_year, value, t, additive) -> float | None:
    horizon = result.target_year
    if not additive and result.actual_cagr is not None:
        return value * (1 + result.actual_cagr) ** (horizon - t)
    years = sorted(result.series)
    start_year, start = (base_year, base) if base is not None else (years[0], result.series[years[0]])
    if t == start_year:
        return None
    return value + (value - start) / (t - start_year) * (horizon - t)


def _evaluate_growth(result: Evaluation, target: Target, points: dict[int, Point], as_of: int) -> None:
    rate = result.target / 100
    t0, horizon = result.base_year, result.target_year
    base_year = t0 if t0 in points else min((y for y in points if y >= t0), default=None)
    if base_year is None:
        result.reason = "no observation in the plan period"
        return
    base = points[base_year].value
    t = max(points)
    result.baseline, result.baseline_year = base, base_year
    result.latest_value, result.latest_year = points[t].value, t
    result.actual_cagr = cagr(base, points[t].value, t - base_year)
    if result.actual_cagr is None:
        result.reason = "one value: no growth to measure yet" if t == base_year else "growth undefined"
        return
    result.progress = result.actual_cagr / rate if rate else None
    implied = base * (1 + rate) ** (horizon - base_year)
    if t < horizon:
        result.required_cagr = cagr(points[t].value, implied, horizon - t)
    result.projection = points[t].value * (1 + result.actual_cagr) ** max(horizon - t, 0)
    note = f"CAGR {result.actual_cagr:.2%} {base_year}–{t} against {rate:.0%} a year"
    if base_year != t0:
        note += f" (from {base_year}, the first year observed)"
    if t >= horizon:
        result.status = "achieved" if result.actual_cagr >= rate else "off_track"
    else:
        ratio = result.actual_cagr / rate if rate > 0 else 1.0
        result.status = "on_track" if result.actual_cagr >= rate else "at_risk" if ratio >= AT_RISK else "off_track"
    result.reason = note


def _evaluate_mean(result: Evaluation, points: dict[int, Point]) -> None:
    years = [y for y in points if y > result.base_year]
    if not years:
        result.reason = "no observation in the plan period"
        return
    mean = sum(points[y].value for y in years) / len(years)
    result.latest_value, result.latest_year = mean, max(years)
    result.progress = mean / result.target if result.target else None
    result.projection = mean
    if mean >= result.target:
        result.status = "achieved" if max(years) >= result.target_year else "on_track"
    else:
        result.status = "off_track" if max(years) >= result.target_year else _grade(mean / result.target)
    result.reason = f"mean of {len(years)} plan year(s): {mean:g} against {result.target:g} a year"


def evaluate_plan(plan: Plan, as_of: int, region: Region | None = None) -> list[Evaluation]:
    """Every target of the plan, in the plan's order."""
    targets = plan.targets.select_related("indicator__per_10k_of", "plan__region")
    return [evaluate_target(target, as_of, region) for target in targets]
