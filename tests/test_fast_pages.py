"""The item pages render sooner, and write exactly the bytes they wrote before (issue 21).

- the dates of ``_macros.html`` (``date``, ``plain_date``, ``period``) are Python now
  (``_.date(value, T)``, :mod:`dipctl.publish.texts`): the template code they replace is
  kept here and both are rendered over awkward values, in the plain environment and in the
  sandbox, also with a theme's ``_texts.html`` whose format strings are Markup or hostile;
- the pages render in chunks that two processes take from a shared counter, the
  workbooks in the worker: a build that way writes the bytes of a build in one process;
- a theme that overrides ``_macros.html`` still has its own macros called by the built-in
  item page;
- the header, menu and footer of ``base.html`` are rendered once per folder and language
  (``{% call once(...) %}``): a build that renders them for every page writes the same;
- an item page's trail rows are Python too (``_.trail_rows``): the loop they replace is
  kept here and both write the same rows, plain and sandboxed, with a theme's ``date``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jinja2 import DictLoader, Environment, StrictUndefined
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from dipctl.i18n import Translator
from dipctl.publish import pagework, plainenv, theme
from dipctl.publish.plainenv import BuildEnvironment
from dipctl.publish.texts import SandboxedTexts
from dipctl.register.config import templates_dir
from tests.conftest import Repo, commit_all

#: The macros as they were in templates/site/_macros.html before they became Python.
REFERENCE = """
{% macro plain_date(value) -%}
{%- set v = (value or "") | string -%}
{%- if v | length >= 10 and v[4] == "-" and v[7] == "-" and v[:4].isdigit() and v[5:7].isdigit() and v[8:10].isdigit() -%}
{{ T['site.date'].format(d=v[8:10] | int, month=T.get('site.month.' ~ (v[5:7] | int), v[5:7]), y=v[:4]) }}
{%- else -%}
{{ v }}
{%- endif -%}
{%- endmacro %}
{% macro date(value) -%}
{%- set v = (value or "") | string -%}
{%- if v | length >= 10 and v[4] == "-" and v[7] == "-" and v[:4].isdigit() and v[5:7].isdigit() and v[8:10].isdigit() -%}
{%- set shown = plain_date(v) -%}
{%- if v | length >= 16 and v[10] in "T " -%}
<time datetime="{{ v }}">{{ T['site.datetime'].format(date=shown, time=T['site.time'].format(h=v[11:13], m=v[14:16])) }}</time>
{%- else -%}
<time datetime="{{ v[:10] }}">{{ shown }}</time>
{%- endif -%}
{%- elif v -%}
{{ v }}
{%- else -%}
—
{%- endif -%}
{%- endmacro %}
{% macro period(value) -%}
{%- for v in ((value or "") | string).split(" s.d. ") -%}
{%- if not loop.first %} {{ T['site.until'] }} {% endif -%}
{%- if v | length == 7 and v[4] == "-" and v[:4].isdigit() and v[5:7].isdigit() and 1 <= v[5:7] | int <= 12 -%}
<time datetime="{{ v }}">{{ T['site.month.' ~ (v[5:7] | int)] }} {{ v[:4] }}</time>
{%- elif v | length == 10 -%}
{{ date(v) }}
{%- else -%}
{{ v }}
{%- endif -%}
{%- endfor -%}
{%- endmacro %}
"""  # noqa: E501

#: Each value through each macro, the old way and the new, one per line.
OLD = """{%- for v in values %}
{{ old.date(v) }}|{{ old.plain_date(v) }}|{{ old.period(v) }}
{%- endfor %}"""
NEW = """{%- set date, plain_date = _.macro("date", T), _.macro("plain_date", T) %}
{%- for v in values %}
{{ date(v) }}|{{ plain_date(v) }}|{{ _.period(v, T) }}
{%- endfor %}"""

VALUES: list[Any] = [
    None,
    "",
    "-",
    "2026-01-21",
    "2026-1-21",
    "2026-01-21T07:05:00+07:00",
    "2026-01-21 07:05",
    "2026-01-21T07",
    "2026-01-21X07:05",
    "2026-13-40",
    "2026-00-01",
    "2025-11",
    "2025-13",
    "2025-11 s.d. 2026-02",
    "2025-11-03 s.d. 2025-11-04",
    "2025 s.d. 2026",
    " s.d. ",
    "2026",
    2026,
    "²０２６-0²-1²",  # digits to isdigit() that int() refuses
    "١٢٣٤-٠١-٠٢",  # Arabic-Indic digits: int() reads them
    "<b>2026-01-21</b>",
    "2026-01-21<script>",
    "2026-01-21T07:05:00&amp;",
    Markup("<i>2026-01-21</i>"),
    Markup("2026-01-21T07:05"),
]


def texts(tr: SandboxedTexts, **changed: Any) -> dict[str, Any]:
    keys = ["site.date", "site.datetime", "site.time", "site.until"]
    keys += [f"site.month.{n}" for n in range(1, 13)]
    return {**tr.table(keys), **changed}


def rendered(
    sandboxed: bool, lang: str, table: dict[str, Any] | None = None
) -> tuple[list[str], list[str]]:
    """The lines of the old macros in jinja's own environment (plain or sandboxed), and of
    the new code in the environment a build uses."""
    tr = SandboxedTexts(Translator(lang), sandboxed)
    table = table or texts(tr)
    made = []
    kinds = [ImmutableSandboxedEnvironment] * 2 if sandboxed else [Environment, BuildEnvironment]
    for kind, template in zip(kinds, ["old.html", "new.html"], strict=True):
        env = kind(
            loader=DictLoader({"macros.html": REFERENCE, "old.html": OLD, "new.html": NEW}),
            autoescape=True,
            undefined=StrictUndefined,
        )
        env.globals["_"] = tr
        old = env.get_template("macros.html").make_module({"T": table})
        # twice: the second time a plain build answers from what it made the first time
        page = env.get_template(template).render(values=VALUES * 2, old=old, T=table)
        made.append(page.splitlines()[1:])
    return made[0], made[1]


@pytest.mark.parametrize("sandboxed", [False, True])
@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_dates_in_python_write_what_the_macros_wrote(sandboxed: bool, lang: str) -> None:
    old, new = rendered(sandboxed, lang)
    assert len(new) == 2 * len(VALUES)
    assert new == old
    assert any("<time datetime=" in line for line in new)
    # a theme's texts: format strings marked safe, or with fields of their own
    tr = SandboxedTexts(Translator(lang), True)
    themed = texts(tr, **{"site.date": Markup("<b>{d}</b>&nbsp;{month} {y}"), "site.until": "&"})
    old, new = rendered(True, lang, themed)
    assert new == old
    assert "<b>21</b>&nbsp;" in "".join(new)


def test_a_hostile_format_string_is_refused_as_the_template_refused_it() -> None:
    tr = SandboxedTexts(Translator("id"), True)
    hostile = texts(tr, **{"site.date": "{d.__class__.__mro__}"})
    with pytest.raises(SecurityError):
        tr.date("2026-01-21", hostile)
    with pytest.raises(SecurityError):
        tr.plain_date("2026-01-21", hostile)
    missing = {k: v for k, v in texts(tr).items() if k != "site.time"}
    with pytest.raises(UndefinedError):
        tr.date("2026-01-21T07:05", missing)
    with pytest.raises(UndefinedError):
        tr.date("2026-01-21", texts(tr, **{"site.date": 5}))


#: The trail loop as it was in templates/site/item.html before it became Python.
TRAIL_LOOP = """{%- set l_no, l_step, l_role = T['site.col.nomor'], T['site.trail.step'], T['site.trail.role'] %}
{%- set l_recorded, l_event = T['site.trail.recorded'], T['site.trail.event'] %}
{%- for t in item.trail %}
<tr>
<td class="no" data-label="{{ l_no }}">{{ loop.index }}</td>
<td data-label="{{ l_step }}">{{ T.get('site.step.%s' % t.langkah) or t.langkah }}</td>
<td data-label="{{ l_role }}">{{ T.get('site.role.%s' % t.peran) or t.peran }}</td>
<td data-label="{{ l_recorded }}">{{ m.date(t.dicatat) }}</td>
<td data-label="{{ l_event }}">{% if t.peristiwa %}{{ T['site.trail.event.%s' % t.peristiwa] }} {{ m.date(t.tanggal_peristiwa) }}{% else %}—{% endif %}</td>
</tr>
{%- endfor %}"""  # noqa: E501

TRAIL = [
    {"langkah": "usulan", "peran": "pejabat", "dicatat": "2026-01-05T08:27:00+07:00",
     "peristiwa": "", "tanggal_peristiwa": ""},
    {"langkah": "pertimbangan", "peran": "ppid", "dicatat": "2026-01-06T17:18:00+07:00",
     "peristiwa": "rapat", "tanggal_peristiwa": "2026-01-06"},
    {"langkah": "penetapan", "peran": "atasan_ppid", "dicatat": "2026-01-07 09:00",
     "peristiwa": "keputusan", "tanggal_peristiwa": "2026-01-07"},
    {"langkah": "<b>langkah & lain</b>", "peran": "-", "dicatat": "", "peristiwa": None,
     "tanggal_peristiwa": None},
    {"langkah": Markup("<i>tanda</i>"), "peran": "usulan", "dicatat": "2026-13",
     "peristiwa": "", "tanggal_peristiwa": ""},
    {"langkah": "usulan", "peran": "pejabat", "dicatat": "2026-01-05T08:27:00+07:00",
     "peristiwa": "rapat", "tanggal_peristiwa": "2026-01-<06>"},
]  # fmt: skip


@pytest.mark.parametrize("sandboxed", [False, True])
@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("own_date", [False, True])
def test_the_trail_rows_in_python_write_what_the_loop_wrote(
    sandboxed: bool, lang: str, own_date: bool
) -> None:
    """Every kind of row (an untranslated step, markup and characters to escape in the
    data, an event or none, odd dates), twice (a plain build keeps the dates it made)."""
    macros = (templates_dir() / "site/_macros.html").read_text(encoding="utf-8")
    if own_date:  # a theme's date macro, called by both
        date = '{% set date = _.macro("date", T) %}'
        macros = macros.replace(date, "{% macro date(value) %}[{{ value }}]{% endmacro %}")
    page = """{% import "_macros.html" as m %}{% import "_texts.html" as texts %}
{%- set T = texts.T %}{% for item in items %}<tbody>{{ rows }}</tbody>{% endfor %}"""
    texts = (templates_dir() / "site/_texts.html").read_text(encoding="utf-8")
    made = []
    for rows in (TRAIL_LOOP, "{{- _.trail_rows(item.trail, T, m.date) }}"):
        kind = ImmutableSandboxedEnvironment if sandboxed else BuildEnvironment
        templates = {"_macros.html": macros, "_texts.html": texts}
        templates["page.html"] = page.replace("{{ rows }}", rows)
        env = kind(loader=DictLoader(templates), autoescape=True, undefined=StrictUndefined)
        env.globals["_"] = SandboxedTexts(Translator(lang), sandboxed)
        made.append(env.get_template("page.html").render(items=[{"trail": TRAIL}] * 2))
    assert made[1] == made[0]
    assert made[0].count("<tr>") == 2 * len(TRAIL)
    assert "&lt;b&gt;langkah &amp; lain&lt;/b&gt;" in made[0] and "<i>tanda</i>" in made[0]
    assert ("[2026-01-06]" in made[0]) == own_date


def site(repo: Repo, out: Path) -> dict[str, bytes]:
    result = repo.run("build", "--out", out)
    assert result.exit_code == 0, result.stderr
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.name != ".dipctl-manifest.json"
    }


def test_pages_in_chunks_on_two_processes_are_the_pages_of_one(
    example: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alone = site(example, tmp_path / "alone")  # a small register: one process
    monkeypatch.setattr(pagework, "PARALLEL_FROM", 1)
    monkeypatch.setattr(pagework, "CHUNK", 2)
    both = site(example, tmp_path / "both")
    assert both == alone
    assert sum(1 for p in both if p.endswith(".html")) > 20
    assert any(p.endswith(".xlsx") for p in both)

    # the index's row pieces unknown (a killed build), the index itself not stale: they are
    # made by rendering the index again while the downloads are made (a nested render)
    manifest = tmp_path / "both/.dipctl-manifest.json"
    text = manifest.read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.startswith('[".dipctl-pieces-html"'))
    entry = json.loads(line)
    entry[2] = ""
    manifest.write_text(text.replace(line, json.dumps(entry)), encoding="utf-8")
    assert site(example, tmp_path / "both") == alone

    # a theme's _macros.html: the built-in item page calls the theme's macros
    own = example.register / "tema/templates"
    own.mkdir(parents=True)
    macros = (templates_dir() / "site/_macros.html").read_text(encoding="utf-8")
    date = '{% set date = _.macro("date", T) %}'
    assert date in macros
    macros = macros.replace(date, "{% macro date(value) %}[{{ value }}]{% endmacro %}")
    (own / "_macros.html").write_text(macros, encoding="utf-8")
    commit_all(example.path, "tema: tanggal")
    themed = site(example, tmp_path / "themed")
    item = next(p for p in themed if p.startswith("informasi/") and p.endswith(".html"))
    assert b"Pemutakhiran terakhir: [20" in themed[item]
    assert themed[item].count(b"<time ") < alone[item].count(b"<time ")


class _EveryTime:
    """``once`` that keeps nothing: the body is rendered for every page."""

    def __call__(self, *key: Any, caller: Any) -> Any:
        return caller()


def test_what_once_keeps_is_what_every_page_would_render(
    example: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = site(example, tmp_path / "kept")
    monkeypatch.setattr(theme, "Once", _EveryTime)
    assert site(example, tmp_path / "every") == kept
    depths = {p.count("/") for p in kept if p.endswith(".html")}
    assert {0, 1, 2} <= depths  # the languages' folders, their items and decrees
    assert sum(b'aria-current="page"' in data for data in kept.values()) >= 4


def test_a_jinja_without_the_private_names_renders_the_same_through_its_own_code(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Another jinja lacking ``Macro._invoke`` or ``Template._from_namespace`` (the plain
    environment's shortcuts) is slower, never broken or different."""
    assert all(plainenv.SHORTCUTS.values())  # this jinja has them: both ways are compared
    expected = rendered(False, "id")
    monkeypatch.setattr(plainenv, "SHORTCUTS", dict.fromkeys(plainenv.SHORTCUTS, False))
    assert rendered(False, "id") == expected
