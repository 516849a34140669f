"""Monitoring and early warning (专利预警): which patents a watch list covers, the alerts a check raises, the
e-mail digest and the feed items.

A check covers the window (``checked_until``, ``until``]: new publications and legal events (grant, lapse,
invalidation, transfer, licence, pledge) of the watched patents, and core patents in force whose statutory term
ends within ``expiry_months`` after ``until``. An alert is unique per (watch list, patent, kind, date), so a check
run twice raises nothing new.
"""

import calendar
import re
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ipoffice.patents.models import Classification, LegalEvent, LegalEventCode, LegalStatus, Party, Patent, PatentType
from ipoffice.patents.search.query import QueryError, parse
from ipoffice.patents.search.services import matching_patent_ids

from .dataset import build_dataset, chunks, event_kind
from .models import Alert, WatchList

LOOKBACK_DAYS = 90  # how far the first check of a new watch list looks back
DESIGN_15_YEARS = date(2021, 6, 1)  # 专利法 2020 amendment: designs filed from this day have a 15-year term
TERM_YEARS = {PatentType.INVENTION: 20, PatentType.UTILITY: 10, PatentType.DESIGN: 10}
_IPC_PREFIX = re.compile(r"[A-H](\d{2}([A-Z](\d{1,4}(/\d{0,6})?)?)?)?")
_PATENT_FIELDS = ("office", "application_number", "publication_number", "grant_number", "title", "patent_type",
                  "application_date", "publication_date")  # what an alert's message and the expiry need


# ---------------------------------------------------------------------------------------------------- coverage


def parse_ipc_prefixes(text: str) -> list[str]:
    """IPC prefixes separated by commas, semicolons or new lines ("H01M, B60L 53/"); raises ValueError naming a
    prefix that is not the start of an IPC symbol."""
    prefixes = []
    for part in re.split(r"[,;，；、\n]+", text or ""):
        prefix = re.sub(r"\s+", "", part).upper().rstrip("*")
        if not prefix:
            continue
        if not _IPC_PREFIX.fullmatch(prefix):
            raise ValueError(prefix)
        prefixes.append(prefix)
    return prefixes


def watch_list_problems(kind: str, query: str, ipc_prefixes: str, entity_count: int) -> dict[str, str]:
    """What keeps a watch list of this kind from working, by field: {} when nothing does (the pages and the API
    both ask)."""
    if kind == WatchList.Kind.QUERY:
        if not query.strip():
            return {"query": _("Give the query to watch.")}
        try:
            parse(query)
        except QueryError as error:
            return {"query": _("The query cannot be read: %(reason)s (at position %(position)d).")
                    % {"reason": error.reason, "position": error.position + 1}}
    elif kind == WatchList.Kind.IPC:
        try:
            if not parse_ipc_prefixes(ipc_prefixes):
                return {"ipc_prefixes": _("Give at least one IPC prefix, e.g. H01M or B60L53.")}
        except ValueError as error:
            return {"ipc_prefixes": _("%(prefix)s is not the start of an IPC symbol (e.g. H01M, B60L53/, "
                                      "H01M10/05).") % {"prefix": error}}
    elif kind in (WatchList.Kind.COMPETITORS, WatchList.Kind.PORTFOLIO) and not entity_count:
        return {"entities": _("Choose at least one entity.")}
    return {}


def _ipc_condition(prefix: str) -> Q:
    """A main group without its slash ("B60L53") means that group, not B60L530…; shorter prefixes match as given."""
    if len(prefix) > 4 and "/" not in prefix:
        return Q(symbol=prefix) | Q(symbol__startswith=prefix + "/")
    return Q(symbol__startswith=prefix)


def watched_patent_ids(watch_list: WatchList) -> set[int]:
    """The patents a watch list covers: the query's hits, the patents of the chosen entities as applicants (links as
    stored: a merge moves both the parties and the watch list to the surviving entity), or the IPC area's."""
    kind = watch_list.kind
    if kind == WatchList.Kind.QUERY:
        return set(matching_patent_ids(watch_list.query)) if watch_list.query.strip() else set()
    if kind in (WatchList.Kind.COMPETITORS, WatchList.Kind.PORTFOLIO):
        return set(Party.objects.filter(role=Party.Role.APPLICANT, entity__in=watch_list.entities.all())
                   .values_list("patent_id", flat=True))
    if kind == WatchList.Kind.IPC:
        prefixes = parse_ipc_prefixes(watch_list.ipc_prefixes)
        if not prefixes:
            return set()
        condition = Q()
        for prefix in prefixes:
            condition |= _ipc_condition(prefix)
        return set(Classification.objects.filter(condition, scheme=Classification.Scheme.IPC)
                   .values_list("patent_id", flat=True))
    raise ValueError(f"unknown watch list kind {kind!r}")


# ---------------------------------------------------------------------------------------------------- expiry


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def expiry_date(patent_type: str, filed: date | None) -> date | None:
    """The last day of the statutory term counted from the filing date (专利权期限): invention 20 years, utility
    model 10, design 10 or, filed from 2021-06-01, 15. Term extensions (专利权期限补偿) are not known here."""
    years = TERM_YEARS.get(patent_type)
    if not years or not filed:
        return None
    if patent_type == PatentType.DESIGN and filed >= DESIGN_15_YEARS:
        years = 15
    try:
        anniversary = filed.replace(year=filed.year + years)
    except ValueError:  # filed on 29 February: the term runs through 28 February of a common year
        anniversary = date(filed.year + years, 3, 1)
    return anniversary - timedelta(days=1)


def _expiring_core(ids: set[int], until: date, months: int) -> list[tuple[Patent, date, float]]:
    """Core patents in force whose term ends in (until, until + months]: (patent, last day, score)."""
    from .analyses.key_patents import CORE_SCORE, score

    horizon = add_months(until, months)
    expiring = {}
    for chunk in chunks(sorted(ids)):
        for patent in Patent.objects.filter(pk__in=chunk, legal_status=LegalStatus.GRANTED,
                                            patent_type__in=list(TERM_YEARS)).only(*_PATENT_FIELDS):
            last_day = expiry_date(patent.patent_type, patent.application_date)
            if last_day and until < last_day <= horizon:
                expiring[patent.pk] = (patent, last_day)
    if not expiring:
        return []
    scores = {r.id: score(r) for r in build_dataset(expiring, cutoff=until).records}
    return [(patent, last_day, scores[pk]) for pk, (patent, last_day) in expiring.items()
            if scores.get(pk, 0) >= CORE_SCORE]


# ---------------------------------------------------------------------------------------------------- checks

def _message(patent: Patent, detail: str = "") -> str:
    return " · ".join(part for part in (f"{patent.display_number} {patent.title}", detail) if part)[:500]


def _candidates(watch_list: WatchList, ids: set[int], since: date, until: date):
    """(patent id, kind, date, message) of everything the window and the horizon hold, watched kinds only."""
    wanted = set(watch_list.events) or set(Alert.Kind.values)
    if Alert.Kind.EXPIRY in wanted and watch_list.expiry_months:
        for patent, last_day, value in _expiring_core(ids, until, watch_list.expiry_months):
            yield patent.pk, Alert.Kind.EXPIRY, last_day, _message(patent, f"{value:.0f}/100")
    classes = {(office, code): event_class for office, code, event_class
               in LegalEventCode.objects.values_list("office", "code", "event_class")}
    for chunk in chunks(sorted(ids)):
        if Alert.Kind.PUBLICATION in wanted:
            for patent in Patent.objects.filter(pk__in=chunk, publication_date__gt=since,
                                                publication_date__lte=until).only(*_PATENT_FIELDS):
                yield patent.pk, Alert.Kind.PUBLICATION, patent.publication_date, _message(patent)
        events = (LegalEvent.objects.filter(patent_id__in=chunk, date__gt=since, date__lte=until)
                  .select_related("patent").only("date", "code", "description", *(f"patent__{f}" for f in
                                                                                   _PATENT_FIELDS)))
        for event in events:
            kind = event_kind(event.code, classes.get((event.patent.office, event.code), ""))
            if kind in wanted:
                yield (event.patent_id, kind, event.date,
                       _message(event.patent, f"{event.code} {event.description}".strip()))


def check_watch_list(watch_list: WatchList, *, until: date, lookback_days: int = LOOKBACK_DAYS) -> list[Alert]:
    """Raise the alerts of the window (checked_until, until] (a new list looks back ``lookback_days``) and of the
    core patents expiring within ``expiry_months`` after ``until``; returns only the alerts that are new."""
    since = watch_list.checked_until or until - timedelta(days=lookback_days)
    ids = watched_patent_ids(watch_list)
    found = {}
    for patent_id, kind, day, message in _candidates(watch_list, ids, since, until):
        found.setdefault((patent_id, str(kind), day), message)
    with transaction.atomic():
        first = min((day for _, _, day in found), default=until)
        existing = set(Alert.objects.filter(watch_list=watch_list, date__gte=first)
                       .values_list("patent_id", "kind", "date"))
        new = [Alert(watch_list=watch_list, patent_id=patent_id, kind=kind, date=day, message=message)
               for (patent_id, kind, day), message in sorted(found.items(), key=lambda item: (item[0][2], item[0]))
               if (patent_id, kind, day) not in existing]
        Alert.objects.bulk_create(new)
        if not watch_list.checked_until or until > watch_list.checked_until:
            watch_list.checked_until = until
            watch_list.save(update_fields=["checked_until"])
    return new


def check_and_notify(watch_list: WatchList, *, until: date, mail: bool = True,
                     lookback_days: int = LOOKBACK_DAYS) -> list[Alert]:
    """Check one watch list, then mail the digest of its alerts not yet mailed if the list asks for e-mail."""
    alerts = check_watch_list(watch_list, until=until, lookback_days=lookback_days)
    if mail and watch_list.email:
        send_alert_mail(watch_list, watch_list.alerts.filter(emailed_at__isnull=True).select_related("patent"))
    return alerts


def check_all(until: date, *, mail: bool = True, lookback_days: int = LOOKBACK_DAYS) -> dict[WatchList, list[Alert]]:
    """Check every watch list (what the scheduled ``ipoffice navigation watch`` runs): the new alerts of each."""
    return {watch_list: check_and_notify(watch_list, until=until, mail=mail, lookback_days=lookback_days)
            for watch_list in WatchList.objects.select_related("owner").order_by("pk")}


# ---------------------------------------------------------------------------------------------------- mail, feeds


def site_url(path: str) -> str:
    return settings.IPOFFICE_SITE_URL.rstrip("/") + path


def kind_labels() -> dict[str, str]:
    """Alert kinds labelled in Chinese with the English beside it (once when the two are the same)."""
    labels = {}
    for kind in Alert.Kind:
        with translation.override("zh-hans"):
            chinese = str(kind.label)
        with translation.override("en"):
            english = str(kind.label)
        labels[kind.value] = chinese if chinese == english else f"{chinese} {english}"
    return labels


def send_alert_mail(watch_list: WatchList, alerts) -> int:
    """Mail the owner one digest of these alerts (those already mailed are left out) and mark them mailed; the
    number of alerts sent (0: nothing to send, or the owner has no address)."""
    alerts = [a for a in alerts if a.emailed_at is None and a.watch_list_id == watch_list.pk]
    address = watch_list.owner.email
    if not alerts or not address:
        return 0
    labels = kind_labels()
    context = {"watch_list": watch_list, "count": len(alerts),
               "alerts": [{"kind": labels[a.kind], "date": a.date, "message": a.message,
                           "url": site_url(a.patent.get_absolute_url())} for a in alerts],
               "page_url": site_url(watch_list_path(watch_list))}
    subject = f"【专利预警 Patent alerts】{watch_list.name}: {len(alerts)} 条新提醒 new alerts"
    send_mail(subject, render_to_string("navigation/alert_mail.txt", context), None, [address])
    Alert.objects.filter(pk__in=[a.pk for a in alerts]).update(emailed_at=timezone.now())
    return len(alerts)


def watch_list_path(watch_list: WatchList) -> str:
    return reverse("navigation:watch", args=[watch_list.pk])


def feed_alerts(watch_list: WatchList, limit: int = 100) -> list[Alert]:
    """The newest alerts of a watch list, with their patents: what its RSS and JSON feeds carry."""
    return list(watch_list.alerts.select_related("patent").order_by("-created_at", "-pk")[:limit])
