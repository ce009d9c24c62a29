"""The pages of a build rendered on both cores, and the downloads beside them.

:func:`render` forks one worker, which first makes the slow downloads (``heavy``: the
workbooks) while this process renders the index pages (their table rows are kept as
pieces, :class:`~dipctl.publish.pieces.RowHook`) and makes the other downloads; then both
take chunks of the other pages in turn from a shared counter until none is left, so that
neither core waits for the other whatever a page costs. What the worker needs is set before
it forks, so nothing is pickled to it but chunk numbers; each chunk's pages come back as
bytes as soon as they are made. Below :data:`PARALLEL_FROM` pages this process renders them
all (starting a second costs more), the worker only making the workbooks meanwhile.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
from collections import Counter
from typing import TYPE_CHECKING, Any

from dipctl.errors import DipctlError
from dipctl.feedback import silent
from dipctl.publish import siteplan
from dipctl.publish.theme import environment, theme_error
from dipctl.workers import forked_pool

if TYPE_CHECKING:
    from collections.abc import Callable
    from concurrent.futures import Future

    from dipctl.feedback import Progress
    from dipctl.publish.pieces import RowHook
    from dipctl.publish.publicdata import PublicRegister
    from dipctl.register.config import Register

Pages = list[tuple[str, str, dict[str, Any]]]  # (page, template, context)
#: A file made: its bytes, or what a sink returned for them (:func:`render`).
Made = bytes | str

PARALLEL_FROM = 2000  # pages; below this one process is faster than starting two
CHUNK = 200  # pages a process takes at a time

#: What the worker uses, set before it forks: (register, data, logo, pages by language,
#: index row hooks by language, the download makers), the chunks and the shared counter.
_JOB: tuple[Register, PublicRegister, bool, dict[str, Pages], dict[str, RowHook]] | None = None
_MAKERS: dict[str, Callable[[], bytes]] = {}
_CHUNKS: list[tuple[str, int, int]] = []
_NEXT: Any = None
_SINK: Callable[[str, bytes], str] | None = None
_ENVS: dict[str, Any] = {}  # jinja environments  # by language, for the job at hand


def _env(lang: str) -> Any:
    found = _ENVS.get(lang)
    if found is None:
        assert _JOB is not None
        found = _ENVS[lang] = environment(_JOB[0], lang)
        hook = _JOB[4].get(lang)
        if hook is not None:  # before a template loads: each copies the globals then
            found.globals["piece"] = hook
    return found


def _out(path: str, data: bytes) -> Made:
    """A file's bytes, or handed to the sink (which writes them where they belong)."""
    return data if _SINK is None else _SINK(path, data)


def _render_slice(lang: str, start: int, stop: int) -> list[tuple[str, Made]]:
    """Pages ``start:stop`` of ``lang``; a theme's failure as :class:`ThemeRefused`."""
    assert _JOB is not None
    reg, pub, logo, pages, hooks = _JOB
    env = _env(lang)
    hook = hooks.get(lang)
    prefix = siteplan.folder_of(lang)
    made: list[tuple[str, Made]] = []
    try:
        for page, template, context in pages[lang][start:stop]:
            if hook is not None:  # the index's rows alone are kept (always in this process)
                hook.active = page == "index.html" and template == "index.html"
            html = env.get_template(template).render(
                site=siteplan.site_context(pub, lang, page, logo), **siteplan.resolved(context)
            )
            made.append((page, _out(prefix + page, html.encode("utf-8"))))
        return made
    except DipctlError:
        raise
    except Exception as exc:
        refused = theme_error(reg, exc)
        if refused is None:
            raise
        raise refused from exc


class _Counter:
    """The chunk counter when one process renders every chunk."""

    value = 0

    def get_lock(self) -> contextlib.nullcontext[None]:
        return contextlib.nullcontext()


def _next() -> tuple[str, list[tuple[str, Made]]] | None:
    """The next chunk nobody took yet, rendered: (language, [(page, bytes)])."""
    with _NEXT.get_lock():
        n = _NEXT.value
        _NEXT.value = n + 1
    if n >= len(_CHUNKS):
        return None
    lang, start, stop = _CHUNKS[n]
    return lang, _render_slice(lang, start, stop)


def _make(paths: list[str]) -> list[tuple[str, Made]]:
    return [(path, _out(path, _MAKERS[path]())) for path in paths]


def forks() -> bool:
    return min(2, os.cpu_count() or 1) >= 2 and "fork" in mp.get_all_start_methods()


def _chunks(pages: dict[str, Pages], index: list[tuple[str, int]]) -> list[tuple[str, int, int]]:
    """Runs of at most :data:`CHUNK` pages of each language, without the index pages; a
    page of a template fewer than :data:`CHUNK` pages use (a list, a decree with its whole
    lampiran) costs many item pages: each is a chunk of its own, taken first, so that
    neither core ends long after the other on one."""
    alone, runs = [], []
    for lang, some in pages.items():
        uses = Counter(template for _, template, _ in some)
        few = len(some) <= CHUNK  # one chunk anyway
        skipped = {n for n_lang, n in index if n_lang == lang}
        start = 0
        for n, (_, template, _) in enumerate([*some, ("", "", {})]):
            if n < len(some) and n not in skipped and (uses[template] >= CHUNK or few):
                continue
            runs += [(lang, s, min(s + CHUNK, n)) for s in range(start, n, CHUNK)]
            if n < len(some) and n not in skipped:
                alone.append((lang, n, n + 1))
            start = n + 1
    return alone + runs


def render(
    job: tuple[Register, PublicRegister, bool, dict[str, Pages], dict[str, RowHook]],
    downloads: tuple[dict[str, Callable[[], bytes]], dict[str, Callable[[], bytes]]],
    stack: contextlib.ExitStack,
    progress: Progress = silent,
    parallel: bool = True,
    sink: Callable[[str, bytes], str] | None = None,
) -> tuple[
    dict[str, list[tuple[str, Made]]], dict[str, Made], Callable[[], list[tuple[str, Made]]]
]:
    """``job``: (register, data, logo, pages by language, index row hooks by language);
    ``downloads``: (light, heavy) makers by path.

    The pages by language, the light downloads (made here after the index pages, while the
    worker makes the heavy ones), and a function that hands over the heavy downloads (made
    by the worker when there is one, else when it is called). The worker lives as long as
    ``stack``; never a second process when not ``parallel`` (the caller keeps both cores
    busy already). A light download may render an index page itself (a nested call).

    With a ``sink`` each file's bytes go to it, in the process that made them, by their
    path under the site (the language's folder first), and what it returns stands for
    them: the worker writes its own pages and hands back only their digests."""
    global _JOB, _MAKERS, _CHUNKS, _NEXT, _SINK
    outer = (_JOB, _MAKERS, _CHUNKS, _NEXT, _SINK, dict(_ENVS))
    try:
        _JOB, _MAKERS, _SINK = job, dict(downloads[1]), sink
        _ENVS.clear()
        return _render(job[3], downloads[0], stack, progress, parallel)
    finally:
        _JOB, _MAKERS, _CHUNKS, _NEXT, _SINK, envs = outer
        _ENVS.clear()
        _ENVS.update(envs)


def _render(
    pages: dict[str, Pages],
    light: dict[str, Callable[[], bytes]],
    stack: contextlib.ExitStack,
    progress: Progress,
    parallel: bool,
) -> tuple[
    dict[str, list[tuple[str, Made]]], dict[str, Made], Callable[[], list[tuple[str, Made]]]
]:
    global _CHUNKS, _NEXT
    total = sum(map(len, pages.values()))
    index = [
        (lang, n)
        for lang, some in pages.items()
        for n, p in enumerate(some)
        if p[0] == "index.html"
    ]
    _CHUNKS = _chunks(pages, index)
    worker = parallel and forks() and (total >= PARALLEL_FROM or bool(_MAKERS))
    _NEXT = mp.get_context("fork").Value("l", 0) if worker else _Counter()
    done: dict[str, list[tuple[str, Made]]] = {lang: [] for lang in pages}
    pages_made: list[Future[tuple[str, list[tuple[str, Made]]] | None]] = []
    heavy_made = None
    if worker:
        pool = stack.enter_context(forked_pool(1))
        if _MAKERS:  # first: this process makes the light ones meanwhile
            heavy_made = pool.submit(_make, sorted(_MAKERS))
        if total >= PARALLEL_FROM:  # one task a chunk: each comes back as soon as it is made
            pages_made = [pool.submit(_next) for _ in _CHUNKS]
    count = 0
    try:
        for lang, n in index:  # here, their rows are kept (the worker has started)
            done[lang] += _render_slice(lang, n, n + 1)
            count += 1
        made_light = {path: _out(path, make()) for path, make in light.items()}
        while (chunk := _next()) is not None:
            progress("progress.build.render", count, total)
            done[chunk[0]] += chunk[1]
            count += len(chunk[1])
        for future in pages_made:
            chunk = future.result()
            if chunk is not None:
                done[chunk[0]] += chunk[1]
    except BaseException:
        with _NEXT.get_lock():  # the worker takes no more chunks
            _NEXT.value = len(_CHUNKS)
        raise
    progress("progress.build.render", total, total)
    if heavy_made is not None:
        return done, made_light, heavy_made.result
    makers, sink = _MAKERS, _SINK

    def heavy() -> list[tuple[str, Made]]:
        made = [(path, makers[path]()) for path in sorted(makers)]
        return [(path, data if sink is None else sink(path, data)) for path, data in made]

    return done, made_light, heavy
