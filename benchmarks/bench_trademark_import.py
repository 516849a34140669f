"""Time the trademark pipeline on generated marks: writing the CSV, the bulk loader, the transactional importer,
building the clearance index and clearance queries.

Run: python benchmarks/bench_trademark_import.py [--count 200000] [--import-count 5000] [--workers N]
     (a fresh SQLite database in a temporary data directory; with --keep-db and DATABASE_URL set, that database).
The province's target is 2.1 million valid marks (2020): --count 2100000 writes and loads them all.
"""

import argparse
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=200_000, help="marks to generate and bulk-load")
    parser.add_argument("--import-count", type=int, default=5000, help="marks for the transactional importer")
    parser.add_argument("--workers", type=int, default=None, help="processes writing the CSV (default: all cores)")
    parser.add_argument("--queries", type=int, default=20)
    parser.add_argument("--keep-db", action="store_true", help="use $DATABASE_URL / $IPOFFICE_DATA_DIR as they are")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-tm-"))
    if not args.keep_db:
        os.environ["IPOFFICE_DATA_DIR"] = str(workdir / "data")
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipoffice.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from ipoffice.trademarks.bulk import bulk_load
    from ipoffice.trademarks.generator import MarkGenerator, write_csv
    from ipoffice.trademarks.importing import import_file
    from ipoffice.trademarks.models import Trademark
    from ipoffice.trademarks.services import clear, clearance_index

    call_command("setup", stdout=open(os.devnull, "w"))
    print(f"database: {connection.vendor}; cores: {os.cpu_count()}")

    path = workdir / "marks.csv"
    generator = MarkGenerator(seed=2020, as_of=date(2020, 12, 31))
    start = time.perf_counter()
    write_csv(path, args.count, generator=generator, workers=args.workers)
    seconds = time.perf_counter() - start
    print(f"generate CSV: {args.count:,} marks in {seconds:.1f} s = {args.count / seconds:,.0f} marks/s "
          f"({path.stat().st_size / 1e6:,.0f} MB)")

    start = time.perf_counter()
    counts = bulk_load(path)
    seconds = time.perf_counter() - start
    print(f"bulk load: {counts['created']:,} marks in {seconds:.1f} s = {counts['created'] / seconds:,.0f} marks/s")

    small = workdir / "import.csv"
    write_csv(small, args.import_count, generator=MarkGenerator(seed=7, as_of=date(2020, 12, 31)), workers=1)
    Trademark.objects.filter(application_number__in=[str(90_000_001 + i) for i in range(args.import_count)]) \
        .delete()
    start = time.perf_counter()
    manifest = import_file(small)
    seconds = time.perf_counter() - start
    print(f"transactional import (entity matching, manifest): {manifest.created:,} marks in {seconds:.1f} s = "
          f"{manifest.created / seconds:,.0f} marks/s")
    start = time.perf_counter()
    again = import_file(small)
    print(f"re-import of the same file: {again.unchanged:,} unchanged in {time.perf_counter() - start:.1f} s")

    start = time.perf_counter()
    clearance_index(rebuild=True, workers=None)
    print(f"clearance index over {Trademark.objects.count():,} marks: built in {time.perf_counter() - start:.1f} s")
    texts = [row[5] for row in MarkGenerator(seed=99).chunk(0, args.queries)]
    timings = []
    for text in texts:
        start = time.perf_counter()
        clear(text, classes="25", limit=20)
        timings.append(time.perf_counter() - start)
    timings.sort()
    print(f"clearance: {len(timings)} queries, median {timings[len(timings) // 2] * 1000:.0f} ms, "
          f"max {timings[-1] * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
