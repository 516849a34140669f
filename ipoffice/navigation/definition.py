"""A navigation project defined in a YAML file (项目定义): what it is for, its search strategy, decomposition tree,
effects, counting rules and findings. ``ipoffice navigation run`` reads it; loading it again updates the project.

Layout (every key but slug, name, type and query is optional)::

    slug: nev-battery-guangdong
    name: 广东省新能源汽车动力电池与充电产业专利导航
    type: industry                  # regional | industry | enterprise | research | talent
    client: …                       # 委托方
    goal: …
    scope: …
    region: "440000"                # GB/T 2260 division code
    industry: C384                  # GB/T 4754 section letter and up to four digits
    public: true
    counting: {unit: application, applicants: whole, date_basis: filing, cutoff: 2024-12-31, lag_months: 18}
    query: ipc:H01M* OR 锂电池
    query_note: why this version of the search strategy
    reference_query: ipc:(H01M* OR H02J*)   # broader set the recall sample is drawn from
    nodes:                          # the technology decomposition (技术分解表), nested by children
      - {code: "1", name: 电池材料, query: …, include: [CN2020…], exclude: [], children: [...]}
    effects: [{name: 提高安全性, query: …}]   # the columns of the technology-effect matrix
    findings: {summary: …, recommendations: …, risks: …, <analysis key>: …}

The whole file is checked before anything is written; a problem names the file, the key path (``nodes[2].query``)
and why. A new search-query version is made only when the query text changed.
"""

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db import transaction

from ipoffice.core.errors import DataError, Problem, read_yaml_mapping
from ipoffice.entities.models import Entity
from ipoffice.patents.models import Patent
from ipoffice.patents.search.query import QueryError, parse
from ipoffice.regions.services import find_region

from .models import (
    ApplicantCounting,
    CountUnit,
    DateBasis,
    DecompositionNode,
    Effect,
    Finding,
    NodeTag,
    Project,
    ProjectType,
    SearchQuery,
)

EXAMPLE = Path(__file__).resolve().parent / "data" / "projects" / "nev-battery-guangdong.yaml"  # the worked example
_KEYS = {"slug", "name", "type", "client", "goal", "scope", "region", "industry", "public", "counting", "query",
         "query_note", "reference_query", "nodes", "effects", "findings"}
_NODE_KEYS = {"code", "name", "query", "include", "exclude", "children"}
_COUNTING = {"unit": CountUnit, "applicants": ApplicantCounting, "date_basis": DateBasis}
_INDUSTRY = re.compile(r"([A-T])(\d{2,4})?")
_SLUG = re.compile(r"[-a-zA-Z0-9_]+")


@dataclass
class _Node:
    code: str
    name: str
    query: str
    parent: str
    include: list[str]
    exclude: list[str]
    where: str  # its key path, for the problems


class _Checker:
    """Collects the problems of one definition, each at its key path."""

    def __init__(self):
        self.problems: list[Problem] = []

    def fail(self, key: str, reason: str) -> None:
        self.problems.append(Problem(reason, field=key))

    def text(self, spec: dict, key: str, path: str, *, required=False) -> str:
        value = spec.get(key)
        if value is None or value == "":
            if required:
                self.fail(path, "missing")
            return ""
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.fail(path, "not a text")
            return ""
        return str(value).strip()

    def query(self, spec: dict, key: str, path: str, *, required=False) -> str:
        text = self.text(spec, key, path, required=required)
        if text:
            try:
                parse(text)
            except QueryError as error:
                self.fail(path, f"the query language rejects it: {error.reason} at position {error.position + 1}"
                                f"\n{error.caret()}")
        return text

    def unknown(self, spec: dict, allowed: set, path: str) -> None:
        for key in sorted(set(spec) - allowed, key=str):
            self.fail(f"{path}{key}", "unknown key")

    def items(self, spec: dict, key: str, path: str) -> list:
        value = spec.get(key) or []
        if not isinstance(value, list):
            self.fail(path, "not a list")
            return []
        return value


def _counting(spec: dict, check: _Checker) -> dict:
    counting = spec.get("counting") or {}
    if not isinstance(counting, dict):
        check.fail("counting", "not a mapping")
        return {}
    check.unknown(counting, {*_COUNTING, "cutoff", "lag_months"}, "counting.")
    values = {}
    for key, choices in _COUNTING.items():
        if key in counting:
            if counting[key] not in choices.values:
                check.fail(f"counting.{key}", f"'{counting[key]}' is not one of {', '.join(choices.values)}")
            values[key] = counting[key]
    cutoff = counting.get("cutoff")
    if cutoff is not None:
        if isinstance(cutoff, str):
            try:
                cutoff = date.fromisoformat(cutoff)
            except ValueError:
                pass
        if not isinstance(cutoff, date):
            check.fail("counting.cutoff", f"'{cutoff}' is not a date (YYYY-MM-DD)")
        values["cutoff"] = cutoff
    lag = counting.get("lag_months")
    if lag is not None:
        if not isinstance(lag, int) or isinstance(lag, bool) or not 0 <= lag <= 60:
            check.fail("counting.lag_months", f"'{lag}' is not a number of months from 0 to 60")
        values["lag_months"] = lag
    return values


def _numbers(node: dict, key: str, path: str, check: _Checker) -> list[str]:
    numbers = check.items(node, key, path)
    return [str(n).strip() for n in numbers]


def _nodes(items: list, path: str, parent: str, check: _Checker, seen: set, out: list) -> None:
    """Flatten the tree into ``out``, parents before their branches."""
    for index, node in enumerate(items):
        where = f"{path}[{index}]"
        if not isinstance(node, dict):
            check.fail(where, "not a mapping with code, name and query")
            continue
        check.unknown(node, _NODE_KEYS, f"{where}.")
        code = check.text(node, "code", f"{where}.code", required=True)
        name = check.text(node, "name", f"{where}.name", required=True)
        query = check.query(node, "query", f"{where}.query")
        if code in seen:
            check.fail(f"{where}.code", f"code {code} is used twice")
        elif code and parent and not code.startswith(parent + "."):
            check.fail(f"{where}.code", f"a branch of {parent} has a code starting with {parent}.")
        seen.add(code)
        out.append(_Node(code, name, query, parent, _numbers(node, "include", f"{where}.include", check),
                         _numbers(node, "exclude", f"{where}.exclude", check), where))
        _nodes(check.items(node, "children", f"{where}.children"), f"{where}.children", code, check, seen, out)


def _effects(spec: dict, check: _Checker) -> list[tuple[str, str]]:
    effects, names = [], set()
    for index, item in enumerate(check.items(spec, "effects", "effects")):
        where = f"effects[{index}]"
        if not isinstance(item, dict):
            check.fail(where, "not a mapping with name and query")
            continue
        check.unknown(item, {"name", "query"}, f"{where}.")
        name = check.text(item, "name", f"{where}.name", required=True)
        if name in names:
            check.fail(f"{where}.name", f"effect {name} is named twice")
        names.add(name)
        effects.append((name, check.query(item, "query", f"{where}.query", required=True)))
    return effects


def _patents_by_number(nodes: list[_Node], check: _Checker) -> dict[str, int]:
    """Patent ids of the hand-tagged application numbers (with or without the office prefix)."""
    wanted = {n for node in nodes for n in (*node.include, *node.exclude)}
    bare = {re.sub(r"^[A-Z]{2}", "", n) for n in wanted}
    found = {}
    for pk, office, number in Patent.objects.filter(application_number__in=wanted | bare).values_list(
            "id", "office", "application_number"):
        found[number] = found[f"{office}{number}"] = pk
    for node in nodes:
        for key, numbers in (("include", node.include), ("exclude", node.exclude)):
            for index, number in enumerate(numbers):
                if number not in found:
                    check.fail(f"{node.where}.{key}[{index}]", f"no patent with application number {number}")
    return found


def read_definition(path: Path) -> dict:
    """The checked definition as plain values; raises DataError listing every problem."""
    path = Path(path)
    spec = read_yaml_mapping(path, "a project definition")
    check = _Checker()
    check.unknown(spec, _KEYS, "")
    values = {key: check.text(spec, key, key) for key in ("client", "goal", "scope", "query_note")}
    values["slug"] = check.text(spec, "slug", "slug", required=True)
    if values["slug"] and not _SLUG.fullmatch(values["slug"]):
        check.fail("slug", "only letters, digits, - and _")
    values["name"] = check.text(spec, "name", "name", required=True)
    values["type"] = check.text(spec, "type", "type", required=True)
    if values["type"] and values["type"] not in ProjectType.values:
        check.fail("type", f"unknown type '{values['type']}': one of {', '.join(ProjectType.values)}")
    values["region"] = None
    if check.text(spec, "region", "region"):
        try:
            values["region"] = find_region(str(spec["region"]))
        except DataError as error:
            check.fail("region", error.problems[0].reason)
    values["industry"] = check.text(spec, "industry", "industry").upper()
    match = _INDUSTRY.fullmatch(values["industry"])
    if values["industry"] and (not match or match[1] not in Entity.Industry.values):
        check.fail("industry", f"'{values['industry']}' is not a GB/T 4754 code (a section letter A–T and up to "
                               "four digits, e.g. C384)")
    if not isinstance(spec.get("public", False), bool):
        check.fail("public", "true or false")
    values["public"] = spec.get("public") is True
    values["counting"] = _counting(spec, check)
    values["query"] = check.query(spec, "query", "query", required=True)
    values["reference_query"] = check.query(spec, "reference_query", "reference_query")
    values["nodes"] = []
    _nodes(check.items(spec, "nodes", "nodes"), "nodes", "", check, set(), values["nodes"])
    values["effects"] = _effects(spec, check)
    findings = spec.get("findings") or {}
    if not isinstance(findings, dict):
        check.fail("findings", "not a mapping of section → text")
        findings = {}
    values["findings"] = {str(section): check.text(findings, section, f"findings.{section}")
                          for section in findings}
    values["patents"] = _patents_by_number(values["nodes"], check)
    if check.problems:
        raise DataError(check.problems, str(path))
    return values


def load_definition(path: Path) -> Project:
    """Create or update the project of a definition file, in one transaction (see the module docstring)."""
    values = read_definition(path)
    with transaction.atomic():
        project, _created = Project.objects.update_or_create(slug=values["slug"], defaults={
            "name": values["name"], "project_type": values["type"], "client": values["client"],
            "goal": values["goal"], "scope": values["scope"], "region": values["region"],
            "industry": values["industry"], "is_public": values["public"],
            "reference_query": values["reference_query"], **_rule_fields(values["counting"])})
        current = project.current_query
        if current is None or current.text != values["query"]:
            SearchQuery.objects.create(project=project, version=current.version + 1 if current else 1,
                                       text=values["query"], note=values["query_note"])
        _save_nodes(project, values["nodes"], values["patents"])
        _save_effects(project, values["effects"])
        for section, text in values["findings"].items():
            finding = Finding.objects.filter(project=project, section=section).first()
            if finding is None:
                Finding.objects.create(project=project, section=section, text=text)
            elif finding.text != text:
                finding.text = text
                finding.save()
    return project


def _rule_fields(counting: dict) -> dict:
    names = {"unit": "count_unit", "applicants": "applicant_counting", "date_basis": "date_basis",
             "cutoff": "cutoff_date", "lag_months": "lag_months"}
    return {names[key]: value for key, value in counting.items()}


def _save_nodes(project: Project, nodes: list[_Node], patents: dict[str, int]) -> None:
    """The tree as the file gives it: branches missing from the file go (with their tags); the file's hand tags
    are set, tags made on the project pages stay."""
    existing = {n.code: n for n in project.nodes.all()}
    by_code = {}
    for sequence, spec in enumerate(nodes):
        node = existing.get(spec.code) or DecompositionNode(project=project, code=spec.code)
        wanted = {"name": spec.name, "query": spec.query, "parent": by_code.get(spec.parent), "sequence": sequence}
        if node.pk is None or any(getattr(node, key) != value for key, value in wanted.items()):
            for key, value in wanted.items():
                setattr(node, key, value)
            node.save()
        by_code[spec.code] = node
        for included, numbers in ((True, spec.include), (False, spec.exclude)):
            for number in numbers:
                NodeTag.objects.update_or_create(node=node, patent_id=patents[number],
                                                 defaults={"included": included})
    for code in sorted(set(existing) - set(by_code), key=len, reverse=True):
        existing[code].delete()


def _save_effects(project: Project, effects: list[tuple[str, str]]) -> None:
    existing = {e.name: e for e in project.effects.all()}
    for sequence, (name, query) in enumerate(effects):
        effect = existing.pop(name, None) or Effect(project=project, name=name)
        if effect.pk is None or (effect.query, effect.sequence) != (query, sequence):
            effect.query, effect.sequence = query, sequence
            effect.save()
    for effect in existing.values():
        effect.delete()
