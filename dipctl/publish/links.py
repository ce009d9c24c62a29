"""``dipctl check-links``: does every document link of the published DIP still work?

The links are the ``dokumen.tautan`` of the DIP exactly as the site publishes it
(:func:`dipctl.publish.publicdata.collect`: established versions only, never a draft, and
nothing of an exempt item). Each distinct URL is asked once, ``HEAD`` first and ``GET``
when the server refuses or fails ``HEAD``; every request is bounded by ``timeout`` (see
:mod:`dipctl.publish.web`), at most ``jobs`` run at once, and the whole run by ``total``
seconds: a link not answered by then is reported as not checked. Only http(s) is opened.
"""

from __future__ import annotations

import concurrent.futures
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from dipctl.errors import UsageError

if TYPE_CHECKING:
    from dipctl.i18n import Translator
    from dipctl.publish import web
    from dipctl.register.config import Register

DEFAULT_TIMEOUT = 10.0
DEFAULT_JOBS = 8
DEFAULT_TOTAL = 300.0
MAX_JOBS = 32


@dataclass(frozen=True)
class Link:
    item: str
    url: str


@dataclass(frozen=True)
class Checked:
    """One item's link and what its server said (``error``: see :mod:`web`)."""

    item: str
    url: str
    status: int | None
    error: str
    method: str  # the request that decided: HEAD or GET ("" when none was sent)
    seconds: float
    detail: str = ""

    @property
    def ok(self) -> bool:
        return not self.error and self.status is not None and 200 <= self.status < 400


@dataclass
class LinkReport:
    checked: list[Checked] = field(default_factory=list)
    timeout: float = DEFAULT_TIMEOUT
    total: float = DEFAULT_TOTAL
    seconds: float = 0.0

    @property
    def broken(self) -> list[Checked]:
        return [c for c in self.checked if not c.ok]


def published_links(reg: Register) -> list[Link]:
    """The document link of every DIP row the site publishes, in the site's order."""
    from dipctl.publish import publicdata

    rows = publicdata.collect(reg).items
    return [Link(r["id"], r["dokumen_tautan"]) for r in rows if r.get("dokumen_tautan")]


def check_options(timeout: float, jobs: int, total: float) -> None:
    if not 0 < timeout <= 300:
        raise UsageError("usage.out_of_range", option="--timeout", value=timeout, low=0, high=300)
    if not 1 <= jobs <= MAX_JOBS:
        raise UsageError("usage.out_of_range", option="--jobs", value=jobs, low=1, high=MAX_JOBS)
    if not 0 < total <= 24 * 3600:
        raise UsageError("usage.out_of_range", option="--total", value=total, low=0, high=86400)


def probe(url: str, timeout: float) -> tuple[str, web.Answer]:
    """HEAD, then GET when HEAD is refused (405, 501) or fails otherwise (another error
    status, a dropped connection): many servers answer HEAD wrongly. A timeout, a refused
    connection, an unknown host or a redirect loop would only repeat, so they stand."""
    from dipctl.publish import web  # http.client and ssl: only when links are checked

    answer = web.request(url, "HEAD", timeout)
    retry = answer.error == "network" or (
        not answer.error and answer.status is not None and answer.status >= 400
    )
    if not retry:
        return ("HEAD" if answer.error not in ("scheme", "invalid") else ""), answer
    return "GET", web.request(url, "GET", timeout)


def check(
    links: list[Link],
    timeout: float = DEFAULT_TIMEOUT,
    jobs: int = DEFAULT_JOBS,
    total: float = DEFAULT_TOTAL,
) -> LinkReport:
    """Every link checked, each distinct URL once, within ``total`` seconds in all."""
    from dipctl.publish import web  # http.client and ssl: only when links are checked

    check_options(timeout, jobs, total)
    start = time.monotonic()
    urls = list(dict.fromkeys(link.url for link in links))
    answers: dict[str, tuple[str, web.Answer]] = {}
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="link")
    try:
        futures = {pool.submit(probe, url, timeout): url for url in urls}
        done, _late = concurrent.futures.wait(futures, timeout=total)
        for future in done:
            answers[futures[future]] = future.result()
    finally:  # a request still running ends within its own timeout
        pool.shutdown(wait=False, cancel_futures=True)
    checked = []
    for link in links:
        method, answer = answers.get(link.url) or ("", web.Answer(link.url, error="overall"))
        checked.append(
            Checked(
                link.item, link.url, answer.status, answer.error, method, answer.seconds,
                answer.detail,
            )
        )  # fmt: skip
    checked.sort(key=lambda c: (c.item, c.url))
    return LinkReport(checked, timeout, total, round(time.monotonic() - start, 3))


def _answer(checked: Checked) -> web.Answer:
    from dipctl.publish import web  # http.client and ssl: only when links are checked

    return web.Answer(checked.url, checked.status, checked.error, checked.detail)


def reason(tr: Translator, checked: Checked, report: LinkReport) -> str:
    """What went wrong, in plain words (the catalogs' ``web.*`` messages)."""
    from dipctl.publish import web  # http.client and ssl: only when links are checked

    seconds = report.total if checked.error == "overall" else report.timeout
    key = f"web.{checked.error or 'status'}"
    return tr(key, **web.words(_answer(checked), seconds))


def render_text(tr: Translator, report: LinkReport) -> list[str]:
    lines = [f"{c.item}\t{reason(tr, c, report)}" for c in report.broken]
    lines.append(
        tr("links.summary", checked=len(report.checked), broken=len(report.broken))
        if report.checked
        else tr("links.none")
    )
    return lines


def to_document(tr: Translator, report: LinkReport) -> dict[str, Any]:
    def entry(c: Checked) -> dict[str, Any]:
        return {
            "informasi": c.item,
            "tautan": c.url,
            "baik": c.ok,
            "status": c.status,
            "galat": c.error or None,
            "metode": c.method or None,
            "keterangan": "" if c.ok else reason(tr, c, report),
        }

    return {
        "diperiksa": len(report.checked),
        "rusak": [entry(c) for c in report.broken],
        "tautan": [entry(c) for c in report.checked],
        "batas_waktu": {"per_permintaan": report.timeout, "keseluruhan": report.total},
    }
