"""The composite-index engine on small examples computed by hand (formulas F-8 … F-13)."""

import json
import math

import numpy as np
import pytest

from ipoffice.indicators.composite import (
    GroupSpec,
    IndexSpec,
    IndicatorSpec,
    compute,
    kurtosis,
    skewness,
    uncertainty,
)


def spec(*indicators, **options):
    options.setdefault("treatment", False)
    return IndexSpec("test", "测试指数", "Test index", tuple(indicators), **options)


def one(code="x", **kw):
    return IndicatorSpec(code, **kw)


THREE = {"A": {"x": 1}, "B": {"x": 2}, "C": {"x": 6}}  # mean 3, deviations −2, −1, 3, sample σ = √7


def normalised(result, code="x"):
    return {u.unit: u.normalised[code] for u in result.units}


# ------------------------------------------------------------------------------------------- normalisation


def test_minmax():
    assert normalised(compute(spec(one()), THREE)) == pytest.approx({"A": 0, "B": 20, "C": 100})


def test_zscore_uses_the_sample_standard_deviation():
    root7 = math.sqrt(7)
    assert normalised(compute(spec(one(), normalisation="zscore"), THREE)) == \
        pytest.approx({"A": -2 / root7, "B": -1 / root7, "C": 3 / root7})


def test_distance_to_reference_is_capped_at_the_reference():
    # 1 − (G − x)/(G − min) with G = 4, min = 1: A 0, B 1 − 2/3, C above the reference: 1
    result = compute(spec(one(reference=4), normalisation="distance_to_reference"), THREE)
    assert normalised(result) == pytest.approx({"A": 0, "B": 100 / 3, "C": 100})


def test_distance_to_reference_without_a_reference_uses_the_best_value():
    result = compute(spec(one(), normalisation="distance_to_reference"), THREE)
    assert normalised(result) == pytest.approx({"A": 0, "B": 20, "C": 100})


def test_goalposts_clip_to_the_fixed_range():
    result = compute(spec(one(goalposts=(0, 4)), normalisation="goalposts"), THREE)
    assert normalised(result) == pytest.approx({"A": 25, "B": 50, "C": 100})


def test_rank_normalisation_and_ties():
    assert normalised(compute(spec(one(), normalisation="rank"), THREE)) == pytest.approx({"A": 0, "B": 50, "C": 100})
    tied = {"A": {"x": 1}, "B": {"x": 5}, "C": {"x": 5}}
    assert normalised(compute(spec(one(), normalisation="rank"), tied)) == pytest.approx({"A": 0, "B": 75, "C": 75})


def test_direction_minus_one_flips_every_normalisation():
    lower = one(direction=-1, goalposts=(0, 4), reference=4)
    assert normalised(compute(spec(lower), THREE)) == pytest.approx({"A": 100, "B": 80, "C": 0})
    assert normalised(compute(spec(lower, normalisation="zscore"), THREE)) == \
        pytest.approx({"A": 2 / math.sqrt(7), "B": 1 / math.sqrt(7), "C": -3 / math.sqrt(7)})
    # goalposts (0, 4), lower is better: (4 − x)/4
    assert normalised(compute(spec(lower, normalisation="goalposts"), THREE)) == \
        pytest.approx({"A": 75, "B": 50, "C": 0})
    # at most 4 is the target: A and B meet it, C is the worst
    assert normalised(compute(spec(lower, normalisation="distance_to_reference"), THREE)) == \
        pytest.approx({"A": 100, "B": 100, "C": 0})
    result = compute(spec(lower), THREE)
    assert result.ranking == ["A", "B", "C"]


def test_a_constant_indicator_normalises_to_the_middle_and_is_reported():
    result = compute(spec(one(), one("y")), {"A": {"x": 1, "y": 3}, "B": {"x": 2, "y": 3}, "C": {"x": 6, "y": 3}})
    assert {u.normalised["y"] for u in result.units} == {50}
    assert any("y: the same value" in w for w in result.warnings)


# ------------------------------------------------------------------------------------ weights, aggregation

OPPOSED = {"A": {"a": 0, "b": 10}, "B": {"a": 10, "b": 0}, "C": {"a": 5, "b": 5}}  # min-max: (0,100) (100,0) (50,50)


def test_equal_weights_tie_opposed_units():
    result = compute(spec(one("a"), one("b")), OPPOSED)
    assert result.scores == pytest.approx({"A": 50, "B": 50, "C": 50})
    assert [u.rank for u in result.units] == [1, 1, 1]
    assert result.weights == pytest.approx({"a": 0.5, "b": 0.5})


def test_expert_weights():
    result = compute(spec(one("a", weight=3), one("b", weight=1), weighting="expert"), OPPOSED)
    assert result.scores == pytest.approx({"A": 25, "B": 75, "C": 50})
    assert result.ranking == ["B", "C", "A"]
    assert result.weights == pytest.approx({"a": 0.75, "b": 0.25})
    # the same weights ignored under equal weighting
    assert compute(spec(one("a", weight=3), one("b", weight=1)), OPPOSED).weights == pytest.approx({"a": .5, "b": .5})


def test_geometric_aggregation_penalises_imbalance():
    # values mapped to [1, 100]: A (1, 100), B (100, 1), C (50.5, 50.5)
    result = compute(spec(one("a"), one("b"), aggregation="geometric"), OPPOSED)
    assert result.scores == pytest.approx({"A": 10, "B": 10, "C": 50.5})
    assert result.ranking == ["C", "A", "B"]
    weighted = compute(spec(one("a", weight=3), one("b", weight=1), weighting="expert", aggregation="geometric"),
                       OPPOSED)
    assert weighted.scores == pytest.approx({"A": 100 ** 0.25, "B": 100 ** 0.75, "C": 50.5})


def test_geometric_aggregation_of_z_scores_equals_that_of_min_max():
    table = {"A": {"a": 1, "b": 7}, "B": {"a": 4, "b": 2}, "C": {"a": 9, "b": 5}, "D": {"a": 2, "b": 3}}
    z = compute(spec(one("a"), one("b"), normalisation="zscore", aggregation="geometric"), table)
    m = compute(spec(one("a"), one("b"), aggregation="geometric"), table)
    assert z.scores == pytest.approx(m.scores)


def test_two_levels_groups_first_then_the_index():
    table = {"A": {"a": 0, "b": 10, "c": 10}, "B": {"a": 10, "b": 10, "c": 0}, "C": {"a": 5, "b": 0, "c": 5}}
    # min-max: A (0, 100, 100), B (100, 100, 0), C (50, 0, 50); groups g1 = {a, b}, g2 = {c}, weights 1 and 3
    grouped = spec(one("a", group="g1"), one("b", group="g1"), one("c", group="g2"),
                   groups=(GroupSpec("g1", 1), GroupSpec("g2", 3)))
    result = compute(grouped, table)
    assert {u.unit: u.groups for u in result.units} == {
        "A": pytest.approx({"g1": 50, "g2": 100}), "B": pytest.approx({"g1": 100, "g2": 0}),
        "C": pytest.approx({"g1": 25, "g2": 50})}
    assert result.scores == pytest.approx({"A": (50 + 300) / 4, "B": 100 / 4, "C": (25 + 150) / 4})
    assert result.weights == pytest.approx({"a": 0.125, "b": 0.125, "c": 0.75})
    assert result.group_weights == pytest.approx({"g1": 0.25, "g2": 0.75})
    geometric = compute(grouped.replace(aggregation="geometric"), table)
    # A: g1 = √(1·100) = 10, g2 = 100; index = (10 · 100³)^(1/4)
    assert geometric.unit("A").groups["g1"] == pytest.approx(10)
    assert geometric.unit("A").score == pytest.approx((10 * 100**3) ** 0.25)


def test_entropy_weights_follow_f10():
    table = {"A": {"a": 1, "b": 0}, "B": {"a": 2, "b": 10}, "C": {"a": 3, "b": 10}}
    # a: y = (0, ½, 1), p = (0, ⅓, ⅔); b: y = (0, 1, 1), p = (0, ½, ½); e = −(1/ln 3) Σ p ln p (0 ln 0 = 0)
    e_a = -(1 / 3 * math.log(1 / 3) + 2 / 3 * math.log(2 / 3)) / math.log(3)
    e_b = -(math.log(1 / 2)) / math.log(3)
    w_a = (1 - e_a) / ((1 - e_a) + (1 - e_b))
    assert e_a == pytest.approx(0.579380, abs=1e-6) and e_b == pytest.approx(0.630930, abs=1e-6)
    result = compute(spec(one("a"), one("b"), weighting="entropy"), table)
    assert result.weights == pytest.approx({"a": w_a, "b": 1 - w_a})
    assert w_a == pytest.approx(0.532639, abs=1e-6)  # 0.420620 / (0.420620 + 0.369070)


def test_entropy_weights_make_the_group_weights_in_a_two_level_index():
    table = {"A": {"a": 1, "b": 0, "c": 3}, "B": {"a": 2, "b": 10, "c": 1}, "C": {"a": 3, "b": 10, "c": 2}}
    flat = compute(spec(one("a"), one("b"), one("c"), weighting="entropy"), table)
    grouped = compute(spec(one("a", group="g"), one("b", group="g"), one("c", group="h"), weighting="entropy"), table)
    assert grouped.weights == pytest.approx(flat.weights)
    assert grouped.group_weights == pytest.approx({"g": flat.weights["a"] + flat.weights["b"], "h": flat.weights["c"]})
    assert grouped.scores == pytest.approx(flat.scores)


def test_pca_weights_are_the_squared_first_loadings():
    # a and b identical, c uncorrelated with them: first component (1, 1, 0)/√2
    table = {"A": {"a": 1, "b": 1, "c": 1}, "B": {"a": 2, "b": 2, "c": -1}, "C": {"a": 3, "b": 3, "c": -1},
             "D": {"a": 4, "b": 4, "c": 1}}
    result = compute(spec(one("a"), one("b"), one("c"), weighting="pca"), table)
    assert result.weights == pytest.approx({"a": 0.5, "b": 0.5, "c": 0}, abs=1e-9)


# --------------------------------------------------------------------------------------------- missing data

GAPS = {"A": {"a": 0, "b": 0, "c": 0}, "B": {"a": 10, "b": 10, "c": 10}, "C": {"a": 4, "b": 4, "c": 4},
        "D": {"a": 10, "b": 0, "c": None}, "E": {"a": 2}}
ABC = (one("a"), one("b"), one("c"))


def test_reweight_averages_what_is_there():
    result = compute(spec(*ABC, missing="reweight", min_coverage=0.5), GAPS)
    assert result.scores == pytest.approx({"B": 100, "D": 50, "C": 40, "A": 0, "E": None})
    assert result.ranking == ["B", "D", "C", "A"]
    assert result.unit("E").rank is None and result.unit("E").coverage == pytest.approx(1 / 3)
    assert result.unit("D").coverage == pytest.approx(2 / 3)


def test_min_coverage_decides_who_is_ranked():
    result = compute(spec(*ABC, missing="reweight", min_coverage=0.3), GAPS)
    assert result.ranking == ["B", "D", "C", "E", "A"]
    assert result.unit("E").score == pytest.approx(20)  # a = 2 on a 0–10 range
    assert compute(spec(*ABC, min_coverage=0.7), GAPS).ranking == ["B", "C", "A"]


def test_mean_imputation_on_the_normalised_scale():
    result = compute(spec(*ABC, missing="mean_impute", min_coverage=0.5), GAPS)
    imputed_c = (0 + 100 + 40) / 3  # mean of c over the ranked units that have it
    assert result.unit("D").normalised["c"] == pytest.approx(imputed_c)
    assert result.unit("D").imputed == ["c"]
    assert result.unit("D").score == pytest.approx((100 + 0 + imputed_c) / 3)
    assert result.unit("D").raw["c"] is None


def test_exclude_unit_ranks_complete_units_only():
    result = compute(spec(*ABC, missing="exclude_unit", min_coverage=0), GAPS)
    assert result.ranking == ["B", "C", "A"]
    assert result.unit("D").score is None and result.unit("D").normalised == {"a": None, "b": None, "c": None}
    # D's a = 10 no longer stretches the range: C's value is normalised over A, B, C alone
    assert result.unit("C").score == pytest.approx(40)


def test_an_indicator_nobody_has_is_left_out_with_a_warning():
    result = compute(spec(*ABC, one("d"), min_coverage=0.5), GAPS)
    assert result.ranking == ["B", "D", "C", "A"]
    assert any(w.startswith("d: no value") for w in result.warnings)


# ------------------------------------------------------------------------------------------------ treatment


def test_skewness_and_kurtosis_are_the_sample_adjusted_ones():
    # x = (0, 0, 0, 4): m2 = 3, m3 = 6, m4 = 21 → G1 = 6/3^1.5 · √12/2 = 2, G2 = (5(21/9 − 3) + 6)·3/2 = 4
    assert skewness([0, 0, 0, 4]) == pytest.approx(2)
    assert kurtosis([0, 0, 0, 4]) == pytest.approx(4)
    assert math.isnan(skewness([1, 1, 1])) and math.isnan(kurtosis([1, 2, 3]))


OUTLIERS = list(range(1, 11)) + [30, 100]  # skew 3.06, kurtosis 9.74: fails both tests


def column(values):
    return {f"u{i:02d}": {"x": v} for i, v in enumerate(values)}


def test_winsorisation_replaces_the_extreme_point_by_the_next_one():
    assert skewness(OUTLIERS) > 2.25 and kurtosis(OUTLIERS) > 3.5
    result = compute(spec(one(), treatment=True), column(OUTLIERS))
    (treated,) = result.treatment
    assert treated.method == "winsorised" and treated.passes
    assert treated.points == [("u11", 100.0, 30.0)]  # one point was enough: skew 1.71, kurtosis 1.82
    assert treated.skewness_after == pytest.approx(skewness(list(range(1, 11)) + [30, 30]))
    assert result.unit("u11").normalised["x"] == result.unit("u10").normalised["x"] == 100
    assert result.unit("u11").raw["x"] == 100  # the raw value is kept


def test_no_treatment_unless_both_limits_are_exceeded():
    symmetric_heavy_tails = [-100, -1, 0, 0, 0, 0, 0, 0, 1, 100]  # kurtosis high, no skew
    assert kurtosis(symmetric_heavy_tails) > 3.5 and abs(skewness(symmetric_heavy_tails)) < 2.25
    assert compute(spec(one(), treatment=True), column(symmetric_heavy_tails)).treatment == []
    mild = [1, 2, 3, 4, 5, 6, 8, 10, 13, 20]
    assert compute(spec(one(), treatment=True), column(mild)).treatment == []
    # skewed enough, but a kurtosis limit above the data's kurtosis: untouched
    assert compute(spec(one(), treatment=True, kurtosis_limit=10), column(OUTLIERS)).treatment == []
    assert compute(spec(one(), treatment=False), column(OUTLIERS)).treatment == []


def test_log_transform_when_winsorisation_is_not_enough():
    values = [10 ** (i / 3) for i in range(25)]  # needs two points winsorised; one allowed
    result = compute(spec(one(), treatment=True, winsor_max=1), column(values))
    (treated,) = result.treatment
    assert treated.method == "log" and treated.passes and len(treated.points) == 25
    a = 0.01 * (max(values) - min(values))
    assert treated.points[3] == ("u03", pytest.approx(10.0), pytest.approx(math.log(10 - 1 + a)))
    assert result.ranking[0] == "u24"  # order kept


def test_the_reference_follows_a_log_transform():
    values = [10 ** (i / 3) for i in range(25)]
    log = compute(spec(one(reference=values[12]), treatment=True, winsor_max=0,
                       normalisation="distance_to_reference"), column(values))
    assert log.treatment[0].method == "log"
    assert log.unit("u12").normalised["x"] == pytest.approx(100)  # exactly at the reference
    assert log.unit("u11").normalised["x"] < 100


# ----------------------------------------------------------------------------------------------- coherence


def test_coherence_flags_redundant_indicators_and_reports_alpha():
    table = {"A": {"a": 1, "b": 2, "c": 5}, "B": {"a": 2, "b": 4, "c": 1}, "C": {"a": 3, "b": 6, "c": 4},
             "D": {"a": 4, "b": 8, "c": 2}}
    result = compute(spec(one("a", group="g"), one("b", group="g"), one("c", group="h")), table)
    coherence = result.coherence
    assert coherence.indicator_group_r["a"] == pytest.approx(1) and coherence.cronbach_alpha["g"] == pytest.approx(1)
    assert coherence.first_component_share["g"] == pytest.approx(1)
    assert any(f.startswith("a: r = 1.00 with g") for f in coherence.flags)
    # effective weight: correlation of each indicator with the index
    score = np.array([result.scores[u] for u in "ABCD"])
    c = np.array([result.unit(u).normalised["c"] for u in "ABCD"])
    assert result.effective_weights["c"] == pytest.approx(np.corrcoef(c, score)[0, 1])
    json.dumps(result.as_dict(), allow_nan=False)


def test_spec_checks():
    with pytest.raises(ValueError, match="normalisation"):
        spec(one(), normalisation="median")
    with pytest.raises(ValueError, match="goalposts"):
        spec(one(), normalisation="goalposts")
    with pytest.raises(ValueError, match="every indicator names a group"):
        spec(one("a", group="g"), one("b"))
    with pytest.raises(ValueError, match="direction"):
        one(direction=2)


# --------------------------------------------------------------------------------------------- uncertainty


def ladder(n=10, k=6, seed=3):
    """Unit i has values around i on every indicator: a clear order, with noise enough to swap neighbours."""
    rng = np.random.default_rng(seed)
    return {f"u{i:02d}": {f"i{j}": float(i + rng.normal(0, 1.5)) for j in range(k)} for i in range(n)}


def ladder_spec(k=6, **options):
    return spec(*(one(f"i{j}", group=f"g{j % 2}") for j in range(k)), **options)


def test_uncertainty_is_deterministic_with_a_seed():
    table = ladder()
    first = uncertainty(ladder_spec(), table, runs=300, seed=7)
    again = uncertainty(ladder_spec(), table, runs=300, seed=7)
    other = uncertainty(ladder_spec(), table, runs=300, seed=8)
    np.testing.assert_array_equal(first.ranks, again.ranks)
    assert first.as_dict() == again.as_dict()
    assert not np.array_equal(first.ranks, other.ranks)


def test_uncertainty_intervals_contain_the_nominal_rank():
    table = ladder()
    result = uncertainty(ladder_spec(treatment=True), table, runs=1000, seed=0)
    assert len(result.units) == 10 and result.ranks.shape == (1000, 10)
    assert [u.unit for u in result.units] == compute(ladder_spec(treatment=True), table).ranking
    for u in result.units:
        assert u.rank_low <= u.nominal_rank <= u.rank_high, u
        assert u.rank_low <= u.median_rank <= u.rank_high
        assert u.ranked_share == 1
    assert result.units[-1].rank_high == 10
    assert set(result.sensitivity) == {"normalisation", "aggregation", "missing", "treatment"}
    assert all(0 <= s <= 1 for s in result.sensitivity.values())
    json.dumps(result.as_dict(), allow_nan=False)


def test_a_dominant_unit_is_first_in_every_run():
    table = ladder()
    table["top"] = {f"i{j}": 100.0 + j for j in range(6)}  # best on every indicator
    result = uncertainty(ladder_spec(treatment=True), table, runs=500, seed=1)
    top = result.unit("top")
    assert (top.nominal_rank, top.median_rank, top.rank_low, top.rank_high) == (1, 1, 1, 1)
    assert (result.ranks[:, list(table).index("top")] == 1).all()


def test_units_left_out_in_some_runs_have_a_ranked_share():
    table = ladder()
    table["u05"]["i0"] = None
    result = uncertainty(ladder_spec(missing="reweight", min_coverage=0.5), table, runs=400, seed=2,
                         missing=("reweight", "exclude_unit"))
    share = result.unit("u05").ranked_share
    assert 0.3 < share < 0.7  # excluded whenever exclude_unit was drawn
    assert result.unit("u06").ranked_share == 1
    assert np.isnan(result.ranks[:, list(table).index("u05")]).sum() == round((1 - share) * 400)


def test_uncertainty_checks_its_alternatives():
    with pytest.raises(ValueError, match="goalposts"):
        uncertainty(ladder_spec(), ladder(), runs=10, normalisations=("goalposts",))
    with pytest.raises(ValueError, match="normalisation"):
        uncertainty(ladder_spec(), ladder(), runs=10, normalisations=("median",))
    with pytest.raises(ValueError):
        uncertainty(ladder_spec(), ladder(), runs=0)
