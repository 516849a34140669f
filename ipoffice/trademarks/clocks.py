"""The statutory clocks of a Chinese mark (商标法, 2019 text), computed from its dates.

- Opposition (Art. 33): anyone may oppose within three months of the preliminary publication (初审公告).
  CNIPA prints the period as the day after the publication to the same day three months later
  (公告 2020-01-06 → 异议期 2020-01-07 至 2020-04-06); a missing day (31st) falls back to the month's last day.
- Term (Art. 39): ten years from the registration date (2010-03-21 → 2020-03-20), unless the register gives
  the term.
- Renewal (Art. 40): within the twelve months before expiry, plus a grace period of six months after it.
- Non-use (Art. 49): a registered mark not used for three consecutive years may be cancelled on request; the
  first day a request can be made is three years after registration.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

OPPOSITION_MONTHS = 3
TERM_YEARS = 10
RENEWAL_MONTHS = 12
GRACE_MONTHS = 6
NON_USE_YEARS = 3


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (or earlier); the 31st of a shorter month becomes its last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Window:
    start: date
    end: date

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def days_left(self, day: date) -> int | None:
        return (self.end - day).days if self.contains(day) else None


@dataclass(frozen=True)
class Clocks:
    opposition: Window | None
    term_start: date | None
    term_end: date | None
    renewal: Window | None
    grace: Window | None
    non_use_from: date | None

    def phase(self, today: date) -> str:
        """Where the mark stands on its clocks today: opposition, renewal, grace, expired, in_term or ''."""
        if self.opposition and self.opposition.contains(today):
            return "opposition"
        if self.grace and self.grace.contains(today):
            return "grace"
        if self.renewal and self.renewal.contains(today):
            return "renewal"
        if self.term_end and today > self.term_end:
            return "expired"
        if self.term_start and self.term_start <= today:
            return "in_term"
        return ""


def opposition_window(publication: date | None) -> Window | None:
    if publication is None:
        return None
    return Window(publication + timedelta(days=1), add_months(publication, OPPOSITION_MONTHS))


def term_of(registration: date | None, term_start: date | None = None, term_end: date | None = None):
    """(start, end) of the exclusive right: as registered, else ten years from the registration date."""
    start = term_start or registration
    if start is None:
        return None, term_end
    end = term_end or add_months(start, 12 * TERM_YEARS) - timedelta(days=1)
    return start, end


def clocks_for(*, preliminary_publication_date=None, registration_date=None, term_start=None,
               term_end=None) -> Clocks:
    start, end = term_of(registration_date, term_start, term_end)
    renewal = grace = None
    if end:
        renewal = Window(add_months(end, -RENEWAL_MONTHS) + timedelta(days=1), end)
        grace = Window(end + timedelta(days=1), add_months(end, GRACE_MONTHS))
    registered = registration_date or term_start
    return Clocks(
        opposition=opposition_window(preliminary_publication_date),
        term_start=start, term_end=end, renewal=renewal, grace=grace,
        non_use_from=add_months(registered, 12 * NON_USE_YEARS) if registered else None,
    )


def mark_clocks(mark) -> Clocks:
    return clocks_for(preliminary_publication_date=mark.preliminary_publication_date,
                      registration_date=mark.registration_date, term_start=mark.term_start,
                      term_end=mark.term_end)
