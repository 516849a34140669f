"""The real site in a real browser: home page, language switch, regions, an entity, an officer's login."""

import re

import pytest

from ipoffice.core.testing.browser import (
    OFFICER,
    by,
    click_and_wait,
    fetch_status,
    log_in,
    open_page,
    page_lang,
    switch_language,
    visible_headings,
    visible_text,
)

pytestmark = pytest.mark.browser
CJK = re.compile(r"[\u4e00-\u9fff]")


# --- the tests ----------------------------------------------------------------------------------------

def test_home_in_chinese_then_english(site, browser):
    open_page(browser, site + "/")
    assert page_lang(browser).startswith("zh"), f"home page is not in Chinese: <html lang={page_lang(browser)!r}>"
    headings = visible_headings(browser)
    assert any(CJK.search(h) for h in headings), f"no visible Chinese heading on the home page: {headings}"

    switch_language(browser, "en")
    assert page_lang(browser) == "en", f"after switching to English: <html lang={page_lang(browser)!r}>"
    assert browser.current_url.rstrip("/") == site, f"the switch left the home page for {browser.current_url}"
    text = visible_text(browser)
    assert re.search(r"\bRegions\b", text) and re.search(r"\bEntities\b", text), \
        f"no English navigation after the switch:\n{text[:1500]}"
    headings = visible_headings(browser)
    assert any(re.search(r"[A-Za-z]{3,}", h) for h in headings), f"no English heading: {headings}"

    # The choice sticks: the next page is English too.
    open_page(browser, site + "/regions/")
    assert page_lang(browser) == "en", "the language choice did not carry to the next page"


def test_regions_down_to_guangzhou_districts(site, browser):
    By = by()
    open_page(browser, site + "/regions/")
    links = browser.find_elements(By.CSS_SELECTOR, 'a[href$="/regions/440100/"]')
    links = [a for a in links if a.is_displayed()]
    assert links, "no visible link to 广州市 (/regions/440100/) on the regions page"
    click_and_wait(browser, links[0], lambda url: url.endswith("/regions/440100/"), "clicking 广州市")

    headings = " ".join(visible_headings(browser))
    assert "广州" in headings or "Guangzhou" in headings, f"Guangzhou page headings: {headings!r}"
    text = visible_text(browser)
    for district in ("天河区", "越秀区", "番禺区"):
        assert district in text, f"district {district} not listed on the 广州市 page"
    # Districts are links one level further down (天河区 is 440106).
    assert browser.find_elements(By.CSS_SELECTOR, 'a[href$="/regions/440106/"]'), "天河区 is not a link"


def test_first_entity_page(site, browser):
    By = by()
    open_page(browser, site + "/entities/")
    entity_link = re.compile(r"/entities/\d+/$")
    links = [a for a in browser.find_elements(By.CSS_SELECTOR, 'a[href*="/entities/"]')
             if entity_link.search(a.get_attribute("href") or "") and a.is_displayed()]
    assert links, "the entity list shows no link to an entity page (/entities/<id>/)"
    name, href = links[0].text.strip(), links[0].get_attribute("href")
    click_and_wait(browser, links[0], lambda url: url == href, f"clicking entity {name!r}")

    headings = visible_headings(browser)
    assert headings, "the entity page has no visible heading"
    if name:
        assert any(name in h for h in headings), f"entity page headings {headings} do not name {name!r}"


def test_officer_logs_in_and_sees_history(site, browser):
    By = by()
    open_page(browser, site + "/")
    status, redirected = fetch_status(browser, "/history/")
    assert status in (401, 403) or redirected, f"anonymous visitor got /history/ with {status}"

    log_in(browser, site, OFFICER)

    logout = browser.find_elements(
        By.CSS_SELECTOR, 'form[action$="/accounts/logout/"], a[href$="/accounts/logout/"]')
    assert logout, f"no logout form or link after logging in (at {browser.current_url})"
    status, redirected = fetch_status(browser, "/history/")
    assert (status, redirected) == (200, False), \
        f"officer got /history/ with {status} (redirected: {redirected})"

    open_page(browser, site + "/history/")
    assert "/history/" in browser.current_url
