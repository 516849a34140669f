"""Time a navigation project end to end over N generated CN patents: snapshot, dataset load, analyses, report.

Run:
    python benchmarks/bench_navigation.py [--size 100000] [--dir /tmp/ipoffice-bench-nav]
        SQLite (the default): the database file is built once under --dir and reused on later runs
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ipoffice_bench_nav python benchmarks/bench_navigation.py
        PostgreSQL: DATABASE_URL's name with the size appended, created and filled when missing

The corpus is the demo's: the CN patent generator writes the 60-column export, ``import_file`` reads it (entities,
districts, search index and all). Two projects are timed: the worked example (its YAML definition, a few thousand
patents of batteries and charging) and the same definition with the query ``*``, whose dataset is the whole
corpus (the analyses over N patents). For each: the snapshot build (matching the queries, ``build_dataset``,
``dumps``, then ``take_snapshot`` whole), loading the dataset, every analysis (``run_all``, then each one alone),
the HTML and the PDF report. Prints seconds; no asserts.
"""

import argparse
import os
import tempfile
import time
from pathlib import Path

from benchdb import open_database


def build(size: int, seed: int, directory: Path) -> None:
    """Set the database up and import ``size`` generated patents, unless it holds them already."""
    from django.core.management import call_command

    from ipoffice.patents import generator
    from ipoffice.patents.importing import import_file
    from ipoffice.patents.models import Patent

    call_command("setup", stdout=open(os.devnull, "w"))
    have = Patent.objects.filter(is_generated=True).count()
    if have >= size:
        print(f"corpus: {have:,} generated patents (built before)")
        return
    if have:
        raise SystemExit(f"the database holds {have:,} of {size:,} patents: delete it and run again")
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(dir=directory) as folder:
        summary = generator.generate(Path(folder), size, seed, formats=["csv"], per_file=10000)
        for path in summary.paths["csv"]:
            manifest = import_file(path)
            print(f"  imported {path.name}: {manifest.created:,} ({manifest.status})", flush=True)
    print(f"corpus: {size:,} generated patents built in {time.perf_counter() - start:,.0f} s")


def timed(label: str, function, indent: int = 2):
    start = time.perf_counter()
    result = function()
    print(f"{' ' * indent}{label:<40} {time.perf_counter() - start:8.3f} s", flush=True)
    return result


def bench_project(project) -> None:
    from ipoffice.navigation import report
    from ipoffice.navigation.analyses import keys, run, run_all
    from ipoffice.navigation.counting import Rules
    from ipoffice.navigation.dataset import build_dataset, dumps, loads
    from ipoffice.navigation.snapshots import node_members, rules_of, take_snapshot
    from ipoffice.patents.search.services import matching_patent_ids

    query = project.current_query.text
    print(f"\n{project.slug}: {query[:80]}")
    rules = Rules.of(project)
    ids = set(timed("match the query", lambda: matching_patent_ids(query)))
    tree, members = timed("match the branches", lambda: node_members(project, ids))
    effects = timed("match the effects", lambda: {e.name: set(matching_patent_ids(e.query)) & ids
                                                    for e in project.effects.all()})
    dataset = timed("build_dataset", lambda: build_dataset(ids, cutoff=rules.cutoff, query=query, nodes=tree,
                                                            node_members=members, effects=effects,
                                                            region=project.region.code))
    data = timed("dumps", lambda: dumps(dataset))
    snapshot = timed("take_snapshot (all of the above)", lambda: take_snapshot(project))
    print(f"  {snapshot.patent_count:,} patents in the snapshot, {len(data) / 1e6:.1f} MB gzip JSON")
    dataset = timed("load the dataset (loads)", lambda: loads(snapshot.data))
    rules = rules_of(snapshot)
    analyses = timed("run_all (every analysis)", lambda: run_all(dataset, rules))
    for key in keys():
        timed(key, lambda key=key: run(key, dataset, rules), indent=4)
    html = timed("render HTML", lambda: report.render_html(snapshot, analyses=analyses))
    pdf = timed("render PDF", lambda: report.render_pdf(snapshot, html=html))
    print(f"  report: {len(html) / 1e6:.2f} MB HTML, {len(pdf) / 1e6:.2f} MB PDF, {len(analyses)} analyses")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100000)
    parser.add_argument("--seed", type=int, default=2016)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/ipoffice-bench-nav"))
    args = parser.parse_args()
    open_database("nav", args.size, args.dir)
    import yaml
    from django.utils import translation

    from ipoffice.navigation.definition import EXAMPLE, load_definition

    build(args.size, args.seed, args.dir)
    translation.activate("zh-hans")
    bench_project(load_definition(EXAMPLE))
    spec = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    spec.update(slug="bench-whole-corpus", name="whole corpus", query="*")
    whole = args.dir / "whole-corpus.yaml"
    whole.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    bench_project(load_definition(whole))

if __name__ == "__main__":
    main()
