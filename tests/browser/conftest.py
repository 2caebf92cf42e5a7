"""Browser tests: Playwright drives Debian's /usr/bin/chromium (never a downloaded browser)."""

import os

import pytest

# Playwright's sync API runs an event loop in this thread; the Django ORM calls of the tests themselves
# are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian's chromium is missing: run `make test`, which installs it.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="nl-NL", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors = []
    page.on(
        "console",
        lambda msg: errors.append(msg.text) if msg.type == "error" and "422" not in msg.text else None,
    )
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status == 404 else None)
    page.console_errors = errors
    yield page
    context.close()


@pytest.fixture
def axe_check():
    """Assert axe-core finds no serious or critical violation on the page (WCAG 2.1 A/AA rules)."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def run(page):
        return axe.run(
            page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
        )

    def check(page, label=""):
        # After a click that navigates, the old document can be gone before the new one exists: axe must
        # check the page the user arrives at, so it waits for that page and starts again when the navigation
        # took its document away in the middle of a run.
        from playwright.sync_api import Error

        for attempt in range(3):
            page.wait_for_load_state("load")
            try:
                results = run(page)
                break
            except Error as error:
                navigated = "documentElement" in str(error) or "context was destroyed" in str(error)
                if not navigated or attempt == 2:
                    raise
        bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
        details = "\n".join(
            f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:5]}" for v in bad
        )
        assert not bad, f"axe violations on {label or page.url}:\n{details}"

    return check


@pytest.fixture
def log_in(page):
    def _log_in(username, password):
        page.goto("/accounts/login/")
        page.get_by_label("Gebruikersnaam").fill(username)
        page.get_by_label("Wachtwoord").fill(password)
        page.get_by_role("button", name="Inloggen").click()
        page.wait_for_load_state()
        return page

    return _log_in


# The client's pages are checked at phone size and on a desktop (docs/portal.md).
VIEWPORTS = {
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
    },
    "desktop": {"viewport": {"width": 1280, "height": 900}},
}


@pytest.fixture(params=list(VIEWPORTS))
def client_page(request, browser, live_server):
    """A page of the client portal at each viewport, collecting console errors (a 422 answer is expected)."""
    context = browser.new_context(base_url=live_server.url, locale="nl-NL", **VIEWPORTS[request.param])
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors = []
    page.on(
        "console",
        lambda msg: errors.append(msg.text) if msg.type == "error" and "422" not in msg.text else None,
    )
    page.console_errors = errors
    page.viewport_name = request.param
    yield page
    context.close()
