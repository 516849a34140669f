"""The demo site in a real browser: a clearance search for a Chinese mark, then a hit and its reason."""

import re

import pytest

from ipoffice.core.testing.browser import by, click_and_wait, open_page, visible_text, wait_for

pytestmark = pytest.mark.browser
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_clearance_of_a_chinese_mark_then_a_hit_and_its_reason(site, browser):
    """The demo's generated marks (``ipoffice demo`` calls ``generate_demo_marks``)."""
    By = by()
    open_page(browser, site + "/trademarks/?status=registered")
    rows = [[cell.text.strip() for cell in tr.find_elements(By.TAG_NAME, "td")]
            for tr in browser.find_elements(By.CSS_SELECTOR, "table.marks tbody tr")]
    rows = [r for r in rows if len(r) > 2 and CJK.search(r[1]) and r[2]]
    assert rows, f"no registered Chinese mark in the demo register:\n{visible_text(browser)[:1500]}"
    mark = "".join(CJK.findall(rows[0][1].split(" ")[0]))
    nice_class = rows[0][2].split(",")[0].strip()

    open_page(browser, site + "/trademarks/clear/")
    browser.find_element(By.ID, "clearance-mark").send_keys(mark)
    browser.find_element(By.NAME, "classes").send_keys(nice_class)
    form = browser.find_element(By.ID, "clearance-form")
    click_and_wait(browser, form.find_element(By.CSS_SELECTOR, 'button[type="submit"]'),
                   lambda url: "/trademarks/clear/?" in url, "submitting the clearance search")
    wait_for(browser, lambda d: d.find_elements(By.ID, "clearance-hits"), "no clearance report")
    assert "仅供参考" in browser.find_element(By.ID, "clearance-notice").text
    hits = browser.find_elements(By.CSS_SELECTOR, "#clearance-hits a.hit-link")
    assert hits, f"no hit for {mark}:\n{visible_text(browser)[:1500]}"
    assert any(mark in h.text for h in hits[:3]), [h.text for h in hits[:5]]
    first = next(h for h in hits if mark in h.text)
    href = first.get_attribute("href")
    click_and_wait(browser, first, lambda url: url == href, f"opening the hit {first.text}")

    reason = wait_for(browser, lambda d: d.find_element(By.ID, "similarity-reason"), "no reason on the mark page")
    text = reason.text
    assert mark in text and re.search(r"TM-R\d+", text), text
    assert CJK.search(text.split("TM-R", 1)[1]), f"the reason is not given in Chinese: {text}"
    assert mark in browser.find_element(By.ID, "mark-text").text
