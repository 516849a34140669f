"""Time the annual report: context (evaluation, charts), HTML, PDF and XLSX, on the demo database.

Run: python benchmarks/bench_report.py [--year 2020]   (after `ipoffice setup`; uses $IPOFFICE_DATA_DIR)
"""

import argparse
import os
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipoffice.settings")

import django  # noqa: E402

django.setup()

from django.template.loader import render_to_string  # noqa: E402
from django.utils import translation  # noqa: E402

from ipoffice.indicators import charts, report  # noqa: E402
from ipoffice.indicators.models import Observation, Plan  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--year", type=int, default=2020)
    parser.add_argument("--plan", default="gd-ip-13th")
    args = parser.parse_args()
    plan = Plan.objects.get(code=args.plan)
    print(f"observations in the database: {Observation.objects.count()}")
    for run in ("cold", "warm"):
        if run == "cold":
            charts._render.cache_clear()
        timings = {}
        start = time.perf_counter()
        with translation.override("zh-hans"):
            context = report.report_context(plan, args.year)
            timings["context (evaluation + charts)"] = time.perf_counter() - start
            mark = time.perf_counter()
            html = render_to_string("indicators/report.html", context)
            timings["html"] = time.perf_counter() - mark
        mark = time.perf_counter()
        pdf = report.render_pdf(html)
        timings["pdf (WeasyPrint)"] = time.perf_counter() - mark
        mark = time.perf_counter()
        xlsx = report.render_xlsx(context)
        timings["xlsx"] = time.perf_counter() - mark
        total = time.perf_counter() - start
        print(f"{run} run: " + ", ".join(f"{k} {v:.2f} s" for k, v in timings.items()) + f"; total {total:.2f} s"
              f" (html {len(html):,} B, pdf {len(pdf):,} B, xlsx {len(xlsx):,} B)")


if __name__ == "__main__":
    main()
