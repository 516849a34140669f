"""Navigation demo data on the generated patents: the worked example with its first snapshot, the filing signals
for officers to review, and a competitor watch list with its alerts for the demo enterprise user."""

from collections import Counter
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.db.models import Max

from ipoffice.patents.models import Patent

from .definition import EXAMPLE, load_definition
from .models import Signal, WatchList
from .monitoring import check_watch_list
from .signals import detect_signals
from .snapshots import load_dataset, take_snapshot

DEMO_WATCH_LIST = "竞争对手动态 Competitors"


def load_demo(write: Callable[[str], None], enterprise_username: str = "enterprise") -> None:
    """Idempotent: running it again adds nothing."""
    project = load_definition(EXAMPLE)
    if not project.snapshots.exists():
        snapshot = take_snapshot(project)
        write(f"navigation example {project.slug}: snapshot of {snapshot.patent_count} patents")
    if not Signal.objects.exists():
        found = detect_signals()
        write("filing signals for review: " + ", ".join(f"{kind} {c['found']}" for kind, c in found.items()))
    user = get_user_model().objects.filter(username=enterprise_username).first()
    if user is None or WatchList.objects.filter(owner=user, name=DEMO_WATCH_LIST).exists():
        return
    own = set(user.representations.values_list("entity_id", flat=True))
    applicants = Counter(a.entity_id for r in load_dataset(project.latest_snapshot).records for a in r.applicants
                         if a.entity_id and a.entity_id not in own)
    watch_list = WatchList.objects.create(owner=user, name=DEMO_WATCH_LIST, kind=WatchList.Kind.COMPETITORS,
                                          project=project)
    watch_list.entities.set([entity for entity, _count in applicants.most_common(5)])
    latest = Patent.objects.aggregate(day=Max("publication_date"))["day"]
    if latest:
        alerts = check_watch_list(watch_list, until=latest, lookback_days=365)
        write(f"watch list of {enterprise_username}: 5 competitors, {len(alerts)} alerts")
