"""The installed CLI, out of process: packaging, entry points and the example register."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from tests.conftest import EXAMPLE, KASUBBAG, PROJECT, Repo, commit_all, git

pytestmark = pytest.mark.e2e
SCRIPT = Path(sys.executable).parent / "dipctl"


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        [str(a) for a in args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        check=False,
        timeout=120,
    )


def test_the_console_script_and_python_m_both_run() -> None:
    for command in ([SCRIPT], [sys.executable, "-m", "dipctl"]):
        result = run(*command, "--help")
        assert result.returncode == 0, result.stderr
        for verb in ("init", "new", "list", "show", "status", "validate", "schema", "build"):
            assert verb in result.stdout


def test_init_new_list_from_the_shell(tmp_path: Path) -> None:
    target = tmp_path / "dinas"
    made = run(
        SCRIPT,
        "init",
        target,
        "--agency",
        "Dinas Uji",
        "--head-name",
        "Kepala",
        "--head-email",
        "kepala@uji.example.go.id",
        "--unsigned",
    )
    assert made.returncode == 0, made.stderr
    config = target / "register" / "register.yaml"
    config.write_text(
        config.read_text().replace(
            "    peran: [kepala]\n",
            (
                "    peran: [kepala]\n  - nama: Kasubbag\n    email: "
                + KASUBBAG
                + "\n    peran: [kasubbag]\n    unit: [sekretariat]\n"
            ),
            1,
        )
    )
    commit_all(target, "orang")
    created = run(
        SCRIPT,
        "new",
        "--unit",
        "sekretariat",
        "--title",
        "Profil Dinas",
        "--as",
        KASUBBAG,
        cwd=target / "register",
    )
    assert created.returncode == 0, created.stderr
    listed = run(SCRIPT, "list", "--wide", cwd=target)
    assert listed.stdout == "profil-dinas\tdraf\t-\tsekretariat\tProfil Dinas\n"
    assert run(SCRIPT, "validate", cwd=target).returncode == 0


def test_the_example_register_validates_and_builds(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "biro")
    shutil.copytree(EXAMPLE, repo.register)
    git(repo.path, "init", "-q", "-b", "main")
    commit_all(repo.path, "contoh")
    checked = run(SCRIPT, "validate", "--register", repo.register)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    built = run(SCRIPT, "build", "--register", repo.register, "--out", tmp_path / "site")
    assert built.returncode == 0, built.stderr
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "Rencana Strategis" in index
    assert "Daftar Informasi yang Dikecualikan" in index


def test_make_site_target_builds_into_site(tmp_path: Path) -> None:
    """The Makefile's `site` recipe, run against a copy of the project (no venv creation)."""
    recipe = run("make", "-n", "site", cwd=PROJECT).stdout
    assert "dipctl build --register register --out site" in recipe


def test_the_wheel_carries_the_templates_and_catalogs(tmp_path: Path) -> None:
    """Build the wheel, install it alone in a new venv, and build a site from it."""
    built = run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--quiet",
        "--no-deps",
        "--no-build-isolation",
        "-w",
        tmp_path / "dist",
        PROJECT,
    )
    assert built.returncode == 0, built.stderr
    wheel = next((tmp_path / "dist").glob("dipctl-*.whl"))
    venv = tmp_path / "venv"
    assert run(sys.executable, "-m", "venv", "--without-pip", venv).returncode == 0
    site_packages = next(venv.glob("lib/python*/site-packages"))
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        assert "dipctl/templates/site/index.html" in names
        assert "dipctl/templates/init/dip.yml" in names
        assert "dipctl/locales/cli.id.yaml" in names
        archive.extractall(site_packages)
    # the runtime dependencies come from this venv, dipctl itself only from the wheel
    deps = next(p for p in map(Path, sys.path) if p.name == "site-packages" and p.is_dir())
    (site_packages / "deps.pth").write_text(f"{deps}\n", encoding="utf-8")
    python = venv / "bin" / "python"
    where = run(
        python, "-c", "import dipctl.register.config as c; print(c.templates_dir())", cwd=tmp_path
    )
    assert where.stdout.strip() == str(site_packages / "dipctl" / "templates")
    repo = tmp_path / "biro"
    shutil.copytree(EXAMPLE, repo / "register")
    git(repo, "init", "-q", "-b", "main")
    built_site = run(
        python,
        "-m",
        "dipctl",
        "build",
        "--register",
        repo / "register",
        "--out",
        tmp_path / "site",
        "--lang",
        "en",
    )
    assert built_site.returncode == 0, built_site.stderr
    assert (tmp_path / "site" / "index.html").is_file()


def test_the_index_page_is_filled_in_and_escaped(tmp_path: Path) -> None:
    repo = tmp_path / "biro"
    shutil.copytree(EXAMPLE, repo / "register")
    item = next((repo / "register" / "informasi").glob("*/bo-renstra-2025-2029.yaml"))
    item.write_text(
        item.read_text(encoding="utf-8").replace(
            "judul: ", "judul: <script>alert(1)</script> & ", 1
        ),
        encoding="utf-8",
    )
    git(repo, "init", "-q", "-b", "main")  # no commit yet: the site builds all the same
    out = tmp_path / "site"
    built = run(SCRIPT, "build", "--register", repo / "register", "--out", out)
    assert built.returncode == 0, built.stderr
    for page_path, words in (
        ("index.html", "informasi yang telah ditetapkan"),
        ("en/index.html", "established items"),
    ):
        page = (out / page_path).read_text(encoding="utf-8")
        assert words in page
        # every catalog field was filled in (the script's own messages keep theirs)
        assert "{" not in re.sub(r'data-msg-[a-z]+="[^"]*"', "", page)
        assert "<script>alert" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; " in page
        assert "2026-01-21" in page


def test_the_init_workflow_verifies_before_it_builds() -> None:
    workflow = yaml.safe_load((PROJECT / "templates" / "init" / "dip.yml").read_text())
    runs = [step.get("run", "") for step in workflow["jobs"]["check-and-build"]["steps"]]
    verify = [i for i, run in enumerate(runs) if run.startswith("dipctl verify")]
    build = runs.index("dipctl build --out site")
    assert len(verify) == 2  # the whole history on push, the new commits on pull requests
    assert max(verify) < build
    assert all("--full" in runs[i] for i in verify)  # CI never trusts a local checkpoint


def test_the_gitlab_pipeline_verifies_before_it_publishes() -> None:
    pipeline = yaml.safe_load((PROJECT / "templates" / "init" / "gitlab-ci.yml").read_text())
    pages = pipeline["pages"]["script"]
    assert pages.index("dipctl verify --full") < pages.index("dipctl build --out public")
    every = [line for job in pipeline.values() if isinstance(job, dict)
             for line in job.get("script", []) if "dipctl verify" in line]  # fmt: skip
    assert len(every) == 2 and all("--full" in line for line in every)
    assert pipeline["pages"]["artifacts"]["paths"] == ["public"]
    assert any("--since" in line for line in pipeline["verify-merge-request"]["script"])


def test_this_repository_publishes_its_register_after_verifying_it() -> None:
    workflow = yaml.safe_load((PROJECT / ".github" / "workflows" / "site.yml").read_text())
    runs = [s.get("run", "") for s in workflow["jobs"]["build"]["steps"]]
    verify = next(i for i, run in enumerate(runs) if "dipctl verify" in run)
    assert verify < runs.index("dipctl build --register register --out site")
    assert "dipctl verify --full" in runs[verify]
