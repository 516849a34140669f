"""Entity services: linking incoming names to entities, merging duplicates, searching."""

from dataclasses import dataclass

from django.db import IntegrityError, models, transaction
from django.utils import translation

from ipoffice.core.bulk import insert_objects, insert_with_history
from ipoffice.core.errors import DataError
from ipoffice.core.text import fold, has_han
from ipoffice.regions.models import Region
from ipoffice.regions.services import resolve_address

from .credit_code import credit_code_problem
from .models import Entity, EntityAlias, EntityMerge, MatchDecision
from .names import clean_name, core_name, guess_kind, name_key, split_branch


@dataclass
class MatchResult:
    entity: Entity
    created: bool
    method: str
    score: float
    reason: str


def _candidates_by_key(key: str) -> list[Entity]:
    direct = list(Entity.objects.filter(name_key=key))
    if direct:
        return direct
    return list(Entity.objects.filter(aliases__name_key=key).distinct())


def _prefer_region(candidates: list[Entity], region: Region | None) -> list[Entity]:
    """Among several candidates, keep those in the address's city (or district) when that narrows it."""
    if region is None or len(candidates) < 2:
        return candidates
    for digits in (6, 4):
        near = [c for c in candidates if c.region and c.region.code[:digits] == region.code[:digits]]
        if near:
            return near
    return candidates


def match_entity(name: str, address: str = "", credit_code: str = "", *, source: str = "",
                 create: bool = True, region: Region | None = None, resolve: bool = True) -> MatchResult | None:
    """Link a name as given in a record (plus address and credit code when known) to an entity.

    In order: the same valid credit code; the same normalised name or a known alias; for a branch office
    (分公司), the parent is matched and the branch linked to it; the same core name (字号) in the same city;
    else a new entity is created with its region resolved from the address. Every decision is recorded in
    ``MatchDecision`` with its reason. With ``create=False`` a name that matches nothing returns None.
    A caller that has resolved the address already (an importer, in batches) passes ``region`` and
    ``resolve=False``.
    """
    display = clean_name(name)
    if not display:
        raise DataError.single("empty entity name", field="name")
    if resolve:
        resolution = resolve_address(address) if address else None
        region = resolution.region if resolution else None
    code = (credit_code or "").strip().upper()
    code_note = ""
    if code and credit_code_problem(code):
        code_note = f"; credit code {code} ignored ({credit_code_problem(code)})"
        code = ""

    result = _match_existing(display, code, region)
    if result is None:
        branch = split_branch(display) if create else None  # create=False never makes the branch
        if branch:
            # The branch's address is not its parent's: the parent is matched (or made) by name alone.
            parent = match_entity(branch[0], source=source, create=create)
            if parent is None:
                return None
            entity = _create(display, address, code, region, parent=parent.entity)
            result = MatchResult(entity, True, MatchDecision.Method.BRANCH, 0.9,
                                 f"branch '{branch[1]}' of {parent.entity.name} (#{parent.entity.pk})")
    if result is None:
        if not create:
            return None
        entity = _create(display, address, code, region)
        where = f" in {region.name}" if region else ""
        result = MatchResult(entity, True, MatchDecision.Method.CREATED, 1.0,
                             f"no entity with this name or credit code; created{where}")
    result.reason += code_note
    MatchDecision.objects.create(
        input_name=name[:300], input_address=(address or "")[:300], input_credit_code=(credit_code or "")[:30],
        entity=result.entity, method=result.method, score=result.score, reason=result.reason[:500],
        source=source[:200])
    return result


@dataclass
class MatchRequest:
    """One name to link, as :func:`match_entities` takes it (no credit code: an importer's applicant)."""

    name: str
    address: str = ""
    region: Region | None = None


def match_entities(requests: list[MatchRequest], *, source: str = "") -> list[MatchResult]:
    """:func:`match_entity` (with ``resolve=False``, no credit code, ``create=True``) for many names at once, with
    the same answers as calling it for each in turn: the candidates of every name (same key, alias, core name)
    are read in three queries, the entities made on the way are matched by the names after them, and the new
    entities (with their history) and the decisions are written in bulk. A branch name, or a name that cleans to
    nothing, goes through :func:`match_entity` itself."""
    items = []
    for request in requests:
        display = clean_name(request.name)
        special = not display or split_branch(display) is not None
        items.append((request, display, "" if special else name_key(display), "" if special else core_name(display),
                      special))
    keys = {key for *_x, key, _c, special in items if not special}
    cores = {core for _r, _d, _k, core, special in items if not special and len(core) >= 2}
    by_key: dict[str, list[Entity]] = {}
    for entity in Entity.objects.filter(name_key__in=keys).select_related("region"):
        by_key.setdefault(entity.name_key, []).append(entity)
    by_alias: dict[str, list[tuple[Entity, EntityAlias]]] = {}
    for alias in (EntityAlias.objects.filter(name_key__in=keys - set(by_key)).select_related("entity__region")
                  .order_by("entity__name", "entity_id", "kind", "name")):
        found = by_alias.setdefault(alias.name_key, [])
        if not found or found[-1][0].pk != alias.entity_id:
            found.append((alias.entity, alias))
    by_core: dict[str, list[Entity]] = {}
    for entity in Entity.objects.filter(core_key__in=cores).select_related("region"):
        by_core.setdefault(entity.core_key, []).append(entity)
    pending: list[Entity] = []
    decisions: list[tuple[MatchRequest, MatchResult]] = []
    results = []

    def remember(entity: Entity) -> None:
        for index, value in ((by_key, entity.name_key), (by_core, entity.core_key)):
            known = index.setdefault(value, [])
            if all(e is not entity and (e.pk is None or e.pk != entity.pk) for e in known):
                known.append(entity)
                known.sort(key=lambda e: e.name)

    def flush() -> None:
        if pending:
            insert_with_history(pending)
            pending.clear()
        insert_objects([
            MatchDecision(input_name=r.name[:300], input_address=(r.address or "")[:300], input_credit_code="",
                          entity=m.entity, method=m.method, score=m.score, reason=m.reason[:500],
                          source=source[:200]) for r, m in decisions])
        decisions.clear()

    for request, display, key, core, special in items:
        if special:
            flush()  # the matcher reads the database: what this batch made must be there
            result = match_entity(request.name, request.address, source=source, region=request.region,
                                  resolve=False)
            for entity in (result.entity, result.entity.parent):
                if entity is not None:
                    remember(entity)
            results.append(result)
            continue
        result = _match_known(display, key, core, request.region, by_key, by_alias, by_core)
        if result is None:
            entity = Entity(name=display, address=(request.address or "")[:300], credit_code=None,
                            kind=guess_kind(display), region=request.region)
            if not has_han(display):
                entity.name_en = display
            entity.fill_derived_fields()
            pending.append(entity)
            remember(entity)
            where = f" in {request.region.name}" if request.region else ""
            result = MatchResult(entity, True, MatchDecision.Method.CREATED, 1.0,
                                 f"no entity with this name or credit code; created{where}")
        decisions.append((request, result))
        results.append(result)
    flush()
    return results


def _match_known(display, key, core, region, by_key, by_alias, by_core) -> MatchResult | None:
    """:func:`_match_existing` (no credit code) over candidates read beforehand."""
    candidates = by_key.get(key) or [entity for entity, _alias in by_alias.get(key, [])]
    candidates = _prefer_region(candidates, region)
    if candidates:
        entity = candidates[0]
        if entity.name_key == key:
            how = "same name" if entity.name == display else f"same normalised name '{key}'"
            return MatchResult(entity, False, MatchDecision.Method.NAME, 1.0 if len(candidates) == 1 else 0.9,
                               how + (f"; {len(candidates)} candidates, first taken" if len(candidates) > 1
                                      else ""))
        alias = next(a for e, a in by_alias[key] if e.pk == entity.pk)
        with translation.override("en"):
            kind = str(alias.get_kind_display())
        return MatchResult(entity, False, MatchDecision.Method.ALIAS, 0.95, f"{kind} '{alias.name}'")
    if len(core) >= 2 and region is not None:
        same_core = [e for e in by_core.get(core, []) if e.region and e.region.code[:4] == region.code[:4]]
        if len(same_core) == 1:
            entity = same_core[0]
            return MatchResult(entity, False, MatchDecision.Method.CORE_NAME, 0.8,
                               f"core name '{core}' of {entity.name} in the same city")
    return None


def _match_existing(display: str, code: str, region: Region | None) -> MatchResult | None:
    if code:
        entity = Entity.objects.filter(credit_code=code).first()
        if entity:
            return MatchResult(entity, False, MatchDecision.Method.CREDIT_CODE, 1.0, f"credit code {code}")
    key = name_key(display)
    candidates = _prefer_region(_candidates_by_key(key), region)
    if candidates:
        entity = candidates[0]
        if entity.name_key == key:
            how = "same name" if entity.name == display else f"same normalised name '{key}'"
            return MatchResult(entity, False, MatchDecision.Method.NAME, 1.0 if len(candidates) == 1 else 0.9,
                               how + (f"; {len(candidates)} candidates, first taken" if len(candidates) > 1
                                      else ""))
        alias = entity.aliases.filter(name_key=key).first()
        with translation.override("en"):  # stored reasons are in one language, whatever the request's
            kind = str(alias.get_kind_display())
        return MatchResult(entity, False, MatchDecision.Method.ALIAS, 0.95, f"{kind} '{alias.name}'")
    core = core_name(display)
    if len(core) >= 2 and region is not None:
        same_core = [e for e in Entity.objects.filter(core_key=core).select_related("region")
                     if e.region and e.region.code[:4] == region.code[:4]]
        if len(same_core) == 1:
            entity = same_core[0]
            return MatchResult(entity, False, MatchDecision.Method.CORE_NAME, 0.8,
                               f"core name '{core}' of {entity.name} in the same city")
    return None


def _create(display, address, code, region, parent=None) -> Entity:
    entity = Entity(name=display, address=(address or "")[:300], credit_code=code or None,
                    kind=guess_kind(display), region=region or (parent.region if parent else None),
                    parent=parent)
    if not has_han(display):
        entity.name_en = display
    entity.save()
    return entity


def add_alias(entity: Entity, name: str, kind: str = EntityAlias.Kind.ALIAS, source: str = "") -> EntityAlias:
    """Record another name of the entity (idempotent: the same name twice is kept once)."""
    key = name_key(name)
    if key == entity.name_key:
        raise DataError.single(f"'{name}' is already the entity's name", field="name")
    alias, _ = EntityAlias.objects.get_or_create(entity=entity, name_key=key,
                                                 defaults={"name": name, "kind": kind, "source": source})
    return alias


@transaction.atomic
def merge_entities(source: Entity, target: Entity, *, user=None, reason: str) -> EntityMerge:
    """Merge ``source`` into ``target``: every link to the source follows, its names become aliases.

    Links are found generically (every foreign key and many-to-many that points at Entity), so rights,
    cases and pledges of modules added later follow too. A link the target already has is dropped as a
    duplicate. The source is deleted (its history stays) and an ``EntityMerge`` row keeps its old id.
    """
    if source.pk == target.pk:
        raise DataError.single("an entity cannot be merged into itself", field="target")
    if not reason.strip():
        raise DataError.single("give a reason for the merge", field="reason")
    if target.parent_id == source.pk:  # a parent merged into its own branch: the branch takes its place
        target.parent_id = source.parent_id if source.parent_id != target.pk else None
        target.save(update_fields=["parent"])
    moved = {}
    for relation in Entity._meta.related_objects:
        model, field = relation.related_model, relation.field.name
        if relation.many_to_many:
            manager_name = relation.get_accessor_name()
            linked = list(getattr(source, manager_name).all())
            getattr(target, manager_name).add(*linked)
            count = len(linked)
        elif model is EntityAlias:
            count = _move_aliases(source, target)
        else:
            count = 0
            for obj in model._default_manager.filter(**{field: source}):
                setattr(obj, field, target)
                try:
                    with transaction.atomic():
                        obj.save()
                except IntegrityError:
                    obj.delete()  # the target already holds this link: dropped, not moved
                else:
                    count += 1
        if count:
            moved[f"{model._meta.label_lower}.{field}"] = count
    for kind, name in ((EntityAlias.Kind.FORMER, source.name), (EntityAlias.Kind.ENGLISH, source.name_en)):
        if name and name_key(name) != target.name_key:
            add_alias(target, name, kind, source=f"merge of #{source.pk}")
    code = source.credit_code
    record = EntityMerge.objects.create(merged_id=source.pk, merged_name=source.name,
                                        merged_credit_code=code or "", target=target, moved=moved,
                                        reason=reason.strip()[:500], merged_by=user)
    _copy_missing_fields(source, target)
    source.delete()
    if code and not target.credit_code:
        target.credit_code = code
    target.save()
    return record


def _move_aliases(source: Entity, target: Entity) -> int:
    count = 0
    for alias in source.aliases.all():
        if alias.name_key != target.name_key and not target.aliases.filter(name_key=alias.name_key).exists():
            alias.entity = target
            alias.save()
            count += 1
    return count


def _copy_missing_fields(source: Entity, target: Entity) -> None:
    """Fill what the target lacks from the source; flags are kept if either has them."""
    for field in ("name_en", "address", "region", "industry", "size_class"):
        if not getattr(target, field) and getattr(source, field):
            setattr(target, field, getattr(source, field))
    for flag in Entity.FLAG_FIELDS:
        setattr(target, flag, getattr(target, flag) or getattr(source, flag))


def entity_for_id(pk: int) -> tuple[Entity | None, bool]:
    """The entity with this id, following merges: (entity, was_merged)."""
    entity = Entity.objects.filter(pk=pk).first()
    if entity:
        return entity, False
    merge = EntityMerge.objects.filter(merged_id=pk).select_related("target").first()
    return (merge.target, True) if merge else (None, False)


def search_entities(query: str, queryset=None):
    """Entities whose name, alias, English name, pinyin or initials contain the query.

    Traditional characters and full-width forms are folded; Latin input is also matched against pinyin
    (e.g. 'dajiang' or 'djcx' finds 大疆创新).
    """
    queryset = queryset if queryset is not None else Entity.objects.all()
    text = fold(query).strip()
    if not text:
        return queryset.none()
    if has_han(text):
        key = name_key(text)
        condition = models.Q(name_key__contains=key) | models.Q(aliases__name_key__contains=key)
    else:
        compact = text.replace(" ", "")
        condition = (models.Q(name_en__icontains=text) | models.Q(name_pinyin__contains=compact)
                     | models.Q(name_initials__startswith=compact) | models.Q(aliases__name_key__contains=text)
                     | models.Q(credit_code=text.upper()))
    return queryset.filter(condition).distinct()
