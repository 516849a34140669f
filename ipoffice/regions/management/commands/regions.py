from pathlib import Path

from ipoffice.core.commands import SubcommandCommand
from ipoffice.regions import services


class Command(SubcommandCommand):
    help = "Regions: import population or a division list, resolve addresses to districts."

    def add_subcommands(self, subparsers):
        pop = subparsers.add_parser("import-population", help="population CSV: region,year,population_10k,source")
        pop.add_argument("path", type=Path)
        pop.add_argument("--source", help="source to record where the file has no 'source' column")
        pop.add_argument("--skip-outside", action="store_true",
                         help="skip rows of places outside the division tree (e.g. Hong Kong)")
        div = subparsers.add_parser("import-divisions", help="NBS division list CSV: code,name,...")
        div.add_argument("path", type=Path)
        resolve = subparsers.add_parser("resolve", help="resolve addresses to their district")
        resolve.add_argument("addresses", nargs="+")
        resolve.add_argument("--format", choices=["json", "table"], default="table")

    def do_import_population(self, path, source, skip_outside, **_):
        counts = services.import_population(path, source=source, skip_outside=skip_outside)
        self.stdout.write(f"{path}: {counts}")

    def do_import_divisions(self, path, **_):
        self.stdout.write(f"{path}: {services.apply_division_list(path)}")

    def do_resolve(self, addresses, format, **_):
        results = services.resolve_addresses(addresses)
        rows = []
        for address, result in zip(addresses, results, strict=True):
            region = result.region
            rows.append({"address": address, "code": result.code, "region": region.name if region else None,
                         "confidence": result.confidence, "method": result.method})
        if format == "json":
            self.emit(rows)
        else:
            for row in rows:
                self.stdout.write(f"{row['code'] or '-':<7} {row['confidence']:.2f}  {row['region'] or '-':<8} "
                                  f"{row['address']}  ({row['method']})")
