"""Technology life cycle (技术生命周期): distinct applicants against filings, year by year, and the phase the recent
trend suggests (emerging 萌芽期, growth 成长期, maturity 成熟期, decline 衰退期)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ipoffice.indicators.charts import vega_spec

from ..counting import Rules, incomplete_years
from ..dataset import Dataset
from . import Analysis, Column, analysis
from .common import lag_note, unit_label
from .prepared import prepared

SPAN = 3  # years per window compared by the phase reading
CHANGE = 0.10  # a change below 10 % either way counts as flat
SMALL = 10  # a previous window with fewer filings is an early-stage base


def phase(filings: dict[int, int], applicants: dict[int, set], complete: list[int]) -> tuple[str, dict]:
    """The phase from the last SPAN complete years against the SPAN years before them, with the figures used."""
    if not complete:
        return "undetermined", {}
    last = complete[-1]
    recent, previous = range(last - SPAN + 1, last + 1), range(last - 2 * SPAN + 1, last - SPAN + 1)
    f_recent, f_previous = (sum(filings.get(y, 0) for y in span) for span in (recent, previous))
    a_recent, a_previous = (len(set().union(*(applicants.get(y, set()) for y in span))) for span in (recent, previous))
    figures = {"recent": f"{recent[0]}–{recent[-1]}", "previous": f"{previous[0]}–{previous[-1]}",
               "filings": (f_previous, f_recent), "applicants": (a_previous, a_recent)}
    if f_previous == 0:
        return ("emerging" if f_recent else "undetermined"), figures
    filing_change = (f_recent - f_previous) / f_previous
    applicant_change = (a_recent - a_previous) / a_previous if a_previous else 1.0
    if filing_change <= -CHANGE:
        return "decline", figures
    if applicant_change < CHANGE:
        return "maturity", figures
    return ("emerging" if f_previous < SMALL else "growth"), figures


PHASES = {"emerging": gettext_lazy("emerging"), "growth": gettext_lazy("growth"),
          "maturity": gettext_lazy("maturity"), "decline": gettext_lazy("decline"),
          "undetermined": gettext_lazy("undetermined")}


@analysis("life_cycle")
def life_cycle(dataset: Dataset, rules: Rules) -> Analysis:
    data = prepared(dataset, rules)
    years = sorted(year for year in data.in_year if year is not None)
    filings = {year: len(data.in_year[year]) for year in years}
    ids = {year: [data.records[i].id for i in data.in_year[year]] for year in years}
    applicants = {year: set(data.applicants.by_year.get(year, ())) for year in years}
    late = incomplete_years(rules)
    complete = [y for y in range(years[0], rules.cutoff.year + 1) if y not in late] if years else []
    reading, figures = phase(filings, applicants, complete)
    rows = [{"year": y, "applicants": len(applicants[y]), "filings": filings[y],
             "incomplete": _("incomplete") if y in late else "", "drill": str(y)} for y in years]
    values = [{"year": str(y), "filings": filings[y], "applicants": len(applicants[y]), "order": y}
              for y in years]
    encoding = {"x": {"field": "filings", "type": "quantitative", "title": unit_label(rules)},
                "y": {"field": "applicants", "type": "quantitative", "title": _("applicants")},
                "order": {"field": "order", "type": "quantitative"}}
    chart = vega_spec(_("Technology life cycle"), values, {"layer": [
        {"mark": {"type": "line", "point": True}, "encoding": encoding},
        {"mark": {"type": "text", "dx": 6, "dy": -6, "align": "left", "fontSize": 10},
         "encoding": {**encoding, "text": {"field": "year"}}}]})
    notes = lag_note(rules, years)
    if figures:
        notes.append(_("Phase: %(phase)s. %(recent)s against %(previous)s: filings %(f0)s → %(f1)s, applicants "
                       "%(a0)s → %(a1)s.") % {"phase": PHASES[reading], "recent": figures["recent"],
                                              "previous": figures["previous"], "f0": figures["filings"][0],
                                              "f1": figures["filings"][1], "a0": figures["applicants"][0],
                                              "a1": figures["applicants"][1]})
    return Analysis(
        key="life_cycle", title=_("Technology life cycle"),
        method=_("Per year of the date basis: %(unit)s, and distinct applicants (the entity when resolved, else the "
                 "normalised name; under first-applicant counting only first applicants). The phase compares the "
                 "last %(span)s complete years with the %(span)s before: filings down %(change)s %% or more is "
                 "decline; otherwise applicants up less than %(change)s %% is maturity; otherwise emerging when the "
                 "earlier window had fewer than %(small)s filings, else growth.")
        % {"unit": unit_label(rules), "span": SPAN, "change": int(CHANGE * 100), "small": SMALL},
        columns=[Column("year", _("year")), Column("applicants", _("applicants"), "int"),
                 Column("filings", _("filings"), "int"), Column("incomplete", "")],
        rows=rows, chart=chart, drill={str(y): ids[y] for y in years}, notes=notes,
        extra={"phase": reading, **figures})
