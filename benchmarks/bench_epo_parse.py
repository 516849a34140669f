"""Time the EPO parsers: documents per second, no database.

* EPS: every file of ``patents/epo_eps`` (one document each, A1 to B2, DTD v1.0 – v1.5.1) parsed in turn;
* DOCDB bulk: the ten documents of ``DE-backfile.xml`` repeated into one exchange file of ``--copies`` × 10
  documents (a real DOCDB delivery holds ~18,000), streamed with the peak memory it takes;
* DOCDB and OPS samples: every file once.

Run: python benchmarks/bench_epo_parse.py [--copies 2000] [--repeat 3]
Reads ../shared/data/patents/epo_* (or $IPOFFICE_SHARED_DATA/patents/…). Prints the best of ``--repeat``.
"""

import argparse
import os
import re
import resource
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipoffice.settings")

import django  # noqa: E402

django.setup()

from ipoffice.patents.importers.base import ParsedPatent, detect_parser  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("IPOFFICE_SHARED_DATA", ROOT.parent / "shared" / "data"))


def parse(paths: list[Path]) -> tuple[int, int]:
    documents = errors = 0
    for path in paths:
        for record in detect_parser(path)().parse(path):
            if isinstance(record, ParsedPatent):
                documents += 1
            else:
                errors += 1
    return documents, errors


def best(repeat: int, paths: list[Path]) -> tuple[float, float, int, int]:
    """(wall seconds, CPU seconds, documents, errors), the best of ``repeat`` runs."""
    walls, cpus, result = [], [], (0, 0)
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = parse(paths)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus), *result


def report(label: str, wall: float, cpu: float, documents: int, errors: int, size: int) -> None:
    """docs/s by the clock and by CPU time (on a busy machine the second is the parser's own speed)."""
    print(f"{label:<28} {documents:>6} docs {errors:>2} errors  {wall:7.3f} s  {documents / wall:7.0f} docs/s"
          f"  {documents / max(cpu, 1e-9):7.0f} docs/cpu-s  {size / wall / 2**20:6.1f} MB/s")


def bulk_docdb(sample: Path, copies: int, target: Path) -> None:
    """DE-backfile's documents repeated, each copy with its own doc-numbers, in one exchange file."""
    text = sample.read_text(encoding="utf-8")
    head, rest = text.split("<exch:exchange-document ", 1)
    body, tail = rest.rsplit("</exch:exchange-documents>", 1)
    body = "<exch:exchange-document " + body
    with target.open("w", encoding="utf-8") as fh:
        fh.write(head)
        for copy in range(copies):
            fh.write(re.sub(r'doc-number="(\d+)"', lambda m, c=copy: f'doc-number="{c}{m[1]}"', body))
        fh.write("</exch:exchange-documents>" + tail)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    folders = {name: SHARED / "patents" / name for name in ("epo_eps", "epo_docdb", "epo_ops")}
    if not all(f.is_dir() for f in folders.values()):
        sys.exit(f"{SHARED / 'patents'}/epo_* not found (set IPOFFICE_SHARED_DATA)")
    files = {name: sorted(f.glob("*.xml")) for name, f in folders.items()}
    for name, paths in files.items():
        report(f"{name} ({len(paths)} files)", *best(args.repeat, paths), sum(p.stat().st_size for p in paths))
    with tempfile.TemporaryDirectory() as tmp:
        bulk = Path(tmp) / "DOCDB-bench-DE.xml"
        bulk_docdb(folders["epo_docdb"] / "DE-backfile.xml", args.copies, bulk)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        timings = best(args.repeat, [bulk])
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        report(f"DOCDB bulk ({bulk.stat().st_size / 2**20:.0f} MB)", *timings, bulk.stat().st_size)
        print(f"peak memory {peak / 1024:.0f} MB (grew {max(0, peak - before) / 1024:.0f} MB while streaming)")


if __name__ == "__main__":
    main()
