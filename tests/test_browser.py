"""The built site in a real browser (Debian's chromium): from file://, offline, accessible."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from dipctl.i18n import Translator
from tests.test_federation import portal_site
from tests.test_site import example_site

CHROMIUM = Path("/usr/bin/chromium")
if not os.environ.get("CI"):  # on CI a missing browser fails the run instead
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed", allow_module_level=True)
    pytest.importorskip("playwright")
    pytest.importorskip("axe_playwright_python")
from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]  # noqa: E402
from playwright import sync_api as pw  # noqa: E402

__all__ = ["example_site", "portal_site"]  # the fixtures, shared with test_site, test_federation
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
tr = Translator("id")


class Browser:
    """One chromium; every page records what leaves the machine and what goes wrong."""

    def __init__(self, playwright: pw.Playwright) -> None:
        self.browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        self.outside: list[str] = []
        self.errors: list[str] = []

    def check(self) -> None:
        """Nothing failed so far, and nothing left the machine."""
        errors, self.errors = self.errors, []
        assert errors == [], "console errors"
        assert self.outside == [], "requests left the machine"

    def open(self, url: str, width: int = 1280, js: bool = True) -> pw.Page:
        size: pw.ViewportSize = {"width": width, "height": 900}
        context = self.browser.new_context(viewport=size, java_script_enabled=js)
        context.route("**/*", self._route)
        page = context.new_page()
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.goto(url)
        return page

    def _console(self, message: pw.ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def _route(self, route: pw.Route) -> None:
        if route.request.url.startswith(("file://", "data:")):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()


@pytest.fixture(scope="module")
def browser(example_site: tuple[Path, Path]) -> Iterator[Browser]:
    with pw.sync_playwright() as playwright:
        found = Browser(playwright)
        yield found
        found.browser.close()


def rows(page: pw.Page) -> pw.Locator:
    return page.locator("main table tbody tr:visible")


def test_filter_and_search_on_the_index(browser: Browser, example_site: tuple[Path, Path]) -> None:
    _, out = example_site
    dip = json.loads((out / "dip.json").read_text("utf-8"))["informasi"]
    page = browser.open((out / "index.html").as_uri())
    pw.expect(rows(page)).to_have_count(len(dip))
    # a word in exactly one row's title and summary
    texts = {r["id"]: f"{r['judul']} {r['ringkasan']}".casefold() for r in dip}
    words = {w for r in dip for w in re.findall(r"\w{5,}", r["judul"].casefold())}
    word = min(w for w in words if sum(w in t for t in texts.values()) == 1)
    search = page.get_by_label(tr("site.filter.search"))
    search.fill(word)
    pw.expect(rows(page)).to_have_count(1)
    assert word in rows(page).first.inner_text().casefold()
    search.fill("")
    pw.expect(rows(page)).to_have_count(len(dip))
    # a kategori, then also a unit
    category = page.get_by_label(tr("site.filter.category"), exact=True)
    category.select_option("serta-merta")
    wanted = [r["id"] for r in dip if r["kategori"] == "serta-merta"]
    pw.expect(rows(page)).to_have_count(len(wanted))
    assert sorted(rows(page).evaluate_all("rs => rs.map(r => r.id)")) == sorted(wanted)
    category.select_option("setiap-saat")
    unit = next(r["unit"] for r in dip if r["kategori"] == "setiap-saat")
    page.get_by_label(tr("site.filter.unit"), exact=True).select_option(unit)
    wanted = [r for r in dip if r["kategori"] == "setiap-saat" and r["unit"] == unit]
    pw.expect(rows(page)).to_have_count(len(wanted))
    page.get_by_role("button", name=tr("site.filter.reset")).click()
    pw.expect(rows(page)).to_have_count(len(dip))
    browser.check()
    page.context.close()


PAGES = ["index.html", "informasi/bo-renstra-2025-2029.html", "dik.html"]


@pytest.mark.parametrize("rel", [*PAGES, "keputusan/sk-dip-2026.html", "sop.html", "en/index.html"])
def test_axe_finds_no_serious_violations(
    browser: Browser, example_site: tuple[Path, Path], rel: str
) -> None:
    _, out = example_site
    page = browser.open((out / rel).as_uri())
    browser.check()
    violations = Axe().run(page).response["violations"]
    browser.errors.clear()  # axe's own XMLHttpRequests for the stylesheets, refused on file://
    serious = [
        (v["id"], v["impact"], v["help"], [n["target"] for n in v["nodes"]][:3])
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], json.dumps(serious, indent=1, ensure_ascii=False)
    page.context.close()


def test_narrow_screen_has_no_page_overflow(
    browser: Browser, example_site: tuple[Path, Path]
) -> None:
    _, out = example_site
    for rel in PAGES:
        page = browser.open((out / rel).as_uri(), width=360)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360 + 2, (rel, width)
        browser.check()
        page.context.close()


def test_without_javascript_the_whole_dip_shows(
    browser: Browser, example_site: tuple[Path, Path]
) -> None:
    _, out = example_site
    page = browser.open((out / "index.html").as_uri(), js=False)
    pw.expect(rows(page)).to_have_count(55)
    pw.expect(page.get_by_role("search")).to_be_hidden()
    browser.check()
    page.context.close()


#: The layout shifts of a page so far (PerformanceObserver, buffered): the CLS as Lighthouse
#: adds it up (shifts right after user input do not count; there is none here).
ITEM = "informasi/bo-renstra-2025-2029.html"
CLS = """() => new Promise(done => {
  let total = 0;
  new PerformanceObserver(list => {
    for (const e of list.getEntries()) { if (!e.hadRecentInput) { total += e.value; } }
  }).observe({type: "layout-shift", buffered: true});
  setTimeout(() => done(total), 300);
})"""
HEAD = """() => ({
  description: (document.querySelector('meta[name="description"]') || {}).content || "",
  canonical: (document.querySelector('link[rel="canonical"]') || {}).href || "",
  hreflang: [...document.querySelectorAll('link[rel="alternate"][hreflang]')]
    .map(l => [l.hreflang, l.getAttribute("href")]),
})"""


@pytest.mark.parametrize("rel", ["index.html", "en/index.html"])
def test_lighthouse_style_checks(
    browser: Browser, example_site: tuple[Path, Path], rel: str
) -> None:
    """No layout shift while the index loads (the filter form is shown before the tables
    are laid out), at a phone's width and a desktop's; a meta description and absolute
    hreflang and canonical URLs (the example register has a base_url) on the index and on
    an item page."""
    register, out = example_site
    base = yaml.safe_load((register / "register.yaml").read_text("utf-8"))["situs"]["base_url"]
    lang = rel.removesuffix("index.html")
    for width, path in ((412, "index.html"), (1350, "index.html"), (1350, ITEM)):
        page = browser.open((out / lang / path).as_uri(), width=width)
        if path == "index.html":
            assert page.evaluate(CLS) < 0.01, (rel, width)
        head = page.evaluate(HEAD)
        assert len(head["description"]) >= 50, path
        assert head["canonical"] == base + lang + path
        assert sorted(head["hreflang"]) == [
            ["en", base + "en/" + path],
            ["id", base + path],
            ["x-default", base + path],
        ]
        browser.check()
        page.context.close()


@pytest.mark.parametrize("rel", ["index.html", "instansi.html", "en/dik.html"])
def test_the_portal_is_accessible_and_filters(
    browser: Browser, portal_site: Path, rel: str
) -> None:
    """The province portal (issue 22): axe finds nothing serious; the agency filter works."""
    page = browser.open((portal_site / rel).as_uri())
    browser.check()
    violations = Axe().run(page).response["violations"]
    browser.errors.clear()
    serious = [(v["id"], v["help"]) for v in violations if v["impact"] in ("serious", "critical")]
    assert serious == [], serious
    if rel == "index.html":
        rows = page.locator("#provinsi_dip tbody tr")
        total = rows.count()
        page.select_option("#saring_instansi", "biro-b")
        shown = page.locator("#provinsi_dip tbody tr:not([hidden])")
        assert 0 < shown.count() < total
        assert all("Biro Dua" in t for t in shown.all_inner_texts())
        page.fill("#saring_q", "strategis")
        assert shown.count() >= 1
        assert all("strategis" in t.lower() for t in shown.all_inner_texts())
    page.context.close()
