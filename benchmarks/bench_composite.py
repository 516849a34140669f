"""Time the composite-index engine: the nominal index and the Monte-Carlo rank intervals.

Run: python benchmarks/bench_composite.py [--runs 1000] [--repeat 3]
Synthetic log-normal data (skewed, so the outlier treatment does real work), a few values missing, three
pillars; the engine is pure numpy, no database. Prints the best of ``--repeat`` timings.
"""

import argparse
import time

import numpy as np

from ipoffice.indicators.composite import IndexSpec, IndicatorSpec, compute, uncertainty


def table(units: int, indicators: int, missing: float, seed: int) -> dict:
    rng = np.random.default_rng(seed)
    values = rng.lognormal(mean=3, sigma=1.2, size=(units, indicators))
    values[rng.random(values.shape) < missing] = np.nan
    return {f"u{i:05d}": {f"i{j:02d}": (None if np.isnan(v) else float(v)) for j, v in enumerate(row)}
            for i, row in enumerate(values)}


def best(repeat: int, fn):
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"numpy {np.__version__}; best of {args.repeat}")
    for units, indicators in ((21, 10), (3000, 20)):
        spec = IndexSpec("bench", "基准", "Benchmark",
                         tuple(IndicatorSpec(f"i{j:02d}", group=f"g{j % 3}") for j in range(indicators)),
                         missing="reweight", min_coverage=0.6)
        data = table(units, indicators, missing=0.05, seed=1)
        nominal_time, nominal = best(args.repeat, lambda spec=spec, data=data: compute(spec, data))
        mc_time, mc = best(args.repeat, lambda spec=spec, data=data, nominal=nominal:
                           uncertainty(spec, data, runs=args.runs, seed=0, nominal=nominal))
        widths = [u.rank_high - u.rank_low for u in mc.units if u.rank_low is not None]
        print(f"{units:>5} units × {indicators:>2} indicators: compute {nominal_time * 1000:8.1f} ms; "
              f"uncertainty {args.runs} runs {mc_time * 1000:8.1f} ms "
              f"({len(mc.units)} units, {len(nominal.treatment)} indicators treated, "
              f"median 5–95 % rank interval width {np.median(widths):.0f})")


if __name__ == "__main__":
    main()
