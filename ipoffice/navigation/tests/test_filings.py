"""Monthly filings with the year-on-year change, against counts worked out by hand; the page, API and CLI."""

import io
import json
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from ipoffice.accounts.roles import OFFICER, assign_role
from ipoffice.navigation.filings import monthly_filings
from ipoffice.patents.models import Party, Patent
from ipoffice.patents.search.services import matching_patent_ids
from ipoffice.regions.models import Region

pytestmark = pytest.mark.django_db

# (filing date, region code, applicants, agency)
FILINGS = [
    ("2023-03-05", "440305", ["甲科技有限公司"], "丙专利代理事务所"),
    ("2023-03-20", "440106", ["乙电池有限公司"], ""),
    ("2023-04-02", "440305", ["甲科技有限公司"], "丙专利代理事务所"),
    ("2024-03-01", "440305", ["甲科技有限公司", "乙电池有限公司"], "丙专利代理事务所"),
    ("2024-03-15", "440305", ["甲科技有限公司"], "丙专利代理事务所"),
    ("2024-03-31", "440304", ["甲科技有限公司"], ""),
    ("2024-03-09", "440106", ["乙电池有限公司"], "丁知识产权代理有限公司"),
    ("2024-04-30", "440106", ["乙电池有限公司"], ""),
    ("2024-05-02", "440106", ["乙电池有限公司"], ""),
]


@pytest.fixture
def registry():
    regions = {r.code: r for r in Region.objects.filter(code__in={f[1] for f in FILINGS})}
    for n, (day, code, applicants, agency) in enumerate(FILINGS):
        patent = Patent.objects.create(office="CN", application_number=f"20231{n:07d}", patent_type="invention",
                                       application_date=date.fromisoformat(day), title=f"一种装置{n}",
                                       region=regions[code])
        for seq, name in enumerate(applicants, 1):
            Party.objects.create(patent=patent, role="applicant", sequence=seq, name=name, region=regions[code])
        if agency:
            Party.objects.create(patent=patent, role="agency", sequence=1, name=agency)
    Patent.objects.create(office="US", application_number="1", patent_type="invention", title="other office",
                          application_date=date(2024, 3, 3), region=regions["440305"])


def test_city_months_and_years_against_hand_counts(registry):
    table = monthly_filings("city", start=date(2024, 3, 1), end=date(2024, 5, 1))
    rows = {r.key: r for r in table.rows}
    assert [r.key for r in table.rows] == ["4401", "4403"]  # 3 filings each in the window: by name
    sz, gz = rows["4403"], rows["4401"]
    assert [(c.count, c.previous) for c in sz.months] == [(3, 1), (0, 1), (0, 0)]
    assert sz.months[0].change == 2 and sz.months[0].change_pct == 200.0
    assert sz.months[1].change_pct == -100.0 and sz.months[2].change_pct is None
    assert [(c.count, c.previous) for c in gz.months] == [(1, 1), (1, 0), (1, 0)]
    assert [(c.count, c.previous) for c in table.total.months] == [(4, 2), (1, 1), (1, 0)]
    assert (sz.years[0].count, sz.years[0].previous, gz.years[0].count) == (3, 2, 3)  # Mar–May 2024 vs 2023
    assert table.total.years[0].change_pct == 100.0


def test_district_and_region_filter(registry):
    table = monthly_filings("district", start=date(2024, 3, 1), end=date(2024, 3, 1), region="4403")
    assert {r.key: r.months[0].count for r in table.rows} == {"440305": 2, "440304": 1}
    assert table.total.months[0].count == 3 and table.total.months[0].previous == 1


def test_applicants_count_whole_and_total_counts_patents_once(registry):
    table = monthly_filings("applicant", start=date(2024, 3, 1), end=date(2024, 3, 1))
    counts = {r.label: (r.months[0].count, r.months[0].previous) for r in table.rows}
    assert counts == {"甲科技有限公司": (3, 1), "乙电池有限公司": (2, 1)}
    assert table.total.months[0].count == 4  # the co-filed patent once


def test_agency_rows(registry):
    table = monthly_filings("agency", start=date(2024, 3, 1), end=date(2024, 4, 1))
    counts = {r.label: [c.count for c in r.months] for r in table.rows}
    assert counts == {"丙专利代理事务所": [2, 0], "丁知识产权代理有限公司": [1, 0]}
    assert [c.previous for c in table.rows[0].months] == [1, 1]


def test_every_figure_is_the_search_behind_it(registry):
    for by in ("city", "district", "applicant"):
        table = monthly_filings(by, start=date(2024, 3, 1), end=date(2024, 3, 1), region="4403")
        for row in [*table.rows, table.total]:
            cell = row.months[0]
            assert len(matching_patent_ids(cell.query)) == cell.count, cell.query
            assert "ad:[2024-03-01 TO 2024-03-31]" in cell.query and "office:CN" in cell.query


def test_page_api_and_cli(client, registry):
    page = client.get("/navigation/filings/", {"by": "city", "from": "2024-03", "to": "2024-05"})
    assert page.status_code == 200 and "<svg" in page.content.decode()
    assert page.context["table"].total.months[0].count == 4
    assert client.get("/navigation/filings/", {"from": "2024-13"}).status_code == 400
    assert client.get("/navigation/filings/", {"by": "street"}).status_code == 400

    api = client.get("/api/navigation/filings/", {"by": "district", "from": "2024-03", "to": "2024-03"})
    assert api.status_code == 200 and api.json()["total"]["months"]["2024-03"]["count"] == 4
    bad = client.get("/api/navigation/filings/", {"by": "street", "from": "March"})
    assert bad.status_code == 400 and "by" in bad.json()
    assert client.get("/api/navigation/filings/", {"from": "March"}).status_code == 400
    assert client.get("/api/navigation/filings/", {"region": "9999"}).status_code == 400

    out = io.StringIO()
    call_command("navigation", "filings", "--by", "city", "--from", "2024-03", "--to", "2024-04", "--format",
                 "json", stdout=out)
    assert json.loads(out.getvalue())["total"]["years"]["2024"]["count"] == 5
    out = io.StringIO()
    call_command("navigation", "filings", "--from", "2024-03", "--to", "2024-03", stdout=out)
    assert "深圳市" in out.getvalue() and "+200" in out.getvalue()
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("navigation", "filings", "--from", "2024/3")


def test_tracking_page_links_the_queue_for_officers_only(client, registry):
    assert b"/navigation/signals/" not in client.get("/navigation/filings/").content
    officer = get_user_model().objects.create_user("o1")
    assign_role(officer, OFFICER)
    client.force_login(officer)
    assert b"/navigation/signals/" in client.get("/navigation/filings/").content
