"""Patent search in a real browser: a Chinese query, a facet, a patent, its applicant's entity page."""

import pytest

from ipoffice.core.testing.browser import by, click_and_wait, open_page, visible_headings

pytestmark = pytest.mark.browser


def test_search_refine_open_patent_then_applicant(site, browser):
    By = by()
    open_page(browser, site + "/patents/?q=" + "装置")
    count = browser.find_element(By.ID, "result-count").text
    assert any(ch.isdigit() for ch in count), count
    facets = [a for a in browser.find_elements(By.CSS_SELECTOR, "a.facet") if "type" in a.get_attribute("href")]
    assert facets, "no type facet to refine by"
    click_and_wait(browser, facets[0], lambda url: "type" in url, "refining by a facet")
    hits = browser.find_elements(By.CSS_SELECTOR, "article.hit h3 a")
    assert hits, "the refined search shows no patent"
    title = hits[0].text
    click_and_wait(browser, hits[0], lambda url: "/patents/CN/" in url, "opening a patent")
    assert any(title in h for h in visible_headings(browser)), title
    applicant = browser.find_elements(By.CSS_SELECTOR, "a.applicant-entity")
    assert applicant, "the patent page links no applicant to its entity"
    name = applicant[0].text
    click_and_wait(browser, applicant[0], lambda url: "/entities/" in url, "going to the applicant's entity")
    assert any(name in h for h in visible_headings(browser))
    assert "专利" in browser.find_element(By.TAG_NAME, "body").text or "Patents" in browser.page_source
