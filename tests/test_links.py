"""``dipctl check-links`` against a local HTTP server (tests/localweb.py): broken links are
reported with the item, the URL and the reason; working ones pass; only the published DIP's
links are asked, never a draft's or an exempt item's; every request and the whole run are
bounded in time."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from dipctl.publish import links, web
from tests.conftest import KASUBBAG, Repo, commit_all, dipctl
from tests.localweb import SLOW, Web, closed_port, serving
from tests.test_verify import KASUBBAG_OF, Driver, ok

TIMEOUT = "1.5"  # far below localweb.SLOW, far above a loaded machine's answer time


@pytest.fixture(scope="module")
def server() -> Iterator[Web]:
    with serving() as running:
        yield running


def set_link(repo: Repo, unit: str, item_id: str, url: str) -> None:
    """The kasubbag adds the document link in an editor and commits it alone."""
    path = repo.item(unit, item_id)
    text = path.read_text(encoding="utf-8")
    if "dokumen:" in text:
        head, _, _ = text.partition("dokumen:")
        rest = text.split("dokumen:", 1)[1].split("\n", 2)[2]
        text = head + rest
    path.write_text(text + f"dokumen:\n  tautan: {url}\n", encoding="utf-8")
    commit_all(repo.path, f"{item_id}: tautan dokumen", KASUBBAG_OF[unit])


def established(repo: Repo, tmp: Path, links_of: dict[str, str], exempt: dict[str, str]) -> Driver:
    """Items with these links carried through steps 1-5 by the real commands."""
    sop = Driver(repo, tmp)
    every = {**links_of, **exempt}
    for item_id, url in every.items():
        sop.new(item_id)
        set_link(repo, "sekretariat", item_id, url)
    sop.submit("sekretariat", *every)
    sop.review(*every)
    sop.classify("berkala", *links_of)
    if exempt:
        sop.classify("dikecualikan", *exempt)
    sop.meeting(*every)
    sop.establish(*every)
    return sop


def _prepared(base: Path, template: Path, web_: Web) -> Repo:
    path = base / "dinas"
    shutil.copytree(template, path, symlinks=True)
    repo = Repo(path)
    refused = f"http://127.0.0.1:{closed_port()}/dokumen.pdf"
    sop = established(
        repo,
        base,
        {
            "baik": web_.url("/ok/renstra.pdf"),
            "sama": web_.url("/ok/renstra.pdf"),  # the same URL: asked once
            "hilang": web_.url("/missing.pdf"),
            "lambat": web_.url("/slow/lkjip.pdf"),
            "tanpa-head": web_.url("/nohead/lra.pdf"),
            "berputar": web_.url("/loop/a"),
            "ditolak": refused,
            "ke-berkas": web_.url("/to-file"),
            "revisi": web_.url("/ok/versi-ditetapkan.pdf"),
        },
        {"rahasia": web_.url("/exempt-secret.pdf")},
    )
    # a revision in flight: its new link is not public until established again
    ok(repo, "revise", "revisi", "-m", "Dokumen diganti", "--as", KASUBBAG)
    set_link(repo, "sekretariat", "revisi", web_.url("/draft-new.pdf"))
    sop.new("draf-saja")
    set_link(repo, "sekretariat", "draf-saja", web_.url("/draft-only.pdf"))
    return repo


@pytest.fixture(scope="module")
def register(
    server: Web, _template_repo: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Repo]:
    base = tmp_path_factory.mktemp("links")
    home = tmp_path_factory.mktemp("links-home")
    (home / ".gitconfig").write_text("", encoding="utf-8")
    mp = pytest.MonkeyPatch()
    mp.setenv("HOME", str(home))
    mp.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
    try:
        yield _prepared(base, _template_repo, server)
    finally:
        mp.undo()


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


def test_broken_links_are_reported_and_working_ones_pass(register: Repo, server: Web) -> None:
    server.requests.clear()
    start = time.monotonic()
    result = register.run("check-links", "--timeout", TIMEOUT, "--json")
    elapsed = time.monotonic() - start
    assert result.exit_code == 1, (result.stdout, result.stderr)
    report = json.loads(result.stdout)
    broken = {e["informasi"]: e for e in report["rusak"]}
    assert set(broken) == {"hilang", "lambat", "berputar", "ditolak", "ke-berkas"}
    assert (broken["hilang"]["status"], broken["hilang"]["galat"]) == (404, None)
    assert broken["lambat"]["galat"] == "timeout"
    assert broken["berputar"]["galat"] == "redirects"
    assert broken["ditolak"]["galat"] == "refused"
    assert broken["ke-berkas"]["galat"] == "scheme"  # a redirect to file: is never followed
    passed = {e["informasi"]: e for e in report["tautan"] if e["baik"]}
    assert set(passed) == {"baik", "sama", "tanpa-head", "revisi"}
    assert passed["tanpa-head"]["metode"] == "GET"  # HEAD 405, then GET 200
    assert passed["baik"]["metode"] == "HEAD"
    # only the published DIP: the established version's link, never a draft's or the DIK's
    asked = server.paths()
    assert "/ok/versi-ditetapkan.pdf" in asked
    assert not asked & {"/draft-new.pdf", "/draft-only.pdf", "/exempt-secret.pdf"}
    assert server.requests.count(("HEAD", "/ok/renstra.pdf")) == 1  # asked once for two items
    assert ("GET", "/missing.pdf") in server.requests  # a 404 on HEAD is asked again by GET
    assert elapsed < SLOW, elapsed  # the slow link did not hold the run


def test_the_text_report_names_item_url_and_reason_in_both_languages(
    register: Repo, server: Web
) -> None:
    result = register.run("check-links", "--timeout", TIMEOUT)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    hilang = next(line for line in lines if line.startswith("hilang\t"))
    assert server.url("/missing.pdf") in hilang and "HTTP 404" in hilang
    assert any(line.startswith("lambat\t") and "1.5 detik" in line for line in lines)
    assert any(line.startswith("ditolak\t") and "koneksi ditolak" in line for line in lines)
    assert lines[-1] == "9 tautan diperiksa, 5 rusak"
    english = register.run("check-links", "--timeout", TIMEOUT, "--lang", "en").stdout
    assert "no answer within 1.5 seconds" in english
    assert "9 links checked, 5 broken" in english
    assert "Traceback" not in result.stderr + english


def test_a_register_whose_links_work_passes(repo: Repo, tmp_path: Path) -> None:
    with serving() as local:
        established(repo, tmp_path, {"satu": local.url("/ok/a.pdf"), "dua": local.url("/hop3")}, {})
        result = repo.run("check-links", "--timeout", "2")
        assert result.exit_code == 0, (result.stdout, result.stderr)
        assert result.stdout.strip() == "2 tautan diperiksa, 0 rusak"


def test_a_register_without_links_passes(repo: Repo) -> None:
    result = repo.run("check-links")
    assert result.exit_code == 0
    assert "tidak ada tautan" in result.stdout


def test_many_slow_links_stay_bounded_by_the_timeout_and_the_jobs(server: Web) -> None:
    many = [links.Link(f"i{n}", server.url(f"/slow/{n}")) for n in range(40)]
    start = time.monotonic()
    report = links.check(many, timeout=0.3, jobs=8)
    elapsed = time.monotonic() - start
    assert {c.error for c in report.checked} == {"timeout"}
    # 5 rounds of 8 take 1.5 s, 40 in a row 12 s: the bound tells them apart even on a
    # loaded machine (a run at load 19 took 5 s)
    assert elapsed < 0.3 * 40 / 2, elapsed


def test_the_whole_run_is_cut_at_its_total_time(server: Web) -> None:
    many = [links.Link(f"i{n}", server.url(f"/slow/total-{n}")) for n in range(20)]
    start = time.monotonic()
    report = links.check(many, timeout=2, jobs=2, total=0.5)
    elapsed = time.monotonic() - start
    assert elapsed < 1.5, elapsed
    assert {c.error for c in report.checked} == {"overall"}
    assert len(report.broken) == 20


def test_a_server_that_drips_its_headers_is_cut_off(server: Web) -> None:
    """A byte every 0.1 s never trips a socket timeout: the request's own clock does."""
    start = time.monotonic()
    answer = web.request(server.url("/drip"), "GET", 0.5)
    assert answer.error == "timeout"
    assert time.monotonic() - start < 1.5


@pytest.mark.parametrize(
    "url",
    ["ftp://127.0.0.1/dokumen.pdf", "file:///etc/passwd", "javascript:alert(1)", "gopher://x/"],
)
def test_other_schemes_are_reported_and_never_opened(url: str) -> None:
    report = links.check([links.Link("lain", url)], timeout=0.5)
    (checked,) = report.broken
    assert (checked.error, checked.method, checked.status) == ("scheme", "", None)


def test_redirects_are_followed_within_the_bound(server: Web) -> None:
    report = links.check(
        [links.Link("dekat", server.url("/hop5")), links.Link("jauh", server.url("/hop6"))],
        timeout=2,
    )
    assert [(c.item, c.ok, c.error) for c in report.checked] == [
        ("dekat", True, ""),
        ("jauh", False, "redirects"),
    ]


@pytest.mark.parametrize(
    "option", [("--jobs", "0"), ("--jobs", "1000"), ("--timeout", "0"), ("--total", "-1")]
)
def test_out_of_range_options_are_usage_errors(repo: Repo, option: tuple[str, str]) -> None:
    result = dipctl("check-links", *option, "--register", repo.register)
    assert result.exit_code == 2, result.stderr
    assert option[0] in result.stderr and "Traceback" not in result.stderr


def test_a_link_with_control_characters_is_invalid_and_printed_escaped() -> None:
    """A link from a hostile history: urllib refuses to send it; the reason shows it escaped."""
    from dipctl.i18n import Translator

    report = links.check([links.Link("x", "http://127.0.0.1/a\x1b[31mmerah\nHost: b")])
    (checked,) = report.broken
    assert checked.error == "invalid"
    text = links.render_text(Translator("id"), report)[0]
    assert "\x1b" not in text and "\n" not in text and "\\x1b" in text


def test_the_cli_starts_without_the_http_stack() -> None:
    """Every command pays for what dipctl.cli imports: http.client and ssl (about 40 ms on
    this machine) load only when links are checked or a site is fetched."""
    code = "import sys, dipctl.cli; print(sorted({'http.client', 'ssl'} & set(sys.modules)))"
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert (found.returncode, found.stdout.strip()) == (0, "[]"), found.stderr
