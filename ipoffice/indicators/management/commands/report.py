import time
from pathlib import Path

from django.core.management.base import CommandError

from ipoffice.core.commands import SubcommandCommand
from ipoffice.indicators.models import Plan
from ipoffice.indicators.report import write_report


class Command(SubcommandCommand):
    help = "Reports: the annual IP status report (HTML, PDF and XLSX)."

    def add_subcommands(self, subparsers):
        annual = subparsers.add_parser("annual", help="广东省知识产权发展状况报告 for a year")
        annual.add_argument("--year", type=int, required=True)
        annual.add_argument("--plan", default="gd-ip-13th")
        annual.add_argument("--out", type=Path, default=None, help="folder (default: ./report-YEAR)")

    def do_annual(self, year, plan, out, **_):
        plan_obj = Plan.objects.filter(code=plan).first()
        if plan_obj is None:
            raise CommandError(f"unknown plan '{plan}': run ipoffice setup, or load it with indicators load-plan")
        started = time.perf_counter()
        paths = write_report(plan_obj, year, out or Path(f"report-{year}"))
        for kind, path in paths.items():
            self.stdout.write(f"{kind:<5} {path} ({path.stat().st_size:,} bytes)")
        self.stdout.write(f"done in {time.perf_counter() - started:.1f} s")
