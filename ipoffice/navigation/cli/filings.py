"""``ipoffice navigation`` sub-commands of filings: ``filings`` (monthly tracking) and ``signals`` (detection)."""

from datetime import date

from django.core.management.base import CommandError

from .. import filings
from ..models import Signal
from ..signals import KINDS, Options, detect_signals


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"'{text}' is not a date (write it as YYYY-MM-DD)") from None


class FilingsCommands:
    def add_filings_commands(self, subparsers):
        """Add the sub-commands of this mixin."""
        parser = subparsers.add_parser("filings", help="filings per month with the year-on-year change")
        parser.add_argument("--by", choices=filings.GROUPINGS, default="city")
        parser.add_argument("--from", dest="start", help="first month, YYYY-MM (default: 12 months to --to)")
        parser.add_argument("--to", dest="end", help="last month, YYYY-MM (default: last month)")
        parser.add_argument("--region", default="", help="division code, e.g. 4403")
        parser.add_argument("--limit", type=int, default=20, help="largest groups shown")
        parser.add_argument("--format", choices=["json", "table"], default="table")

        parser = subparsers.add_parser("signals", help="detect signals of possibly abnormal filings, for review")
        parser.add_argument("--since", type=_date, help="first filing date (default: 12 months to --until)")
        parser.add_argument("--until", type=_date, help="last filing date (default: the latest in the registry)")
        parser.add_argument("--kinds", default=",".join(KINDS), help=f"comma-separated, of {', '.join(KINDS)}")
        parser.add_argument("--similarity", type=float, default=Options.similarity,
                            help="near-duplicate threshold (Jaccard of character 3-grams)")
        parser.add_argument("--format", choices=["json", "table"], default="table")

    def do_filings(self, by, start, end, region, limit, format, **_):
        end = filings.parse_month(end, "--to") if end else filings.add_months(date.today().replace(day=1), -1)
        start = filings.parse_month(start, "--from") if start else filings.add_months(end, -11)
        table = filings.monthly_filings(by, start=start, end=end, region=region, limit=limit)
        if format == "json":
            return self.emit(table.as_dict())
        width = max([len(r.label) for r in table.rows] + [8])
        self.stdout.write(f"{'':<{width}}  " + "  ".join(f"{m:%Y-%m}  YoY%" for m in table.months)
                          + "  " + "  ".join(f"{y}   YoY%" for y in table.years))
        for row in [*table.rows, table.total]:
            cells = [f"{c.count:>7}{_pct(c):>6}" for c in row.months] + [f"{c.count:>7}{_pct(c):>7}" for c in row.years]
            self.stdout.write(f"{row.label:<{width}}  " + "  ".join(cells))

    def do_signals(self, since, until, kinds, similarity, format, **_):
        wanted = [k.strip() for k in kinds.split(",") if k.strip()]
        if not 0 < similarity <= 1:
            raise CommandError("--similarity must be above 0 and at most 1")
        counts = detect_signals(since=since, until=until, kinds=wanted, options=Options(similarity=similarity))
        opened = Signal.objects.filter(kind__in=wanted, status=Signal.Status.OPEN).order_by("-score")[:20]
        if format == "json":
            return self.emit({"counts": counts, "open": [
                {"id": s.pk, "kind": s.kind, "subject": s.subject, "period": s.period, "score": s.score,
                 "patents": s.patents.count()} for s in opened]})
        for kind, c in counts.items():
            self.stdout.write(f"{kind:<16} found {c['found']}, new {c['created']}, updated {c['updated']}, "
                              f"unchanged {c['unchanged']}")
        for s in opened:
            self.stdout.write(f"  #{s.pk:<6} {s.kind:<16} {s.period:<8} {s.score:>7.1f}  {s.subject}")


def _pct(cell) -> str:
    return "—" if cell.change_pct is None else f"{cell.change_pct:+.0f}"
