"""Time the USPTO parsers: documents per second parsing go-uspto_test.xml (a weekly-bulk-style file of two
v4.5 grants) concatenated N times into one file, streamed document by document. No database.

Run: python benchmarks/bench_uspto_parse.py [--copies 500] [--repeat 3]
Reads ../shared/data/patents/uspto/go-uspto_test.xml (or $IPOFFICE_SHARED_DATA/patents/uspto/…).
Also times every other USPTO sample file once, for the per-format figures. Prints the best of ``--repeat``.
"""

import argparse
import os
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


def parse_all(path: Path) -> tuple[str, int, int]:
    parser = detect_parser(path)
    documents = errors = 0
    for record in parser().parse(path):
        if isinstance(record, ParsedPatent):
            documents += 1
        else:
            errors += 1
    return parser.format, documents, errors


def best(repeat: int, fn):
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    folder = SHARED / "patents" / "uspto"
    sample = folder / "go-uspto_test.xml"
    if not sample.is_file():
        sys.exit(f"{sample} not found (set IPOFFICE_SHARED_DATA)")
    data = sample.read_bytes()
    with tempfile.TemporaryDirectory() as tmp:
        bulk = Path(tmp) / "ipg-bench.xml"
        with bulk.open("wb") as fh:
            for _ in range(args.copies):
                fh.write(data if data.endswith(b"\n") else data + b"\n")
        size = bulk.stat().st_size
        seconds, (fmt, documents, errors) = best(args.repeat, lambda: parse_all(bulk))
    print(f"{sample.name} × {args.copies}: {size / 1e6:.1f} MB, {documents} documents ({errors} errors), {fmt}; "
          f"best of {args.repeat}: {seconds:.2f} s = {documents / seconds:,.0f} docs/s, "
          f"{size / 1e6 / seconds:.1f} MB/s")
    for path in sorted(folder.iterdir()):
        if path.name == sample.name or "LICENSE" in path.name or not path.is_file():
            continue
        seconds, (fmt, documents, errors) = best(args.repeat, lambda path=path: parse_all(path))
        print(f"  {path.name:<40} {fmt:<24} {documents} doc(s) {seconds * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
