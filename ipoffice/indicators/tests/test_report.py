"""The annual report: same data, same content; Chinese text and charts in the PDF; every table in XLSX."""

import io
import re

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from pypdf import PdfReader

from ipoffice.core.testing.browser import require_chinese_font
from ipoffice.indicators import report
from ipoffice.indicators.models import Indicator, Observation, Plan
from ipoffice.regions.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    plan = Plan.objects.get(code="gd-ip-13th")
    works = Indicator.objects.get(code="copyright_registrations")
    for code, value in (("440100", 1642), ("440300", 19647), ("440600", 800), ("440500", 120)):
        Observation.objects.create(indicator=works, region=Region.objects.get(code=code), year=2017, value=value,
                                   source="test")
    return plan


def test_same_data_same_report(plan):
    first = report.render_html(plan, 2017)
    assert report.render_html(plan, 2017) == first
    Observation.objects.create(indicator=Indicator.objects.get(code="copyright_registrations"),
                               region=Region.objects.get(code="440400"), year=2017, value=300, source="test")
    assert report.render_html(plan, 2017) != first, "a new figure must change the report (and its fingerprint)"


def test_report_sections(plan):
    html = report.render_html(plan, 2017)
    for heading in ("一、总体情况", "二、分类指标", "三、区域比较", "四、综合指数", "五、数据来源与方法"):
        assert heading in html
    assert html.count("<svg") >= 2, "status chart and the copyright city chart at least"
    assert "深圳市" in html and "19,647" in html, "the regional table lists Shenzhen's figure"
    assert not re.search(r'(?:src|href)="(?:https?:)?//', html), "the report loads nothing from elsewhere"


def test_pdf_has_chinese_text_and_charts(plan):
    require_chinese_font()
    pdf = report.render_pdf(report.render_html(plan, 2017))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "广东省知识产权发展状况报告" in text
    assert "有效发明专利量" in text
    assert "年份" in text, "chart axis titles (from the SVG charts) are in the PDF"


def test_xlsx_holds_every_table(plan):
    book = load_workbook(io.BytesIO(report.render_xlsx(report.report_context(plan, 2017))))
    assert book.sheetnames[0] == "targets"
    assert "copyright_registrations" in book.sheetnames
    targets = list(book["targets"].values)
    assert targets[0][:2] == ("indicator", "name_zh")
    assert len(targets) == 1 + plan.targets.count()
    cities = {row[0]: row[3] for row in book["copyright_registrations"].values}
    assert cities["440300"] == 19647


def test_report_command_writes_three_files(plan, tmp_path):
    call_command("report", "annual", "--year", "2017", "--out", str(tmp_path), stdout=io.StringIO())
    assert (tmp_path / "report.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "tables.xlsx").stat().st_size > 0


def test_dashboard_pages(client, plan):
    page = client.get("/indicators/?as_of=2017").content.decode()
    assert page.count('class="status status-') >= plan.targets.count()
    assert client.get("/indicators/copyright_registrations/?as_of=2017").status_code == 200
    assert client.get("/indicators/balance/?indicator=copyright_registrations&year=2017").status_code == 200
    assert client.get("/indicators/report/gd-ip-13th/2017/").status_code == 200
    assert client.get("/indicators/report/gd-ip-13th/2017/pdf/").status_code == 403
    assert client.get("/indicators/unknown-indicator/").status_code == 404
    assert client.get("/indicators/report/no-such-plan/2017/").status_code == 404


def test_composite_index_page_and_report_section(client, plan):
    """With the strength index's figures for three cities, the page and the report rank them with intervals."""
    figures = {"440300": 3, "440100": 2, "440400": 1}  # Shenzhen ahead of Guangzhou ahead of Zhuhai
    codes = ["valid_invention_patents", "invention_grants", "pct_applications", "valid_domestic_trademarks",
             "madrid_registrations", "gi_trademarks", "copyright_registrations", "pledge_financing",
             "protection_satisfaction"]
    for code in codes:
        for city, scale in figures.items():
            Observation.objects.update_or_create(
                indicator=Indicator.objects.get(code=code), year=2017, region=Region.objects.get(code=city),
                defaults={"value": scale * 10 + 50, "source": "test"})
    page = client.get("/indicators/index/city-ip-strength/?year=2017").content.decode()
    assert page.index("深圳市") < page.index("广州市") < page.index("珠海市")
    assert "<svg" in page
    html = report.render_html(plan, 2017)
    section = html[html.index("四、综合指数"):html.index("五、数据来源与方法")]
    assert "城市知识产权综合实力指数" in section and "深圳市" in section and "1–1" in section
