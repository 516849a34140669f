"""Taking and reading dataset snapshots: the current search strategy, the decomposition tree and the effects,
evaluated against the registry once, frozen with the counting rules."""

from datetime import date

from django.db import transaction

from ipoffice.patents.search.services import matching_patent_ids

from .counting import Rules
from .dataset import Dataset, build_dataset, dumps, fingerprint, loads
from .models import Project, Snapshot


def node_members(project: Project, ids: set[int]) -> tuple[list[dict], dict[str, set[int]]]:
    """The decomposition tree and each branch's patents within ``ids``: its query's hits, its sub-branches'
    patents, then the analyst's hand tags (taking out wins over putting in)."""
    nodes = list(project.nodes.select_related("parent").order_by("sequence", "code"))
    own = {n.code: (set(matching_patent_ids(n.query)) & ids if n.query.strip() else set()) for n in nodes}
    children: dict[str, list[str]] = {}
    for node in nodes:
        if node.parent:
            children.setdefault(node.parent.code, []).append(node.code)

    def members(code: str) -> set[int]:
        result = set(own[code])
        for child in children.get(code, []):
            result |= members(child)
        return result

    result = {n.code: members(n.code) for n in nodes}
    for node in nodes:
        for patent_id, included in node.tags.values_list("patent_id", "included"):
            if included and patent_id in ids:
                result[node.code].add(patent_id)
            elif not included:
                result[node.code].discard(patent_id)
    tree = [{"code": n.code, "name": n.name, "parent": n.parent.code if n.parent else ""} for n in nodes]
    return tree, result


@transaction.atomic
def take_snapshot(project: Project, *, cutoff: date | None = None) -> Snapshot:
    """Freeze the dataset of the project's current query version (raises ValueError without one; the query
    language's QueryError for a query that cannot be read)."""
    query = project.current_query
    if query is None:
        raise ValueError(f"project {project.slug} has no search query yet")
    rules = Rules.of(project, cutoff)
    ids = set(matching_patent_ids(query.text))
    tree, members = node_members(project, ids)
    effects = {e.name: set(matching_patent_ids(e.query)) & ids for e in project.effects.all()}
    dataset = build_dataset(ids, cutoff=rules.cutoff, query=query.text, nodes=tree,
                            region=project.region.code if project.region else "", node_members=members,
                            effects=effects)
    data = dumps(dataset)
    return Snapshot.objects.create(project=project, query=query, cutoff_date=rules.cutoff, rules=rules.as_dict(),
                                   patent_count=len(dataset.records), data=data, fingerprint=fingerprint(data))


_DATASETS: dict[str, Dataset] = {}  # by fingerprint: a snapshot never changes
_KEPT = 4


def load_dataset(snapshot: Snapshot) -> Dataset:
    """The snapshot's dataset, shared between callers in this process: analyses read it, never change it."""
    dataset = _DATASETS.get(snapshot.fingerprint)
    if dataset is None:
        while len(_DATASETS) >= _KEPT:
            _DATASETS.pop(next(iter(_DATASETS)))
        dataset = _DATASETS[snapshot.fingerprint] = loads(snapshot.data)
    return dataset


def rules_of(snapshot: Snapshot) -> Rules:
    return Rules.from_dict(snapshot.rules)
