"""dipctl's own templates render outside jinja's sandbox, the agency's theme inside it (issue 21).

Without ``register/tema/templates/`` only dipctl's templates render, in a plain environment
(the sandbox's checks took most of a build); with any theme template every template renders
sandboxed, because a built-in template includes and imports templates a theme may override.
Two things must hold: the plain way writes exactly the bytes of the sandboxed way, and a
hostile theme is refused as before, also in a process that has already built a register
without a theme (compiled code is kept per process: plain code must never serve a sandbox).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from jinja2 import Environment, StrictUndefined, select_autoescape
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedEnvironment

from dipctl.publish import theme
from dipctl.register.config import find_register, templates_dir
from tests.conftest import PROJECT, Repo, commit_all


def files(out: Path) -> dict[str, bytes]:
    """The site's files; not the manifest, which names the theme's templates among the inputs,
    nor the index's row pieces, found by them."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in out.rglob("*")
        if p.is_file() and p.name not in (".dipctl-manifest.json", ".dipctl-pieces-html")
    }


def build(repo: Repo, out: Path) -> dict[str, bytes]:
    result = repo.run("build", "--out", out)
    assert result.exit_code == 0, result.stderr
    return files(out)


def builtin(name: str) -> str:
    return (PROJECT / "templates/site" / name).read_text(encoding="utf-8")


def test_the_plain_and_the_sandboxed_build_write_the_same_bytes(
    example: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reg = find_register(example.register)
    assert not isinstance(theme.environment(reg, "id"), SandboxedEnvironment)
    plain = build(example, tmp_path / "plain")
    assert len([p for p in plain if p.endswith(".html")]) > 20

    monkeypatch.setattr(theme, "ALWAYS_SANDBOXED", True)
    assert isinstance(theme.environment(reg, "id"), SandboxedEnvironment)
    assert build(example, tmp_path / "sandboxed") == plain
    monkeypatch.setattr(theme, "ALWAYS_SANDBOXED", False)

    # theme templates, here dipctl's as a theme copied them before the macros were imported
    # without context: everything renders sandboxed, the same bytes
    own = example.register / "tema/templates"
    own.mkdir(parents=True)
    (own / "_texts.html").write_text(builtin("_texts.html"), encoding="utf-8")
    for name in ("base.html", "item.html"):
        text = re.sub(
            r'(import "_(macros|layanan)\.html" as \w+)', r"\1 with context", builtin(name)
        )
        text = text.replace(", agency=site.agency)", ")").replace(", root=site.root)", ")")
        assert "site.root)" not in text and "with context" in text
        (own / name).write_text(text, encoding="utf-8")
    commit_all(example.path, "tema: teks")
    assert isinstance(
        theme.environment(find_register(example.register), "en"), SandboxedEnvironment
    )
    assert build(example, tmp_path / "themed") == plain


LEAK = re.compile(r"<class |__globals__|uid=|'xx'|\bxx\b")

#: (theme file, what it holds): each overrides a built-in template or is included by one.
HOSTILE = {
    "mro-in-base": ("base.html", "{{ ''.__class__.__mro__ }}"),
    "append-in-base": (
        "base.html",
        "{% set x = site.languages.append('xx') %}{{ site.languages }}",
    ),
    "globals-in-item": ("item.html", "{{ cycler.__init__.__globals__ }}"),
    "head-include": ("_tema_head.html", "{{ ''.__class__.__mro__[1].__subclasses__() }}"),
    # data a built-in template uses as a format string (_macros.html's date): the override
    # runs no code of its own, the built-in code it feeds must be sandboxed too
    "format-string": ("_texts.html", "{{ ''.__class__ }}"),
}


def hostile_file(name: str, payload: str) -> str:
    if name == "_texts.html":
        return builtin(name) + (
            "{%- set T = dict(T, **{'site.date': '{d.__class__.__mro__}'}) -%}\n"
        )
    if name == "_tema_head.html":
        return payload
    return re.sub(r"(<body[^>]*>|\{% block main %\})", rf"\1{payload}", builtin(name), count=1)


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_hostile_theme_is_refused_after_a_plain_build_in_the_same_process(
    example: Repo, tmp_path: Path, case: str
) -> None:
    repo = example  # its pages print dates: _macros.html's format strings are used
    plain = build(repo, tmp_path / "plain")  # compiles dipctl's templates the plain way
    assert plain
    name, payload = HOSTILE[case]
    own = repo.register / "tema/templates"
    own.mkdir(parents=True)
    (own / name).write_text(hostile_file(name, payload), encoding="utf-8")
    commit_all(repo.path, "tema")
    out = tmp_path / "site"
    result = repo.run("build", "--out", out)
    assert result.exit_code == 4, (result.exit_code, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert "register/tema/templates/" in result.stderr or "templates/site/" in result.stderr
    assert not out.exists()
    assert not LEAK.search(result.stderr), result.stderr


def block_code(env: Environment, template: str, block: str) -> bytes:
    return env.get_template(template).blocks[block].__code__.co_code


def test_plain_compiled_code_never_serves_a_sandboxed_build(example: Repo, tmp_path: Path) -> None:
    """Sandboxed code calls through ``environment.call``, plain code through ``context.call``:
    the templates compiled for a plain build must not be reused when a theme arrives."""
    build(example, tmp_path / "plain")
    plain = theme.environment(find_register(example.register), "id")
    own = example.register / "tema/templates"
    own.mkdir(parents=True)
    (own / "_tema_head.html").write_text("<!-- tema -->\n", encoding="utf-8")
    reg = find_register(example.register)
    themed = theme.environment(reg, "id")
    fresh = ImmutableSandboxedEnvironment(  # the same settings, no cache: compiled anew
        loader=theme.ThemeLoader(reg, templates_dir() / "site", own),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    mine = block_code(themed, "item.html", "main")
    assert mine == block_code(fresh, "item.html", "main")
    assert mine != block_code(plain, "item.html", "main")
