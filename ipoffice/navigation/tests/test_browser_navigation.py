"""Patent navigation in a real browser, on the demo's worked example: the project list, the project, an analysis,
a figure's drill-down, a patent; the report page and its PDF; an analyst judging the worksheet."""

import re

import pytest

from ipoffice.core.testing.browser import ANALYST, by, click_and_wait, fetch_bytes, log_in, open_page, visible_headings

pytestmark = pytest.mark.browser
EXAMPLE = "nev-battery-guangdong"


def open_example(browser, site):
    By = by()
    open_page(browser, site + "/navigation/")
    links = [a for a in browser.find_elements(By.CSS_SELECTOR, "#projects a.project")
             if f"/projects/{EXAMPLE}/" in a.get_attribute("href")]
    assert links, "the project list does not show the worked example"
    click_and_wait(browser, links[0], lambda url: url.rstrip("/").endswith(EXAMPLE), "opening the example project")
    snapshots = browser.find_elements(By.CSS_SELECTOR, "#snapshot-list a.snapshot")
    assert snapshots, "the example project has no snapshot"
    click_and_wait(browser, snapshots[0], lambda url: "/snapshots/" in url, "opening the snapshot's analyses")


def test_project_analysis_drill_down_patent_and_report(site, browser):
    By = by()
    open_example(browser, site)
    snapshot_url = browser.current_url
    analyses = browser.find_elements(By.CSS_SELECTOR, "#analyses a.analysis")
    assert len(analyses) > 5, "the snapshot lists too few analyses"
    click_and_wait(browser, analyses[0], lambda url: "/analyses/" in url, "opening an analysis")
    assert browser.find_elements(By.CSS_SELECTOR, ".chart svg"), "the analysis shows no chart"
    figures = [a for a in browser.find_elements(By.CSS_SELECTOR, "#analysis-table a.drill") if a.text.strip() != "0"]
    assert figures, "no count of the table drills down"
    count = int(figures[0].text.strip())
    click_and_wait(browser, figures[0], lambda url: "/drill/" in url, "drilling down from a figure")
    assert re.search(rf"\b{count}\b", browser.find_element(By.ID, "drill-count").text)
    rows = browser.find_elements(By.CSS_SELECTOR, "#drill-patents a.patent")
    assert len(rows) == min(count, 50), f"the drill-down lists {len(rows)} patents for a figure of {count}"
    title = rows[0].find_element(By.XPATH, "./ancestor::tr/td[2]").text
    click_and_wait(browser, rows[0], lambda url: "/patents/" in url, "opening a patent of the drill-down")
    assert any(title in h for h in visible_headings(browser)), title

    open_page(browser, snapshot_url)
    report = browser.find_element(By.CSS_SELECTOR, f'a[href$="/snapshots/{snapshot_url.rstrip("/").split("/")[-1]}'
                                                   '/report/"]')
    click_and_wait(browser, report, lambda url: url.endswith("/report/"), "opening the report")
    body = browser.find_element(By.ID, "report")
    assert body.find_elements(By.TAG_NAME, "svg") and len(body.text) > 1000, "the report body is nearly empty"
    assert "专利导航" in body.text or "navigation" in body.text.lower()
    pdf = browser.find_element(By.ID, "report-pdf").get_attribute("href")
    status, content_type, data = fetch_bytes(browser, pdf)
    assert status == 200 and content_type.startswith("application/pdf") and data.startswith(b"%PDF")


def test_analyst_draws_and_judges_the_worksheet(site, browser):
    from selenium.webdriver.support.ui import Select

    By = by()
    log_in(browser, site, ANALYST)
    open_example(browser, site)
    worksheet = browser.find_element(By.CSS_SELECTOR, 'a[href$="/worksheet/"]')
    click_and_wait(browser, worksheet, lambda url: url.endswith("/worksheet/"), "opening the worksheet")
    form = browser.find_element(By.ID, "draw-form")
    Select(form.find_element(By.NAME, "sample")).select_by_value("precision")
    size = form.find_element(By.NAME, "size")
    size.clear()
    size.send_keys("3")
    click_and_wait(browser, form.find_element(By.CSS_SELECTOR, "button"), lambda url: "/worksheet/" in url,
                   "drawing the precision sample")
    lines = browser.find_elements(By.CSS_SELECTOR, "#lines-precision form.judge-form")
    assert len(lines) >= 3, "the precision sample has fewer than 3 lines"
    Select(lines[0].find_element(By.NAME, "relevant")).select_by_value("1")
    lines[0].find_element(By.NAME, "note").send_keys("电池管理,相关")
    click_and_wait(browser, lines[0].find_element(By.CSS_SELECTOR, "button"), lambda url: "/worksheet/" in url,
                   "judging a sampled patent")
    figures = browser.find_element(By.ID, "worksheet-figures").text
    assert "%" in figures and "95 %" in figures, figures
