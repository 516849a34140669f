from pathlib import Path

from django.core.management.base import CommandError

from ipoffice.core.commands import SubcommandCommand
from ipoffice.indicators.evaluation import evaluate_plan
from ipoffice.indicators.models import Plan
from ipoffice.indicators.observations import import_observations
from ipoffice.indicators.plans import load_plan
from ipoffice.regions.services import find_region

EVALUATION_FIELDS = ["indicator", "name_zh", "kind", "unit", "target", "baseline", "latest_value", "latest_year",
                     "progress", "time_elapsed", "actual_cagr", "required_cagr", "projection", "status", "reason"]


class Command(SubcommandCommand):
    help = "Plan indicators: import observations, load a plan file, evaluate a plan's targets."

    def add_subcommands(self, subparsers):
        imp = subparsers.add_parser("import", help="observations from CSV or XLSX (indicator,region,year,value,...)")
        imp.add_argument("paths", nargs="+", type=Path)
        imp.add_argument("--source", help="source to record where the file has no 'source' column")
        imp.add_argument("--skip-unknown-regions", action="store_true",
                         help="skip rows whose region is not a division (e.g. 合计, 国外小计)")
        plan = subparsers.add_parser("load-plan", help="create or update a plan from its YAML file")
        plan.add_argument("path", type=Path)
        evaluate = subparsers.add_parser("evaluate", help="evaluate every target of a plan")
        evaluate.add_argument("--plan", default="gd-ip-13th")
        evaluate.add_argument("--as-of", type=int, required=True, help="evaluation year")
        evaluate.add_argument("--region", help="evaluate for another region (code or name)")
        evaluate.add_argument("--format", choices=["json", "table"], default="table")

    def do_import(self, paths, source, skip_unknown_regions, **_):
        for path in paths:
            result = import_observations(path, source=source, skip_unknown_regions=skip_unknown_regions)
            self.stdout.write(f"{path}: {result}")

    def do_load_plan(self, path, **_):
        plan = load_plan(path)
        self.stdout.write(f"{plan.code}: {plan.targets.count()} targets")

    def do_evaluate(self, plan, as_of, region, format, **_):
        try:
            plan_obj = Plan.objects.get(code=plan)
        except Plan.DoesNotExist as error:
            known = ", ".join(Plan.objects.values_list("code", flat=True)) or "none: run ipoffice setup"
            raise CommandError(f"unknown plan '{plan}' (plans: {known})") from error
        rows = [{k: e.as_dict()[k] for k in EVALUATION_FIELDS}
                for e in evaluate_plan(plan_obj, as_of, find_region(region) if region else None)]
        if format == "json":
            self.emit(rows)
            return
        for row in rows:
            self.stdout.write(
                f"{row['status']:<10} {row['name_zh']:<28} target {_fmt(row['target'])}  "
                f"latest {_fmt(row['latest_value'])} ({row['latest_year'] or '-'})  "
                f"progress {_pct(row['progress'])}  CAGR {_pct(row['actual_cagr'])}  {row['reason']}")


def _fmt(value):
    return f"{value:>12,.2f}" if value is not None else f"{'-':>12}"


def _pct(value):
    return f"{value:>7.1%}" if value is not None else f"{'-':>7}"
