"""Watching an owner's marks against new preliminary publications (初审公告): a published mark that may conflict
with a watched mark for similar goods raises an alert carrying the deadline to oppose it (three months from the
publication, 商标法 Art. 33).

A run compares the marks published since the watch's last run (or within the open opposition window the first
time) with the owner's live marks, through a candidate index of the watched marks only; a pair already alerted
is not alerted again.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from . import classification
from .clocks import OPPOSITION_MONTHS, add_months, opposition_window
from .models import LIVE_STATUSES, Trademark, TrademarkGoods, TrademarkParty, Watch, WatchAlert
from .services import GOODS_WEIGHT_FLOOR, keys_of, rule_dict, similarity_engine


@dataclass
class RunResult:
    watches: int = 0
    published: int = 0
    compared: int = 0
    alerts: int = 0


def watched_marks(entity) -> list[Trademark]:
    ids = TrademarkParty.objects.filter(entity=entity, role=TrademarkParty.Role.OWNER).values("trademark_id")
    return list(Trademark.objects.filter(pk__in=ids, status__in=LIVE_STATUSES).exclude(mark_text=""))


def _goods(mark_ids) -> dict[int, tuple[set, set, set]]:
    goods: dict[int, tuple[set, set, set]] = {}
    for mark_id, number, group, item in TrademarkGoods.objects.filter(trademark_id__in=mark_ids).values_list(
            "trademark_id", "class_number", "group_code", "item_code"):
        classes, groups, items = goods.setdefault(mark_id, (set(), set(), set()))
        classes.add(number)
        if group:
            groups.add(group)
        if item:
            items.add(item)
    return goods


@transaction.atomic
def run_watch(watch: Watch, *, today: date | None = None, since: date | None = None) -> RunResult:
    today = today or timezone.localdate()
    since = since or (watch.last_run.date() - timedelta(days=1) if watch.last_run else
                      add_months(today, -OPPOSITION_MONTHS))
    result = RunResult(watches=1)
    engine = similarity_engine()
    mine = watched_marks(watch.entity)
    own_ids = {m.pk for m in mine}
    published = list(Trademark.objects.filter(preliminary_publication_date__gte=since,
                                              preliminary_publication_date__lte=today)
                     .exclude(pk__in=own_ids).exclude(mark_text=""))
    result.published = len(published)
    if not mine or not published:
        watch.last_run = timezone.now()
        watch.save(update_fields=["last_run"])
        return result
    index = engine.ClearanceIndex.build((m.pk, m.mark_text) for m in mine)
    by_id = {m.pk: m for m in mine}
    goods = _goods(own_ids | {m.pk for m in published})
    edition = classification.edition_for(today)
    links = classification.cross_links(edition)
    known = set(WatchAlert.objects.filter(watch=watch).values_list("watched_mark_id", "conflicting_mark_id"))
    alerts = []
    for new in published:
        window = opposition_window(new.preliminary_publication_date)
        if window is None or window.end < today:
            continue
        new_keys = keys_of(new.mark_text)
        new_classes, new_groups, new_items = goods.get(new.pk, (set(), set(), set()))
        for mark_id in index.candidates(new_keys, 20):
            if (mark_id, new.pk) in known or mark_id not in by_id:
                continue
            result.compared += 1
            similarity = engine.compare(new_keys, keys_of(by_id[mark_id].mark_text))
            classes, groups, items = goods.get(mark_id, (set(), set(), set()))
            relation, weight = engine.goods_relation(new_groups, new_items, new_classes, groups, items, classes,
                                                     links)
            score = float(similarity.score) * (GOODS_WEIGHT_FLOOR + (1 - GOODS_WEIGHT_FLOOR) * float(weight))
            if score < watch.threshold or relation == "unrelated":
                continue
            known.add((mark_id, new.pk))
            alerts.append(WatchAlert(watch=watch, watched_mark_id=mark_id, conflicting_mark=new,
                                     score=round(score, 4), similarity=round(float(similarity.score), 4),
                                     goods_relation=relation, rules=[rule_dict(r) for r in similarity.rules],
                                     opposition_deadline=window.end))
    WatchAlert.objects.bulk_create(alerts, ignore_conflicts=True)
    result.alerts = len(alerts)
    watch.last_run = timezone.now()
    watch.save(update_fields=["last_run"])
    return result


def run_watches(*, today: date | None = None, since: date | None = None) -> RunResult:
    total = RunResult()
    for watch in Watch.objects.filter(active=True).select_related("entity"):
        result = run_watch(watch, today=today, since=since)
        for field in ("watches", "published", "compared", "alerts"):
            setattr(total, field, getattr(total, field) + getattr(result, field))
    return total
