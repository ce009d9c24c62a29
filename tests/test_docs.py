"""Docs stay honest: every command is documented, in the README and in both languages."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from dipctl import i18n
from dipctl.cli.app import app
from dipctl.cli.commands import load_all
from dipctl.sop import workflow
from tests.conftest import PROJECT

load_all()  # every command module registers its commands on app (dipctl imports them lazily)
README = (PROJECT / "README.md").read_text(encoding="utf-8")
COMMANDS = [c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands]


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_and_is_in_the_readme(name: str) -> None:
    command = next(
        c
        for c in app.registered_commands
        if (c.name or (c.callback.__name__ if c.callback else "")) == name
    )
    assert command.callback is not None
    assert command.callback.__doc__ and "Contoh: dipctl" in command.callback.__doc__
    assert f"dipctl {name}" in README


def test_readme_starts_with_the_two_commands() -> None:
    first_block = README.split("```")[1]
    assert "make site" in first_block
    assert "make test" in first_block


def test_readme_lists_every_exit_code() -> None:
    for code in ("0", "1", "2", "3", "4", "5", "130"):
        assert re.search(rf"\|\s*{code}\s*\|", README), code


def test_both_catalogs_have_the_same_keys() -> None:
    assert set(i18n.catalog("id")) == set(i18n.catalog("en"))


def test_every_status_and_role_has_a_label() -> None:
    for lang in i18n.LANGUAGES:
        texts = i18n.catalog(lang)
        for t in workflow.TRANSITIONS:
            assert f"status.{t.target}" in texts
            assert f"role.{t.role}" in texts


def test_every_message_key_used_in_the_code_exists() -> None:
    source = "\n".join(p.read_text(encoding="utf-8") for p in (PROJECT / "dipctl").glob("*.py"))
    used = set(
        re.findall(
            r'"((?:file|register|item|git|usage|actor|hint|key|value|person|'
            r"record|meeting|decree|warn|done|error|label|list|validate|status)"
            r'\.[a-z_]+)"',
            source,
        )
    )
    files = {k for k in used if k.endswith((".yaml", ".html"))}
    missing = sorted(k for k in used - files if k not in i18n.catalog("id"))
    assert not missing


def test_every_shell_block_in_the_readme_runs(tmp_path) -> None:
    """The walkthroughs are run as written (with /tmp/ moved into the test's tmp dir)."""
    blocks = re.findall(r"```bash\n(.*?)```", README, flags=re.S)
    assert len(blocks) >= 2
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    for block in blocks:
        script = block.replace("/tmp/", f"{tmp_path}/")
        done = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", script],
            cwd=PROJECT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        assert done.returncode == 0, (block, done.stdout, done.stderr)
    assert (tmp_path / "dip-contoh" / "site" / "index.html").is_file()
    assert (tmp_path / "dip-dinas" / "register" / "register.yaml").is_file()
