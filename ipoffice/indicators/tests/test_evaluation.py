"""Target evaluation on hand-computed cases: progress, CAGR, projection and status by the documented rules.

The rules (evaluation.py, notes/indicator-methods.md): level targets are achieved when met; off track when the
target year has passed without it; else, for compound measures, r = actual CAGR / CAGR needed from the
baseline (on track r ≥ 0.95, at risk 0.6 ≤ r < 0.95, off track below); for additive measures (share, score,
count) progress is compared with τ, the share of plan time elapsed at the latest year observed.
"""

from decimal import Decimal

import pytest

from ipoffice.indicators.evaluation import cagr, evaluate_plan, evaluate_target
from ipoffice.indicators.models import Indicator, Observation, Plan, Target
from ipoffice.regions.models import Population, Region

pytestmark = pytest.mark.django_db

B, G, A = 100_000, 200_000, 150_000  # the notes' worked example: 2015, 2020 target, 2018


@pytest.fixture
def province():
    return Region.objects.get(code="440000")


@pytest.fixture
def plan(province):
    return Plan.objects.create(code="test-eval", name_zh="测试规划", name_en="Test plan", region=province,
                               base_year=2015, target_year=2020, source="test")


@pytest.fixture
def make(plan):
    """A test-only indicator of the given measure with one target of the test plan."""

    def make(kind="reach", value=G, *, measure="stock", baseline=None, target_measure="", per_10k_of=None):
        number = Indicator.objects.filter(code__startswith="test_").count()
        code = f"test_{measure}_{kind}_{number}"
        indicator = Indicator.objects.create(code=code, name_zh=code, name_en=code, unit="件", category="creation",
                                             measure=measure, per_10k_of=per_10k_of)
        return Target.objects.create(plan=plan, indicator=indicator, kind=kind, value=value, baseline=baseline,
                                     measure=target_measure, seed_quote="test", order=number)
    return make


def observe(indicator, values: dict, region="440000"):
    region = Region.objects.get(code=region)
    for year, value in values.items():
        Observation.objects.create(indicator=indicator, region=region, year=year, value=value, source="test")


def real_target(code: str, kind: str) -> Target:
    """A target of the shipped plan, with no observations of its indicator for the province left."""
    target = Target.objects.select_related("plan", "indicator").get(plan__code="gd-ip-13th", indicator__code=code,
                                                                    kind=kind)
    Observation.objects.filter(indicator=target.indicator, region__code="440000").delete()
    return target


# ---- level targets on a compound measure (stock) -----------------------------------------------------------


def test_the_notes_worked_example(make):
    target = make(baseline=B)
    observe(target.indicator, {2018: A})
    e = evaluate_target(target, 2018)
    progress = (A - B) / (G - B)
    tau = (2018 - 2015) / (2020 - 2015)
    g_obs = (A / B) ** (1 / 3) - 1
    g_req_now = (G / A) ** (1 / 2) - 1
    g_req_base = (G / B) ** (1 / 5) - 1
    projection = A * (1 + g_obs) ** 2
    assert (progress, tau) == (0.5, 0.6)
    assert (round(g_obs, 4), round(g_req_now, 4), round(g_req_base, 4)) == (0.1447, 0.1547, 0.1487)
    assert round(projection) == 196556 and round(g_obs / g_req_base, 3) == 0.973
    assert e.progress == pytest.approx(progress)
    assert e.time_elapsed == pytest.approx(tau)
    assert e.actual_cagr == pytest.approx(g_obs)
    assert e.required_cagr == pytest.approx(g_req_now)
    assert e.projection == pytest.approx(projection)
    assert (e.baseline, e.baseline_year, e.latest_value, e.latest_year) == (B, 2015, A, 2018)
    # Linear reading: 0.5 < 0.95 × 0.6 would be "behind"; the documented rule for a stock is the CAGR reading.
    assert e.status == "on_track"
    assert "14.47%" in e.reason and "14.87%" in e.reason


def test_the_worked_example_on_an_additive_measure_is_judged_linearly(make):
    target = make("count_to_build", G, measure="count", baseline=B)
    observe(target.indicator, {2018: A})
    e = evaluate_target(target, 2018)
    assert e.projection == pytest.approx(A + (A - B) / 3 * 2)  # 183 333, linear
    assert round(e.projection) == 183333
    assert 0.6 <= e.progress / e.time_elapsed < 0.95  # 0.5 / 0.6 = 0.83
    assert e.status == "at_risk"


def test_baseline_from_the_plan_or_from_the_data(make, plan):
    target = make(baseline=B)
    observe(target.indicator, {2015: 90_000, 2018: A})
    assert evaluate_target(target, 2018).baseline == B  # the plan's figure wins for the plan's region
    observe(target.indicator, {2015: 120_000, 2018: A}, region="440100")
    e = evaluate_target(target, 2018, Region.objects.get(code="440100"))
    assert (e.region, e.baseline, e.baseline_year) == ("440100", 120_000, 2015)
    assert e.actual_cagr == pytest.approx((A / 120_000) ** (1 / 3) - 1)
    assert e.progress == pytest.approx((A - 120_000) / (G - 120_000))


def test_a_target_already_exceeded_is_achieved(make):
    target = make(baseline=B)
    observe(target.indicator, {2017: 210_000})
    e = evaluate_target(target, 2018)
    assert e.status == "achieved"
    assert e.progress == pytest.approx(1.1)
    assert e.required_cagr == pytest.approx((G / 210_000) ** (1 / 3) - 1) and e.required_cagr < 0


def test_exceed_needs_more_than_the_target_reach_does_not(make):
    exceed, reach = make("exceed", baseline=B), make("reach", baseline=B)
    observe(exceed.indicator, {2020: G})
    observe(reach.indicator, {2020: G})
    assert evaluate_target(exceed, 2020).status == "off_track"
    assert evaluate_target(reach, 2020).status == "achieved"
    assert evaluate_target(exceed, 2020).projection == G


def test_a_declining_series_is_off_track(make):
    target = make(baseline=B)
    observe(target.indicator, {2016: 95_000, 2018: 90_000})
    e = evaluate_target(target, 2018)
    assert e.actual_cagr == pytest.approx(0.9 ** (1 / 3) - 1) and e.actual_cagr < 0
    assert e.projection == pytest.approx(90_000 * 0.9 ** (2 / 3)) and e.projection < 90_000
    assert e.progress == pytest.approx(-0.1)
    assert e.status == "off_track"
    assert e.yearly_growth == {}  # 2016 and 2018 are not consecutive


def test_a_missing_year_gives_the_cagr_over_the_real_span(make):
    target = make()  # no baseline in the plan: the 2015 observation is the baseline
    observe(target.indicator, {2015: B, 2016: 110_000, 2019: A})  # 2017 and 2018 missing
    e = evaluate_target(target, 2019)
    g_obs = (A / B) ** (1 / 4) - 1  # four years, 2015 → 2019
    ratio = g_obs / ((G / B) ** (1 / 5) - 1)
    assert round(ratio, 3) == 0.717
    assert e.actual_cagr == pytest.approx(g_obs)
    assert e.required_cagr == pytest.approx(G / A - 1)  # one year left
    assert e.time_elapsed == pytest.approx(0.8)
    assert e.yearly_growth == pytest.approx({2016: 0.1})
    assert e.status == "at_risk"


def test_level_target_without_baseline_projects_linearly_from_the_first_value(make):
    target = make()
    observe(target.indicator, {2016: 120_000, 2018: 160_000})
    e = evaluate_target(target, 2018)
    assert (e.baseline, e.actual_cagr) == (None, None)
    assert e.progress == pytest.approx(160_000 / G)
    assert e.projection == pytest.approx(160_000 + 40_000 / 2 * 2)  # 200 000: projection / G = 1
    assert e.status == "on_track"


def test_density_target_from_the_stock_and_population(make, province):
    stock = make(measure="stock").indicator
    density = make(value=20, measure="density", baseline=Decimal("12.95"), per_10k_of=stock)
    observe(stock, {2018: 230_000})
    Population.objects.update_or_create(region=province, year=2018,
                                        defaults={"population_10k": Decimal("11346.00"), "source": "test"})
    e = evaluate_target(density, 2018)
    assert e.latest_value == pytest.approx(230_000 / 11346)
    assert e.status == "achieved"
    assert e.baseline == pytest.approx(12.95)


# ---- growth-rate targets ------------------------------------------------------------------------------------


def test_growth_rate_below_the_target_rate_is_at_risk(make):
    target = make("growth_rate", 10, measure="flow")
    observe(target.indicator, {2015: 10_000, 2018: 12_500})
    e = evaluate_target(target, 2018)
    g_obs = 1.25 ** (1 / 3) - 1
    assert round(g_obs, 4) == 0.0772 and round(10_000 * 1.1 ** 3) == 13310
    implied = 10_000 * 1.1 ** 5
    assert e.actual_cagr == pytest.approx(g_obs)
    assert e.progress == pytest.approx(g_obs / 0.10)
    assert e.required_cagr == pytest.approx((implied / 12_500) ** (1 / 2) - 1)
    assert e.projection == pytest.approx(12_500 * (1 + g_obs) ** 2)
    assert (e.baseline, e.baseline_year) == (10_000, 2015)
    assert 0.6 <= g_obs / 0.10 < 1 and e.status == "at_risk"


def test_growth_rate_above_the_target_rate_is_on_track(make):
    target = make("growth_rate", 10, measure="flow")
    observe(target.indicator, {2015: 10_000, 2016: 11_200, 2018: 13_500})
    e = evaluate_target(target, 2018)
    assert e.actual_cagr == pytest.approx(1.35 ** (1 / 3) - 1) and e.actual_cagr > 0.10
    assert e.status == "on_track"
    assert e.yearly_growth == pytest.approx({2016: 0.12})


def test_growth_rate_far_below_is_off_track(make):
    target = make("growth_rate", 10, measure="flow")
    observe(target.indicator, {2015: 10_000, 2018: 10_600})
    e = evaluate_target(target, 2018)
    assert e.actual_cagr / 0.10 < 0.6 and e.status == "off_track"


@pytest.mark.parametrize("final, status", [(16_200, "achieved"), (15_000, "off_track")])
def test_growth_rate_at_the_target_year(make, final, status):
    target = make("growth_rate", 10, measure="flow")
    observe(target.indicator, {2015: 10_000, 2018: 12_500, 2020: final})
    e = evaluate_target(target, 2021)
    assert e.actual_cagr == pytest.approx((final / 10_000) ** (1 / 5) - 1)
    assert (e.latest_year, e.required_cagr, e.projection) == (2020, None, final)
    assert e.status == status


def test_growth_rate_from_the_first_year_observed_when_the_base_year_is_missing(make):
    target = make("growth_rate", 10, measure="flow")
    observe(target.indicator, {2014: 5_000, 2016: 10_000, 2019: 13_400})
    e = evaluate_target(target, 2019)
    assert (e.baseline, e.baseline_year) == (10_000, 2016)
    assert e.actual_cagr == pytest.approx(1.34 ** (1 / 3) - 1)
    assert e.status == "on_track" and "from 2016, the first year observed" in e.reason


def test_growth_rate_with_one_value_is_no_data(make):
    target = make("growth_rate", 10, measure="flow")
    observe(target.indicator, {2015: 10_000})
    e = evaluate_target(target, 2018)
    assert (e.status, e.actual_cagr, e.latest_value) == ("no_data", None, 10_000)


# ---- the plan's own annual-mean and count targets ---------------------------------------------------------------


def test_annual_mean_target_forestry_varieties(province):
    target = real_target("forestry_variety_applications", "reach")
    assert (target.measure, target.value) == ("annual_mean", 15)
    observe(target.indicator, {2015: 100, 2016: 12, 2017: 18, 2018: 14})  # 2015 is the base year: not counted
    e = evaluate_target(target, 2018)
    mean = (12 + 18 + 14) / 3
    assert e.latest_value == pytest.approx(mean) and e.latest_year == 2018
    assert e.progress == pytest.approx(mean / 15)
    assert e.status == "on_track"  # 97.8 % of the mean so far, plan not over
    observe(target.indicator, {2019: 16, 2020: 20})
    e = evaluate_target(target, 2020)
    assert e.latest_value == pytest.approx((12 + 18 + 14 + 16 + 20) / 5) and e.status == "achieved"


def test_annual_mean_below_target_at_the_target_year_is_off_track():
    target = real_target("forestry_variety_grants", "reach")
    observe(target.indicator, {2016: 10, 2017: 12, 2018: 14, 2019: 16, 2020: 17})
    e = evaluate_target(target, 2020)
    assert e.latest_value == pytest.approx(13.8) and e.status == "off_track"
    early = evaluate_target(target, 2017)  # before the target year the mean so far is graded: 11 / 15 = 0.73
    assert (early.progress, early.status) == (pytest.approx(11 / 15), "at_risk")


def test_count_to_build_without_baseline_starts_from_zero():
    target = real_target("trading_institutions", "count_to_build")
    assert (target.baseline, target.value, target.indicator.measure) == (None, 20, "count")
    observe(target.indicator, {2018: 9})
    e = evaluate_target(target, 2018)
    assert (e.baseline, e.baseline_year) == (0.0, 2015)
    assert e.progress == pytest.approx(9 / 20)
    assert e.time_elapsed == pytest.approx(0.6)
    assert e.actual_cagr is None  # no growth rate from zero
    assert e.required_cagr == pytest.approx((20 / 9) ** (1 / 2) - 1)
    assert e.projection == pytest.approx(9 + 9 / 3 * 2)
    assert 0.6 <= (9 / 20) / 0.6 < 0.95 and e.status == "at_risk"


def test_count_to_build_on_schedule_and_done():
    target = real_target("trading_institutions", "count_to_build")
    observe(target.indicator, {2018: 12})
    assert evaluate_target(target, 2018).status == "on_track"  # 60 % done after 60 % of the time
    observe(target.indicator, {2019: 20})
    assert evaluate_target(target, 2019).status == "achieved"


def test_time_elapsed_is_measured_at_the_latest_year_observed():
    """Figures lag: evaluated in 2019 with data up to 2018, 60 % done after 60 % of the time is on track."""
    target = real_target("trading_institutions", "count_to_build")
    observe(target.indicator, {2018: 12})
    e = evaluate_target(target, 2019)
    assert (e.latest_year, e.time_elapsed, e.status) == (2018, pytest.approx(0.6), "on_track")


# ---- shares and scores: additive, projected linearly --------------------------------------------------------------


def test_score_target_uses_the_linear_projection(make):
    target = make(value=80, measure="score")
    observe(target.indicator, {2015: 70, 2018: 76})
    e = evaluate_target(target, 2018)
    linear = 76 + (76 - 70) / 3 * 2
    compound = 76 * (76 / 70) ** (2 / 3)
    assert e.projection == pytest.approx(linear) and e.projection != pytest.approx(compound)
    assert e.progress == pytest.approx(0.6)
    assert e.status == "on_track"  # progress 0.6 after 0.6 of the time


def test_share_target_without_baseline_projects_from_the_first_value(make):
    target = make(value=35, measure="share")
    observe(target.indicator, {2016: 30, 2018: 33})
    e = evaluate_target(target, 2018)
    assert e.projection == pytest.approx(33 + 3 / 2 * 2)
    assert e.progress == pytest.approx(33 / 35)
    assert e.status == "on_track"  # projection 36 / 35 ≥ 0.95


def test_share_target_slow_progress_is_graded(make):
    target = make(value=35, measure="share", baseline=25)
    observe(target.indicator, {2019: 28})
    e = evaluate_target(target, 2019)
    assert e.progress == pytest.approx(0.3) and e.time_elapsed == pytest.approx(0.8)
    assert e.projection == pytest.approx(28 + 3 / 4)
    assert e.status == "off_track"  # 0.3 / 0.8 = 0.375 < 0.6


def test_a_single_value_without_baseline_cannot_be_judged(make):
    target = make(value=35, measure="share")
    observe(target.indicator, {2018: 33})
    e = evaluate_target(target, 2018)
    assert (e.status, e.projection, e.latest_value) == ("no_data", None, 33)


# ---- the evaluation period and no data ----------------------------------------------------------------------------


def test_data_after_the_target_year_is_ignored(make):
    target = make(baseline=B)
    observe(target.indicator, {2018: A, 2020: 190_000, 2022: 250_000})
    e = evaluate_target(target, 2023)
    assert (e.latest_year, e.latest_value, e.status) == (2020, 190_000, "off_track")
    assert 2022 not in e.series and e.time_elapsed == 1.0


def test_data_after_the_evaluation_year_is_ignored(make):
    target = make(baseline=B)
    observe(target.indicator, {2018: A, 2019: 210_000})
    e = evaluate_target(target, 2018)
    assert (e.latest_year, e.status) == (2018, "on_track")


def test_only_the_baseline_year_is_no_data(make):
    target = make()
    observe(target.indicator, {2015: B})
    e = evaluate_target(target, 2018)
    assert (e.status, e.progress) == ("no_data", None)


@pytest.mark.parametrize("kind, measure, target_measure", [
    ("reach", "stock", ""), ("growth_rate", "flow", ""), ("reach", "flow", "annual_mean"),
    ("count_to_build", "count", ""), ("reach", "score", "")])
def test_no_data_is_no_data(make, kind, measure, target_measure):
    e = evaluate_target(make(kind, 10, measure=measure, target_measure=target_measure), 2018)
    assert (e.status, e.latest_value, e.latest_year, e.progress, e.projection) == ("no_data", None, None, None, None)
    assert e.reason


def test_evaluate_plan_in_the_plans_order(make, plan):
    targets = [make(baseline=B), make("growth_rate", 10, measure="flow"), make(value=80, measure="score")]
    assert [e.indicator for e in evaluate_plan(plan, 2018)] == [t.indicator.code for t in targets]


def test_cagr_is_undefined_without_time_or_positive_values():
    assert cagr(100, 121, 2) == pytest.approx(0.1)
    assert [cagr(0, 10, 2), cagr(10, 0, 2), cagr(-1, 10, 2), cagr(10, 20, 0), cagr(None, 1, 1)] == [None] * 5


def test_lower_is_better_target_is_met_from_below(make):
    """A 控制在…以内 target (direction −1): at or under the level is achieved, above it is not."""
    target = make(value=100, baseline=150)
    Indicator.objects.filter(pk=target.indicator.pk).update(direction=-1)
    target.indicator.refresh_from_db()
    observe(target.indicator, {2017: 120})
    e = evaluate_target(target, 2017)
    assert e.status != "achieved"
    assert e.progress == pytest.approx((120 - 150) / (100 - 150))
    observe(target.indicator, {2019: 95})
    assert evaluate_target(target, 2019).status == "achieved"
