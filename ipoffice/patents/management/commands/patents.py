"""``ipoffice patents …``: the patent registry's sub-commands.

Each sub-command is a pair: ``add_<name>(subparsers)`` declares its arguments (called from
``add_subcommands``) and ``do_<name>(**options)`` runs it.
"""

import time
from pathlib import Path

from django.core.management.base import CommandError

from ipoffice.core.commands import SubcommandCommand
from ipoffice.patents.search import services as search
from ipoffice.patents.search.backends import SORTS


class Command(SubcommandCommand):
    help = "Patents: import files, search the registry, rebuild the search index, load the IPC table."

    def add_subcommands(self, subparsers):
        self.add_import(subparsers)
        self.add_search(subparsers)
        self.add_reindex(subparsers)
        self.add_import_ipc(subparsers)

    # ------------------------------------------------------------------------------------------------ import
    def add_import(self, subparsers):
        parser = subparsers.add_parser("import", help="import patent files or folders (format detected)")
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument("--format", choices=["json", "table"], default="table", help="how to print manifests")

    def do_import(self, paths, format, **_):
        from ipoffice.patents.importing import expand_paths, import_file

        files = expand_paths(paths)
        if not files:
            raise CommandError(f"no files under {', '.join(map(str, paths))}")
        manifests, failed = [], 0
        for number, path in enumerate(files, start=1):
            started = time.perf_counter()
            label = f"[{number}/{len(files)}] {path.name}"
            manifest = import_file(path, progress=lambda n, label=label: self.stderr.write(
                f"\r{label}: {n:,} records", ending=""))
            seconds = time.perf_counter() - started
            self.stderr.write("")
            failed += manifest.status != "done"
            manifests.append(_manifest_dict(manifest, seconds))
            if format == "table":
                m = manifests[-1]
                line = (f"{m['status']:<6} {path}  format {m['format'] or '?'}: read {m['read']}, created "
                        f"{m['created']}, updated {m['updated']}, unchanged {m['unchanged']}, rejected "
                        f"{m['rejected']} ({m['docs_per_second']:,.0f} docs/s)")
                self.stdout.write(line)
                if m["error"]:
                    self.stdout.write(f"       {m['error']}")
                for problem in m["problems"][:10]:
                    self.stdout.write(f"       {problem['record']}: {problem['reason']}")
        if format == "json":
            self.emit(manifests)
        if failed:
            raise CommandError(f"{failed} of {len(files)} files failed (see above); nothing of them was written")

    # ------------------------------------------------------------------------------------------------ IPC
    def add_import_ipc(self, subparsers):
        parser = subparsers.add_parser("import-ipc", help="IPC symbols with Chinese titles (symbol,level,title_zh,"
                                                          "parent; .csv or .csv.gz)")
        parser.add_argument("path", type=Path)
        parser.add_argument("--edition", default="2026.01")

    def do_import_ipc(self, path, edition, **_):
        from ipoffice.patents.classification import load_ipc

        self.stdout.write(f"{path}: {load_ipc(path, edition)}")

    # ------------------------------------------------------------------------------------------------ search
    def add_search(self, subparsers):
        parser = subparsers.add_parser(
            "search", help="search patents with the query language, e.g. 'title:无人机 AND applicant:大疆'")
        parser.add_argument("query", help="the query ('' or '*' for every patent)")
        parser.add_argument("--format", choices=["json", "table"], default="table")
        parser.add_argument("--page", type=int, default=1)
        parser.add_argument("--size", type=int, default=20, help="hits per page (at most 1000)")
        parser.add_argument("--sort", choices=SORTS, default="relevance")
        parser.add_argument("--family", action="store_true", help="one hit per patent family")
        parser.add_argument("--no-facets", action="store_true", help="leave out the facet counts")

    def do_search(self, query, format, page, size, sort, family, no_facets, **_):
        try:
            result = search.search_patents(query, sort=sort, page=page, page_size=size, one_per_family=family,
                                           facets=not no_facets)
        except search.QueryError as error:
            raise CommandError(f"{error.reason} (at position {error.position + 1})\n{error.caret()}") from error
        data = search.result_as_dict(result)
        if format == "json":
            self.emit(data)
            return
        first = (result.page - 1) * result.page_size
        self.stdout.write(f"{data['total']} patents; {first + 1 if data['hits'] else 0}–{first + len(data['hits'])}")
        for hit in data["hits"]:
            applicant = hit["applicants"][0] if hit["applicants"] else ""
            self.stdout.write(f"{hit['number']:<18} {hit['application_date'] or '':<10} {hit['ipc_main']:<12} "
                              f"{hit['legal_status'] or '-':<9} {hit['title'][:40]}  [{applicant[:30]}]")
        for name, values in data["facets"].items():
            if values:
                shown = ", ".join(f"{v['label']} {v['count']}" for v in values[:10])
                self.stdout.write(f"{name}: {shown}")

    # ------------------------------------------------------------------------------------------------ reindex
    def add_reindex(self, subparsers):
        parser = subparsers.add_parser("reindex", help="rebuild the full-text search index from the registry")
        parser.add_argument("--batch", type=int, default=2000)

    def do_reindex(self, batch, **_):
        from ipoffice.patents.search.indexing import reindex_all

        count = reindex_all(batch=batch, progress=lambda n: self.stderr.write(f"\r{n} indexed", ending=""))
        self.stderr.write("")
        self.stdout.write(f"{count} patents indexed")


def _manifest_dict(manifest, seconds: float) -> dict:
    return {"path": manifest.path, "format": manifest.format, "status": manifest.status, "read": manifest.read,
            "created": manifest.created, "updated": manifest.updated, "unchanged": manifest.unchanged,
            "rejected": manifest.rejected, "problems": manifest.problems, "error": manifest.error,
            "sha256": manifest.sha256, "seconds": round(seconds, 3),
            "docs_per_second": manifest.read / seconds if seconds > 0 else 0.0}
