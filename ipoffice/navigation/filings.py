"""Dynamic tracking of filing numbers (专利申请量动态监测, plan 三(三)10): filings per month by city, district,
applicant or agency, against the same month a year earlier; every figure is a patent search (drill-down).

Counts come from one ORM aggregate grouped by (group, ``TruncMonth(application_date)``), so the table costs one
query whatever the size of the registry. Applicants and agencies are counted whole: a patent of two applicants
counts once for each. Recent months are incomplete: an application is only known once published (about 18
months for inventions), so the page says so.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from django.db.models import Count, F
from django.db.models.functions import Substr, TruncMonth
from django.urls import reverse
from django.utils.translation import gettext as _

from ipoffice.core.errors import DataError
from ipoffice.entities.names import name_key
from ipoffice.patents.models import Party, Patent
from ipoffice.regions.models import Region

GROUPINGS = ("city", "district", "applicant", "agency")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def parse_month(text: str, name: str = "month") -> date:
    """``2024-03`` → 2024-03-01; a ``DataError`` naming the parameter otherwise."""
    match = _MONTH.match((text or "").strip())
    if not match or not 1 <= int(match[2]) <= 12:
        raise DataError.single(f"'{text}' is not a month (write it as YYYY-MM)", field=name)
    return date(int(match[1]), int(match[2]), 1)


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def month_end(month: date) -> date:
    return date.fromordinal(add_months(month, 1).toordinal() - 1)


def months_between(start: date, end: date) -> list[date]:
    count = (end.year - start.year) * 12 + end.month - start.month + 1
    return [add_months(start, i) for i in range(max(count, 0))]


def find_region(code: str) -> Region:
    """A region by its code (``4403``, ``440300`` or ``440106``)."""
    code = (code or "").strip()
    if not code.isdigit() or len(code) not in (2, 4, 6):
        raise DataError.single(f"'{code}' is not a division code (2, 4 or 6 digits)", field="region")
    region = Region.objects.filter(code=code.ljust(6, "0")).first()
    if region is None:
        raise DataError.single(f"no region with code {code}", field="region")
    return region


def region_clause(region: Region) -> str:
    """The search-language condition for patents whose first applicant is in ``region``."""
    fieldname = {Region.Level.PROVINCE: "province", Region.Level.CITY: "city", Region.Level.DISTRICT: "district"}
    return f"{fieldname[region.level]}:{region.code_prefix}"


def search_url(query: str) -> str:
    return f"{reverse('patents:search')}?{urlencode({'q': query})}"


def _quoted(name: str) -> str:
    return '"' + name.replace('"', " ") + '"'


@dataclass
class Cell:
    """One figure: filings in a period, the same period a year earlier, the change, and the search behind it."""

    count: int
    previous: int
    query: str

    @property
    def change(self) -> int:
        return self.count - self.previous

    @property
    def change_pct(self) -> float | None:
        return round(100 * self.change / self.previous, 1) if self.previous else None

    @property
    def url(self) -> str:
        return search_url(self.query)

    def as_dict(self) -> dict:
        return {"count": self.count, "previous": self.previous, "change": self.change,
                "change_pct": self.change_pct, "query": self.query}


@dataclass
class FilingRow:
    key: str
    label: str
    months: list[Cell]
    years: list[Cell]
    total: int


@dataclass
class FilingTable:
    by: str
    start: date
    end: date
    region: str
    office: str
    months: list[date]
    years: list[int]
    rows: list[FilingRow] = field(default_factory=list)
    total: FilingRow | None = None
    groups: int = 0  # groups with filings in the period (rows shows the largest ``limit``)

    def as_dict(self) -> dict:
        def row(r: FilingRow) -> dict:
            return {"key": r.key, "label": r.label, "total": r.total,
                    "months": {m.strftime("%Y-%m"): c.as_dict() for m, c in zip(self.months, r.months, strict=True)},
                    "years": {str(y): c.as_dict() for y, c in zip(self.years, r.years, strict=True)}}
        return {"by": self.by, "from": self.start.strftime("%Y-%m"), "to": self.end.strftime("%Y-%m"),
                "region": self.region, "office": self.office, "groups": self.groups,
                "rows": [row(r) for r in self.rows], "total": row(self.total)}


def _grouped_counts(by: str, low: date, high: date, region: Region | None, office: str) -> tuple[dict, dict]:
    """{(group key, month): filings} and {group key: (label, query clause)} for filings from low to high."""
    patents = {"office": office, "application_date__gte": low, "application_date__lte": high}
    if by in ("city", "district"):
        rows = Patent.objects.filter(**patents, region__isnull=False)
        if region is not None:
            rows = rows.filter(region__code__startswith=region.code_prefix)
        group = Substr("region__code", 1, 4) if by == "city" else F("region__code")
        rows = rows.annotate(group=group, month=TruncMonth("application_date")).values("group", "month")
        counts = {(r["group"], r["month"]): r["n"] for r in rows.annotate(n=Count("id")).order_by()}
        codes = {key.ljust(6, "0") for key, _month in counts}
        names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
        labels = {key: (names.get(key.ljust(6, "0"), key), f"{by}:{key}") for key, _month in counts}
        return counts, labels
    parties = Party.objects.filter(role=by, **{f"patent__{k}": v for k, v in patents.items()})
    if region is not None:
        parties = parties.filter(patent__region__code__startswith=region.code_prefix)
    rows = (parties.annotate(month=TruncMonth("patent__application_date"))
            .values("entity_id", "entity__name", "name", "month")
            .annotate(n=Count("patent_id", distinct=True)).order_by())
    counts, labels = {}, {}
    for r in rows:
        key = f"e{r['entity_id']}" if r["entity_id"] else f"n:{name_key(r['name'])}"
        counts[key, r["month"]] = counts.get((key, r["month"]), 0) + r["n"]
        label = r["entity__name"] or r["name"]
        labels.setdefault(key, (label, f"{by}:{_quoted(label)}"))
    return counts, labels


def monthly_filings(by: str = "city", *, start: date, end: date, region: str | Region | None = None,
                    office: str = "CN", limit: int = 20) -> FilingTable:
    """Filings per month and group from ``start`` to ``end`` (months), each with the same month a year earlier,
    and per-year totals over the months of the window (the previous year over the same months, so a part year
    compares like with like). Rows: the ``limit`` largest groups of the window, then the total."""
    if by not in GROUPINGS:
        raise DataError.single(f"'{by}' is not a grouping (one of {', '.join(GROUPINGS)})", field="by")
    start, end = start.replace(day=1), end.replace(day=1)
    if end < start:
        raise DataError.single("the period ends before it starts", field="to")
    if len(months_between(start, end)) > 120:
        raise DataError.single("the period is longer than ten years", field="to")
    if isinstance(region, str):
        region = find_region(region) if region else None
    months = months_between(start, end)
    counts, labels = _grouped_counts(by, add_months(start, -12), month_end(end), region, office)
    scope = [f"office:{office}"] + ([region_clause(region)] if region else [])
    years = sorted({m.year for m in months})

    def query(clauses: list[str], low: date, high: date) -> str:
        return " AND ".join([*clauses, *scope, f"ad:[{low.isoformat()} TO {high.isoformat()}]"])

    def row(key: str, label: str, clause: list[str], get) -> FilingRow:
        cells = [Cell(get(m), get(add_months(m, -12)), query(clause, m, month_end(m))) for m in months]
        year_cells = []
        for year in years:
            inside = [m for m in months if m.year == year]
            year_cells.append(Cell(sum(get(m) for m in inside), sum(get(add_months(m, -12)) for m in inside),
                                   query(clause, inside[0], month_end(inside[-1]))))
        return FilingRow(key, label, cells, year_cells, sum(c.count for c in cells))

    totals_by_group = {}
    for (key, month), n in counts.items():
        if start <= month <= end:
            totals_by_group[key] = totals_by_group.get(key, 0) + n
    largest = sorted(totals_by_group, key=lambda k: (-totals_by_group[k], labels[k][0]))[:limit]
    table = FilingTable(by, start, end, region.code_prefix if region else "", office, months, years,
                        groups=len(totals_by_group))
    for key in largest:
        table.rows.append(row(key, labels[key][0], [labels[key][1]], lambda m, key=key: counts.get((key, m), 0)))
    if by in ("city", "district"):
        overall = {}
        for (_key, month), n in counts.items():
            overall[month] = overall.get(month, 0) + n
        table.total = row("", _("all"), [], lambda m: overall.get(m, 0))
    else:  # a patent of several applicants counts once in the total
        table.total = row("", _("all"), [], _patent_counts(start, end, region, office))
    return table


def _patent_counts(start: date, end: date, region: Region | None, office: str):
    rows = Patent.objects.filter(office=office, application_date__gte=add_months(start, -12),
                                 application_date__lte=month_end(end))
    if region is not None:
        rows = rows.filter(region__code__startswith=region.code_prefix)
    counts = dict(rows.annotate(month=TruncMonth("application_date")).values("month")
                  .annotate(n=Count("id")).order_by().values_list("month", "n"))
    return lambda month: counts.get(month, 0)


def filings_chart(table: FilingTable, series: int = 8) -> dict:
    """Monthly filings of the largest groups (a line each), as a Vega-Lite spec."""
    from ipoffice.indicators.charts import vega_spec

    values = [{"month": m.strftime("%Y-%m"), "group": r.label, "filings": c.count}
              for r in table.rows[:series] for m, c in zip(table.months, r.months, strict=True)]
    return vega_spec(_("Filings per month"), values, {"mark": {"type": "line", "point": True}, "encoding": {
        "x": {"field": "month", "type": "ordinal", "title": _("month")},
        "y": {"field": "filings", "type": "quantitative", "title": _("filings")},
        "color": {"field": "group", "type": "nominal", "title": None}}})

