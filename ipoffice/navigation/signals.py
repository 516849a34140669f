"""Signals of possibly abnormal filings (非正常专利申请, cf. CNIPA 《关于规范申请专利行为的办法》 2021) for an officer
to review. Each detector gives the evidence an officer can check (the pairs of texts, the monthly series and the
threshold, the applicants at one address); none gives a verdict.

``detect_signals`` stores the signals by (kind, key): a second run updates the evidence of a signal it finds
again and never touches its review (status, note, reviewer). A signal no longer found stays as it was.
"""

import difflib
import json
import re
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import Count, Max
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from ipoffice.core.errors import DataError
from ipoffice.core.text import to_halfwidth, to_simplified
from ipoffice.entities.names import name_key
from ipoffice.patents.models import Party, Patent, PatentType

from .filings import add_months, month_end, months_between
from .models import Signal
from .neardup import near_duplicates

KINDS = [k.value for k in Signal.Kind]


@dataclass
class Found:
    """A signal as a detector finds it, before it is stored."""

    kind: str
    key: str
    subject: str
    period: str
    score: float
    evidence: dict
    patents: list[int]
    region_id: int | None = None


@dataclass
class Options:
    """The thresholds of the detectors (each one written into the evidence it applies to)."""

    similarity: float = 0.8  # Jaccard similarity of the 3-gram sets
    short_window_days: int = 90  # near-duplicates filed within this many days weigh more
    burst_z: float = 3.5  # robust z-score (Iglewicz & Hoaglin's outlier cut)
    burst_min_count: int = 10  # filings in the month
    address_min_applicants: int = 3
    address_min_filings: int = 10
    pairs_shown: int = 20
    kinds: list[str] = field(default_factory=lambda: list(KINDS))


# ------------------------------------------------------------------------------------------------ parties


def _entity_key(entity_id, name) -> str:
    return f"e{entity_id}" if entity_id else f"n:{name_key(name)}"


def _parties(patent_ids, role) -> dict[int, list[dict]]:
    rows = (Party.objects.filter(patent_id__in=patent_ids, role=role).order_by("patent_id", "sequence")
            .values("patent_id", "entity_id", "entity__name", "name", "address", "region_id"))
    out = defaultdict(list)
    for r in rows:
        out[r["patent_id"]].append({"key": _entity_key(r["entity_id"], r["name"]),
                                    "name": r["entity__name"] or r["name"], "address": r["address"],
                                    "region_id": r["region_id"]})
    return out


# ------------------------------------------------------------------------------------------------ near-duplicates


def document_text(title: str, abstract: str, first_claim: str) -> str:
    return f"{title}。{abstract}{first_claim}"


def near_duplicate_signals(since: date, until: date, options: Options) -> list[Found]:
    """Clusters of applications whose title + abstract + first claim are near-identical (Jaccard of character
    3-grams at least ``options.similarity``). Designs are left out (their substance is the drawings and their brief
    description is a formula), and a cluster of one patent family only (一案双申: an invention and a utility model
    of the same applicant on the same day) is lawful and left out too."""
    rows = list(Patent.objects.filter(application_date__gte=since, application_date__lte=until)
                .exclude(patent_type=PatentType.DESIGN).order_by("application_date", "id")
                .values_list("id", "title", "abstract", "first_claim"))
    if len(rows) < 2:
        return []
    texts = [document_text(*r[1:]) for r in rows]
    result = near_duplicates(texts, threshold=options.similarity)
    clusters = result.clusters()
    ids = [rows[i][0] for members in clusters for i in members]
    info = {p["id"]: p for p in Patent.objects.filter(id__in=ids).values(
        "id", "office", "application_number", "application_date", "title", "family_id", "region_id", "patent_type")}
    applicants, agencies = _parties(ids, Party.Role.APPLICANT), _parties(ids, Party.Role.AGENCY)
    found = []
    for members in clusters:
        pids = [rows[i][0] for i in members]
        families = {info[p]["family_id"] or f"#{p}" for p in pids}
        if len(families) < 2:
            continue
        inside = set(members)
        pairs = [(g[0], other, 1.0) for g in result.groups if g[0] in inside for other in g[1:]]
        pairs += [(i, j, s) for i, j, s in result.pairs if i in inside]
        pairs = [(rows[i][0], rows[j][0], s) for i, j, s in pairs
                 if info[rows[i][0]]["family_id"] != info[rows[j][0]]["family_id"] or not info[rows[i][0]]["family_id"]]
        if not pairs:
            continue
        found.append(_cluster_signal(pids, pairs, info, applicants, agencies,
                                     {rows[i][0]: texts[i] for i in members}, options))
    return found


def _cluster_signal(pids, pairs, info, applicants, agencies, texts, options) -> Found:
    dates = sorted(info[p]["application_date"] for p in pids)
    span = (dates[-1] - dates[0]).days
    names = Counter(a["name"] for p in pids for a in applicants[p])
    agency_names = Counter(a["name"] for p in pids for a in agencies[p])
    addresses = Counter(address_key(a["address"]) for p in pids for a in applicants[p] if a["address"])
    distinct = len({a["key"] for p in pids for a in applicants[p]})
    mean = sum(s for *_ab, s in pairs) / len(pairs)
    score = mean * 100 * (1 + 0.25 * min(distinct - 1, 4)) * (1.25 if span <= options.short_window_days else 1)
    pairs.sort(key=lambda p: (-p[2], p[0], p[1]))

    def doc(p):
        i = info[p]
        return {"id": p, "number": f"{i['office']}{i['application_number']}", "title": i["title"],
                "date": i["application_date"].isoformat(), "type": i["patent_type"],
                "applicants": [a["name"] for a in applicants[p]], "agency": [a["name"] for a in agencies[p]]}

    shown = [{"a": doc(a), "b": doc(b), "similarity": s,
              "shared_applicants": sorted({x["name"] for x in applicants[a]} & {x["name"] for x in applicants[b]}),
              "differences": differences(texts[a], texts[b])} for a, b, s in pairs[:options.pairs_shown]]
    first = info[pids[0]]
    region = Counter(info[p]["region_id"] for p in pids if info[p]["region_id"]).most_common(1)
    return Found(
        Signal.Kind.NEAR_DUPLICATE, f"{first['office']}{first['application_number']}", first["title"][:300],
        dates[0].strftime("%Y-%m"), round(score, 1),
        {"threshold": options.similarity, "documents": len(pids), "pairs_total": len(pairs),
         "mean_similarity": round(mean, 4), "applicants": names.most_common(), "agencies": agency_names.most_common(),
         "addresses": [[a, n] for a, n in addresses.most_common() if n > 1], "distinct_applicants": distinct,
         "first_date": dates[0].isoformat(), "last_date": dates[-1].isoformat(), "span_days": span,
         "score_rule": "100 × mean similarity × (1 + 0.25 × min(applicants − 1, 4)) × (1.25 if filed within "
                       f"{options.short_window_days} days)", "pairs": shown},
        pids, region[0][0] if region else None)


def differences(a: str, b: str, limit: int = 3, context: int = 12) -> list[dict]:
    """Up to ``limit`` places where two texts differ, each with a little shared text around it."""
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    out = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "equal":
            out.append({"a": a[max(0, i1 - context):i2 + context], "b": b[max(0, j1 - context):j2 + context]})
            if len(out) == limit:
                break
    return out


def highlight(a: str, b: str) -> tuple[list[tuple[str, bool]], list[tuple[str, bool]]]:
    """Both texts cut into (piece, shared?) runs, for a side-by-side view with the shared text marked."""
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    left, right = [], []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if i2 > i1:
            left.append((a[i1:i2], op == "equal"))
        if j2 > j1:
            right.append((b[j1:j2], op == "equal"))
    return left, right


# ------------------------------------------------------------------------------------------------ bursts


def robust_z(value: float, history: list[float]) -> tuple[float, float, float]:
    """(median, MAD, robust z) of ``value`` against ``history``; the MAD is at least 1 filing, so that a quiet
    history of zeros does not make every filing an outlier."""
    median = statistics.median(history)
    mad = max(statistics.median(abs(x - median) for x in history), 1.0)
    return median, mad, 0.6745 * (value - median) / mad


def burst_signals(role: str, since: date, until: date, options: Options) -> list[Found]:
    """Months in which an applicant (or agency) filed far more than in its own trailing 12 months: robust z-score
    against the median and the median absolute deviation, and at least ``burst_min_count`` filings."""
    kind = Signal.Kind.APPLICANT_BURST if role == Party.Role.APPLICANT else Signal.Kind.AGENCY_BURST
    first, last = since.replace(day=1), until.replace(day=1)
    rows = (Party.objects.filter(role=role, patent__application_date__gte=add_months(first, -12),
                                 patent__application_date__lte=month_end(last))
            .annotate(month=TruncMonth("patent__application_date"))
            .values("entity_id", "entity__name", "name", "month").annotate(n=Count("patent_id", distinct=True))
            .order_by())
    series, labels = defaultdict(Counter), {}
    for r in rows:
        key = _entity_key(r["entity_id"], r["name"])
        series[key][r["month"]] += r["n"]
        labels.setdefault(key, r["entity__name"] or r["name"])
    found = []
    for key, counts in series.items():
        for month in months_between(first, last):
            n = counts.get(month, 0)
            if n < options.burst_min_count:
                continue
            window = months_between(add_months(month, -12), add_months(month, -1))
            median, mad, z = robust_z(n, [counts.get(m, 0) for m in window])
            if z < options.burst_z:
                continue
            found.append(Found(kind, f"{key}|{month:%Y-%m}", labels[key][:300], f"{month:%Y-%m}", round(z, 2), {
                "entity": labels[key], "month": f"{month:%Y-%m}", "filings": n, "median": median, "mad": mad,
                "z": round(z, 2), "z_threshold": options.burst_z, "min_count": options.burst_min_count,
                "alert_level": round(median + options.burst_z * mad / 0.6745, 1),
                "series": [{"month": f"{m:%Y-%m}", "filings": counts.get(m, 0)} for m in [*window, month]]},
                []))
    _attach_patents(found, role)
    return found


def _attach_patents(found: list[Found], role: str) -> None:
    """The patents of each burst signal: the entity's filings in that month (and the most common region)."""
    for f in found:
        key, month = f.key.rsplit("|", 1)
        start = date(int(month[:4]), int(month[5:]), 1)
        parties = Party.objects.filter(role=role, patent__application_date__gte=start,
                                       patent__application_date__lte=month_end(start))
        if key.startswith("e"):
            parties = parties.filter(entity_id=int(key[1:]))
        else:
            parties = parties.filter(entity__isnull=True, name__in=_names_with_key(role, key[2:]))
        rows = list(parties.values_list("patent_id", "patent__region_id").distinct())
        f.patents = sorted({p for p, _r in rows})
        regions = Counter(r for _p, r in rows if r).most_common(1)
        f.region_id = regions[0][0] if regions else None


def _names_with_key(role: str, key: str) -> list[str]:
    names = Party.objects.filter(role=role, entity__isnull=True).values_list("name", flat=True).distinct()
    return [n for n in names if name_key(n) == key]


# ------------------------------------------------------------------------------------------------ addresses

_ADDRESS_PUNCT = re.compile(r"[\s\W_]+")
_ADDRESS_PREFIX = re.compile(r"^(中国|中华人民共和国)?([\u4e00-\u9fff]{2,3}(省|自治区))?")


def address_key(address: str) -> str:
    """An address as a comparable key: half width, simplified, no spaces or punctuation, no leading country or
    province (``广东省深圳市…`` and ``深圳市…`` are one address)."""
    text = _ADDRESS_PUNCT.sub("", to_simplified(to_halfwidth(address or "")).lower())
    return _ADDRESS_PREFIX.sub("", text)


def address_signals(since: date, until: date, options: Options) -> list[Found]:
    """Addresses from which several distinct applicants filed many applications in one calendar year."""
    rows = (Party.objects.filter(role=Party.Role.APPLICANT, patent__application_date__gte=since,
                                 patent__application_date__lte=until).exclude(address="")
            .values_list("patent_id", "patent__application_date", "address", "entity_id", "entity__name", "name",
                         "patent__region_id"))
    groups = defaultdict(lambda: {"patents": set(), "applicants": Counter(), "forms": Counter(), "regions": Counter()})
    for patent, day, address, entity, entity_name, name, region in rows:
        key = address_key(address)
        if not key:
            continue
        g = groups[key, day.year]
        g["patents"].add(patent)
        g["applicants"][(_entity_key(entity, name), entity_name or name)] += 1
        g["forms"][address] += 1
        if region:
            g["regions"][region] += 1
    found = []
    for (key, year), g in groups.items():
        if len(g["applicants"]) < options.address_min_applicants or len(g["patents"]) < options.address_min_filings:
            continue
        found.append(Found(
            Signal.Kind.SHARED_ADDRESS, f"{key[:180]}|{year}", g["forms"].most_common(1)[0][0][:300], str(year),
            float(len(g["patents"])),
            {"address_key": key, "year": year, "filings": len(g["patents"]), "applicants": [
                {"name": label, "filings": n} for (_k, label), n in g["applicants"].most_common()],
             "address_forms": g["forms"].most_common(10), "min_applicants": options.address_min_applicants,
             "min_filings": options.address_min_filings},
            sorted(g["patents"]), g["regions"].most_common(1)[0][0] if g["regions"] else None))
    return found


# ------------------------------------------------------------------------------------------------ storing


def default_period(since: date | None, until: date | None) -> tuple[date, date]:
    """The last 12 months of filings in the registry unless given."""
    if until is None:
        until = Patent.objects.aggregate(last=Max("application_date"))["last"] or timezone.localdate()
    if since is None:
        since = add_months(until.replace(day=1), -11)
    if since > until:
        raise DataError.single("the period ends before it starts", field="until")
    return since, until


def detect_signals(*, since: date | None = None, until: date | None = None, kinds: list[str] | None = None,
                   options: Options | None = None) -> dict[str, dict[str, int]]:
    """Run the detectors over filings from ``since`` to ``until`` and store what they find:
    {kind: {"found", "created", "updated", "unchanged"}}."""
    options = options or Options()
    kinds = list(kinds or options.kinds)
    unknown = sorted(set(kinds) - set(KINDS))
    if unknown:
        raise DataError.single(f"unknown signal kind {', '.join(unknown)} (one of {', '.join(KINDS)})", field="kinds")
    since, until = default_period(since, until)
    detectors = {
        Signal.Kind.NEAR_DUPLICATE: lambda: near_duplicate_signals(since, until, options),
        Signal.Kind.APPLICANT_BURST: lambda: burst_signals(Party.Role.APPLICANT, since, until, options),
        Signal.Kind.AGENCY_BURST: lambda: burst_signals(Party.Role.AGENCY, since, until, options),
        Signal.Kind.SHARED_ADDRESS: lambda: address_signals(since, until, options),
    }
    return {kind: store(detectors[kind]()) for kind in KINDS if kind in kinds}


@transaction.atomic
def store(found: list[Found]) -> dict[str, int]:
    """Create or update one Signal per (kind, key); the review fields of an existing signal stay as they are."""
    counts = Counter(found=len(found))
    existing = {(s.kind, s.key): s for s in Signal.objects.filter(
        kind__in={f.kind for f in found}, key__in=[f.key for f in found]).prefetch_related("patents")}
    for f in found:
        values = {"subject": f.subject, "period": f.period, "score": f.score, "region_id": f.region_id,
                  "evidence": json.loads(json.dumps(f.evidence))}  # as stored (tuples become lists)
        signal = existing.get((f.kind, f.key))
        if signal is None:
            signal = Signal.objects.create(kind=f.kind, key=f.key, **values)
            counts["created"] += 1
        elif (any(getattr(signal, k) != v for k, v in values.items())
              or {p.pk for p in signal.patents.all()} != set(f.patents)):
            for k, v in values.items():
                setattr(signal, k, v)
            signal.save()
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
            continue
        signal.patents.set(f.patents)
    return {k: counts[k] for k in ("found", "created", "updated", "unchanged")}


# ------------------------------------------------------------------------------------------------ review


REVIEW_STATUSES = (Signal.Status.DISMISSED, Signal.Status.REFERRED, Signal.Status.OPEN)


def review_signal(signal: Signal, *, user, status: str, note: str) -> Signal:
    """Record an officer's review (dismissed, referred, or opened again); a referral needs a note. The change is
    kept in the signal's history with the reviewer."""
    if status not in REVIEW_STATUSES:
        raise DataError.single(_("'%(status)s' is not a review decision") % {"status": status}, field="status")
    note = (note or "").strip()
    if status == Signal.Status.REFERRED and not note:
        raise DataError.single(_("say why the signal is referred"), field="note")
    signal.status, signal.review_note = status, note
    signal.reviewed_by, signal.reviewed_at = user, timezone.now()
    signal._history_user = user
    signal.save()
    return signal


def burst_chart(signal: Signal) -> dict:
    """The monthly series of a burst signal with its median and alert level, as a Vega-Lite spec."""
    from ipoffice.indicators.charts import vega_spec

    ev = signal.evidence
    values = [dict(p, level=_("filings")) for p in ev["series"]]
    return vega_spec(_("Monthly filings of %(name)s") % {"name": ev["entity"]}, values, {"layer": [
        {"mark": "bar", "encoding": {
            "x": {"field": "month", "type": "ordinal", "title": _("month")},
            "y": {"field": "filings", "type": "quantitative", "title": _("filings")},
            "color": {"condition": {"test": f"datum.month == '{ev['month']}'", "value": "#c62828"},
                      "value": "#0b5cad"}}},
        {"mark": {"type": "rule", "strokeDash": [6, 4]}, "encoding": {"y": {"datum": ev["alert_level"]}}},
        {"mark": {"type": "rule", "color": "#9e9e9e"}, "encoding": {"y": {"datum": ev["median"]}}},
    ]}, height=200)


def signal_text(patent: Patent) -> str:
    """The text the near-duplicate detector compares (for the side-by-side view)."""
    return document_text(patent.title, patent.abstract, patent.first_claim)

