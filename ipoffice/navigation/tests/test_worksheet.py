"""The recall/precision worksheet: reproducible samples, and figures with Wilson intervals computed by hand."""

import pytest

from ..models import Judgement, Snapshot
from ..worksheet import draw_order, draw_sample, figures, judge, reference_ids, snapshot_ids, wilson
from .project_fixtures import *  # noqa: F403  (the fixtures)

pytestmark = pytest.mark.django_db


def test_wilson_interval_against_hand_computation():
    # 3 of 4: p = .75, z² = 3.8415; centre = (.75 + .4802) / 1.9604 = .6275, half = 1.96·√(.046875+.060023)/1.9604
    low, high = wilson(3, 4)
    assert low == pytest.approx(0.30064, abs=1e-4) and high == pytest.approx(0.95441, abs=1e-4)
    low, high = wilson(0, 5)  # upper bound z²/n / (1 + z²/n) = .7683 / 1.7683
    assert low == 0 and high == pytest.approx(0.43449, abs=1e-4)
    assert wilson(10, 10)[1] == pytest.approx(1)
    with pytest.raises(ValueError):
        wilson(0, 0)


def test_samples_are_reproducible_and_grow_by_extension(snapshot):
    assert draw_sample(snapshot, "precision", 10) == 10
    first = list(snapshot.judgements.filter(sample="precision").values_list("patent_id", flat=True))
    assert set(first) <= set(snapshot_ids(snapshot))
    assert all(snapshot.judgements.filter(sample="precision").values_list("in_dataset", flat=True))
    assert draw_sample(snapshot, "precision", 10) == 0  # drawing again adds nothing
    assert draw_sample(snapshot, "precision", 15) == 5
    order = draw_order(snapshot, "precision", snapshot_ids(snapshot))
    assert sorted(snapshot.judgements.filter(sample="precision").values_list("patent_id", flat=True)) \
        == sorted(order[:15])
    # the same fingerprint gives the same order; another sample name another one
    twin = Snapshot(fingerprint=snapshot.fingerprint)
    assert draw_order(twin, "precision", list(reversed(order))) == order
    assert draw_order(twin, "recall", order) != order


def test_recall_sample_marks_what_the_dataset_misses(snapshot):
    references = reference_ids(snapshot)
    inside = set(snapshot_ids(snapshot))
    assert set(references) > inside  # the reference query "*" also holds the design patents
    draw_sample(snapshot, "recall", len(references))
    lines = {j.patent_id: j.in_dataset for j in snapshot.judgements.filter(sample="recall")}
    assert set(lines) == set(references)
    assert all(lines[pk] == (pk in inside) for pk in lines)


def test_bad_sample_requests_are_refused(snapshot, project):
    with pytest.raises(ValueError, match="unknown sample"):
        draw_sample(snapshot, "accuracy")
    with pytest.raises(ValueError, match="1 to"):
        draw_sample(snapshot, "precision", 0)
    project.reference_query = " "
    project.save()
    snapshot.refresh_from_db()
    with pytest.raises(ValueError, match="no reference query"):
        draw_sample(snapshot, "recall")


def test_figures_count_by_hand(snapshot, analyst):
    assert figures(snapshot) == {"precision": None, "recall": None}
    draw_sample(snapshot, "precision", 6)
    verdicts = [True, True, True, False, None, None]  # 3 relevant of 4 judged, 2 not judged yet
    for line, verdict in zip(snapshot.judgements.filter(sample="precision"), verdicts, strict=True):
        judge(line, verdict, analyst, "checked")
    result = figures(snapshot)
    assert result["recall"] is None
    precision = result["precision"]
    assert (precision["successes"], precision["trials"], precision["sampled"]) == (3, 4, 6)
    assert precision["value"] == 0.75
    assert (precision["low"], precision["high"]) == pytest.approx((0.30064, 0.95441), abs=1e-4)

    draw_sample(snapshot, "recall", len(reference_ids(snapshot)))
    lines = list(snapshot.judgements.filter(sample="recall"))
    found = [j for j in lines if j.in_dataset][:4]
    missed = [j for j in lines if not j.in_dataset][:1]
    for line in found + missed:
        judge(line, True, analyst)
    judge([j for j in lines if j.in_dataset][4], False, analyst)  # not relevant: does not count for recall
    recall = figures(snapshot)["recall"]
    assert (recall["successes"], recall["trials"], recall["sampled"]) == (4, 5, len(lines))
    assert recall["value"] == pytest.approx(0.8)
    assert (recall["low"], recall["high"]) == pytest.approx(wilson(4, 5))


def test_judging_records_who_and_can_be_taken_back(snapshot, analyst):
    draw_sample(snapshot, "precision", 1)
    line = snapshot.judgements.get()
    judge(line, False, analyst, "off topic")
    line.refresh_from_db()
    assert (line.relevant, line.note, line.judged_by, line.judged_at is not None) == (False, "off topic", analyst,
                                                                                       True)
    judge(line, None, analyst)
    line.refresh_from_db()
    assert line.relevant is None and line.judged_at is None
    assert Judgement.objects.count() == 1
