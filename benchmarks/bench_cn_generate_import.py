"""Time the CN patent generator and the import of what it writes, for N records.

Run:
    python benchmarks/bench_cn_generate_import.py [--sizes 10000 100000] [--import-format csv] [--generate csv]
        SQLite (the default): a fresh database file per size under --dir (default /tmp/ipoffice-bench-cn)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ipoffice_bench_cn python benchmarks/bench_cn_generate_import.py
        PostgreSQL: a fresh database per size, DATABASE_URL's name with the size appended (dropped first)

Per size: the generator writes the records as CSV, XLSX and XML (each timed on its own: records/s over wall
time and per CPU second); then ``import_file`` reads the chosen format into the empty registry (entities,
districts, search index and all: docs/s) and reads it once more (every record unchanged). The machine's other
load shows in wall time; CPU time is the steadier figure. On a PostgreSQL server on this machine, the
server's CPU seconds are read from /proc and counted with the client's. Prints only; no asserts.
"""

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from benchdb import open_database, server_cpu_seconds

FORMATS = ("csv", "xlsx", "xml")


def timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def rate(count: int, wall: float, cpu: float) -> str:
    return f"{count / wall:>8,.0f}/s wall {count / cpu:>8,.0f}/s CPU ({wall:6.1f} s)"


def run_one(size: int, seed: int, import_format: str, formats: list[str], out: Path) -> None:
    from django.core.management import call_command
    from django.db import connection

    from ipoffice.patents import generator
    from ipoffice.patents.importing import import_file

    call_command("setup", stdout=open(os.devnull, "w"))
    vendor = connection.vendor
    version = connection.cursor().connection.info.server_version if vendor == "postgresql" else None
    engine = f"PostgreSQL {version // 10000}.{version % 100}" if version else \
        f"SQLite {__import__('sqlite3').sqlite_version}"
    reference = generator.load_reference()
    print(f"\n{engine}: {size:,} generated CN patents (IPC: {Path(reference.ipc_source).name}; "
          f"districts: {reference.region_source})")
    shutil.rmtree(out, ignore_errors=True)
    paths = {}
    for fmt in dict.fromkeys([*formats, import_format]):
        summary, wall, cpu = timed(lambda fmt=fmt: generator.generate(
            out / fmt, size, seed, formats=[fmt], per_file=10000, reference=reference))
        paths[fmt] = summary.paths[fmt]
        megabytes = sum(p.stat().st_size for p in paths[fmt]) / 1e6
        print(f"  generate {fmt:<4} {rate(size, wall, cpu)}  {megabytes:7.1f} MB in {len(paths[fmt])} file(s)")
    for label in ("import", "re-import"):
        server = server_cpu_seconds()
        manifests, wall, cpu = timed(lambda: [import_file(p) for p in paths[import_format]])
        read = sum(m.read for m in manifests)
        counts = {k: sum(getattr(m, k) for m in manifests) for k in ("created", "updated", "unchanged", "rejected")}
        failed = [m.error for m in manifests if m.status != "done"]
        print(f"  {label:<9} {import_format:<4} {rate(read, wall, cpu)}  {counts}" + (f" FAILED {failed}" if failed
                                                                                      else ""))
        if server is not None:
            server = server_cpu_seconds() - server
            print(f"  {'':<14} server {server:6.1f} CPU s; client and server {read / (cpu + server):>8,.0f} docs per "
                  "CPU second")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000])
    parser.add_argument("--import-format", choices=FORMATS, default="csv")
    parser.add_argument("--generate", choices=FORMATS, nargs="+", default=list(FORMATS),
                        help="formats to generate (and time); the import format always is")
    parser.add_argument("--seed", type=int, default=2016)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/ipoffice-bench-cn"))
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        open_database("cn", args.one, args.dir, fresh=True)
        run_one(args.one, args.seed, args.import_format, args.generate, args.dir / f"files-{args.one}")
        return
    for size in args.sizes:  # one process per size: Django reads its settings once per process
        subprocess.run([sys.executable, __file__, "--one", str(size), "--seed", str(args.seed), "--import-format",
                        args.import_format, "--generate", *args.generate, "--dir", str(args.dir)], check=True)


if __name__ == "__main__":
    main()
