"""Observations: importing official figures (CSV/XLSX) and reading series, derived ones computed."""

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path

from django.db import transaction

from ipoffice.core.errors import DataError, Problem
from ipoffice.core.text import fold
from ipoffice.regions.models import Region
from ipoffice.regions.services import find_region, population_of

from .models import Indicator, Observation

REGION_COLUMNS = ("region", "region_code", "code", "region_zh", "city")
SHIPPED = resources.files("ipoffice.indicators") / "data" / "observations"


def indicator_by_name(text: str) -> Indicator | None:
    """An indicator from its code, its Chinese name as the plan writes it, or one of its other names."""
    text = (text or "").strip()
    found = Indicator.objects.filter(code=text).first() or Indicator.objects.filter(name_zh=text).first()
    if found:
        return found
    # Compare folded forms on both sides: fold() lower-cases, so 'PCT申请量' is 'pct申请量' once folded.
    folded = fold(text)
    for indicator in Indicator.objects.all():
        if folded == fold(indicator.name_zh) or folded in {fold(alias) for alias in indicator.aliases}:
            return indicator
    return None


def _rows(path: Path) -> list[dict]:
    """The rows of a CSV or XLSX file as dicts of stripped strings."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from zipfile import BadZipFile

        from openpyxl import load_workbook
        from openpyxl.utils.exceptions import InvalidFileException

        try:
            sheet = load_workbook(path, read_only=True, data_only=True).active
        except (BadZipFile, InvalidFileException, KeyError) as error:
            raise DataError.single(f"not a readable XLSX workbook ({error})", source=str(path)) from error
        values = list(sheet.iter_rows(values_only=True))
        if not values:
            return []
        header = [str(h).strip() if h is not None else "" for h in values[0]]
        return [{h: ("" if v is None else str(v).strip()) for h, v in zip(header, row, strict=False)}
                for row in values[1:] if any(v is not None for v in row)]
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            return [{(k or "").strip(): (v or "").strip() for k, v in row.items()} for row in csv.DictReader(fh)]
    except UnicodeDecodeError as error:
        raise DataError.single(f"not UTF-8 text (byte {error.start}); save the CSV as UTF-8",
                               source=str(path)) from error


def _number(text: str) -> Decimal:
    cleaned = fold(text).replace(",", "").replace("%", "").strip()
    value = Decimal(cleaned)
    if not value.is_finite():
        raise InvalidOperation
    return value


@dataclass
class ImportResult:
    created: int = 0
    revised: int = 0
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)

    def __str__(self):
        text = f"created {self.created}, revised {self.revised}, unchanged {self.unchanged}"
        return text + (f", skipped {len(self.skipped)} rows outside the division tree" if self.skipped else "")


def _parse(path: Path, rows: list[dict], default_source: str | None, skip_unknown_regions: bool, result):
    if not rows:
        raise DataError.single("the file has no rows", source=str(path))
    columns = list(rows[0])
    region_column = next((c for c in REGION_COLUMNS if c in columns), None)
    problems = [] if region_column else [Problem(f"no region column (one of {', '.join(REGION_COLUMNS)})")]
    if "year" not in columns:
        problems.append(Problem("no 'year' column"))
    long_format = "indicator" in columns
    if long_format and "value" not in columns:
        problems.append(Problem("no 'value' column"))
    wide = {} if long_format else {c: indicator_by_name(c) for c in columns if indicator_by_name(c)}
    if not long_format and not wide:
        problems.append(Problem("no 'indicator' column and no column named after an indicator"))
    if problems:
        raise DataError(problems, str(path))
    parsed, seen = [], {}
    for number, row in enumerate(rows, start=2):
        cells = [(row["indicator"], row["value"], "value")] if long_format else \
                [(c, row[c], c) for c in wide if row.get(c, "") != ""]
        region_text = row[region_column]
        try:
            region = find_region(region_text)
        except DataError as error:
            if skip_unknown_regions:
                result.skipped.append(f"record {number}: {region_text}")
                continue
            problems.append(Problem(error.problems[0].reason, number, region_column))
            continue
        try:
            year = int(row["year"])
            month = int(row.get("month") or 0)
            if not (1949 <= year <= 2100 and 0 <= month <= 12):
                raise ValueError
        except ValueError:
            problems.append(Problem(f"'{row['year']}/{row.get('month', '')}' is not a year (and month)", number,
                                    "year"))
            continue
        source = row.get("source") or default_source
        if not source:
            problems.append(Problem("no source (column 'source' or --source)", number, "source"))
            continue
        for name, text, column in cells:
            indicator = wide.get(name) if not long_format else indicator_by_name(name)
            if indicator is None:
                problems.append(Problem(f"unknown indicator '{name}'", number, "indicator"))
                continue
            if indicator.is_derived:
                problems.append(Problem(f"{indicator.code} is computed from {indicator.per_10k_of.code} and "
                                        "population; import that instead", number, "indicator"))
                continue
            unit = fold(row.get("unit", ""))
            if long_format and unit and unit != fold(indicator.unit):
                problems.append(Problem(f"unit '{unit}' but {indicator.code} is measured in '{indicator.unit}'",
                                        number, "unit"))
                continue
            try:
                value = _number(text)
            except (InvalidOperation, ValueError):
                problems.append(Problem(f"'{text}' is not a number", number, column))
                continue
            key = (indicator.pk, region.pk, year, month)
            if key in seen and seen[key] != value:
                problems.append(Problem(f"{indicator.code} {region.name} {year} given twice with different values "
                                        f"({seen[key]} and {value})", number, column))
                continue
            seen[key] = value
            parsed.append((indicator, region, year, month, value, source[:300], row.get("note", "")[:300]))
    if problems:
        raise DataError(problems, str(path))
    return parsed


def import_observations(path: Path, *, source: str | None = None, skip_unknown_regions: bool = False):
    """Import observations from CSV or XLSX, all or nothing.

    Long format: ``indicator,region,year,value[,unit,source,month,note]`` (indicator by code or Chinese name,
    region by GB/T 2260 code or name). Wide format: a region column, ``year``, and one column per indicator
    named by its code or a known name (e.g. the CNIPA yearbook's ``pct_applications_received``). A value
    that differs from the current one becomes a new revision; the same value again changes nothing.
    """
    path = Path(path)
    result = ImportResult()
    parsed = _parse(path, _rows(path), source, skip_unknown_regions, result)
    with transaction.atomic():
        for indicator, region, year, month, value, src, note in parsed:
            current = Observation.objects.filter(indicator=indicator, region=region, year=year, month=month,
                                                 is_current=True).first()
            if current and current.value == value:
                result.unchanged += 1
                continue
            revision = 1
            if current:
                current.is_current = False
                current.save(update_fields=["is_current"])
                revision = current.revision + 1
                result.revised += 1
            else:
                result.created += 1
            Observation.objects.create(indicator=indicator, region=region, year=year, month=month, value=value,
                                       source=src, note=note, revision=revision)
    return result


def load_reference_observations() -> ImportResult:
    """Official figures shipped with the project (each row cites its source)."""
    total = ImportResult()
    with resources.as_file(SHIPPED) as folder:
        for path in sorted(Path(folder).glob("*.csv")):
            result = import_observations(path)
            total.created += result.created
            total.revised += result.revised
            total.unchanged += result.unchanged
    return total


@dataclass
class Point:
    year: int
    value: float
    source: str
    derived: bool = False
    numerator: float | None = None
    population_10k: float | None = None


def series(indicator: Indicator, region: Region) -> dict[int, Point]:
    """The yearly series of an indicator for a region (current revisions); densities computed."""
    if indicator.is_derived:
        base = series(indicator.per_10k_of, region)
        points = {}
        for year, point in base.items():
            population = population_of(region, year)
            if population:
                points[year] = Point(year, point.value / float(population), f"{point.source}; population",
                                     True, point.value, float(population))
        return points
    rows = Observation.objects.filter(indicator=indicator, region=region, month=0, is_current=True)
    return {o.year: Point(o.year, float(o.value), o.source) for o in rows.order_by("year")}


def yearly_growth(points: dict[int, Point]) -> dict[int, float]:
    """Year-on-year growth (fraction) for each year whose previous year is known."""
    return {y: p.value / points[y - 1].value - 1 for y, p in points.items()
            if y - 1 in points and points[y - 1].value > 0}


def values_by_region(indicator: Indicator, year: int, regions) -> dict[str, float]:
    """One year's value of an indicator for each region that has it, keyed by region code."""
    out = {}
    for region in regions:
        point = series(indicator, region).get(year)
        if point is not None:
            out[region.code] = point.value
    return out


def observation_counts() -> dict[str, int]:
    counts = defaultdict(int)
    for code in Observation.objects.filter(is_current=True).values_list("indicator__code", flat=True):
        counts[code] += 1
    return dict(counts)
