"""What several analyses share: who an applicant is (entity-resolved), when a patent was granted, the year windows,
the lag note and a bar chart.

Drill keys are strings; percent columns hold percentages (0–100); a table cell other than the row's own figure
names its drill key in the row's ``"<column key>_drill"`` (the effect matrix's cells, for instance).
"""

from functools import lru_cache

from django.utils.translation import gettext as _

from ipoffice.entities.names import clean_name, name_key
from ipoffice.indicators.charts import vega_spec

from ..counting import Rules, incomplete_years
from ..dataset import Applicant, Record
from ..models import ApplicantCounting

WINDOW = 5  # years per window, the last one ending with the cut-off year


@lru_cache(maxsize=131072)
def _name(name: str) -> tuple[str, str]:
    return "n:" + name_key(name), clean_name(name)


def applicant_key(applicant: Applicant) -> tuple[str, str]:
    """(key, label) of an applicant: its entity when resolved ("e:<id>"), else its normalised name ("n:<key>")."""
    if applicant.entity_id is not None:
        return f"e:{applicant.entity_id}", applicant.entity or clean_name(applicant.name)
    return _name(applicant.name)


@lru_cache(maxsize=131072)
def inventor_key(name: str) -> tuple[str, str]:
    """(key, label) of an inventor: the cleaned name for both (inventors are not entity-resolved)."""
    name = clean_name(name)
    return name, name


def grant_date(record: Record) -> str | None:
    """The grant date, or the first grant event's date when the record has none."""
    if record.grant_date:
        return record.grant_date
    for day, _code, kind in record.events:
        if kind == "grant":
            return day
    return None


def windows(rules: Rules, years) -> list[tuple[int, int]]:
    """The WINDOW-year windows (first, last) that hold any of ``years``, the last ending with the cut-off year,
    oldest first."""
    end = rules.cutoff.year
    found = {end - (end - year) // WINDOW * WINDOW for year in years if year <= end}
    return [(last - WINDOW + 1, last) for last in sorted(found)]


def window_label(window: tuple[int, int]) -> str:
    return f"{window[0]}–{window[1]}"


def window_of(year: int | None, rules: Rules) -> tuple[int, int] | None:
    if year is None or year > rules.cutoff.year:
        return None
    last = rules.cutoff.year - (rules.cutoff.year - year) // WINDOW * WINDOW
    return last - WINDOW + 1, last


def lag_note(rules: Rules, years) -> list[str]:
    """The note that marks the years still incomplete because of the publication lag (none when no such year)."""
    late = sorted(set(years) & incomplete_years(rules))
    if not late:
        return []
    return [_("Years %(years)s are incomplete: filings are published about %(months)s months after filing, so "
              "the counts up to the cut-off %(cutoff)s are still growing.")
            % {"years": ", ".join(map(str, late)), "months": rules.lag_months, "cutoff": rules.cutoff.isoformat()}]


def window_lag_note(rules: Rules, spans) -> list[str]:
    """The lag note for year windows: the incomplete years that fall in any of them."""
    return lag_note(rules, {year for first, last in spans for year in range(first, last + 1)})


def unit_label(rules: Rules) -> str:
    return _("families") if rules.unit == "family" else _("applications")


def counting_label(rules: Rules) -> str:
    return str(ApplicantCounting(rules.applicants).label)


def bar_chart(title: str, values: list[dict], label: str, value: str, value_title: str, colour: str = "") -> dict:
    """Horizontal bars, one per row of ``values``, in the given order."""
    encoding = {"y": {"field": label, "type": "nominal", "sort": None, "title": None},
                "x": {"field": value, "type": "quantitative", "title": value_title}}
    if colour:
        encoding["color"] = {"field": colour, "type": "nominal", "title": None}
    return vega_spec(title, values, {"mark": "bar", "encoding": encoding}, height=max(120, 18 * len(values)))


def rounded(value: float) -> float | int:
    """Counts as integers when whole (whole and first counting), else to two decimals (fractional counting)."""
    return int(round(value)) if abs(value - round(value)) < 1e-9 else round(value, 2)
