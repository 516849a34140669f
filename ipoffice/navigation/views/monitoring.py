"""Watch lists, alerts and their feeds (专利预警). A user sees only their own lists; the feeds are reached by the
list's secret token, without login, so that a feed reader can poll them."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ipoffice.entities.models import Entity
from ipoffice.entities.services import search_entities

from ..models import Alert, WatchList
from ..monitoring import check_and_notify, feed_alerts, watch_list_problems

FOUND_LIMIT = 20  # entities offered by one name search


class WatchListForm(forms.ModelForm):
    """A watch list; the entities are picked from a name or credit-code search (the "find" button re-shows the
    form with the matches to tick)."""

    events = forms.MultipleChoiceField(label=gettext_lazy("alert me of"), choices=Alert.Kind.choices, required=False,
                                       widget=forms.CheckboxSelectMultiple,
                                       help_text=gettext_lazy("None ticked: every kind."))
    find = forms.CharField(label=gettext_lazy("find entities by name or credit code"), required=False)

    class Meta:
        model = WatchList
        fields = ["name", "kind", "query", "ipc_prefixes", "entities", "events", "expiry_months", "email"]
        widgets = {"entities": forms.CheckboxSelectMultiple, "query": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"ipc_prefixes": gettext_lazy("Separated by commas, e.g. H01M, B60L53")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chosen = set(self.instance.entities.values_list("pk", flat=True)) if self.instance.pk else set()
        if self.data:
            chosen |= {int(v) for v in self.data.getlist("entities") if v.isdigit()}
        text = (self.data.get("find") or "").strip() if self.data else ""
        self.found = list(search_entities(text)[:FOUND_LIMIT]) if text else []
        self.fields["entities"].queryset = Entity.objects.filter(Q(pk__in=chosen) | Q(pk__in=[e.pk for e in
                                                                                          self.found]))
        self.fields["entities"].required = False

    def clean(self):
        data = super().clean()
        problems = watch_list_problems(data.get("kind", ""), data.get("query", ""), data.get("ipc_prefixes", ""),
                                       len(data.get("entities") or []))
        for field, message in problems.items():
            self.add_error(field, message)
        return data


def _own(request, pk) -> WatchList:
    return get_object_or_404(WatchList, pk=pk, owner=request.user)


@login_required
@permission_required("navigation.view_watchlist", raise_exception=True)
def watch_lists(request):
    lists = (WatchList.objects.filter(owner=request.user)
             .annotate(alert_count=Count("alerts"), unread=Count("alerts", filter=Q(alerts__read=False))))
    return render(request, "navigation/watch_list.html", {"watch_lists": lists})


@login_required
@permission_required("navigation.add_watchlist", raise_exception=True)
def watch_create(request):
    return _edit(request, WatchList(owner=request.user))


@login_required
@permission_required("navigation.change_watchlist", raise_exception=True)
def watch_edit(request, pk):
    return _edit(request, _own(request, pk))


def _edit(request, watch_list: WatchList):
    form = WatchListForm(request.POST or None, instance=watch_list)
    if request.method == "POST" and "search" not in request.POST and form.is_valid():
        watch_list = form.save()
        messages.success(request, _("Watch list saved."))
        return redirect("navigation:watch", pk=watch_list.pk)
    if request.method == "POST" and "search" in request.POST:
        form.errors.clear()  # a search is not a save: no errors yet
    return render(request, "navigation/watch_form.html", {"form": form, "watch_list": watch_list})


@login_required
@permission_required("navigation.view_watchlist", raise_exception=True)
def watch_detail(request, pk):
    watch_list = _own(request, pk)
    alerts = watch_list.alerts.select_related("patent")
    kind = request.GET.get("kind", "")
    if kind in Alert.Kind.values:
        alerts = alerts.filter(kind=kind)
    unread = request.GET.get("unread") == "1"
    if unread:
        alerts = alerts.filter(read=False)
    page = Paginator(alerts, 50).get_page(request.GET.get("page"))
    feeds = {name: request.build_absolute_uri(reverse(f"navigation:watch-{name}", args=[watch_list.feed_token]))
             for name in ("rss", "json")}
    return render(request, "navigation/watch_detail.html", {
        "watch_list": watch_list, "page": page, "kind": kind, "unread": unread, "kinds": Alert.Kind.choices,
        "feeds": feeds, "entities": watch_list.entities.all()})


@require_POST
@login_required
@permission_required("navigation.change_alert", raise_exception=True)
def watch_mark_read(request, pk):
    """Mark the ticked alerts read, or all of the list's when none is ticked."""
    watch_list = _own(request, pk)
    alerts = watch_list.alerts.filter(read=False)
    ticked = [v for v in request.POST.getlist("alert") if v.isdigit()]
    if ticked:
        alerts = alerts.filter(pk__in=ticked)
    count = alerts.update(read=True)
    messages.success(request, _("%(count)d alerts marked read.") % {"count": count})
    return redirect("navigation:watch", pk=watch_list.pk)


@require_POST
@login_required
@permission_required("navigation.change_watchlist", raise_exception=True)
def watch_check(request, pk):
    """Check the list now, up to today (and mail the digest if the list asks for e-mail)."""
    watch_list = _own(request, pk)
    alerts = check_and_notify(watch_list, until=timezone.localdate())
    messages.success(request, _("Checked: %(count)d new alerts.") % {"count": len(alerts)})
    return redirect("navigation:watch", pk=watch_list.pk)


@require_POST
@login_required
@permission_required("navigation.delete_watchlist", raise_exception=True)
def watch_delete(request, pk):
    watch_list = _own(request, pk)
    watch_list.delete()
    messages.success(request, _("Watch list %(name)s deleted.") % {"name": watch_list.name})
    return redirect("navigation:watch-lists")


# ---------------------------------------------------------------------------------------------------- feeds


def _item_title(alert: Alert) -> str:
    return f"{alert.get_kind_display()} {alert.date:%Y-%m-%d}: {alert.message}"


def _feed_title(watch_list: WatchList) -> str:
    return _("Patent alerts: %(name)s") % {"name": watch_list.name}


class WatchListRSS(Feed):
    """RSS 2.0 of a watch list's newest alerts."""

    item_guid_is_permalink = False

    def get_object(self, request, token):
        return get_object_or_404(WatchList, feed_token=token)

    def title(self, obj):
        return _feed_title(obj)

    def link(self, obj):
        return reverse("navigation:watch", args=[obj.pk])

    def description(self, obj):
        return _("Alerts of the watch list %(name)s: new publications, legal events and expiring core patents.") % {
            "name": obj.name}

    def items(self, obj):
        return feed_alerts(obj)

    def item_title(self, item):
        return _item_title(item)

    def item_description(self, item):
        return item.message

    def item_link(self, item):
        return item.patent.get_absolute_url()

    def item_guid(self, item):
        return f"ipoffice-alert-{item.pk}"

    def item_pubdate(self, item):
        return item.created_at

    def item_categories(self, item):
        return [item.kind]


def watch_json_feed(request, token):
    """JSON Feed 1.1 of a watch list's newest alerts (``_ipoffice`` carries the alert's kind, date and patent)."""
    watch_list = get_object_or_404(WatchList, feed_token=token)
    items = [{"id": f"ipoffice-alert-{a.pk}", "url": request.build_absolute_uri(a.patent.get_absolute_url()),
              "title": _item_title(a), "content_text": a.message, "date_published": a.created_at.isoformat(),
              "tags": [a.kind], "_ipoffice": {"kind": a.kind, "date": a.date.isoformat(),
                                              "patent": a.patent.display_number, "read": a.read}}
             for a in feed_alerts(watch_list)]
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": _feed_title(watch_list),
            "home_page_url": request.build_absolute_uri(reverse("navigation:watch", args=[watch_list.pk])),
            "feed_url": request.build_absolute_uri(), "language": request.LANGUAGE_CODE, "items": items}
    return JsonResponse(feed, content_type="application/feed+json", json_dumps_params={"ensure_ascii": False})


urlpatterns = [
    path("watch/", watch_lists, name="watch-lists"),
    path("watch/new/", watch_create, name="watch-new"),
    path("watch/<int:pk>/", watch_detail, name="watch"),
    path("watch/<int:pk>/edit/", watch_edit, name="watch-edit"),
    path("watch/<int:pk>/read/", watch_mark_read, name="watch-read"),
    path("watch/<int:pk>/check/", watch_check, name="watch-check"),
    path("watch/<int:pk>/delete/", watch_delete, name="watch-delete"),
    path("watch/<str:token>/feed.rss", WatchListRSS(), name="watch-rss"),
    path("watch/<str:token>/feed.json", watch_json_feed, name="watch-json"),
]
