"""Start-up (issue 21): the root group lists the commands from a table and imports a command's
module only when that command runs or its own help is asked."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import typer.main
from typer import _click

from dipctl.cli import commands
from dipctl.cli.app import app
from dipctl.cli.language import paragraphs
from tests.conftest import PROJECT

#: What neither ``dipctl --help`` nor ``dipctl --version`` may load.
HEAVY: tuple[str, ...] = ("dipctl.register", "dipctl.sop", "dipctl.proof", "dipctl.publish")
HEAVY += ("dipctl.share", "dipctl.exchange", "dipctl.gitrepo", "rich", "ruamel", "jinja2", "git")
HEAVY += ("openpyxl",)


def _registered() -> list[tuple[str, str, str, _click.core.Command]]:
    """Every command the modules register: name, module, first help paragraph, command."""
    commands.load_all()
    found = []
    for info in app.registered_commands:
        assert info.callback is not None
        name = info.name or typer.main.get_command_name(info.callback.__name__)
        built = typer.main.get_command_from_info(
            info, pretty_exceptions_short=False, rich_markup_mode=None
        )
        found.append((name, info.callback.__module__, built))
    for group in app.registered_groups:
        built = typer.main.get_group_from_info(
            group, pretty_exceptions_short=False, rich_markup_mode=None, suggest_commands=True
        )
        module = next(
            m.__name__
            for m in list(sys.modules.values())
            if (m.__name__ or "").startswith("dipctl.cli.")
            and any(v is group.typer_instance for v in vars(m).values())
        )
        found.append((built.name or "", module, built))
    return [(n, m.removeprefix("dipctl.cli."), paragraphs(c.help or "")[0], c) for n, m, c in found]


def test_the_table_is_what_the_modules_register() -> None:
    found = _registered()
    table = {(e.name, e.module, e.help) for e in commands.COMMANDS}
    listed = "\n".join(f"    Entry({n!r}, {m!r}, {h!r})," for n, m, h, _ in found)
    assert {(n, m, h) for n, m, h, _ in found} == table, (
        f"dipctl/cli/commands.py is out of date; its entries now:\n{listed}"
    )
    for name, _, _, command in found:  # what the table cannot say
        assert not command.hidden and not command.short_help and not command.deprecated, name


EAGER = "import sys; from dipctl.cli import commands, main; commands.load_all(); main()"


def test_the_lazy_group_shows_what_an_eager_one_would() -> None:
    """``dipctl --help`` in a fresh process, its commands listed from the table, is byte for
    byte the help of a group whose every command is built (all modules imported first)."""
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    for lang in ("id", "en"):
        for columns in ("60", "80", "1000"):
            env["COLUMNS"] = columns
            shown = [
                subprocess.run(
                    [sys.executable, *how, "--help", "--lang", lang],
                    capture_output=True,
                    text=True,
                    env=env,
                    check=True,
                ).stdout.split("\n", 1)[1]  # not the usage line: the program's name differs
                for how in (["-m", "dipctl"], ["-c", EAGER])
            ]
            assert shown[0] == shown[1], (lang, columns)
            assert len(shown[0].splitlines()) > 40, shown[0]
    commands.load_all()
    eager = typer.main.get_command(app)
    assert set(eager.commands.loaded) == {e.name for e in commands.COMMANDS}  # type: ignore[attr-defined]
    assert list(eager.commands) == [e.name for e in commands.COMMANDS]  # type: ignore[attr-defined]


CODE = """
import json, runpy, sys
for argv in ARGS:
    sys.argv = ["dipctl", *argv]
    try:
        runpy.run_module("dipctl", run_name="__main__")
    except SystemExit:
        pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def _loaded(*argvs: list[str]) -> list[str]:
    """The modules one process has loaded after running dipctl with each argv in turn."""
    ran = subprocess.run(
        [sys.executable, "-c", CODE.replace("ARGS", repr(list(argvs)))],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(PROJECT)},
        check=True,
    )
    assert "dipctl" in ran.stdout + ran.stderr.rpartition("\n[")[0], ran.stderr
    return list(json.loads(ran.stderr.splitlines()[-1]))


def test_help_and_version_load_no_register_code() -> None:
    loaded = _loaded(["--help"], ["--version"], [], ["--lang", "en", "--help"], ["nosuch"])
    heavy = [m for m in loaded if m.split(".")[0] in HEAVY or m.startswith(HEAVY)]
    assert not heavy, heavy
    assert not [
        m
        for m in loaded
        if m.startswith("dipctl.cli.")
        and m.count(".") == 2
        and (m.removeprefix("dipctl.cli.") in {e.module for e in commands.COMMANDS})
    ]


def test_version_is_read_from_the_package_not_its_metadata() -> None:
    """``--version`` prints dipctl/__init__.py's version, which pyproject.toml declares as the
    one source (hatch), without importing importlib.metadata (its own start-up cost)."""
    import tomllib

    import dipctl

    loaded = _loaded(["--version"])
    assert "importlib.metadata" not in loaded and "typer" not in loaded  # tests/test_startup.py
    shown = subprocess.run(
        [sys.executable, "-m", "dipctl", "--version"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(PROJECT)},
        check=True,
    ).stdout
    assert shown == f"dipctl {dipctl.__version__}\n"
    project = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"] and "version" in project["project"]["dynamic"]
    assert project["tool"]["hatch"]["version"]["path"] == "dipctl/__init__.py"


def test_a_command_loads_its_own_module_only() -> None:
    loaded = _loaded(["schema", "rapat"], ["status", "--help"])
    assert "dipctl.cli.read" in loaded and "dipctl.register.schema" in loaded
    others = {e.module for e in commands.COMMANDS} - {"read"}
    assert not [m for m in others if f"dipctl.cli.{m}" in loaded]
    assert not [m for m in loaded if m.split(".")[0] in ("jinja2", "openpyxl", "rich")]


def test_text_and_path_options_are_what_typer_makes_of_them(tmp_path: Path) -> None:
    """dipctl.cli.coercion computes without pydantic what typer's adapter returns."""
    from typer._coercion import resolve_type_descriptor
    from typer.models import OptionInfo

    from dipctl.cli import coercion

    closed = tmp_path / "closed"
    closed.write_text("x", encoding="utf-8")
    closed.chmod(0)
    command = typer.core.TyperCommand(name="x")
    ctx = _click.Context(command)
    param = typer.core.TyperOption(
        param_decls=["--x"], type_descriptor=resolve_type_descriptor(str, OptionInfo())
    )
    values: dict[Any, list[Any]] = {
        str: ["", "a", " b ", "\udcff", "dipctl --x"],
        Path: ["", "-", ".", "a//b/", str(tmp_path), f"{closed}/", str(closed), "\udcff"],
        list[str]: [(), ("a", "b"), ["c"]],
        int: ["3", " 4 ", "x", "1.0"],
        float: ["2.5", "y"],
    }
    for kind, given in values.items():
        descriptor = resolve_type_descriptor(kind, OptionInfo())
        ours = coercion._runtime_param(descriptor)
        theirs = coercion._typers_own(descriptor)  # type: ignore[misc]
        for value in given:
            outcome = []
            for runtime in (ours, theirs):
                try:
                    outcome.append(runtime.coerce(value, param=param, ctx=ctx))
                except typer.BadParameter as exc:
                    outcome.append(exc.format_message())
            assert outcome[0] == outcome[1] and type(outcome[0]) is type(outcome[1]), (kind, value)


def test_a_command_with_text_options_loads_no_pydantic() -> None:
    loaded = _loaded(["list", "--status", "x", "--unit", "y", "-C", "/nonexistent"])
    assert "dipctl.cli.read" in loaded
    assert not [m for m in loaded if m.startswith("pydantic")]
