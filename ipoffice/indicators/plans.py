"""Loading plans (indicators and targets) from their YAML data files."""

from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path

from django.db import transaction

from ipoffice.core.errors import DataError, Problem, read_yaml_mapping
from ipoffice.regions.services import find_region

from .models import Category, Indicator, Measure, Plan, Target

PLANS = resources.files("ipoffice.indicators") / "data" / "plans"
_INDICATOR_FIELDS = {"code", "name_zh", "name_en", "unit", "category", "measure", "derived", "aliases", "direction"}


def _decimal(value, problems, record, field):
    if value is None:
        return None
    try:
        if isinstance(value, bool):
            raise InvalidOperation
        number = Decimal(str(value))
        if not number.is_finite():
            raise InvalidOperation
        return number
    except InvalidOperation:
        problems.append(Problem(f"'{value}' is not a number", record, field))
        return None


def _check_indicator(item: dict, number: int, problems: list) -> None:
    for field in ("code", "name_zh", "name_en", "unit", "category", "measure"):
        if not item.get(field):
            problems.append(Problem("missing", f"indicator {number}", field))
    unknown = set(item) - _INDICATOR_FIELDS
    if unknown:
        problems.append(Problem(f"unknown field(s) {', '.join(sorted(unknown))}", f"indicator {number}"))
    if item.get("category") and item["category"] not in Category.values:
        problems.append(Problem(f"'{item['category']}' is not one of {', '.join(Category.values)}",
                                f"indicator {item.get('code', number)}", "category"))
    if item.get("measure") and item["measure"] not in Measure.values:
        problems.append(Problem(f"'{item['measure']}' is not one of {', '.join(Measure.values)}",
                                f"indicator {item.get('code', number)}", "measure"))


def load_plan(path: Path) -> Plan:
    """Create or update a plan, its indicators and its targets from a YAML file (idempotent).

    The file is checked whole before anything is written; problems name the record and field.
    """
    path = Path(path)
    spec = read_yaml_mapping(path, "a plan")
    problems = []
    for field in ("code", "name_zh", "name_en", "region", "base_year", "target_year", "indicators", "targets"):
        if field not in spec:
            problems.append(Problem("missing", "plan", field))
    for field in ("base_year", "target_year"):
        if field in spec and (not isinstance(spec[field], int) or isinstance(spec[field], bool)
                              or not 1949 <= spec[field] <= 2100):
            problems.append(Problem(f"'{spec[field]}' is not a year", "plan", field))
    if not problems and spec["target_year"] <= spec["base_year"]:
        problems.append(Problem("the target year must come after the baseline year", "plan", "target_year"))
    if problems:
        raise DataError(problems, str(path))
    try:
        region = find_region(str(spec["region"]))
    except DataError as error:
        raise DataError([Problem(error.problems[0].reason, "plan", "region")], str(path)) from error
    codes = set(Indicator.objects.values_list("code", flat=True))
    for number, item in enumerate(spec["indicators"], start=1):
        _check_indicator(item, number, problems)
        codes.add(item.get("code"))
    for item in spec["indicators"]:
        base = (item.get("derived") or {}).get("per_10k")
        if base and base not in codes:
            problems.append(Problem(f"unknown indicator '{base}'", f"indicator {item.get('code')}", "derived"))
    keys = set()
    for number, item in enumerate(spec["targets"], start=1):
        record = f"target {number} ({item.get('indicator')})"
        if (item.get("indicator"), item.get("kind")) in keys:
            problems.append(Problem(f"a second '{item.get('kind')}' target for the indicator", record, "kind"))
        keys.add((item.get("indicator"), item.get("kind")))
        if item.get("indicator") not in codes:
            problems.append(Problem(f"unknown indicator '{item.get('indicator')}'", record, "indicator"))
        if item.get("kind") not in Target.Kind.values:
            problems.append(Problem(f"'{item.get('kind')}' is not one of {', '.join(Target.Kind.values)}",
                                    record, "kind"))
        if item.get("measure") and item["measure"] not in Measure.values:
            problems.append(Problem(f"'{item['measure']}' is not a measure", record, "measure"))
        if _decimal(item.get("value"), problems, record, "value") is None and item.get("value") is None:
            problems.append(Problem("missing", record, "value"))
        _decimal(item.get("baseline"), problems, record, "baseline")
        if not item.get("seed"):
            problems.append(Problem("quote the plan text the target comes from", record, "seed"))
    if problems:
        raise DataError(problems, str(path))
    return _write_plan(spec, region)


@transaction.atomic
def _write_plan(spec: dict, region) -> Plan:
    plan, _ = Plan.objects.update_or_create(code=spec["code"], defaults={
        "name_zh": spec["name_zh"], "name_en": spec["name_en"], "region": region, "base_year": spec["base_year"],
        "target_year": spec["target_year"], "source": spec.get("source", "")})
    for order, item in enumerate(spec["indicators"]):
        Indicator.objects.update_or_create(code=item["code"], defaults={
            "name_zh": item["name_zh"], "name_en": item["name_en"], "unit": item["unit"],
            "category": item["category"], "measure": item["measure"], "direction": item.get("direction", 1),
            "aliases": item.get("aliases", []), "order": order})
    for item in spec["indicators"]:
        base = (item.get("derived") or {}).get("per_10k")
        Indicator.objects.filter(code=item["code"]).update(
            per_10k_of=Indicator.objects.get(code=base) if base else None)
    kept = []
    for order, item in enumerate(spec["targets"]):
        target, _ = Target.objects.update_or_create(
            plan=plan, indicator=Indicator.objects.get(code=item["indicator"]), kind=item["kind"],
            defaults={"value": Decimal(str(item["value"])), "measure": item.get("measure", ""),
                      "baseline": Decimal(str(item["baseline"])) if item.get("baseline") is not None else None,
                      "seed_quote": item["seed"], "order": order})
        kept.append(target.pk)
    plan.targets.exclude(pk__in=kept).delete()
    return plan


def load_all_plans() -> list[Plan]:
    """Every plan file shipped with the project (``indicators/data/plans/*.yaml``)."""
    with resources.as_file(PLANS) as folder:
        return [load_plan(path) for path in sorted(Path(folder).glob("*.yaml"))]
