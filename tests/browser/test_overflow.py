"""No page scrolls sideways, on a phone or on a wide screen, and no breadcrumb or header word breaks.

Every page of the access matrix (tests/matrix.py) that a role may open is opened in Chromium as that role
(the portal's pages as the client) at 390 px and 1366 px wide, and the staff pages also at 1920 px: the
page's own width may not exceed the viewport. Wide content belongs in a scroll region (``.ww-scroll``,
``.utrecht-table-container``), whose overflow stays inside it. At each width the breadcrumbs, the header and
the table headers are read too: each word lies on one line (a word split over two lines has two boxes)."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Error as PlaywrightError

from tests.portal_helpers import log_in_client
from tests.test_access import MATRIX, world  # noqa: F401 (the world fixture)
from tests.test_dutch_screens import STAFF_ROLES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}
WIDE = {"width": 1920, "height": 1080}

# What sticks out of the page at the right, outside a scroll region; and the words broken over two lines.
MEASURE = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const x = getComputedStyle(p).overflowX;
      if (x === 'auto' || x === 'scroll' || x === 'hidden' || x === 'clip') return true;
    }
    return false;
  };
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (typeof el.className === 'string' && el.className
      ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width && box.right > width + 1 && !scrolls(el)) wide.push(name(el) + ' ' + Math.round(box.right));
  }
  const broken = [];
  const areas = '.utrecht-breadcrumb-nav, .ww-header, .ww-nav, .ww-portal-nav, th';
  for (const area of document.querySelectorAll(areas)) {
    const walker = document.createTreeWalker(area, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const re = /[^\\s\\-\u2010]+/g;  // a break after a hyphen is not a broken word
      let m;
      while ((m = re.exec(node.data))) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const boxes = [...range.getClientRects()].filter((r) => r.width > 0);
        if (new Set(boxes.map((r) => Math.round(r.top))).size > 1) broken.push(m[0]);
      }
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, width, wide: wide.slice(0, 6), broken};
}"""


def _session_of(role, w) -> str:
    """The session cookie of a Django test client logged in as ``role`` (or the client in the portal)."""
    browser = Client()
    if role == "client":
        log_in_client(browser, w["client"])
    else:
        browser.force_login(w["users"][role])
    return browser.cookies[settings.SESSION_COOKIE_NAME].value


def _pages(w) -> dict[str, list[tuple[str, str]]]:
    """Role -> the (name, URL) of every page of the matrix that role may open with GET."""
    pages: dict[str, list[tuple[str, str]]] = {}
    for name, (method, url_for, _data, expected) in sorted(MATRIX.items()):
        if method != "get" or name in {"logout", "set_language"}:
            continue
        if name.endswith(("export", "pdf", "download", "ical", "json", "csv", "yaml")):
            continue
        if name.startswith("portal:") and expected.get("professional") == 403:
            role = "client" if expected.get("client", 200) == 200 else None
        else:
            role = next((r for r in STAFF_ROLES if expected.get(r) == 200), None)
        if role is not None:
            pages.setdefault(role, []).append((name, url_for(w)))
    return pages


def _context(browser, live_server, viewport, cookie):
    context = browser.new_context(base_url=live_server.url, locale="nl-NL", viewport=viewport)
    host = urlparse(live_server.url).hostname
    context.add_cookies(
        [
            {"name": settings.SESSION_COOKIE_NAME, "value": cookie, "domain": host, "path": "/"},
            {"name": "django_language", "value": "nl", "domain": host, "path": "/"},
        ]
    )
    return context


def test_no_page_scrolls_sideways_and_no_header_word_breaks(browser, live_server, world):  # noqa: F811
    pages = _pages(world)
    assert sum(len(found) for found in pages.values()) > 80, "the sweep no longer reaches the pages"
    failures, seen = {}, 0
    for role, found in pages.items():
        cookie = _session_of(role, world)
        for viewport in (PHONE, DESKTOP) if role == "client" else (PHONE, DESKTOP, WIDE):
            context = _context(browser, live_server, viewport, cookie)
            page = context.new_page()
            page.set_default_timeout(60_000)
            for name, url in found:
                try:
                    response = page.goto(url)
                except PlaywrightError as error:  # a file to download (evidence, attachments): no page
                    if "Download is starting" in str(error):
                        continue
                    raise
                if (
                    response is None
                    or response.status != 200
                    or "html" not in response.headers.get("content-type", "")
                ):
                    continue
                seen += 1
                result = page.evaluate(MEASURE)
                where = f"{name} at {viewport['width']} px ({role})"
                if result["scrollWidth"] > result["width"]:
                    failures[where] = f"{result['scrollWidth']} px wide: {result['wide']}"
                if result["broken"]:
                    failures[where + ", broken words"] = result["broken"]
            context.close()
    assert seen > 240, f"only {seen} pages opened"
    assert not failures, "\n".join(f"{where}: {what}" for where, what in sorted(failures.items()))
