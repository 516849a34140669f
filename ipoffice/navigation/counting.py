"""Counting rules (统计规则), explicit and stated in every output: what is counted (applications or families), how
co-applicants share a patent (whole, first or fractional counting), which date places a patent in a year, and
which recent years are incomplete because of the 18-month publication lag."""

from calendar import monthrange
from dataclasses import asdict, dataclass
from datetime import date

from .dataset import Record

_DATE_FIELD = {"filing": "application_date", "priority": "priority_date", "publication": "publication_date"}


@dataclass(frozen=True)
class Rules:
    unit: str = "application"  # application | family
    applicants: str = "whole"  # whole | first | fractional
    date_basis: str = "filing"  # filing | priority | publication
    cutoff: date = date(2000, 1, 1)
    lag_months: int = 18

    @classmethod
    def of(cls, project, cutoff: date | None = None) -> "Rules":
        return cls(project.count_unit, project.applicant_counting, project.date_basis,
                   cutoff or project.cutoff_date or date.today(), project.lag_months)

    def as_dict(self) -> dict:
        return {**asdict(self), "cutoff": self.cutoff.isoformat()}

    @classmethod
    def from_dict(cls, data: dict) -> "Rules":
        return cls(**{**data, "cutoff": date.fromisoformat(data["cutoff"])})


def date_of(record: Record, rules: Rules) -> str | None:
    """The ISO date that places a record in time; priority falls back on filing when there is no priority."""
    value = getattr(record, _DATE_FIELD[rules.date_basis])
    if value is None and rules.date_basis == "priority":
        return record.application_date
    return value


def year_of(record: Record, rules: Rules) -> int | None:
    value = date_of(record, rules)
    return int(value[:4]) if value else None


def lag_start(rules: Rules) -> date:
    """Filings after this day are not all published yet at the cut-off."""
    year, month = divmod(rules.cutoff.year * 12 + rules.cutoff.month - 1 - rules.lag_months, 12)
    return date(year, month + 1, min(rules.cutoff.day, monthrange(year, month + 1)[1]))


def incomplete_years(rules: Rules) -> set[int]:
    """Years whose counts are still growing: those reaching past the lag start (filing and priority dates), or the
    cut-off year when it has not ended (publication dates, which have no lag)."""
    if rules.date_basis == "publication":
        return set() if (rules.cutoff.month, rules.cutoff.day) == (12, 31) else {rules.cutoff.year}
    start = lag_start(rules)
    first = start.year if (start.month, start.day) != (12, 31) else start.year + 1
    return set(range(first, rules.cutoff.year + 1))


def counted(records: list[Record], rules: Rules) -> list[Record]:
    """The records that count: all applications, or one per family (the earliest by the date basis, then the CN
    member, then the lowest id); a record without a family id is a family of its own."""
    if rules.unit != "family":
        return list(records)
    best: dict[str, Record] = {}
    for record in records:
        family = record.family_id or f"#{record.id}"
        current = best.get(family)
        if current is None or _family_order(record, rules) < _family_order(current, rules):
            best[family] = record
    return sorted(best.values(), key=lambda r: r.id)


def _family_order(record: Record, rules: Rules) -> tuple:
    return date_of(record, rules) or "9999", record.office != "CN", record.id


def shares(items: list, rules: Rules) -> list[tuple[object, float]]:
    """Each co-applicant (or co-inventor) with its weight under the applicant-counting rule."""
    if not items:
        return []
    if rules.applicants == "first":
        return [(items[0], 1.0)]
    if rules.applicants == "fractional":
        return [(item, 1.0 / len(items)) for item in items]
    return [(item, 1.0) for item in items]
