"""``ipoffice trademarks …``: import, the 区分表, clearance, generated marks, the bulk loader, watches."""

import sys
import time
from datetime import date
from pathlib import Path

from django.core.management.base import CommandError

from ipoffice.core.commands import SubcommandCommand


class Command(SubcommandCommand):
    help = "The trademark register: import files, load the 区分表, clearance search, generate and load demo marks."

    def add_subcommands(self, subparsers):
        p = subparsers.add_parser("import", help="import ST.66, ST.96, EUIPO JSON or Chinese register extracts")
        p.add_argument("paths", nargs="+", type=Path)
        p = subparsers.add_parser("import-classification", help="load an edition of the 类似商品和服务区分表 (JSONL)")
        p.add_argument("file", type=Path)
        p.add_argument("--edition", help="e.g. NCL13-2026 (default: from the file name)")
        p.add_argument("--effective-from", type=date.fromisoformat, help="first filing date it applies to")
        p = subparsers.add_parser("clear", help="clearance search: earlier marks that may conflict")
        p.add_argument("mark")
        p.add_argument("--classes", default="", help="Nice classes, e.g. 9,35")
        p.add_argument("--goods", default="", help="goods or services terms separated by ；")
        p.add_argument("--limit", type=int, default=20)
        p.add_argument("--live", action="store_true", help="only pending and registered marks")
        p.add_argument("--format", choices=["json", "text"], default="text")
        p = subparsers.add_parser("generate", help="write generated Chinese marks (CSV or XLSX), marked generated")
        p.add_argument("out", type=Path)
        p.add_argument("--count", type=int, default=10000)
        p.add_argument("--seed", type=int, default=2020)
        p.add_argument("--as-of", type=date.fromisoformat, default=date(2020, 12, 31))
        p.add_argument("--workers", type=int, default=None)
        p = subparsers.add_parser("bulk-load", help="load a large register extract (CSV) fast")
        p.add_argument("file", type=Path)
        p = subparsers.add_parser("demo", help="generate demo marks into the database (with a watch)")
        p.add_argument("--count", type=int, default=2000)
        p = subparsers.add_parser("watch", help="run the watches against new preliminary publications")
        p.add_argument("--since", type=date.fromisoformat, help="publications from this date (default: last run)")
        subparsers.add_parser("index", help="rebuild the cached clearance index")

    def do_import(self, paths, **options):
        from ipoffice.trademarks.importing import expand_paths, import_file

        files = expand_paths(paths)
        if not files:
            raise CommandError("no files to import")
        failed = 0
        for path in files:
            manifest = import_file(path)
            line = (f"{path}: {manifest.format or '?'} {manifest.status}: read {manifest.read}, created "
                    f"{manifest.created}, updated {manifest.updated}, unchanged {manifest.unchanged}, "
                    f"rejected {manifest.rejected}")
            self.stdout.write(line)
            if manifest.error:
                failed += 1
                self.stderr.write(f"  {manifest.error}")
            for problem in manifest.problems[:20]:
                self.stderr.write(f"  {problem['record']}: {problem['reason']}")
        if failed:
            raise CommandError(f"{failed} of {len(files)} files not imported")

    def do_import_classification(self, file, edition=None, effective_from=None, **options):
        from ipoffice.trademarks.classification import load_classification

        self.emit(load_classification(file, edition=edition, effective_from=effective_from), "text")

    def do_clear(self, mark, classes="", goods="", limit=20, live=False, format="text", **options):
        from ipoffice.trademarks.services import clear

        result = clear(mark, classes=classes, goods=goods, limit=limit, live_only=live)
        if format == "json":
            self.emit({"notice": result.notice, "query": result.query, "classes": result.classes,
                       "edition": result.edition, "unmatched_goods": result.unmatched_goods,
                       "hits": [{"number": h.number, "mark": h.mark, "owner": h.owner, "classes": h.classes,
                                 "score": h.score, "rules": h.rules, "goods_relation": h.goods_relation,
                                 "rank_score": h.rank_score, "status": h.status, "office": h.office}
                                for h in result.hits]})
            return
        self.stdout.write(result.notice)
        for hit in result.hits:
            codes = ",".join(r.get("code", "") for r in hit.rules)
            self.stdout.write(f"{hit.rank_score:.2f}  {hit.number:<12} {hit.mark:<24} {hit.classes} "
                              f"{hit.goods_relation:<12} {codes}  {hit.owner}")

    def do_generate(self, out, count=10000, seed=2020, as_of=None, workers=None, **options):
        from ipoffice.trademarks.generator import write_csv, write_xlsx

        started = time.perf_counter()
        if out.suffix.lower() == ".xlsx":
            write_xlsx(out, count, seed=seed, as_of=as_of)
        else:
            write_csv(out, count, seed=seed, as_of=as_of, workers=workers)
        seconds = time.perf_counter() - started
        self.stdout.write(f"{out}: {count} generated marks in {seconds:.1f} s ({count / max(seconds, 1e-9):,.0f}/s)")

    def do_bulk_load(self, file, **options):
        from ipoffice.trademarks.bulk import bulk_load

        started = time.perf_counter()
        counts = bulk_load(file, progress=lambda n: self.stderr.write(f"\r{n:,} rows", ending="") if
                           sys.stderr.isatty() else None)
        seconds = time.perf_counter() - started
        self.stdout.write(f"{file}: read {counts['read']}, created {counts['created']}, skipped {counts['skipped']} "
                          f"in {seconds:.1f} s")

    def do_demo(self, count=2000, **options):
        from ipoffice.trademarks.demo import generate_demo_marks

        self.stdout.write(f"generated demo marks: {generate_demo_marks(count)}")

    def do_watch(self, since=None, **options):
        from ipoffice.trademarks.watch import run_watches

        result = run_watches(since=since)
        self.stdout.write(f"watches {result.watches}, publications {result.published}, compared {result.compared}, "
                          f"new alerts {result.alerts}")

    def do_index(self, **options):
        from ipoffice.trademarks.services import clearance_index

        started = time.perf_counter()
        clearance_index(rebuild=True, workers=None)
        self.stdout.write(f"clearance index rebuilt in {time.perf_counter() - started:.1f} s")

