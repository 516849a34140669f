"""Editing a navigation project, shared by the pages and the API: who may do what, query versions checked by the
query language, hand tags by patent number, findings, and one analysis of a snapshot with its drill-down."""

from django.db import transaction
from django.db.models import Max, Q
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ipoffice.patents.models import Patent
from ipoffice.patents.search.services import QueryError, matching_patent_ids

from . import analyses
from .models import DecompositionNode, Finding, NodeTag, Project, SearchQuery, Snapshot
from .snapshots import load_dataset, rules_of

REPORT_SECTIONS = ["summary", "recommendations", "risks"]  # 结论 / 建议 / 风险与局限; besides one per analysis


def visible_projects(user):
    """Public projects, and every project for those who may run them (and one's own)."""
    if user.has_perm("navigation.view_project"):
        return Project.objects.all()
    if user.is_authenticated:
        return Project.objects.filter(Q(is_public=True) | Q(owner=user))
    return Project.objects.filter(is_public=True)


def can_edit(user, project: Project) -> bool:
    return user.has_perm("navigation.change_project") or (user.is_authenticated and project.owner_id == user.pk)


def can_snapshot(user, project: Project) -> bool:
    return user.has_perm("navigation.manage_projects") or (user.is_authenticated and project.owner_id == user.pk)


def check_query(text: str, *, allow_empty: bool = False) -> str:
    """The query stripped, if the query language can read it (raises QueryError with reason and position)."""
    from ipoffice.patents.search.query import parse

    text = (text or "").strip()
    if not text and not allow_empty:
        raise QueryError("the query is empty", 0, text)
    if text:
        parse(text)
    return text


@transaction.atomic
def add_query_version(project: Project, text: str, note: str = "", user=None) -> SearchQuery:
    """The next version of the search strategy (检索策略)."""
    text = check_query(text)
    last = project.queries.select_for_update().aggregate(v=Max("version"))["v"] or 0
    return SearchQuery.objects.create(project=project, version=last + 1, text=text, note=note,
                                      created_by=user if user is not None and user.is_authenticated else None)


def find_patent(number: str) -> Patent:
    """The patent with this application, publication or grant number (with or without ``CN``); LookupError when
    none or several."""
    cleaned = "".join((number or "").split()).replace('"', "")
    if not cleaned:
        raise LookupError(_("No patent number given."))
    ids = matching_patent_ids(f'number:"{cleaned}"')
    if not ids:
        raise LookupError(_("No patent has the number %(number)s.") % {"number": cleaned})
    if len(ids) > 1:
        raise LookupError(_("%(count)s patents have the number %(number)s.") % {"count": len(ids), "number": cleaned})
    return Patent.objects.get(pk=ids[0])


def tag_patent(node: DecompositionNode, number: str, included: bool, user=None) -> NodeTag:
    """Put a patent into a branch by hand, or take it out (人工标引); applies from the next snapshot."""
    patent = find_patent(number)
    tag, _created = NodeTag.objects.update_or_create(
        node=node, patent=patent,
        defaults={"included": included, "tagged_by": user if user is not None and user.is_authenticated else None})
    return tag


def finding_sections(project: Project) -> list[str]:
    return REPORT_SECTIONS + analyses.keys()


def save_findings(project: Project, texts: dict[str, str], user=None) -> int:
    """Store the text of each given section (unknown sections raise ValueError); return how many changed."""
    unknown = set(texts) - set(finding_sections(project))
    if unknown:
        raise ValueError(f"unknown report section(s): {', '.join(sorted(unknown))}")
    changed = 0
    current = {f.section: f for f in project.findings.all()}
    for section, text in texts.items():
        text = (text or "").strip()
        finding = current.get(section)
        if finding is None and not text or finding is not None and finding.text == text:
            continue
        finding = finding or Finding(project=project, section=section)
        finding.text, finding.updated_by = text, user if user is not None and user.is_authenticated else None
        finding.save()
        changed += 1
    return changed


_RESULTS: dict[tuple, analyses.Analysis] = {}  # a snapshot's analyses never change; by language for the labels
_KEPT = 64


def run_analysis(snapshot: Snapshot, key: str) -> analyses.Analysis:
    """One analysis of a snapshot (KeyError for an unknown key), kept for the next page that shows it."""
    cache_key = (snapshot.pk, snapshot.fingerprint, get_language(), key)
    result = _RESULTS.get(cache_key)
    if result is None:
        result = analyses.run(key, load_dataset(snapshot), rules_of(snapshot))
        while len(_RESULTS) >= _KEPT:
            _RESULTS.pop(next(iter(_RESULTS)))
        _RESULTS[cache_key] = result
    return result


def all_analyses(snapshot: Snapshot) -> list[analyses.Analysis]:
    return [run_analysis(snapshot, key) for key in analyses.keys()]


def drill_ids(snapshot: Snapshot, key: str, drill_key: str) -> list[int]:
    """The ids of the patents behind one figure (KeyError for an unknown analysis or figure)."""
    analysis = run_analysis(snapshot, key)
    if drill_key not in analysis.drill:
        raise KeyError(f"analysis {key!r} has no figure {drill_key!r}")
    return list(analysis.drill[drill_key])
