"""``ipoffice patents …``: the patent registry's sub-commands.

Each sub-command is a pair: ``add_<name>(subparsers)`` declares its arguments (called from
``add_subcommands``) and ``do_<name>(**options)`` runs it.
"""

from django.core.management.base import CommandError

from ipoffice.core.commands import SubcommandCommand
from ipoffice.patents.search import services as search
from ipoffice.patents.search.backends import SORTS


class Command(SubcommandCommand):
    help = "Patents: search the registry, rebuild the search index."

    def add_subcommands(self, subparsers):
        self.add_search(subparsers)
        self.add_reindex(subparsers)

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
