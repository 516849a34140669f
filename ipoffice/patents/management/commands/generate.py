"""``ipoffice generate patents``: write generated Chinese patents (CNIPA XML, the 60-column export as CSV/XLSX).

    ipoffice generate patents --count 100000 --seed 2016 --out data/generated --format all

Every record is marked as generated (数据来源; ``generated="yes"`` in the XML); see
:mod:`ipoffice.patents.generator` for what is real in them and what is made up.
"""

import time
from datetime import date
from pathlib import Path

from django.core.management.base import CommandError

from ipoffice.core.commands import SubcommandCommand
from ipoffice.patents import generator


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"--as-of: '{text}' is not a date (YYYY-MM-DD)") from error


class Command(SubcommandCommand):
    help = "Generate demo data in real layouts, marked as generated (patents: CNIPA XML, CSV, XLSX)."

    def add_subcommands(self, subparsers):
        parser = subparsers.add_parser("patents", help="Chinese patents of Guangdong applicants (generated)")
        parser.add_argument("--count", type=int, default=1000, help="records to write (default 1000)")
        parser.add_argument("--seed", type=int, default=2016, help="same seed, same files (default 2016)")
        parser.add_argument("--out", type=Path, required=True, help="folder to write into (created if needed)")
        parser.add_argument("--format", choices=["xml", "csv", "xlsx", "all"], default="csv")
        parser.add_argument("--per-file", type=int, default=10000, help="XML documents per file (default 10000)")
        parser.add_argument("--as-of", default=generator.AS_OF.isoformat(),
                            help=f"date of the data: no event after it (default {generator.AS_OF})")
        parser.add_argument("--ipc", type=Path, help="IPC table (csv.gz: symbol,level,title_zh,parent); default: "
                                                     "the shared data folder's, else a shipped list")

    def do_patents(self, count, seed, out, format, per_file, as_of, ipc, **_):
        if count < 1:
            raise CommandError("--count must be at least 1")
        if ipc is not None and not ipc.exists():
            raise CommandError(f"{ipc}: no such file")
        formats = ["csv", "xlsx", "xml"] if format == "all" else [format]
        cpu = time.process_time()
        reference = generator.load_reference(ipc)
        self.stdout.write(f"reference: IPC from {reference.ipc_source}; {len(reference.places)} Guangdong divisions "
                          f"from {'the Region table' if reference.region_source == 'db' else 'cpca'}")
        summary = generator.generate(out, count, seed, formats=formats, per_file=per_file, as_of=_date(as_of),
                                     reference=reference)
        cpu = time.process_time() - cpu
        for fmt, paths in summary.paths.items():
            size = sum(p.stat().st_size for p in paths) / 1e6
            shown = str(paths[0]) if len(paths) == 1 else f"{len(paths)} files in {out}"
            self.stdout.write(f"  {fmt:<4} {shown} ({size:.1f} MB; writing {summary.seconds_by_format[fmt]:.1f} s)")
        self.stdout.write(self.style.SUCCESS(
            f"generated {summary.count} patents (marked: {generator.GENERATED_MARK}) in {summary.seconds:.1f} s: "
            f"{summary.per_second:,.0f} records/s ({count / cpu if cpu else 0:,.0f} records per CPU second)"))
