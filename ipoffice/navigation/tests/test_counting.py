"""The counting rules on their own: the lag start at month ends, the incomplete years per date basis, family
de-duplication, date bases and applicant shares."""

from datetime import date

import pytest

from ipoffice.navigation.counting import Rules, counted, date_of, incomplete_years, lag_start, shares, year_of
from ipoffice.navigation.dataset import Record


def rules(cutoff, lag=18, basis="filing", **changes):
    return Rules(cutoff=cutoff, lag_months=lag, date_basis=basis, **changes)


@pytest.mark.parametrize("cutoff, lag, start", [
    (date(2022, 12, 31), 18, date(2021, 6, 30)),  # June has 30 days: the day is clamped
    (date(2022, 8, 31), 18, date(2021, 2, 28)),  # February of a common year
    (date(2024, 8, 31), 6, date(2024, 2, 29)),  # February of a leap year
    (date(2023, 3, 15), 18, date(2021, 9, 15)),  # mid-month: the same day
    (date(2023, 1, 31), 1, date(2022, 12, 31)),  # back across the year
    (date(2022, 12, 31), 0, date(2022, 12, 31)),  # no lag
])
def test_lag_start_month_arithmetic(cutoff, lag, start):
    assert lag_start(rules(cutoff, lag)) == start


@pytest.mark.parametrize("basis", ["filing", "priority"])
@pytest.mark.parametrize("cutoff, lag, years", [
    (date(2022, 12, 31), 18, {2021, 2022}),  # lag start 2021-06-30: 2021 still growing
    (date(2022, 6, 30), 18, {2020, 2021, 2022}),  # lag start 2020-12-30: filings of 30–31 Dec 2020 unpublished
    (date(2023, 12, 31), 12, {2023}),  # lag start 2022-12-31: 2022 is complete
    (date(2022, 12, 31), 0, set()),  # no lag and the year has ended
])
def test_incomplete_years_of_filing_and_priority_dates(basis, cutoff, lag, years):
    assert incomplete_years(rules(cutoff, lag, basis)) == years


def test_incomplete_years_of_publication_dates_ignore_the_lag():
    assert incomplete_years(rules(date(2022, 12, 31), 18, "publication")) == set()
    assert incomplete_years(rules(date(2022, 6, 30), 18, "publication")) == {2022}


def record(pk, filed, *, priority=None, published=None, family="", office="CN"):
    return Record(id=pk, office=office, number=f"{office}{pk}", application_number=str(pk), kind="A",
                  patent_type="invention", title="", application_date=filed, priority_date=priority,
                  publication_date=published, grant_date=None, family_id=family, legal_status="pending",
                  claims_count=None, ipc=[], cpc=[], applicants=[], inventors=[], agency="", region="", country="")


def test_date_bases_and_the_priority_fallback():
    with_priority = record(1, "2020-05-01", priority="2019-05-01", published="2021-11-01")
    without = record(2, "2020-05-01", published="2021-11-01")
    cutoff = date(2022, 12, 31)
    assert [year_of(with_priority, rules(cutoff, basis=b)) for b in ("filing", "priority", "publication")] == [
        2020, 2019, 2021]
    assert date_of(without, rules(cutoff, basis="priority")) == "2020-05-01"
    assert year_of(record(3, None), rules(cutoff)) is None


def test_family_counting_keeps_one_member_per_family():
    records = [record(5, "2019-01-01", family="F"), record(3, "2018-01-01", family="F", office="US"),
               record(4, "2018-01-01", family="F"), record(6, "2017-01-01"), record(7, "2017-01-01")]
    cutoff = date(2022, 12, 31)
    # F: the earliest (3 and 4 on 2018-01-01), then the CN member: 4; 6 and 7 have no family id: one each
    assert [r.id for r in counted(records, rules(cutoff, unit="family"))] == [4, 6, 7]
    assert [r.id for r in counted(records, rules(cutoff))] == [5, 3, 4, 6, 7]


def test_applicant_shares():
    cutoff = date(2022, 12, 31)
    trio = ["a", "b", "c"]
    assert shares(trio, rules(cutoff, applicants="whole")) == [("a", 1.0), ("b", 1.0), ("c", 1.0)]
    assert shares(trio, rules(cutoff, applicants="first")) == [("a", 1.0)]
    assert shares(trio, rules(cutoff, applicants="fractional")) == [("a", 1 / 3), ("b", 1 / 3), ("c", 1 / 3)]
    assert shares([], rules(cutoff, applicants="fractional")) == []
