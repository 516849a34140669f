"""The recall/precision worksheet (查全率/查准率评估表): samples drawn from a snapshot, judged by an analyst.

The precision sample is drawn from the snapshot itself: precision = relevant / judged. The recall sample is drawn
from the hits of the project's broader ``reference_query`` (as of the snapshot's cut-off): recall = relevant and in
the dataset / relevant. Both come with the Wilson 95 % interval, which stays sensible for small samples and for
proportions near 0 or 1.

Samples are reproducible: the order of draw is a shuffle seeded by the snapshot's fingerprint, and a larger sample
extends a smaller one (the first N of the same order).
"""

import math
import random
from datetime import date

from django.db import transaction
from django.utils import timezone

from ipoffice.patents.models import Patent
from ipoffice.patents.search.services import matching_patent_ids

from .dataset import chunks
from .models import Judgement, Snapshot
from .snapshots import load_dataset

Z95 = 1.959964  # two-sided 95 % normal quantile
SAMPLE_SIZE = 50
SAMPLE_MAX = 1000


def wilson(successes: int, trials: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of a proportion (raises ValueError without trials)."""
    if trials <= 0:
        raise ValueError("the Wilson interval needs at least one trial")
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def snapshot_ids(snapshot: Snapshot) -> list[int]:
    return sorted(r.id for r in load_dataset(snapshot).records)


def reference_ids(snapshot: Snapshot) -> list[int]:
    """The reference query's hits as the snapshot would have held them: published (or filed) by its cut-off.
    Raises ValueError when the project has no reference query, QueryError when it cannot be read."""
    query = snapshot.project.reference_query.strip()
    if not query:
        raise ValueError("the project has no reference query to draw the recall sample from")
    ids = matching_patent_ids(query)
    kept = []
    for chunk in chunks(ids):
        rows = Patent.objects.filter(pk__in=chunk).values_list("id", "publication_date", "application_date")
        kept += [pk for pk, published, filed in rows if not _after(published or filed, snapshot.cutoff_date)]
    return sorted(kept)


def _after(day: date | None, cutoff: date) -> bool:
    return day is not None and day > cutoff


def draw_order(snapshot: Snapshot, sample: str, ids: list[int]) -> list[int]:
    """``ids`` shuffled by a generator seeded from the snapshot's fingerprint and the sample's name."""
    order = sorted(ids)
    random.Random(f"{snapshot.fingerprint}:{sample}").shuffle(order)
    return order


@transaction.atomic
def draw_sample(snapshot: Snapshot, sample: str, size: int = SAMPLE_SIZE) -> int:
    """Make the sample hold the first ``size`` patents of its order of draw (lines already there are kept, with
    their verdicts); return how many lines were added."""
    if sample not in Judgement.Sample.values:
        raise ValueError(f"unknown sample {sample!r}: precision or recall")
    if not 1 <= size <= SAMPLE_MAX:
        raise ValueError(f"a sample holds 1 to {SAMPLE_MAX} patents, not {size}")
    in_dataset = set(snapshot_ids(snapshot))
    population = in_dataset if sample == Judgement.Sample.PRECISION else reference_ids(snapshot)
    chosen = draw_order(snapshot, sample, list(population))[:size]
    existing = set(snapshot.judgements.filter(sample=sample).values_list("patent_id", flat=True))
    new = [Judgement(snapshot=snapshot, sample=sample, patent_id=pk, in_dataset=pk in in_dataset)
           for pk in chosen if pk not in existing]
    Judgement.objects.bulk_create(new)
    return len(new)


def judge(judgement: Judgement, relevant: bool | None, user=None, note: str = "") -> Judgement:
    """Record the analyst's verdict (None takes it back)."""
    judgement.relevant = relevant
    judgement.note = note[:300]
    judgement.judged_by = user if user is not None and user.is_authenticated else None
    judgement.judged_at = timezone.now() if relevant is not None else None
    judgement.save(update_fields=["relevant", "note", "judged_by", "judged_at"])
    return judgement


def _figure(successes: int, trials: int, sampled: int) -> dict | None:
    if trials == 0:
        return None
    low, high = wilson(successes, trials)
    return {"value": successes / trials, "low": low, "high": high, "successes": successes, "trials": trials,
            "sampled": sampled}


def figures(snapshot: Snapshot) -> dict:
    """``{"precision": …, "recall": …}``, each None until something is judged, else value, Wilson 95 % low and
    high, successes, trials (the judged lines that count) and sampled (lines drawn, judged or not)."""
    lines = list(snapshot.judgements.values_list("sample", "in_dataset", "relevant"))
    precision = [relevant for sample, _in, relevant in lines if sample == Judgement.Sample.PRECISION]
    recall = [(in_dataset, relevant) for sample, in_dataset, relevant in lines if sample == Judgement.Sample.RECALL]
    relevant_refs = [in_dataset for in_dataset, relevant in recall if relevant]
    return {
        "precision": _figure(sum(1 for r in precision if r), sum(1 for r in precision if r is not None),
                             len(precision)),
        "recall": _figure(sum(relevant_refs), len(relevant_refs), len(recall)),
    }
