"""Project pages: every page renders for each role, permissions hold, forms explain their errors, and the
drill-down lists exactly the patents of a figure."""

import pytest
from django.urls import reverse

from ..editing import run_analysis
from ..models import Finding, NodeTag, Project, SearchQuery, Snapshot
from ..views.snapshots import table_cells
from .project_fixtures import *  # noqa: F403  (the fixtures)
from .project_fixtures import QUERY

pytestmark = pytest.mark.django_db


def snapshot_pages(snapshot):
    args = [snapshot.project.slug, snapshot.pk]
    return [reverse("navigation:snapshot", args=args), reverse("navigation:analysis", args=[*args, "trend"]),
            reverse("navigation:worksheet", args=args)]


@pytest.mark.parametrize("role", ["anonymous", "officer", "analyst"])
def test_pages_render_for_each_role(client, request, snapshot, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    project = snapshot.project
    listing = client.get(reverse("navigation:projects"))
    assert listing.status_code == 200 and project.name in listing.content.decode()
    assert ("new-project" in listing.content.decode()) == (role == "analyst")
    detail = client.get(project.get_absolute_url())
    assert detail.status_code == 200
    assert detail.context["can_edit"] == (role == "analyst")
    assert ('id="take-snapshot"' in detail.content.decode()) == (role == "analyst")
    for url in [*snapshot_pages(snapshot), reverse("navigation:findings", args=[project.slug])]:
        assert client.get(url).status_code == 200, url


def test_private_projects_are_hidden_from_the_public(client, snapshot, officer):
    Project.objects.filter(pk=snapshot.project_id).update(is_public=False)
    assert snapshot.project.name not in client.get(reverse("navigation:projects")).content.decode()
    for url in [snapshot.project.get_absolute_url(), *snapshot_pages(snapshot)]:
        assert client.get(url).status_code == 404, url
    client.force_login(officer)  # an officer may view every project
    assert client.get(snapshot.project.get_absolute_url()).status_code == 200


def test_changes_need_the_owner_or_an_analyst(client, project, officer, django_user_model):
    slug = project.slug
    posts = [(reverse("navigation:query-add", args=[slug]), {"text": "电池"}),
             (reverse("navigation:snapshot-new", args=[slug]), {}),
             (reverse("navigation:project-edit", args=[slug]), {"name": "x"}),
             (reverse("navigation:node-new", args=[slug]), {"code": "1", "name": "x"}),
             (reverse("navigation:findings", args=[slug]), {"summary": "x"})]
    for user in (None, officer):
        if user:
            client.force_login(user)
        for url, data in posts:
            assert client.post(url, data).status_code in (403, 302 if user is None else 403), url
    assert project.queries.count() == 1 and not project.snapshots.exists() and not project.nodes.exists()
    assert client.get(reverse("navigation:project-new")).status_code == 403
    owner = django_user_model.objects.create_user("owner-only")  # no role, but owns the project
    Project.objects.filter(pk=project.pk).update(owner=owner)
    client.force_login(owner)
    assert client.post(reverse("navigation:query-add", args=[slug]), {"text": "电池"}).status_code == 302
    assert client.post(reverse("navigation:snapshot-new", args=[slug])).status_code == 302
    assert project.queries.count() == 2 and project.snapshots.count() == 1


def test_create_and_edit_a_project_with_clear_errors(client, analyst):
    client.force_login(analyst)
    url = reverse("navigation:project-new")
    data = {"name": "无人机", "slug": "drones", "project_type": "industry", "region": "不存在的地方",
            "count_unit": "family", "applicant_counting": "fractional", "date_basis": "filing", "lag_months": 18,
            "reference_query": "ipc:B64C* AND ("}
    page = client.post(url, data)
    assert page.status_code == 200
    errors = page.context["form"].errors
    assert "不存在的地方" in errors["region"][0]
    assert "个字符处" in errors["reference_query"][0]
    data.update(region="440300", reference_query="ipc:B64C*")
    assert client.post(url, data).status_code == 302
    project = Project.objects.get(slug="drones")
    assert (project.region.code, project.owner, project.applicant_counting) == ("440300", analyst, "fractional")
    data.update(region="深圳市", name="无人机产业")
    assert client.post(reverse("navigation:project-edit", args=["drones"]), data).status_code == 302
    project.refresh_from_db()
    assert project.name == "无人机产业" and project.region.code == "440300"


def test_query_versions_nodes_effects_and_hand_tags(client, snapshot, analyst):
    project = snapshot.project
    client.force_login(analyst)
    bad = client.post(reverse("navigation:query-add", args=[project.slug]), {"text": "电池 AND (", "note": "x"})
    assert bad.status_code == 400 and "个字符处" in bad.context["form"].errors["text"][0]
    good = client.post(reverse("navigation:query-add", args=[project.slug]), {"text": "电池", "note": "narrower"})
    assert good.status_code == 302
    assert list(project.queries.values_list("version", "text")) == [(2, "电池"), (1, QUERY)]

    new_node = reverse("navigation:node-new", args=[project.slug])
    assert client.post(new_node, {"code": "1", "name": "电池", "query": "电池", "sequence": 0}).status_code == 302
    parent = project.nodes.get(code="1")
    assert client.post(new_node, {"code": "1", "name": "again", "sequence": 0}).status_code == 400
    assert client.post(new_node, {"code": "1.1", "name": "x", "query": "((", "sequence": 0}).status_code == 400
    assert client.post(new_node, {"code": "1.1", "name": "电极", "parent": parent.pk, "sequence": 1}).status_code \
        == 302
    child = project.nodes.get(code="1.1")
    loop = client.post(reverse("navigation:node-edit", args=[project.slug, parent.pk]),
                       {"code": "1", "name": "电池", "parent": child.pk, "sequence": 0})
    assert loop.status_code == 400

    patent = snapshot_patent(snapshot)
    tag_url = reverse("navigation:node-tag", args=[project.slug, child.pk])
    client.post(tag_url, {"number": patent.application_number, "included": "0"})
    assert NodeTag.objects.get(node=child).included is False and NodeTag.objects.get(node=child).patent == patent
    missing = client.post(tag_url, {"number": "CN000", "included": "1"}, follow=True)
    assert "CN000" in missing.content.decode()

    effect_url = reverse("navigation:effect-new", args=[project.slug])
    assert client.post(effect_url, {"name": "降低能耗", "query": "x", "sequence": 0}).status_code == 400  # taken
    assert client.post(effect_url, {"name": "延长寿命", "query": "寿命", "sequence": 1}).status_code == 302
    assert client.post(reverse("navigation:node-delete", args=[project.slug, parent.pk])).status_code == 302
    assert not project.nodes.exists()  # the sub-branch goes with its parent


def snapshot_patent(snapshot):
    from ipoffice.patents.models import Patent

    from ..snapshots import load_dataset
    return Patent.objects.get(pk=load_dataset(snapshot).records[0].id)


def test_take_snapshot_page_and_bad_query(client, project, analyst):
    client.force_login(analyst)
    response = client.post(reverse("navigation:snapshot-new", args=[project.slug]))
    snapshot = Snapshot.objects.get(project=project)
    assert response.url == reverse("navigation:snapshot", args=[project.slug, snapshot.pk])
    SearchQuery.objects.create(project=project, version=2, text="电池 AND (")  # written past the form
    failed = client.post(reverse("navigation:snapshot-new", args=[project.slug]), follow=True)
    assert "个字符处" in failed.content.decode() and project.snapshots.count() == 1


def test_analysis_table_links_every_count_to_its_drill_down(client, snapshot, analyst):
    analysis = run_analysis(snapshot, "trend")
    page = client.get(reverse("navigation:analysis", args=[snapshot.project.slug, snapshot.pk, "trend"]))
    html = page.content.decode()
    assert "<svg" in html
    cells = [c for row in table_cells(analysis) for c in row if c["kind"] == "int" and c["value"]]
    assert cells and all(c["drill"] for c in cells)
    first = next(c for row in table_cells(analysis) for c in row if c["drill"])
    url = reverse("navigation:drill", args=[snapshot.project.slug, snapshot.pk, "trend", first["drill"]])
    assert url in html
    drill = client.get(url, {"page": 1})
    shown = {p.pk for p in drill.context["page"]}
    assert drill.context["total"] == len(analysis.drill[first["drill"]]) == first["value"]
    assert shown <= set(analysis.drill[first["drill"]])
    assert client.get(url, {"format": "csv"}).status_code == 403  # export is for analysts
    client.force_login(analyst)
    lines = client.get(url, {"format": "csv"}).content.decode("utf-8-sig").strip().splitlines()
    from ipoffice.patents.models import Patent
    numbers = {Patent.objects.get(pk=pk).display_number for pk in analysis.drill[first["drill"]]}
    assert {line.split(",")[0] for line in lines[1:]} == numbers
    base = [snapshot.project.slug, snapshot.pk]
    assert client.get(reverse("navigation:drill", args=[*base, "trend", "1066"])).status_code == 404
    assert client.get(reverse("navigation:analysis", args=[*base, "nonsense"])).status_code == 404


def test_worksheet_draw_and_judge(client, snapshot, analyst, officer):
    project = snapshot.project
    base = [project.slug, snapshot.pk]
    client.force_login(officer)
    assert client.post(reverse("navigation:worksheet-draw", args=base),
                       {"sample": "precision", "size": 3}).status_code == 403
    client.force_login(analyst)
    bad = client.post(reverse("navigation:worksheet-draw", args=base), {"sample": "precision", "size": 0},
                      follow=True)
    assert not snapshot.judgements.exists() and "1" in bad.content.decode()
    client.post(reverse("navigation:worksheet-draw", args=base), {"sample": "precision", "size": 3})
    lines = list(snapshot.judgements.all())
    assert len(lines) == 3
    for line, verdict in zip(lines, ["1", "1", "0"], strict=True):
        client.post(reverse("navigation:worksheet-judge", args=[*base, line.pk]), {"relevant": verdict, "note": "ok"})
    page = client.get(reverse("navigation:worksheet", args=base))
    precision = page.context["figures"]["precision"]
    assert (precision["successes"], precision["trials"]) == (2, 3)
    assert "67 %" in page.content.decode()


def test_findings_editor(client, project, analyst):
    client.force_login(analyst)
    url = reverse("navigation:findings", args=[project.slug])
    assert client.post(url, {"summary": "电池专利集中于广州。", "trend": "增长"}).status_code == 302
    assert dict(Finding.objects.filter(project=project).values_list("section", "text")) == {
        "summary": "电池专利集中于广州。", "trend": "增长"}
    assert client.get(url).context["form"].initial["summary"] == "电池专利集中于广州。"


def test_landing_links_filings_to_all_signals_to_officers_watch_lists_to_signed_in_users(client, django_user_model):
    from django.contrib.auth.models import Permission

    def links():
        html = client.get(reverse("navigation:projects")).content.decode()
        return {name for name in ("filings", "signals", "watch-lists")
                if f'href="{reverse("navigation:" + name)}"' in html}

    assert links() == {"filings"}
    user = django_user_model.objects.create_user("reader", password="pw-reader-1")
    client.force_login(user)
    assert links() == {"filings", "watch-lists"}
    user.user_permissions.add(Permission.objects.get(codename="review_signals"))
    client.force_login(django_user_model.objects.get(pk=user.pk))
    assert links() == {"filings", "signals", "watch-lists"}


def test_network_analyses_download_as_graph_files(client, snapshot):
    from lxml import etree

    base = [snapshot.project.slug, snapshot.pk]
    html = client.get(reverse("navigation:analysis", args=[*base, "co_applicants"])).content.decode()
    for fmt, root in (("gexf", "gexf"), ("graphml", "graphml")):
        url = reverse("navigation:network-file", args=[*base, "co_applicants", fmt])
        assert url in html
        response = client.get(url)
        assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
        assert etree.QName(etree.fromstring(response.content)).localname == root
    trend = client.get(reverse("navigation:analysis", args=[*base, "trend"])).content.decode()
    assert 'id="network-files"' not in trend
    assert client.get(reverse("navigation:network-file", args=[*base, "trend", "gexf"])).status_code == 404
    assert client.get(reverse("navigation:network-file", args=[*base, "co_inventors", "dot"])).status_code == 404


def test_report_page_embeds_the_report_and_offers_the_pdf(client, snapshot, settings, tmp_path):
    settings.DATA_DIR = tmp_path  # where the laid-out PDF is kept
    base = [snapshot.project.slug, snapshot.pk]
    page = client.get(reverse("navigation:report", args=base))
    html = page.content.decode()
    assert page.status_code == 200 and 'id="report"' in html and "<html" not in html.split('id="report"')[1]
    assert reverse("navigation:report-pdf", args=base) in html
    pdf = client.get(reverse("navigation:report-pdf", args=base))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
