"""Browser-test support (a pytest plugin): ``ipoffice demo`` served as a subprocess, driven by headless Chromium.

Fixtures: ``site`` (base URL of the demo, one per test session) and ``browser`` (a fresh Chromium per test).

Needs Debian's ``chromium`` and ``chromium-driver`` (``/usr/bin/chromium``, ``/usr/bin/chromedriver``).
Without them the tests skip, unless ``IPOFFICE_REQUIRE_BROWSER=1`` (as in CI), where they fail. Selenium
Manager is never used: the driver path is given, so nothing is downloaded.

The demo server gets its own data directory (its own SQLite database) and never sees ``DATABASE_URL``. On a
failure the page's screenshot and HTML are saved in the test's tmp dir, and the paths are printed.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
REQUIRE_BROWSER = os.environ.get("IPOFFICE_REQUIRE_BROWSER") == "1"
STARTUP_TIMEOUT = 120  # seconds for `ipoffice demo` to set up its database and answer
WAIT = 20  # seconds for a page to change in the browser

OFFICER = ("officer", "ipoffice-officer")
ANALYST = ("analyst", "ipoffice-analyst")


def _unavailable(reason: str):
    """Skip, or fail where the browser is required (CI)."""
    if REQUIRE_BROWSER:
        pytest.fail(f"{reason} (IPOFFICE_REQUIRE_BROWSER=1)", pytrace=False)
    pytest.skip(reason)


def require_chinese_font() -> None:
    """Skip (fail in CI) a test of PDF text when no Chinese font is installed: WeasyPrint would draw empty boxes.
    CI installs Debian's ``fonts-wqy-microhei`` with the browser."""
    try:
        found = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout.strip()
    except OSError:
        found = ""
    if not found:
        _unavailable("no Chinese font installed (Debian: fonts-wqy-microhei)")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _demo_command() -> list[str]:
    """The ``ipoffice`` console script of the running interpreter's environment."""
    script = Path(sys.executable).with_name("ipoffice")
    if script.exists():
        return [str(script)]
    found = shutil.which("ipoffice")
    return [found] if found else [sys.executable, "-m", "ipoffice.cli"]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5):
            return True
    except urllib.error.HTTPError:
        return True  # an HTTP answer all the same; the tests judge the pages
    except OSError:
        return False


class DemoSite:
    """``ipoffice demo`` running in its own process group, its output kept in a log file."""

    def __init__(self, workdir: Path):
        self.port = _free_port()
        self.log_path = workdir / "demo.log"
        data_dir = workdir / "data"
        data_dir.mkdir()
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env.update(IPOFFICE_DATA_DIR=str(data_dir), PYTHONUNBUFFERED="1")
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [*_demo_command(), "demo", "--host", "127.0.0.1", "--port", str(self.port)],
            stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT, env=env,
            start_new_session=True,
        )
        self.url = ""

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_until_up(self, timeout: float = STARTUP_TIMEOUT) -> str:
        """Wait for the printed http:// address, then for it to answer; return it without the last slash."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"`ipoffice demo` exited with {self.process.returncode} before serving:\n"
                                   f"{self.output()[-4000:]}")
            if not self.url:
                printed = re.search(r"http://[^\s'\"<>]+", self.output())
                if printed:
                    self.url = printed.group(0).rstrip("/.,;)")
            if self.url and _answers(self.url + "/"):
                return self.url
            time.sleep(0.5)
        state = f"printed {self.url} but it does not answer" if self.url else "printed no http:// address"
        raise RuntimeError(f"`ipoffice demo` {state} after {timeout} s:\n{self.output()[-4000:]}")

    def stop(self) -> None:
        """End the whole process group (runserver and anything it started)."""
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=15)
            except ProcessLookupError:
                pass
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=15)
        self._log.close()


@pytest.fixture(scope="session")
def chromium_ready():
    """Skip (or fail, in CI) before starting anything when the browser or selenium is missing."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        _unavailable("selenium is not installed (pip install -e '.[test]')")
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not os.access(p, os.X_OK)]
    if missing:
        _unavailable(f"headless browser not installed: {', '.join(missing)} missing "
                     "(apt-get install chromium chromium-driver)")


@pytest.fixture(scope="session")
def site(chromium_ready, tmp_path_factory):
    """The base URL of a freshly started demo site (shared by every browser test of the session)."""
    demo = DemoSite(tmp_path_factory.mktemp("demo"))
    try:
        yield demo.wait_until_up()
    finally:
        demo.stop()


def _chromium(profile_dir: Path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", f"--user-data-dir={profile_dir}", "--window-size=1280,1000",
                 "--lang=zh-CN"):
        options.add_argument(flag)
    # A visitor from Guangdong: the browser asks for Chinese, the site must then answer in Chinese.
    options.add_experimental_option("prefs", {"intl.accept_languages": "zh-CN,zh"})
    # The driver's path is given, so Selenium Manager is skipped; keep it offline should it ever run.
    os.environ.setdefault("SE_OFFLINE", "true")
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(60)
    return driver


@pytest.fixture
def browser(chromium_ready, request, tmp_path):
    """A fresh headless Chromium (own profile: no cookies, no session); on failure, a screenshot."""
    driver = _chromium(tmp_path / "profile")
    failed_before = request.session.testsfailed
    try:
        yield driver
    finally:
        if request.session.testsfailed > failed_before:  # this test's call phase has failed
            _save_evidence(request, driver, tmp_path)
        driver.quit()


def _save_evidence(request, driver, tmp_path: Path) -> None:
    shot, html = tmp_path / "failure.png", tmp_path / "failure.html"
    try:
        driver.save_screenshot(str(shot))
        html.write_text(f"<!-- {driver.current_url} -->\n{driver.page_source}")
    except Exception as error:  # the browser may be what broke
        message = f"could not save the page ({error!r})"
    else:
        message = f"screenshot {shot}, page {html}"
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if reporter:
        reporter.write_line(f"\n{request.node.nodeid}: {message}")


# --- page helpers ------------------------------------------------------------------------------------------

def by():
    from selenium.webdriver.common.by import By

    return By


def wait_for(driver, condition, message: str, timeout: float = WAIT):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(condition, message)


def loaded(driver) -> bool:
    return driver.execute_script("return document.readyState") == "complete"


def open_page(driver, url: str) -> None:
    driver.get(url)
    wait_for(driver, loaded, f"{url} never loaded")


def page_lang(driver) -> str:
    return (driver.find_element(by().TAG_NAME, "html").get_attribute("lang") or "").lower()


def visible_text(driver) -> str:
    return driver.find_element(by().TAG_NAME, "body").text


def visible_headings(driver) -> list[str]:
    return [h.text.strip() for h in driver.find_elements(by().CSS_SELECTOR, "h1, h2") if h.is_displayed()]


def click_and_wait(driver, element, url_check, message: str) -> None:
    """Click a link or button and wait for the next page to have loaded."""
    from selenium.common.exceptions import TimeoutException

    old_html = driver.find_element(by().TAG_NAME, "html")
    element.click()
    wait_for(driver, lambda d: is_stale(old_html), f"{message}: the page did not change")
    try:
        wait_for(driver, lambda d: loaded(d) and url_check(d.current_url), message)
    except TimeoutException:
        raise AssertionError(f"{message}: landed on {driver.current_url}") from None


def is_stale(element) -> bool:
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException

    try:
        element.tag_name  # noqa: B018 - any access raises once the page is gone
    except StaleElementReferenceException:
        return True
    except WebDriverException as error:  # Chromium, caught between two documents, may say it this way instead
        if "does not belong to the document" in str(error):
            return True
        raise
    return False


def fetch_status(driver, path: str) -> tuple[int, bool]:
    """Status of a same-origin GET made by the page itself (with its cookies), and whether it redirected."""
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch(arguments[0], {credentials: 'same-origin'})"
        "  .then(r => done([r.status, r.redirected])).catch(e => done([0, String(e)]));",
        path,
    )
    return int(result[0]), result[1] is True


def switch_language(driver, code: str) -> None:
    """Use the site's own language switch: a form posting to /i18n/setlang/ with a `language` field."""
    from selenium.webdriver.support.ui import Select

    By = by()
    forms = driver.find_elements(By.CSS_SELECTOR, 'form[action$="/i18n/setlang/"]')
    forms = [f for f in forms if f.is_displayed()]
    assert forms, "no visible language switch (form posting to /i18n/setlang/)"
    form = forms[0]
    old_html = driver.find_element(By.TAG_NAME, "html")
    buttons = [b for b in form.find_elements(By.CSS_SELECTOR, f'button[name="language"][value="{code}"], '
                                                               f'input[type="submit"][name="language"][value="{code}"]')
               if b.is_displayed()]
    if buttons:
        buttons[0].click()
    else:
        selects = form.find_elements(By.CSS_SELECTOR, 'select[name="language"]')
        assert selects, f"the language switch offers no button or select for {code!r}"
        Select(selects[0]).select_by_value(code)
        time.sleep(0.5)  # a select may submit itself on change
        if not is_stale(old_html):
            submits = [s for s in form.find_elements(By.CSS_SELECTOR, '[type="submit"]') if s.is_displayed()]
            submits[0].click() if submits else form.submit()
    wait_for(driver, lambda d: is_stale(old_html), f"switching to {code!r} did not load a page")
    wait_for(driver, loaded, "page never loaded")


def log_in(driver, site: str, account: tuple[str, str]) -> None:
    """Log in through the site's login page and wait to leave it."""
    By = by()
    open_page(driver, site + "/accounts/login/")
    driver.find_element(By.ID, "id_username").send_keys(account[0])
    driver.find_element(By.ID, "id_password").send_keys(account[1])
    form = driver.find_element(By.ID, "id_password").find_element(By.XPATH, "./ancestor::form")
    submit = form.find_element(By.CSS_SELECTOR, 'button[type="submit"], input[type="submit"], button:not([type])')
    click_and_wait(driver, submit, lambda url: "/accounts/login/" not in url,
                   f"logging in as {account[0]} (still on the login page: wrong password or form error?)")


def fetch_bytes(driver, path: str) -> tuple[int, str, bytes]:
    """A same-origin GET made by the page (with its cookies): status, content type and body."""
    import base64

    status, content_type, body = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch(arguments[0], {credentials: 'same-origin'}).then(async r => {"
        "  const bytes = new Uint8Array(await r.arrayBuffer()); let s = '';"
        "  for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode(...bytes.subarray(i, i + 8192));"
        "  done([r.status, r.headers.get('content-type') || '', btoa(s)]);"
        "}).catch(e => done([0, String(e), '']));",
        path,
    )
    return int(status), content_type, base64.b64decode(body)
