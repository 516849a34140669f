"""``ipoffice navigation`` sub-commands of projects: run a project from its YAML definition, take a snapshot, print
the latest snapshot's analyses."""

import json
import time
from argparse import ArgumentTypeError
from datetime import date
from pathlib import Path

from django.core.management.base import CommandError

from ipoffice.patents.search.query import QueryError

from ..analyses import keys, run, run_all
from ..definition import load_definition
from ..models import Project
from ..report import write_outputs
from ..snapshots import load_dataset, rules_of, take_snapshot


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise ArgumentTypeError(f"'{text}' is not a date (YYYY-MM-DD)") from error


class ProjectsCommands:
    def add_projects_commands(self, subparsers):
        """Add the sub-commands of this mixin."""
        run = subparsers.add_parser("run", help="build a project from its YAML definition, take a snapshot, run "
                                                "every analysis and write the report and the dataset into DIR")
        run.add_argument("definition", type=Path, help="the project's YAML file")
        run.add_argument("--out", type=Path, required=True, help="folder for report.html, report.pdf, dataset.*")
        run.add_argument("--cutoff", type=_day, help="data cut-off (default: the project's, else today)")
        snapshot = subparsers.add_parser("snapshot", help="freeze a project's dataset with its current query")
        snapshot.add_argument("slug")
        snapshot.add_argument("--cutoff", type=_day)
        analyses = subparsers.add_parser("analyses", help="the latest snapshot's analyses (key, title, columns, "
                                                          "rows, notes)")
        analyses.add_argument("slug")
        analyses.add_argument("--key", help="only this analysis")
        analyses.add_argument("--format", choices=["json"], default="json")

    def _snapshot(self, project, cutoff):
        try:
            return take_snapshot(project, cutoff=cutoff)
        except QueryError as error:
            raise CommandError(f"{project.slug}: the search query cannot be read: {error}\n{error.caret()}") \
                from error
        except ValueError as error:
            raise CommandError(str(error)) from error

    def do_run(self, definition, out, cutoff, **_):
        if not definition.is_file():
            raise CommandError(f"{definition}: no such file")
        started = time.perf_counter()
        project = load_definition(definition)
        self.stdout.write(f"project {project.slug}: {project.name} (query v{project.current_query.version}, "
                          f"{project.nodes.count()} branches, {project.effects.count()} effects)")
        mark = time.perf_counter()
        snapshot = self._snapshot(project, cutoff)
        self.stdout.write(f"snapshot {snapshot.pk}: {snapshot.patent_count} patents to {snapshot.cutoff_date}, "
                          f"fingerprint {snapshot.fingerprint[:16]} ({time.perf_counter() - mark:.2f} s)")
        mark = time.perf_counter()
        analyses = run_all(load_dataset(snapshot), rules_of(snapshot))
        self.stdout.write(f"analyses: {len(analyses)} ({', '.join(a.key for a in analyses)}) "
                          f"({time.perf_counter() - mark:.2f} s)")
        mark = time.perf_counter()
        paths = write_outputs(snapshot, out, analyses=analyses)
        self.stdout.write(f"written to {out} ({time.perf_counter() - mark:.2f} s):")
        for path in paths:
            self.stdout.write(f"  {path.name:<24} {path.stat().st_size:>12,} bytes")
        self.stdout.write(f"done in {time.perf_counter() - started:.2f} s")

    def _project(self, slug):
        project = Project.objects.filter(slug=slug).first()
        if project is None:
            raise CommandError(f"no project {slug!r}; there are: "
                               f"{', '.join(Project.objects.order_by('slug').values_list('slug', flat=True)) or '-'}")
        return project

    def do_snapshot(self, slug, cutoff, **_):
        snapshot = self._snapshot(self._project(slug), cutoff)
        self.stdout.write(f"snapshot {snapshot.pk}: {snapshot.patent_count} patents to {snapshot.cutoff_date}, "
                          f"fingerprint {snapshot.fingerprint}")

    def do_analyses(self, slug, key, format, **_):
        snapshot = self._project(slug).latest_snapshot
        if snapshot is None:
            raise CommandError(f"project {slug} has no snapshot yet: take one with `ipoffice navigation snapshot "
                               f"{slug}`")
        dataset, rules = load_dataset(snapshot), rules_of(snapshot)
        if key and key not in keys():
            raise CommandError(f"no analysis {key!r}; there are: {', '.join(keys())}")
        analyses = [run(key, dataset, rules)] if key else run_all(dataset, rules)
        data = [{"key": a.key, "title": a.title, "columns": [{"key": c.key, "label": c.label, "kind": c.kind}
                                                             for c in a.columns],
                 "rows": a.rows, "notes": a.notes} for a in analyses]
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str))
