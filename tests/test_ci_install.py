"""The CI that `dipctl init` writes installs dipctl from a source that exists (issue 14.4).

Its steps are run in order, as written, in a fresh venv: the install step takes the pinned
git URL that `init --dipctl-source` recorded, here this checkout's HEAD as
``git+file://…@<commit>``, or by default (issue 20.4) the wheel of the running dipctl that
`init` kept in the repository; then validate, verify and build run with the dipctl it
installed.
No network: pip runs with ``PIP_NO_INDEX`` and without build isolation (hatchling is
installed), in a venv that already holds dipctl's dependencies (links to this venv's,
dipctl itself left out).
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
import yaml

import dipctl as dipctl_package
from dipctl.sop import install_source, self_wheel
from tests.conftest import KEPALA, PROJECT, Repo, dipctl, git

HERE_BIN = str(Path(sys.executable).parent)


def ci_venv(tmp_path: Path) -> Path:
    """A new venv with this venv's packages linked in, except dipctl."""
    venv = tmp_path / "ci-venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    target = next(venv.glob("lib/python*/site-packages"))
    for entry in Path(sysconfig.get_paths()["purelib"]).iterdir():
        if not entry.name.lower().startswith(("dipctl", "_dipctl", "__editable__")):
            (target / entry.name).symlink_to(entry)
    return venv


def run_step(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def ci_env(venv: Path | None, variables: dict[str, str]) -> dict[str, str]:
    """The runner's environment: the CI venv first on PATH, this venv nowhere on it."""
    path = [p for p in os.environ["PATH"].split(os.pathsep) if p != HERE_BIN]
    if venv is not None:
        path.insert(0, str(venv / "bin"))
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    return {
        **env,
        **variables,
        "PATH": os.pathsep.join(path),
        "PIP_NO_INDEX": "1",  # nothing from a package index: the pinned source only
        "PIP_NO_BUILD_ISOLATION": "0",  # (pip's inverted spelling: no build isolation)
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }


def github_steps(repo: Path) -> tuple[dict[str, str], list[tuple[str, str]]]:
    workflow = yaml.safe_load((repo / ".github" / "workflows" / "dip.yml").read_text())
    steps = [
        (step.get("name", step["run"].splitlines()[0]), step["run"])
        for step in workflow["jobs"]["check-and-build"]["steps"]
        if "run" in step and step.get("if") != "github.event_name == 'pull_request'"
    ]
    return {k: str(v) for k, v in workflow["env"].items()}, steps


def run_workflow(
    target: Path, tmp_path: Path, variables: dict[str, str], steps: list[tuple[str, str]]
) -> tuple[Path, dict[str, str]]:
    """Every step of the GitHub workflow, as written, in a fresh CI venv: its venv and env."""
    venv = ci_venv(tmp_path)
    env = ci_env(venv, variables)
    for name, script in steps:
        done = run_step(script, target, env)
        assert done.returncode == 0, (name, done.stdout, done.stderr)
    return venv, env


def test_the_workflow_installs_the_pinned_dipctl_then_verifies_and_builds(tmp_path: Path) -> None:
    if not (PROJECT / ".git").exists():
        pytest.skip("not a git checkout of dipctl: no commit to pin")
    sha = git(PROJECT, "rev-parse", "HEAD").strip()
    source = f"git+file://{PROJECT}@{sha}"
    target = tmp_path / "dinas"
    made = dipctl(
        "init", target, "--agency", "Dinas Contoh", "--head-name", "Kepala", "--head-email",
        KEPALA, "--dipctl-source", source,
    )  # fmt: skip
    assert made.exit_code == 0, made.stderr
    variables, steps = github_steps(target)
    assert variables["DIPCTL_SOURCE"] == source  # what init recorded is what CI reads
    assert steps[0][0] == "install dipctl from its pinned source"
    venv, env = run_workflow(target, tmp_path, variables, steps)
    # dipctl came from the pinned commit, installed into the CI venv
    where = subprocess.run(
        ["bash", "-c", "command -v dipctl; python -c 'import dipctl; print(dipctl.__file__)'"],
        cwd=target,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert where[0] == str(venv / "bin" / "dipctl")
    assert where[1].startswith(str(venv))
    assert (target / "site" / "index.html").is_file()
    # GitLab's pipeline installs with the same two commands (its pages job runs on an
    # installed dipctl in test_ci_templates.py; a second install here would add ~4 s)
    pipeline = yaml.safe_load((target / ".gitlab-ci.yml").read_text())
    assert pipeline["variables"]["DIPCTL_SOURCE"] == source
    guard, install = pipeline["before_script"][:2]
    assert install == steps[0][1].splitlines()[-1] == 'python -m pip install "$DIPCTL_SOURCE"'
    assert guard.startswith('case "$DIPCTL_SOURCE" in git+*://*@*|*.whl) ;;')


def test_by_default_the_ci_installs_a_wheel_of_this_dipctl_kept_in_the_repository(
    tmp_path: Path,
) -> None:
    """Issue 20.4: from a checkout with no published origin (as here), init keeps a wheel of
    the running dipctl in the new repository and names it in both CI files: no placeholder,
    no hand edit. The workflow's steps then run as written in a fresh venv, with no index."""
    target = tmp_path / "dinas"
    made = dipctl("init", target, "--agency", "Dinas Contoh", "--head-name", "Kepala",
                  "--head-email", KEPALA, "--unsigned")  # fmt: skip
    assert made.exit_code == 0, made.stderr
    wheel = self_wheel.build()
    assert wheel.path == "ci/dipctl-0.1.0-py3-none-any.whl"
    said = [line for line in made.stderr.splitlines() if "CI memasang dipctl" in line]
    assert said == [
        "CI memasang dipctl dari paket wheel dipctl ini, disimpan di repositori register: "
        f"{wheel.path} (sumber lain: --dipctl-source)"
    ]
    assert made.stderr.count("peringatan") == 1  # only: unsigned; none about the source
    assert (target / wheel.path).read_bytes() == wheel.data
    assert wheel.path in git(target, "ls-files")  # in the head's first commit
    variables, steps = github_steps(target)
    assert variables["DIPCTL_SOURCE"] == wheel.path
    pipeline = yaml.safe_load((target / ".gitlab-ci.yml").read_text())
    assert pipeline["variables"]["DIPCTL_SOURCE"] == wheel.path
    for name in (".github/workflows/dip.yml", ".gitlab-ci.yml"):
        assert "__DIPCTL_SOURCE__" not in (target / name).read_text(encoding="utf-8")
    venv, env = run_workflow(target, tmp_path, variables, steps)
    where = subprocess.run(
        ["python", "-c", "import dipctl, dipctl.cli; print(dipctl.__file__)"],
        cwd=target, env=env, capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    assert where.startswith(str(venv))  # the wheel's dipctl ran the steps, not this one
    installed = Path(where).parent
    assert (installed / "templates" / "site" / "base.html").is_file()
    assert (installed / "locales" / "cli.id.yaml").read_bytes() == (
        Path(dipctl_package.__file__).parent / "locales" / "cli.id.yaml"
    ).read_bytes()
    assert (target / "site" / "index.html").is_file()
    # the dipctl installed from the wheel makes the next register's wheel with the same files
    again = subprocess.run(
        ["dipctl", "init", str(tmp_path / "lagi"), "--agency", "D", "--head-name", "K",
         "--head-email", KEPALA, "--unsigned"],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert f"disimpan di repositori register: {wheel.path}" in again.stderr
    with (
        zipfile.ZipFile(tmp_path / "lagi" / wheel.path) as remade,
        zipfile.ZipFile(io.BytesIO(wheel.data)) as first,
    ):
        assert remade.namelist() == first.namelist()
        code = [n for n in first.namelist() if n.startswith("dipctl/")]
        assert all(remade.read(n) == first.read(n) for n in code)
    # the same code gives the same bytes: every register holds one blob
    self_wheel.build.cache_clear()
    assert self_wheel.build().data == wheel.data


def test_a_bad_or_empty_source_stops_the_install_step_and_says_how(repo: Repo) -> None:
    """An officer who empties DIPCTL_SOURCE, or "fixes" it with the bare name, is stopped
    before pip runs, in both CI files."""
    variables, steps = github_steps(repo.path)
    assert variables["DIPCTL_SOURCE"] == install_source.default_source().value
    assert (repo.path / variables["DIPCTL_SOURCE"]).is_file()
    done = run_step(steps[0][1], repo.path, ci_env(None, {"DIPCTL_SOURCE": ""}))
    assert done.returncode == 1
    assert "::error file=.github/workflows/dip.yml::" in done.stdout
    assert "git+https://HOST/ORG/dipctl.git@COMMIT" in done.stdout
    for bare in ("dipctl", "dipctl==0.1.0", "git+https://git.example.go.id/dipctl.git"):
        stopped = run_step(steps[0][1], repo.path, ci_env(None, {"DIPCTL_SOURCE": bare}))
        assert stopped.returncode == 1, bare
        assert "not a pinned git URL" in stopped.stdout
    pipeline = yaml.safe_load((repo.path / ".gitlab-ci.yml").read_text())
    guard = run_step(pipeline["before_script"][0], repo.path, ci_env(None, {"DIPCTL_SOURCE": ""}))
    assert guard.returncode == 1
    assert "DIPCTL_SOURCE" in guard.stderr


@pytest.mark.parametrize(
    "source",
    [
        "dipctl",
        "dipctl==0.1.0",
        "git+https://git.example.go.id/dipctl.git",
        "git+ssh://git@git.example.go.id/dipctl.git",
        'git+https://git.example.go.id/dipctl.git@v1"\n  evil: true',
        "git+https://git.example.go.id/dipctl.git@v1 --index-url https://evil.example",
        "git+https://git.example.go.id/dipctl.git@$(id)",
        "../dipctl-0.1.0-py3-none-any.whl",
        "/opt/dipctl-0.1.0-py3-none-any.whl",
        "https://evil.example/dipctl-0.1.0-py3-none-any.whl",
        "ci/other-0.1.0-py3-none-any.whl",
    ],
)
def test_init_refuses_a_source_that_is_not_pinned_or_not_ours(tmp_path: Path, source: str) -> None:
    result = dipctl(
        "init", tmp_path / "d", "--agency", "X", "--head-name", "K", "--head-email", KEPALA,
        "--unsigned", "--dipctl-source", source,
    )  # fmt: skip
    assert result.exit_code == 2, result.stderr
    assert "--dipctl-source" in result.stderr
    assert not (tmp_path / "d").exists()


@pytest.mark.parametrize(
    "source",
    [
        "git+https://git.example.go.id/tools/dipctl.git@3f2a9c1",
        "git+ssh://git@git.example.go.id/tools/dipctl.git@v0.1.0",
        "ci/dipctl-0.1.0-py3-none-any.whl",
    ],
)
def test_init_records_a_pinned_source_in_both_ci_files(tmp_path: Path, source: str) -> None:
    result = dipctl(
        "init", tmp_path / "d", "--agency", "X", "--head-name", "K", "--head-email", KEPALA,
        "--unsigned", "--dipctl-source", source,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "DIPCTL_SOURCE" not in result.stderr  # known: no warning
    assert f"CI memasang dipctl dari sumber yang diberikan (--dipctl-source): {source}" in (
        result.stderr
    )
    assert not (tmp_path / "d" / "ci").exists()  # no wheel of this dipctl where one is named
    absent = "belum ada di repositori register" in result.stderr
    assert absent == source.endswith(".whl")  # a wheel named but not there: said
    assert github_steps(tmp_path / "d")[0]["DIPCTL_SOURCE"] == source
    gitlab = yaml.safe_load((tmp_path / "d" / ".gitlab-ci.yml").read_text())
    assert gitlab["variables"]["DIPCTL_SOURCE"] == source


def test_the_default_source_is_the_checkouts_origin_at_a_pushed_commit(tmp_path: Path) -> None:
    checkout = tmp_path / "dipctl"
    git(tmp_path, "init", "-q", "-b", "main", str(checkout))
    (checkout / "README.md").write_text("dipctl\n")
    git(checkout, "add", "README.md")
    git(checkout, "-c", "user.name=D", "-c", "user.email=d@example.go.id", "commit", "-qm", "a")
    assert install_source.from_checkout(checkout) == ""  # no origin
    git(checkout, "remote", "add", "origin", "git@git.example.go.id:tools/dipctl.git")
    assert install_source.from_checkout(checkout) == ""  # HEAD on no branch of origin
    git(checkout, "update-ref", "refs/remotes/origin/main", "HEAD")
    sha = git(checkout, "rev-parse", "HEAD").strip()
    expected = f"git+ssh://git@git.example.go.id/tools/dipctl.git@{sha}"
    assert install_source.from_checkout(checkout) == expected
    (checkout / "dipctl").mkdir()
    (checkout / "dipctl" / "baru.py").write_text("# not committed\n")
    assert install_source.from_checkout(checkout) == ""  # that commit is not what runs
    (checkout / "dipctl" / "baru.py").unlink()
    git(checkout, "remote", "set-url", "origin", str(tmp_path / "elsewhere"))
    assert install_source.from_checkout(checkout) == ""  # a path CI cannot reach
