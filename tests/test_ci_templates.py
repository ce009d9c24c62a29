"""The CI files that `dipctl init` writes (and this repository's own) are valid for their
platforms, and their shell steps work on a real register."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import check_jsonschema
import jsonschema
import pytest
import yaml
from ruamel.yaml import YAML

from tests.conftest import KASUBBAG, PROJECT, Repo
from tests.test_sop import fill

VENDOR = Path(check_jsonschema.__file__).parent / "builtin_schemas" / "vendor"
FILES = {
    "github-workflows": [
        PROJECT / "templates" / "init" / "dip.yml",
        PROJECT / ".github" / "workflows" / "site.yml",
    ],
    "gitlab-ci": [PROJECT / "templates" / "init" / "gitlab-ci.yml"],
}


@pytest.mark.parametrize("platform", sorted(FILES))
def test_the_ci_files_satisfy_the_platform_schema(platform: str) -> None:
    schema = json.loads((VENDOR / f"{platform}.json").read_text(encoding="utf-8"))
    for path in FILES[platform]:
        # YAML 1.2, as the platforms read it (PyYAML's 1.1 would turn `on:` into True)
        document = YAML(typ="rt").load(path.read_text(encoding="utf-8"))
        errors = list(jsonschema.Draft7Validator(schema).iter_errors(document))
        assert errors == [], (path, [e.message for e in errors])


def test_the_ci_files_init_writes_satisfy_the_schema_and_need_no_edit(repo: Repo) -> None:
    """Issue 20.4: what init wrote (not only the templates) is valid and names a source."""
    for platform, name in (("github-workflows", ".github/workflows/dip.yml"),
                           ("gitlab-ci", ".gitlab-ci.yml")):  # fmt: skip
        schema = json.loads((VENDOR / f"{platform}.json").read_text(encoding="utf-8"))
        text = (repo.path / name).read_text(encoding="utf-8")
        assert "__DIPCTL_SOURCE__" not in text
        document = YAML(typ="rt").load(text)
        errors = list(jsonschema.Draft7Validator(schema).iter_errors(document))
        assert errors == [], (name, [e.message for e in errors])
        variables = document["env"] if platform == "github-workflows" else document["variables"]
        source = variables["DIPCTL_SOURCE"]
        assert source.endswith(".whl") and (repo.path / source).is_file(), source


def _run(script: str, cwd: Path, extra: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        **extra,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    return subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def _shell_steps(repo: Repo) -> list[str]:
    workflow = yaml.safe_load((repo.path / ".github" / "workflows" / "dip.yml").read_text())
    steps = []
    for step in workflow["jobs"]["check-and-build"]["steps"]:
        run = step.get("run", "")
        if (
            run
            and not step.get("name", "").startswith("install dipctl")  # see test_ci_install.py
            and step.get("if") != ("github.event_name == 'pull_request'")
        ):
            steps.append(run)
    return steps


def test_the_github_steps_pass_on_an_honest_register_and_stop_a_forged_one(repo: Repo) -> None:
    assert (
        repo.run("new", "--unit", "sekretariat", "--title", "Renja", "--as", KASUBBAG).exit_code
        == 0
    )
    fill(repo, "sekretariat", "renja")
    assert repo.run("submit", "renja", "--as", KASUBBAG).exit_code == 0
    for script in _shell_steps(repo):
        done = _run(script, repo.path, {})
        assert done.returncode == 0, (script, done.stdout, done.stderr)
    assert (repo.path / "site" / "index.html").is_file()
    # a hand-made status change: the verify step fails before anything is built
    path = repo.item("sekretariat", "renja")
    path.write_text(path.read_text().replace("status: diajukan", "status: diteruskan"))
    subprocess.run(
        [
            "git",
            "-C",
            str(repo.path),
            "-c",
            "user.name=X",
            "-c",
            f"user.email={KASUBBAG}",
            "commit",
            "-qam",
            "maju sendiri",
        ],
        check=True,
    )
    verify = next(s for s in _shell_steps(repo) if s.startswith("dipctl verify"))
    done = _run(verify, repo.path, {})
    assert done.returncode == 1
    assert "::error file=register/register.yaml" in done.stdout or "::error" in done.stdout


def test_the_gitlab_pages_job_builds_public(repo: Repo) -> None:
    pipeline = yaml.safe_load((repo.path / ".gitlab-ci.yml").read_text())
    script = [line for line in pipeline["before_script"] if "DIPCTL_SOURCE" not in line]
    script += pipeline["pages"]["script"]
    done = _run("\n".join(script), repo.path, {})
    assert done.returncode == 0, (done.stdout, done.stderr)
    assert (repo.path / "public" / "index.html").is_file()
