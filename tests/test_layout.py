"""The package layout shows the SOP, and its import direction holds (issue 9).

import-linter's contracts in pyproject.toml are the rule; these tests run them on the real
package and on a copy with a cycle added, so the check is shown to fail when it should.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PROJECT

PACKAGE = PROJECT / "dipctl"
SUBPACKAGES = ("register", "sop", "proof", "publish", "exchange", "share", "federation", "cli")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(root / "pyproject.toml"), "--no-cache"],
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_import_contracts_hold() -> None:
    done = lint_imports(PROJECT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


@pytest.mark.parametrize(
    ("module", "line", "broken"),
    [
        # a cycle between two siblings
        ("dipctl/proof/replay.py", "from dipctl.proof import rules", "No two modules"),
        # an import against the direction
        ("dipctl/register/queries.py", "from dipctl.sop import workflow", "One direction"),
    ],
)
def test_the_contracts_fail_on_a_cycle_or_an_upward_import(
    tmp_path: Path, module: str, line: str, broken: str
) -> None:
    copy = tmp_path / "project"
    shutil.copytree(PACKAGE, copy / "dipctl", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(PROJECT / "pyproject.toml", copy / "pyproject.toml")
    target = copy / module
    target.write_text(f"{target.read_text(encoding='utf-8')}\n{line}\n", encoding="utf-8")
    done = lint_imports(copy)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "BROKEN" in done.stdout
    assert broken in done.stdout.split("Broken contracts", 1)[1]


@pytest.mark.parametrize("name", SUBPACKAGES)
def test_each_subpackage_says_what_it_holds_and_may_use(name: str) -> None:
    doc = ast.get_docstring(ast.parse((PACKAGE / name / "__init__.py").read_text("utf-8")))
    assert doc, f"dipctl/{name}/__init__.py has no docstring"
    assert name == "cli" or "May use" in doc


def test_only_a_handful_of_top_level_modules_and_none_over_400_lines() -> None:
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert top == [
        "__init__.py",
        "__main__.py",
        "errors.py",
        "feedback.py",  # the progress callback long work reports through
        "files.py",
        "gitfiles.py",  # what a step asks of git before its commit (where, HEAD, blobs)
        "gitrepo.py",
        "gittree.py",  # a step's tree from its parent's (git ls-tree, git mktree)
        "i18n.py",
        "layout.py",  # text fitted to a width: the CLI and the reports in dipctl.proof
        "stamps.py",  # what must be unchanged for something read from a file to hold
        "workers.py",  # forked workers that end with the process that forked them
    ]
    long = {
        str(p.relative_to(PROJECT)): n
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text("utf-8").splitlines())) > 400
    }
    assert long == {}
