"""Loading and looking up regions: division tree, groups, population, address → district."""

import csv
import json
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from importlib import resources
from pathlib import Path

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from ipoffice.core.errors import DataError, Problem
from ipoffice.core.text import fold, pinyin

from .models import Population, Region, RegionGroup

DATA = resources.files("ipoffice.regions") / "data"
HOME_PROVINCE = "440000"  # 广东省
# Placeholder rows of the GB/T 2260 list that are not divisions of their own.
_PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
_SUFFIXES_EN = [("自治县", "Autonomous County"), ("自治州", "Autonomous Prefecture"), ("新区", "New Area"),
                ("区", "District"), ("县", "County"), ("旗", "Banner")]
# 台湾, 香港, 澳门: in cpca's list, but not divisions whose 年末常住人口 the mainland statistics give.
_OUTSIDE_MAINLAND = ("71", "81", "82")
_MAX_POPULATION_10K = Decimal("1e8")  # Population.population_10k: 10 digits, 2 of them decimal
_SHORT_NAME = re.compile(r"(特别行政区|维吾尔自治区|壮族自治区|回族自治区|自治区|自治州|自治县|省|市|区|县)$")


def level_of(code: str) -> int:
    """The level of a six-digit code: 440000 → province, 440100 → city, 440106 → district."""
    if code.endswith("0000"):
        return Region.Level.PROVINCE
    if code.endswith("00"):
        return Region.Level.CITY
    return Region.Level.DISTRICT


def normalise_code(code: str) -> str:
    """A GB/T 2260 code as six digits: '44' → '440000', '4401' → '440100', '440106000000' → '440106'."""
    code = str(code).strip()
    if not code.isdigit() or len(code) not in (2, 4, 6, 9, 12):
        raise DataError.single(f"'{code}' is not a GB/T 2260 division code (2, 4 or 6 digits)")
    return code[:6].ljust(6, "0")


def english_name(name: str, level: int) -> str:
    """A romanised name: 广州市 → Guangzhou, 天河区 → Tianhe District, 连山壮族瑶族自治县 → ... County."""
    if level in (Region.Level.PROVINCE, Region.Level.CITY) or name.endswith("市"):
        return pinyin(_SHORT_NAME.sub("", name)).capitalize()
    for suffix, english in _SUFFIXES_EN:
        # 浦东新区 is a New Area, but 清新区 is the district 清新 (Qingxin): a 新区 needs a two-character stem.
        if name.endswith(suffix) and not (suffix == "新区" and len(name) < 4):
            return f"{pinyin(name[: -len(suffix)]).capitalize()} {english}"
    return pinyin(name).capitalize()


def _cpca_rows():
    import cpca

    path = Path(cpca.__file__).parent / "resources" / "adcodes.csv"
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            yield row["adcode"][:6], row["name"], row["longitude"], row["latitude"]


def _parent_code(code: str, known: set[str]) -> str | None:
    """The nearest existing ancestor: a district's city, or its province when the city row is a placeholder."""
    for candidate in (code[:4] + "00", code[:2] + "0000"):
        if candidate != code and candidate in known:
            return candidate
    return None


@transaction.atomic
def upsert_divisions(rows) -> dict:
    """Create or update divisions from (code, name, longitude, latitude) rows; returns counts.

    Rows are taken parents first, so a district always finds its city; placeholder rows (市辖区) are skipped.
    """
    _districts_under.cache_clear()
    rows = sorted((r for r in rows if r[1] not in _PLACEHOLDERS), key=lambda r: (level_of(r[0]), r[0]))
    existing = {r.code: r for r in Region.objects.all()}
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for level in (Region.Level.PROVINCE, Region.Level.CITY, Region.Level.DISTRICT):
        new = []
        for code, name, lon, lat in (r for r in rows if level_of(r[0]) == level):
            parent_code = _parent_code(code, set(existing))
            values = {
                "name": name,
                "short_name": _SHORT_NAME.sub("", name) or name,
                "name_en": english_name(name, level),
                "level": level,
                "parent": existing.get(parent_code) if parent_code else None,
                "longitude": float(lon) if lon else None,
                "latitude": float(lat) if lat else None,
            }
            region = existing.get(code)
            if region is None:
                new.append(Region(code=code, **values))
                continue
            if values["longitude"] is None:  # keep coordinates an earlier source gave
                values.pop("longitude"), values.pop("latitude")
            changed = {k: v for k, v in values.items() if getattr(region, k) != v}
            if changed:
                for key, value in changed.items():
                    setattr(region, key, value)
                region.save()
                counts["updated"] += 1
            else:
                counts["unchanged"] += 1
        if new:
            for region in bulk_create_with_history(new, Region, batch_size=500):
                existing[region.code] = region
            existing.update({r.code: r for r in Region.objects.filter(code__in=[n.code for n in new])})
            counts["created"] += len(new)
    return counts


def load_divisions() -> dict:
    """Load China's division list as cpca ships it (every province, city and district)."""
    return upsert_divisions(_cpca_rows())


def apply_division_list(path: Path) -> dict:
    """Apply a National Bureau of Statistics list (``code,name,...``) on top, e.g. districts created since.

    Town and street rows (nine digits and more) are ignored: the tree stops at county level.
    """
    problems, rows = [], []
    with Path(path).open(encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        if not reader.fieldnames or not {"code", "name"} <= set(reader.fieldnames):
            raise DataError.single("expected columns 'code' and 'name'", source=str(path))
        for number, row in enumerate(reader, start=2):
            try:
                code = normalise_code(row["code"])
            except DataError as error:
                problems.append(Problem(error.problems[0].reason, number, "code"))
                continue
            if row["code"].strip()[6:].strip("0"):  # a town or street; 440106000000 is still 天河区
                continue
            if not row["name"].strip():
                problems.append(Problem("empty name", number, "name"))
                continue
            rows.append((code, row["name"].strip(), "", ""))
    if problems:
        raise DataError(problems, str(path))
    return upsert_divisions(rows)


@transaction.atomic
def load_region_groups() -> int:
    """Create the plan's four region groups (珠三角, 粤东, 粤西, 粤北) from the shipped definition."""
    spec = json.loads((DATA / "region_groups.json").read_text(encoding="utf-8"))
    for order, item in enumerate(spec["groups"]):
        group, _ = RegionGroup.objects.update_or_create(
            code=item["code"], defaults={"name": item["name"], "name_en": item["name_en"], "order": order})
        cities = [find_region(name, level=Region.Level.CITY) for name in item["cities"]]
        if set(group.members.all()) != set(cities):
            group.members.set(cities)
    return len(spec["groups"])


def find_region(text: str, *, level: int | None = None, within: str = HOME_PROVINCE) -> Region:
    """A region from a code ('4401', '440106') or a name (广州市, 广州, 廣州, Guangzhou).

    Names are looked up in the home province first, then across the country; ambiguous or unknown
    names raise ``DataError``.
    """
    text = (text or "").strip()
    if text.isdigit():
        code = normalise_code(text)
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise DataError.single(f"unknown region code {text}")
        return region
    candidates = _regions_named(fold(text))
    if level is not None:
        candidates = [r for r in candidates if r.level == level]
    if len(candidates) > 1:
        home = [r for r in candidates if r.code.startswith(within[:2])]
        candidates = home or candidates
        # Prefer the higher level: 广州 is the city before any district of that name.
        top = min(r.level for r in candidates)
        candidates = [r for r in candidates if r.level == top]
    if not candidates:
        raise DataError.single(f"unknown region '{text}'")
    if len(candidates) > 1:
        codes = ", ".join(r.code for r in candidates)
        raise DataError.single(f"region name '{text}' is ambiguous ({codes}); give the code")
    return candidates[0]


def _regions_named(folded: str) -> list[Region]:
    by_name = list(Region.objects.filter(name=folded)) or list(Region.objects.filter(short_name=folded))
    if by_name:
        return by_name
    return [r for r in Region.objects.filter(level__lte=Region.Level.CITY)
            if r.name_en.lower() == folded]


def _read_population(path: Path, default_source: str | None, skip_outside: bool) -> list[tuple]:
    problems, rows, seen = [], [], {}
    with Path(path).open(encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        columns = set(reader.fieldnames or [])
        region_column = next((c for c in ("region", "code", "city") if c in columns), None)
        missing = [c for c in ("year", "population_10k") if c not in columns]
        if region_column is None or missing:
            need = ", ".join(missing + ([] if region_column else ["region"]))
            raise DataError.single(f"missing column(s): {need}", source=str(path))
        for number, row in enumerate(reader, start=2):
            name = (row[region_column] or "").strip()
            try:
                region = find_region(name)
                if region.code[:2] in _OUTSIDE_MAINLAND:  # cpca lists them, but as provinces of their own
                    raise DataError.single(f"{region.name} is outside the mainland division tree "
                                           "(its population is counted on another basis)")
            except DataError as error:
                # Rows for places outside the division tree (香港, 澳门) are reported, not guessed.
                if not skip_outside:
                    problems.append(Problem(error.problems[0].reason, number, region_column))
                continue
            try:
                year = int(row["year"])
                if not 1949 <= year <= 2100:
                    raise ValueError
            except (TypeError, ValueError):
                problems.append(Problem(f"'{row['year']}' is not a year", number, "year"))
                continue
            try:
                value = Decimal(str(row["population_10k"]).replace(",", "").strip())
                if not value.is_finite():
                    raise InvalidOperation
                # Rounded as the column keeps it (2 places), so that importing the file again changes nothing.
                value = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
                if value <= 0:
                    raise InvalidOperation
            except (InvalidOperation, ValueError):
                problems.append(Problem(f"'{row['population_10k']}' is not a positive number", number,
                                        "population_10k"))
                continue
            if value >= _MAX_POPULATION_10K:
                problems.append(Problem(f"{value} is too large (at most 8 digits before the decimal point)",
                                        number, "population_10k"))
                continue
            source = (row.get("source") or default_source or "").strip()
            if not source:
                problems.append(Problem("no source given (column 'source' or --source)", number, "source"))
                continue
            key = (region.code, year)
            if key in seen and seen[key] != value:
                problems.append(Problem(f"{region.name} {year} given twice with different values "
                                        f"({seen[key]} and {value})", number, "population_10k"))
                continue
            seen[key] = value
            rows.append((region, year, value, source[:300], (row.get("note") or "").strip()[:300]))
    if problems:
        raise DataError(problems, str(path))
    return rows


def import_population(path: Path, *, source: str | None = None, skip_outside: bool = False) -> dict:
    """Import population by region and year from CSV (``region|code|city, year, population_10k[, source, note]``).

    The whole file is checked first; any bad row aborts the import with every problem listed. Re-importing
    the same file changes nothing; a changed value updates the row (with its source) and is kept in history.
    ``skip_outside`` drops rows for places that are not in the division tree (e.g. Hong Kong in a
    Greater Bay Area table) instead of rejecting the file.
    """
    rows = _read_population(path, source, skip_outside)
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    with transaction.atomic():
        for region, year, value, src, note in rows:
            record = Population.objects.filter(region=region, year=year).first()
            if record is None:
                Population.objects.create(region=region, year=year, population_10k=value, source=src, note=note)
                counts["created"] += 1
            elif record.population_10k != value:  # the same figure from a second source keeps the first
                record.population_10k, record.source, record.note = value, src, note
                record.save()
                counts["updated"] += 1
            else:
                counts["unchanged"] += 1
    return counts


def load_reference_population() -> dict:
    """The population figures shipped with the project (Guangdong, 2015 and the 2020 census)."""
    with resources.as_file(DATA / "population_guangdong.csv") as path:
        return import_population(path)


def population_of(region: Region, year: int) -> Decimal | None:
    """Population of a region in a year, in 10,000; None when unknown."""
    record = Population.objects.filter(region=region, year=year).first()
    return record.population_10k if record else None


@dataclass(frozen=True)
class AddressResolution:
    """Where an address lies: the deepest division found, and how sure that is (0–1)."""

    code: str | None
    level: int | None
    confidence: float
    method: str

    @property
    def region(self) -> Region | None:
        return Region.objects.filter(code=self.code).first() if self.code else None


def resolve_address(address: str) -> AddressResolution:
    """Resolve a Chinese address to its district with cpca, then against the stored tree.

    Confidence: 0.95 when the district is named and agrees with a named city; 0.85 when only the district
    is named (city inferred); 0.9 for a district missing from cpca's list named in full, 0.75 for a district's
    short name after its city (佛山顺德); 0.6 for a city-level result; 0.3 for a province only; 0 when nothing is found.
    Districts created after cpca's list (e.g. 深圳市龙华区) are found by name under the resolved city.
    """
    return resolve_addresses([address])[0]


def resolve_addresses(addresses: list[str]) -> list[AddressResolution]:
    """Batch form of :func:`resolve_address` (cpca is much faster on a list)."""
    import cpca

    if not addresses:  # cpca cannot build its table from no rows
        return []
    texts = [fold(a or "").replace(" ", "") for a in addresses]
    rows = cpca.transform(texts).to_dict("records")  # (plain dicts: a frame's iterrows builds a Series per row)
    return [_resolution(text, row) for text, row in zip(texts, rows, strict=True)]


def _resolution(text: str, row) -> AddressResolution:
    adcode = row["adcode"] if isinstance(row["adcode"], str) else None
    province, city, district = (row[k] if isinstance(row[k], str) else None for k in ("省", "市", "区"))
    if not adcode:
        return AddressResolution(None, None, 0.0, "no division named")
    code = adcode[:6]
    if district:
        named_city = city and (city in text or _SHORT_NAME.sub("", city) in text)
        return AddressResolution(code, Region.Level.DISTRICT, 0.95 if named_city else 0.85,
                                 "district named" + (" with its city" if named_city else ", city inferred"))
    if city:
        found = _district_in_text(code, text)
        if found:
            return AddressResolution(*found)
        return AddressResolution(code, Region.Level.CITY, 0.6, "city only")
    return AddressResolution(code, Region.Level.PROVINCE, 0.3, "province only")


def _district_in_text(city_code: str, text: str) -> tuple | None:
    """A district of the city named in the text: by full name (e.g. 龙华区, newer than cpca's list), else
    by its short name after the city (佛山顺德北滘 → 顺德区), which is less certain."""
    districts = _districts_under(city_code[:4])
    for code, name, _short in districts:
        if name in text:
            return code, Region.Level.DISTRICT, 0.9, "district named (newer than cpca)"
    for code, _name, short in districts:
        if len(short) >= 2 and short in text:
            return code, Region.Level.DISTRICT, 0.75, "district short name"
    return None


@lru_cache(maxsize=512)
def _districts_under(prefix: str) -> tuple:
    return tuple(Region.objects.filter(code__startswith=prefix, level=Region.Level.DISTRICT)
                 .values_list("code", "name", "short_name"))
