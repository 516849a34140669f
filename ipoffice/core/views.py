from django.contrib.auth.decorators import permission_required
from django.http import Http404
from django.shortcuts import render

from . import history


@permission_required("core.view_history", raise_exception=True)
def recent_changes(request):
    model = request.GET.get("model") or None
    if model and model not in history.TRACKED:
        raise Http404(f"no history for '{model}'")
    return render(request, "core/history.html", {
        "changes": history.recent_changes(limit=200, model=model), "models": history.TRACKED, "model": model})


@permission_required("core.view_history", raise_exception=True)
def object_history(request, model, pk):
    try:
        changes = history.object_history(model, pk)
    except (LookupError, ValueError) as error:
        raise Http404(f"no history for {model} {pk}") from error
    if not changes:
        raise Http404(f"no history for {model} {pk}")
    return render(request, "core/history.html", {"changes": changes, "models": history.TRACKED,
                                                 "object_label": changes[0].label})
