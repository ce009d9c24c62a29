"""The ``_`` of the site's templates: catalog texts, and the dates of ``_macros.html``.

``_('key', field=value)`` is dipctl's :class:`~dipctl.i18n.Translator`, formatting in
jinja's sandbox. ``_.date(value, T)`` and ``_.plain_date(value, T)`` are the bodies of the
built-in macros ``date`` and ``plain_date`` (``_.period`` those of ``period``): every item
page shows a dozen dates, and these few lines of Python write exactly what the template
code wrote, in a tenth of the time. They take the texts table ``T`` of ``_texts.html`` as
the macros had it (a theme may override that template), and fill its format strings the
way the template did: in a sandboxed build through the sandbox's ``str.format``, in a plain
one (dipctl's own templates only) through ``str.format`` itself. ``_.trail_rows`` is in the
same way the loop of ``item.html`` that wrote an item's trail, a dozen rows on every page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import markupsafe
from jinja2.exceptions import UndefinedError
from jinja2.filters import do_int
from jinja2.runtime import StrictUndefined, Undefined
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedFormatter
from markupsafe import Markup, escape, soft_str

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    from dipctl.i18n import Translator


class SandboxedTexts:
    """The ``_`` of the templates: dipctl's :class:`Translator`, formatting in the sandbox.

    A key missing from the catalogs is its own text, so a template chooses that format
    string: it is filled by jinja's sandboxed formatter, or ``_('{x.__init__}', x=...)``
    would reach Python attributes the sandbox forbids everywhere else. ``sandboxed``: the
    templates render sandboxed, so the format strings of ``T`` (a theme's ``_texts.html``
    may set them) are filled as the sandbox fills them.
    """

    def __init__(self, tr: Translator, sandboxed: bool = True) -> None:
        self._tr = tr
        # its own sandbox, also beside the plain environment: a key made of data (such as
        # ``'site.category.' ~ kategori``) and missing from the catalogs is a format string
        self._sandbox = ImmutableSandboxedEnvironment(undefined=StrictUndefined)
        self._formatter = SandboxedFormatter(self._sandbox)
        self._fill: Callable[[Any, dict[str, Any]], Any] = (
            self._fill_sandboxed if sandboxed else _fill_plain
        )
        # plain: dipctl's own texts, one table that never changes, so each date is made
        # once (a trail repeats its days; its meeting dates recur on many pages)
        self._memo_of: Mapping[str, Any] | None = None
        self._memo: dict[str, Markup] | None = None if sandboxed else {}
        self._days: dict[str, Markup] = {}  # plain_date by the day (the first ten letters)
        self._formats: tuple[Any, Any] | None = None  # site.time, site.datetime (plain)

    def __call__(self, key: str, /, **params: Any) -> str:
        text = self._tr(key)
        if not params:
            return text
        try:
            return self._formatter.vformat(text, (), params)
        except (KeyError, IndexError, ValueError):
            return f"{text} {params}"

    def table(self, keys: list[str]) -> dict[str, str]:
        """The texts of many keys without fields, for ``_texts.html``."""
        return {key: self._tr(key) for key in keys}

    def _fill_sandboxed(self, fmt: Any, params: dict[str, Any]) -> Any:
        method = self._sandbox.getattr(fmt, "format")
        if isinstance(method, Undefined) or not isinstance(fmt, str):
            raise UndefinedError(f"{type(fmt).__name__!r} object has no attribute 'format'")
        return method(**params)

    def macro(self, name: str, texts: Mapping[str, Any]) -> TextMacro:
        """``plain_date``, ``date`` or ``period`` as a macro of ``_macros.html`` with its
        ``T`` (``{% set date = _.macro("date", T) %}``)."""
        if name not in ("plain_date", "date", "period"):
            raise UndefinedError(f"no text macro {name!r}")
        return TextMacro(getattr(self, name), texts)

    def plain_date(self, value: Any, texts: Mapping[str, Any]) -> Markup:
        """``_macros.html``'s ``plain_date``: "2026-01-21" -> "21 Januari 2026"."""
        return _plain_date(_text(value), texts, self._fill)

    def date(self, value: Any, texts: Mapping[str, Any]) -> Markup:
        """``_macros.html``'s ``date``: a ``<time>`` element, or the value as is."""
        v = _text(value)
        memo = self._memo
        if memo is None or type(v) is not str:
            return _date(v, texts, self._fill)
        if texts is not self._memo_of:
            if self._memo_of is not None:
                return _date(v, texts, self._fill)
            self._memo_of = texts
        found = memo.get(v)
        if found is None:
            day = self._days.get(v[:10])
            if day is None:
                day = self._days[v[:10]] = _plain_date(v[:10], texts, self._fill)
            if len(v) >= 16 and v[10] in "T " and _iso(v):
                found = memo[v] = self._moment(v, texts, day)
            else:
                found = memo[v] = _date(v, texts, self._fill, day)
        return found

    def _moment(self, v: str, texts: Mapping[str, Any], day: Markup) -> Markup:
        """:func:`_date` of a date and time (a trail's every row shows one of its own), in
        the plain environment: its two format strings looked up once."""
        formats = self._formats
        if formats is None:
            formats = self._formats = (_get(texts, "site.time"), _get(texts, "site.datetime"))
        clock, both = formats
        if type(clock) is not str or type(both) is not str:
            return _date(v, texts, self._fill, day)
        text = ESCAPE_TEXT(both.format(date=day, time=clock.format(h=v[11:13], m=v[14:16])))
        return Markup(f'<time datetime="{ESCAPE_TEXT(v)}">{text}</time>')

    def period(self, value: Any, texts: Mapping[str, Any]) -> Markup:
        """``_macros.html``'s ``period``: a month, a day, "A s.d. B"; anything else as is."""
        shown: list[str] = []
        for n, v in enumerate(_text(value).split(" s.d. ")):
            if n:
                shown.append(f" {escape(_get(texts, 'site.until'))} ")
            if (
                len(v) == 7
                and v[4] == "-"
                and v[:4].isdigit()
                and v[5:7].isdigit()
                and 1 <= do_int(v[5:7]) <= 12
            ):
                month = escape(_get(texts, "site.month." + str(do_int(v[5:7]))))
                shown.append(f'<time datetime="{escape(v)}">{month} {escape(v[:4])}</time>')
            elif len(v) == 10:
                shown.append(_date(_text(v), texts, self._fill))
            else:
                shown.append(escape(v))
        return Markup("".join(shown))

    def trail_rows(
        self, trail: Iterable[Any], texts: Mapping[str, Any], date: Callable[[Any], Any]
    ) -> Markup:
        """``item.html``'s rows of an item's trail (inside its ``<tbody>``), as the loop that
        was there wrote them: a dozen rows on each of 19,000 pages took half their time.
        ``texts`` is the page's ``T``; ``date`` is ``_macros.html``'s (a theme's, if it has
        one), called as the loop called it."""
        labels = [
            _html(_get(texts, key))
            for key in (
                "site.col.nomor",
                "site.trail.step",
                "site.trail.role",
                "site.trail.recorded",
                "site.trail.event",
            )
        ]
        no, step, role, recorded, event = (
            f'<td{c} data-label="{x}">'
            for c, x in zip((' class="no"', "", "", "", ""), labels, strict=True)
        )
        cells: dict[tuple[str, Any], str] = {}  # a step's or a role's cell, made once
        shown: list[str] = []
        for n, t in enumerate(trail, 1):
            what, who = _field(t, "langkah"), _field(t, "peran")
            steps = cells.get(("step", what))
            if steps is None:
                steps = cells["step", what] = _html(texts.get(f"site.step.{what}") or what)
            roles = cells.get(("role", who))
            if roles is None:
                roles = cells["role", who] = _html(texts.get(f"site.role.{who}") or who)
            happened = _field(t, "peristiwa")
            if happened:
                name = _html(_get(texts, f"site.trail.event.{happened}"))
                told = f"{name} {_html(date(_field(t, 'tanggal_peristiwa')))}"
            else:
                told = "—"
            shown.append(
                f"\n<tr>\n{no}{n}</td>\n{step}{steps}</td>\n{role}{roles}</td>"
                f"\n{recorded}{_html(date(_field(t, 'dicatat')))}</td>\n{event}{told}</td>\n</tr>"
            )
        return Markup("".join(shown))


def _html(value: Any) -> str:
    """``value`` as ``{{ value }}`` writes it (escaped, unless it is markup already)."""
    kind = type(value)
    if kind is str:
        return ESCAPE_TEXT(value)
    if kind is Markup:
        markup: Markup = value
        return markup
    return escape(value)


def _escaped_str(s: str) -> str:
    return str(escape(s))


#: markupsafe's own escaping of a ``str`` to a ``str`` (``escape`` wraps it in Markup);
#: where markupsafe lacks it, the same text through ``escape``
ESCAPE_TEXT: Callable[[str], str] = getattr(markupsafe, "_escape_inner", _escaped_str)


def _field(row: Any, name: str) -> Any:
    """``row.name`` in a template, for a dict (StrictUndefined: a missing key is an error)."""
    try:
        return row[name]
    except (KeyError, TypeError):
        raise UndefinedError(f"{type(row).__name__!r} object has no attribute {name!r}") from None


class TextMacro:
    """A date macro of ``_macros.html`` in Python, called as the macro was: ``date(value)``."""

    __slots__ = ("_texts", "_write")

    def __init__(self, write: Callable[[Any, Mapping[str, Any]], Markup], texts: Mapping[str, Any]):
        self._write = write
        self._texts = texts

    def __call__(self, value: Any) -> Markup:
        return self._write(value, self._texts)


def _fill_plain(fmt: Any, params: dict[str, Any]) -> Any:
    return fmt.format(**params)


def _text(value: Any) -> str:
    """``(value or "") | string``."""
    return soft_str(value or "")


def _get(texts: Mapping[str, Any], key: str) -> Any:
    """``T[key]`` as jinja reads it: a missing key is an error (StrictUndefined)."""
    try:
        return texts[key]
    except (KeyError, TypeError):
        raise UndefinedError(f"'T' has no item {key!r}") from None


def _iso(v: str) -> bool:
    return (
        len(v) >= 10
        and v[4] == "-"
        and v[7] == "-"
        and v[:4].isdigit()
        and v[5:7].isdigit()
        and v[8:10].isdigit()
    )


def _plain_date(v: str, texts: Mapping[str, Any], fill: Callable[..., Any]) -> Markup:
    if not _iso(v):
        return escape(v)
    month = texts.get("site.month." + str(do_int(v[5:7])), v[5:7])
    return escape(
        fill(_get(texts, "site.date"), {"d": do_int(v[8:10]), "month": month, "y": v[:4]})
    )


def _date(
    v: str, texts: Mapping[str, Any], fill: Callable[..., Any], day: Markup | None = None
) -> Markup:
    """``day``: ``_plain_date`` of ``v[:10]`` if known (it reads no more of ``v``)."""
    if _iso(v):
        shown = _plain_date(v, texts, fill) if day is None else day
        if len(v) >= 16 and v[10] in "T ":
            time = fill(_get(texts, "site.time"), {"h": v[11:13], "m": v[14:16]})
            text = escape(fill(_get(texts, "site.datetime"), {"date": shown, "time": time}))
            return Markup(f'<time datetime="{escape(v)}">{text}</time>')
        return Markup(f'<time datetime="{escape(v[:10])}">{shown}</time>')
    if v:
        return escape(v)
    return Markup("—")
