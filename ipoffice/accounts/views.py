from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ipoffice.core.errors import DataError

from . import services
from .forms import RegistrationForm
from .models import Representative
from .roles import ROLES, roles_of


@login_required
def my_account(request):
    """The signed-in user's roles and the entities they act for (or asked to)."""
    representations = request.user.representations.select_related("entity__region")
    roles = [ROLES[r] for r in sorted(roles_of(request.user)) if r in ROLES]
    return render(request, "accounts/me.html", {"representations": representations, "roles": roles})


def register(request):
    """An enterprise user registers and asks to act for the entity with a given credit code."""
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user, _request = services.register_enterprise_user(**form.cleaned_data)
        except DataError as error:
            for problem in error.problems:
                form.add_error(problem.field if problem.field in form.fields else None, problem.reason)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Registered. An officer will confirm that you act for this entity."))
            return redirect("my-account")
    return render(request, "accounts/register.html", {"form": form})


@permission_required("accounts.change_representative", raise_exception=True)
def pending_requests(request):
    pending = Representative.objects.filter(status=Representative.Status.PENDING).select_related("user", "entity")
    return render(request, "accounts/pending.html", {"pending": pending})


@require_POST
@permission_required("accounts.change_representative", raise_exception=True)
def decide_request(request, pk):
    representation = get_object_or_404(Representative, pk=pk)
    try:
        services.decide(representation, officer=request.user, confirm=request.POST.get("decision") == "confirm")
    except DataError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Decision recorded."))
    return redirect("pending-requests")
