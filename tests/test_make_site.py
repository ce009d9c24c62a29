"""`make site` on a fresh clone installs dipctl's runtime dependencies only (issue 14.4):
no test tool (pytest, Playwright, mypy, ...) lands in its venv, and the site is built.
Slow (it creates a venv and installs into it, with pip's own cache reused): one test."""

from __future__ import annotations

import os
import pwd
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PROJECT, git

#: The dev extras' tools: none may be importable from the venv `make site` makes.
TEST_TOOLS = ("pytest", "playwright", "mypy", "ruff", "hypothesis", "axe_playwright_python")


def _pip_cache() -> str:
    """The real user's pip cache (the tests' HOME is a tmp folder)."""
    if os.environ.get("PIP_CACHE_DIR"):
        return os.environ["PIP_CACHE_DIR"]
    return str(Path(pwd.getpwuid(os.getuid()).pw_dir) / ".cache" / "pip")


def test_make_site_on_a_fresh_clone_installs_no_test_tool(tmp_path: Path) -> None:
    if not (PROJECT / ".git").exists():
        pytest.skip("not a git checkout: nothing to clone")
    clone = tmp_path / "dipctl"
    git(tmp_path, "clone", "-q", str(PROJECT), str(clone))
    env = {
        **{k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"},
        "PIP_CACHE_DIR": _pip_cache(),
    }
    done = subprocess.run(
        ["make", "site", f"PYTHON={sys.executable}"],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert done.returncode == 0, (done.stdout, done.stderr)
    index = (clone / "site" / "index.html").read_text(encoding="utf-8")
    # the example register's complete form: its logo, and its SK DIP's signed scan linked
    assert 'href="keputusan/sk-dip-2026.pdf"' in index
    assert (clone / "site" / "keputusan" / "sk-dip-2026.pdf").is_file()
    assert (clone / "site" / "static" / "logo.svg").is_file()
    site_packages = next((clone / ".venv").glob("lib/python*/site-packages"))
    installed = {p.name.lower() for p in site_packages.iterdir()}
    assert "typer" in installed  # the runtime is there
    assert [t for t in TEST_TOOLS if t in installed] == []
    assert not (clone / ".venv" / "bin" / "pytest").exists()
    assert (clone / ".venv" / ".installed-runtime").is_file()
    assert not (clone / ".venv" / ".installed-dev").exists()
