"""`make bench`'s generators: an honest SOP history, and a Hugo site of the same pages."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
import yaml

from tests import benchgen, benchhugo, benchrepo
from tests.conftest import dipctl, git, isolated_git

SIZE = 50


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    with isolated_git(tmp_path_factory):
        root = tmp_path_factory.mktemp("bench") / "repo"
        benchgen.generate(root, SIZE, log=io.StringIO())
    return root


def test_the_generated_history_verifies_and_ends_published(generated: Path, tmp_path: Path) -> None:
    result = dipctl("verify", "--register", generated / "register")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "tidak ada masalah" in result.stdout + result.stderr
    assert dipctl("validate", "--register", generated / "register").exit_code == 0
    items = [yaml.safe_load(p.read_text()) for p in generated.glob("register/informasi/*/*.yaml")]
    assert len(items) == SIZE
    assert {i["status"] for i in items} == {"diunggah"}
    assert {i["kategori"] for i in items} == {
        "berkala",
        "setiap-saat",
        "serta-merta",
        "dikecualikan",
    }
    assert any(i.get("revisi") == 1 for i in items)
    subjects = git(generated, "log", "--format=%s").splitlines()
    actions = Counter(
        s.split(")")[0].removeprefix("dip(") for s in subjects if s.startswith("dip(")
    )
    for action in (
        "new",
        "edit",
        "submit",
        "review",
        "classify",
        "undo",
        "meeting",
        "present",
        "establish",
        "approve",
        "exempt",
        "publish",
        "revise",
    ):
        assert actions[action], action
    assert 6 <= len(subjects) / SIZE <= 8  # like a province: about 6.8 commits per item
    # deterministic: the same size gives the same history
    again = tmp_path / "again"
    benchgen.generate(again, SIZE, log=io.StringIO())
    assert git(again, "rev-parse", "HEAD") == git(generated, "rev-parse", "HEAD")
    # and verify is not fooled: a kasubbag publishing an item with plain git is caught
    forged = tmp_path / "forged"
    shutil.copytree(generated, forged, symlinks=True)
    path = next(forged.glob("register/informasi/*/*.yaml"))
    unit = path.parent.name
    path.write_text(path.read_text().replace("status: diunggah", "status: draf"))
    git(forged, "add", "-A")
    who = benchrepo.kasubbag(unit)
    message = f"dip(submit): {path.stem}\n\nDIP-Action: submit\nDIP-Role: kasubbag\n"
    git(forged, "-c", "user.name=K", "-c", f"user.email={who}", "commit", "-qm", message)
    assert dipctl("verify", "--register", forged / "register").exit_code == 1


def test_the_hugo_site_has_the_same_pages(generated: Path, tmp_path: Path) -> None:
    site = tmp_path / "hugo"
    pages = benchhugo.write_site(generated, site)
    public = [
        i
        for i in (yaml.safe_load(p.read_text()) for p in generated.glob("register/informasi/*/*"))
        if i["kategori"] != "dikecualikan"
    ]
    assert pages == len(public)
    for name in (
        "config.toml",
        "layouts/_default/single.html",
        "layouts/index.html",
        "layouts/index.dipcsv.csv",
        "layouts/index.dipjson.json",
        "layouts/index.search.js",
        "i18n/id.yaml",
        "i18n/en.yaml",
    ):
        assert (site / name).is_file(), name
    item = public[0]
    front = json.loads((site / "content" / "informasi" / f"{item['id']}.md").read_text())
    english = json.loads((site / "content" / "informasi" / f"{item['id']}.en.md").read_text())
    assert (front["title"], front["ringkasan"]) == (item["judul"], item["ringkasan"])
    steps = [row[0] for row in front["jejak"]]
    assert steps[0] == "1. Mencatat usulan"
    assert "5. Penetapan dengan surat keputusan" in steps
    assert steps[-1] == "6. Pengunggahan ke situs"
    assert english["jejak"][0][0] == "1. Records the proposal"
    if shutil.which("hugo") is None:
        return
    out = tmp_path / "public"
    subprocess.run(["hugo", "--quiet", "-s", site, "-d", out], check=True)
    html = (out / "informasi" / f"{item['id']}.html").read_text()
    assert item["judul"] in html and "dip.csv" in html and html.count('class="no"') > 5
    assert (out / "en" / "informasi" / f"{item['id']}.html").is_file()
    assert len((out / "dip.csv").read_text().splitlines()) == pages + 1
    assert len(json.loads((out / "dip.json").read_text())["informasi"]) == pages


def test_the_bench_times_the_package_compiled_as_installed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The package the timed processes import (here one on PYTHONPATH, as a checkout would
    be) gets its bytecode once, although PYTHONDONTWRITEBYTECODE is set; the report says so."""
    from tests import bench, benchtime

    package = tmp_path / "lib" / "probe_pkg"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("VALUE = 1\n", encoding="utf-8")
    (package / "part.py").write_text("OTHER = 2\n", encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path / "lib"))
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    monkeypatch.chdir(tmp_path)
    assert benchtime.compile_package(bench.PY, "probe_pkg") == package
    compiled = sorted(p.name.split(".")[0] for p in (package / "__pycache__").iterdir())
    assert compiled == ["__init__", "part"]
    assert "compileall" in benchtime.COMPILED
