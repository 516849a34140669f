"""The indicator dashboard in a real browser, and the annual report's PDF downloaded by an analyst."""

import io

import pytest

from ipoffice.core.testing.browser import ANALYST, by, fetch_bytes, log_in, open_page, visible_headings

pytestmark = pytest.mark.browser


def test_dashboard_then_report_pdf(site, browser):
    By = by()
    open_page(browser, site + "/indicators/")
    headings = " ".join(visible_headings(browser))
    assert "广东省知识产权事业发展“十三五”规划" in headings, headings
    statuses = browser.find_elements(By.CSS_SELECTOR, "table.targets .status")
    assert len(statuses) >= 30, f"expected a status for each of the plan's targets, saw {len(statuses)}"
    assert browser.find_elements(By.CSS_SELECTOR, ".chart svg"), "the dashboard draws no chart"
    assert not browser.find_elements(By.CSS_SELECTOR, 'a[href$="/pdf/"]'), "the public sees the analysts' button"

    log_in(browser, site, ANALYST)
    open_page(browser, site + "/indicators/")
    links = browser.find_elements(By.CSS_SELECTOR, 'a[href$="/pdf/"]')
    assert links, "an analyst sees no button to download the report as PDF"
    status, content_type, body = fetch_bytes(browser, links[0].get_attribute("href"))
    assert status == 200 and content_type == "application/pdf", (status, content_type)
    assert body.startswith(b"%PDF")

    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    assert "知识产权发展状况报告" in text, "the PDF has no Chinese title text"
    assert "年份" in text, "the PDF carries no chart (its Chinese axis title is missing)"
