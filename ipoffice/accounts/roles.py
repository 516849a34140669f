"""The platform's roles as Django groups, and the permissions each one holds.

Anonymous visitors are the public (read-only pages and API). Each module may add to the map below in
its own ``roles.py`` (a ``ROLE_PERMISSIONS`` dict); ``ensure_roles`` gathers them all.
"""

from importlib import import_module

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import transaction

ENTERPRISE, OFFICER, ANALYST, ADMINISTRATOR = "enterprise", "officer", "analyst", "administrator"
ROLES = {
    ENTERPRISE: "企业用户 Enterprise user",
    OFFICER: "审查执法人员 Officer",
    ANALYST: "分析人员 Analyst",
    ADMINISTRATOR: "管理员 Administrator",
}
STAFF_ROLES = {OFFICER, ANALYST, ADMINISTRATOR}  # may use the back office (Django admin)

ROLE_PERMISSIONS = {
    ENTERPRISE: [],
    OFFICER: [
        "regions.view_region", "regions.view_regiongroup", "regions.view_population",
        "entities.view_entity", "entities.add_entity", "entities.change_entity", "entities.merge_entity",
        "entities.view_entityalias", "entities.add_entityalias", "entities.change_entityalias",
        "entities.delete_entityalias", "entities.view_matchdecision", "entities.view_entitymerge",
        "accounts.view_representative", "accounts.add_representative", "accounts.change_representative",
        "accounts.delete_representative",
        "core.view_history",
    ],
    ANALYST: [
        "regions.view_region", "regions.view_regiongroup", "regions.view_population",
        "regions.add_population", "regions.change_population",
        "entities.view_entity", "entities.view_entityalias", "entities.view_matchdecision",
    ],
    ADMINISTRATOR: ["*"],
}


def role_permissions() -> dict[str, set[str]]:
    """This module's map merged with every installed app's ``roles.ROLE_PERMISSIONS``."""
    merged = {role: set(perms) for role, perms in ROLE_PERMISSIONS.items()}
    for config in apps.get_app_configs():
        if config.name == __name__.rsplit(".", 1)[0]:
            continue
        try:
            module = import_module(f"{config.name}.roles")
        except ModuleNotFoundError:
            continue
        for role, perms in getattr(module, "ROLE_PERMISSIONS", {}).items():
            merged.setdefault(role, set()).update(perms)
    return merged


@transaction.atomic
def ensure_roles() -> dict[str, int]:
    """Create the role groups and give each exactly its permissions (idempotent)."""
    counts = {}
    for role, perms in role_permissions().items():
        group, _ = Group.objects.get_or_create(name=role)
        if "*" in perms:
            wanted = Permission.objects.all()
        else:
            wanted = [_permission(p) for p in sorted(perms)]
        group.permissions.set(wanted)
        counts[role] = len(wanted)
    return counts


def _permission(dotted: str) -> Permission:
    app_label, codename = dotted.split(".", 1)
    try:
        return Permission.objects.get(content_type__app_label=app_label, codename=codename)
    except Permission.DoesNotExist as error:
        raise LookupError(f"role map names unknown permission {dotted}") from error


def roles_of(user) -> set[str]:
    if not user.is_authenticated:
        return set()
    return set(user.groups.values_list("name", flat=True))


def assign_role(user, role: str) -> None:
    """Put a user in a role; staff roles may use the back office."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; roles are {', '.join(ROLES)}")
    user.groups.add(Group.objects.get(name=role))
    if role in STAFF_ROLES and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
