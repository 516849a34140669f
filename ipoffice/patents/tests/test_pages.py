"""The patent search page, its facets and the analysts' export; the import command."""

import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from ipoffice.accounts.roles import ANALYST, assign_role
from ipoffice.patents import generator
from ipoffice.patents.importing import import_file
from ipoffice.patents.models import Patent

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(tmp_path):
    summary = generator.generate(tmp_path, 200, seed=7, formats=("csv",))
    manifest = import_file(summary.paths["csv"][0])
    assert manifest.status == "done" and manifest.created == 200
    return Patent.objects.all()


def test_search_page_facets_refine_the_query(client, corpus):
    word = corpus.filter(patent_type="invention").first().title[-2:]
    page = client.get("/patents/", {"q": word})
    result = page.context["result"]
    assert result.total >= 1
    type_facet = next(values for name, _label, values in page.context["facets"] if name == "type")
    refined = client.get("/patents/", {"q": f"{word} AND {type_facet[0].query}"}).context["result"]
    assert refined.total == type_facet[0].count


def test_bad_query_is_explained(client):
    page = client.get("/patents/", {"q": "电池 AND ("})
    assert page.status_code == 200 and page.context["error"] is not None


def test_export_is_for_analysts_and_has_no_row_cap(client, corpus, monkeypatch):
    assert client.get("/patents/export.csv", {"q": "type:utility"}).status_code == 403
    analyst = get_user_model().objects.create_user("a1")
    assign_role(analyst, ANALYST)
    client.force_login(analyst)
    monkeypatch.setattr("ipoffice.patents.views.PAGE_SIZE_MAX", 7)  # several pages must all be streamed
    response = client.get("/patents/export.csv", {"q": "type:utility"})
    lines = b"".join(response.streaming_content).decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("office,number,kind,title")
    assert len(lines) - 1 == corpus.filter(patent_type="utility").count()
    assert client.get("/patents/export.xlsx", {"q": "type:design"}).status_code == 200
    assert client.get("/patents/export.csv", {"q": "(("}).status_code == 400
    assert client.get("/patents/export.pdf").status_code == 404


def test_import_command_prints_manifests(tmp_path, shared_data):
    out = io.StringIO()
    call_command("patents", "import", str(shared_data / "patents" / "epo_ops"), "--format", "json", stdout=out,
                 stderr=io.StringIO())
    manifests = json.loads(out.getvalue())
    assert [(m["format"], m["status"], m["created"]) for m in manifests] == [("epo-ops-biblio", "done", 1)]
    bad = tmp_path / "bad.xml"
    bad.write_text("<x", encoding="utf-8")
    with pytest.raises(CommandError, match="1 of 1 files failed"):
        call_command("patents", "import", str(bad), stdout=io.StringIO(), stderr=io.StringIO())
