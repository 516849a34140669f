from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .roles import ROLES, roles_of


@login_required
def my_account(request):
    """The signed-in user's roles and, for an enterprise user, the entities they act for."""
    entities = [r.entity for r in request.user.representations.select_related("entity__region")]
    roles = [ROLES[r] for r in sorted(roles_of(request.user)) if r in ROLES]
    return render(request, "accounts/me.html", {"entities": entities, "roles": roles})
