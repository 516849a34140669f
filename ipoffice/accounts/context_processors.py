from .roles import roles_of


def roles(request):
    """The signed-in user's roles and whether they may see change history, for the templates."""
    user = request.user
    return {
        "user_roles": roles_of(user),
        "can_view_history": user.is_authenticated and user.has_perm("core.view_history"),
    }
