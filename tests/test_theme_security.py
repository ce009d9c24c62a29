"""The theme is data, not code (issue 10 point 4): ``register/tema/`` cannot run code in the
CI job that builds the site, read files outside the theme, or publish them through links.

A hostile theme is committed, as CI would build it. Links and special files are first refused
by the committed-bytes check (tests/test_committed_bytes.py); here they are built with
``--uncommitted`` so that the theme's own refusal is what is tested (a preview is safe too)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.conftest import KASUBBAG, PROJECT, Repo, commit_all, git

SECRET = "rahasia-ci-7f3a9c"  # stands for a CI secret in the build's environment
DRAFT_TEXT = "TEKS-DRAF-BELUM-DITETAPKAN"


def theme(repo: Repo) -> Path:
    for sub in ("templates", "static"):
        (repo.register / "tema" / sub).mkdir(parents=True, exist_ok=True)
    return repo.register / "tema"


def builtin_base() -> str:
    """dipctl's own base.html, as an agency would copy it to start a theme."""
    return (PROJECT / "templates/site/base.html").read_text(encoding="utf-8")


def published(out: Path) -> bytes:
    """Every byte the build left in ``out`` (nothing when there is no ``out``)."""
    if not out.exists():
        return b""
    return b"".join(p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file())


def commit_theme(repo: Repo) -> None:
    if git(repo.path, "status", "--porcelain"):
        commit_all(repo.path, "tema")


def refused(repo: Repo, out: Path, *names: str, preview: bool = False) -> str:
    """The build exits 4 naming ``names``: the committed theme, or with ``preview`` the work
    tree as it is (``--uncommitted``)."""
    if not preview:
        commit_theme(repo)
    result = repo.run("build", "--out", out, *(["--uncommitted"] if preview else []))
    assert result.exit_code == 4, (result.exit_code, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and "internal" not in result.stderr.lower()
    for name in names:
        assert name in result.stderr, (name, result.stderr)
    return result.stderr


# -- no code runs --------------------------------------------------------------------------


PAYLOADS = [
    "{{ cycler.__init__.__globals__.os.popen('touch MARK; id').read() }}",
    "{{ joiner.__init__.__globals__.os.popen('touch MARK; id').read() }}",
    "{{ lipsum.__globals__['os'].popen('touch MARK; id').read() }}",
    "{{ (cycler|attr('__init__')|attr('__globals__'))['os'].popen('touch MARK; id').read() }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ self._TemplateReference__context }}",
    "{{ _._tr._texts }}",
    "{{ '{0.__init__.__globals__[os].environ}'.format(cycler) }}",
    "{{ _('{x.__init__.__globals__[os].environ}', x=cycler) }}",
    "{{ _('{x.__init__.__globals__[os].popen}', x=cycler) }}",
    "{% set x = site.languages.append('xx') %}{{ site.languages }}",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_theme_template_cannot_run_code_or_read_the_environment(
    repo: Repo, tmp_path: Path, payload: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DIPCTL_CI_SECRET", SECRET)
    mark = tmp_path / "ditandai"
    folder = theme(repo)
    (folder / "templates/_tema_head.html").write_text(
        payload.replace("MARK", str(mark)), encoding="utf-8"
    )
    out = tmp_path / "site"
    stderr = refused(repo, out, "register/tema/templates/_tema_head.html")
    assert not mark.exists()  # the shell command never ran
    data = published(out)
    assert b"uid=" not in data and SECRET.encode() not in data
    assert "uid=" not in stderr and SECRET not in stderr


def test_a_template_error_in_the_theme_names_file_and_line(repo: Repo, tmp_path: Path) -> None:
    folder = theme(repo)
    (folder / "templates/_tema_head.html").write_text("\n\n{% if %}\n", encoding="utf-8")
    refused(repo, tmp_path / "a", "register/tema/templates/_tema_head.html:3")
    (folder / "templates/_tema_head.html").write_text("\n{{ tidak_ada.x }}\n", encoding="utf-8")
    refused(repo, tmp_path / "b", "register/tema/templates/_tema_head.html:2", "tidak_ada")
    (folder / "templates/_tema_head.html").write_bytes(b"\xff\xfe logo")
    refused(repo, tmp_path / "c", "register/tema/templates/_tema_head.html", "UTF-8")


# -- nothing outside the theme is read -------------------------------------------------------


def draft(repo: Repo) -> Path:
    result = repo.run(
        "new", "--unit", "sekretariat", "--id", "draf-rahasia", "--title", DRAFT_TEXT,
        "--summary", DRAFT_TEXT, "--as", KASUBBAG,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    path = repo.item("sekretariat", "draf-rahasia")
    assert DRAFT_TEXT in path.read_text(encoding="utf-8")
    return path


READS = [
    "{% include '../informasi/sekretariat/draf-rahasia.yaml' %}",
    "{% include '../informasi/sekretariat/draf-rahasia.yaml' ignore missing %}",
    "{% include '../../register/informasi/sekretariat/draf-rahasia.yaml' ignore missing %}",
    "{% import '../register.yaml' as r %}",
    "{% include ['x.html', '../informasi/sekretariat/draf-rahasia.yaml'] %}",
    "{% extends '../informasi/sekretariat/draf-rahasia.yaml' %}",
]


@pytest.mark.parametrize("template", READS)
def test_a_theme_template_cannot_include_register_files(
    repo: Repo, tmp_path: Path, template: str
) -> None:
    draft(repo)
    folder = theme(repo)
    (folder / "templates/_tema_head.html").write_text(template, encoding="utf-8")
    out = tmp_path / "site"
    stderr = refused(repo, out, "register/tema/templates/_tema_head.html", "outside")
    assert DRAFT_TEXT.encode() not in published(out) and DRAFT_TEXT not in stderr


@pytest.mark.parametrize(
    "name", ["informasi/sekretariat/draf-rahasia.yaml", "/etc/passwd", "register.yaml"]
)
def test_names_that_look_elsewhere_stay_inside_the_theme(
    repo: Repo, tmp_path: Path, name: str
) -> None:
    """Not ``..``: such names are looked up under tema/templates/ (and dipctl's), not found."""
    draft(repo)
    (theme(repo) / "templates/_tema_head.html").write_text(
        f"{{% include '{name}' ignore missing %}}<!--tema-->", encoding="utf-8"
    )
    out = tmp_path / "site"
    commit_theme(repo)
    result = repo.run("build", "--out", out)
    assert result.exit_code == 0, result.stderr
    data = published(out)
    assert b"<!--tema-->" in data
    assert DRAFT_TEXT.encode() not in data and b"root:" not in data and b"orang:" not in data


# -- links are refused, never followed -----------------------------------------------------


def _passwd() -> Path:
    path = Path("/etc/passwd")
    if not path.is_file():  # pragma: no cover
        pytest.skip("no /etc/passwd here")
    return path


LINKS = {
    # where the link is, relative to register/tema, and what it points at
    "static-file": ("static/x.txt", "/etc/passwd"),
    "static-logo": ("static/logo.svg", "/etc/passwd"),
    "static-folder": ("static/img", "/etc"),
    "static-nested": ("static/a/b/passwd", "/etc/passwd"),
    "static-itself": ("static", "/etc"),
    "templates-base": ("templates/base.html", "/etc/passwd"),
    "templates-head": ("templates/_tema_head.html", "/etc/passwd"),
    "templates-folder": ("templates", "/etc"),
    "templates-into-register": ("templates/_tema_head.html", "../../informasi/x.yaml"),
}


@pytest.mark.parametrize("case", sorted(LINKS))
def test_a_symbolic_link_in_the_theme_is_refused(repo: Repo, tmp_path: Path, case: str) -> None:
    _passwd()
    draft(repo)
    where, points_at = LINKS[case]
    link = repo.register / "tema" / where
    link.parent.mkdir(parents=True, exist_ok=True)
    if points_at.startswith(".."):
        points_at = "../../informasi/sekretariat/draf-rahasia.yaml"
    link.symlink_to(points_at)
    out = tmp_path / "site"
    stderr = refused(repo, out, f"register/tema/{where}", "register/tema/", preview=True)
    data = published(out)
    assert b"root:" not in data and DRAFT_TEXT.encode() not in data
    assert "root:" not in stderr


def test_a_template_in_a_linked_folder_is_refused(repo: Repo, tmp_path: Path) -> None:
    """``parts -> /etc``, then ``{% include 'parts/passwd' %}``: every component is checked."""
    _passwd()
    folder = theme(repo)
    (folder / "templates/parts").symlink_to("/etc")
    (folder / "templates/_tema_head.html").write_text(
        "{% include 'parts/passwd' %}", encoding="utf-8"
    )
    out = tmp_path / "site"
    refused(repo, out, "register/tema/templates/parts", preview=True)
    assert b"root:" not in published(out)


def test_the_theme_folder_itself_may_not_be_a_link(repo: Repo, tmp_path: Path) -> None:
    elsewhere = tmp_path / "tema-lain"
    (elsewhere / "static").mkdir(parents=True)
    (elsewhere / "static/logo.svg").write_text("<svg/>", encoding="utf-8")
    (repo.register / "tema").symlink_to(elsewhere)
    refused(repo, tmp_path / "site", "register/tema", preview=True)


def test_a_special_file_in_the_theme_is_refused_not_read(repo: Repo, tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):  # pragma: no cover
        pytest.skip("no FIFOs here")
    folder = theme(repo)
    os.mkfifo(folder / "static/pipa")  # reading it would hang the CI job
    refused(repo, tmp_path / "site", "register/tema/static/pipa", preview=True)


# -- an honest theme still works -------------------------------------------------------------


def test_an_honest_theme_still_builds(repo: Repo, tmp_path: Path) -> None:
    base = builtin_base()
    folder = theme(repo)
    mine = re.sub(r"(<body[^>]*>)", r"\1{% include 'bagian/spanduk.html' %}", base, count=1)
    (folder / "templates/base.html").write_text(mine, encoding="utf-8")
    (folder / "templates/bagian").mkdir()
    (folder / "templates/bagian/spanduk.html").write_text(
        "<p class=spanduk>{{ site.agency }} · {{ _('site.intro', count=site.counts.dip) }}"
        "{% for l in site.languages %} {{ l|upper }}{% endfor %}</p>\n",
        encoding="utf-8",
    )
    (folder / "templates/_tema_head.html").write_text(
        '<link rel="stylesheet" href="{{ site.root }}static/tema/tema.css">\n', encoding="utf-8"
    )
    logo = b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>\n'
    (folder / "static/logo.svg").write_bytes(logo)
    (folder / "static/tema").mkdir()
    (folder / "static/tema/tema.css").write_text("body { color: #111 }\n", encoding="utf-8")
    commit_all(repo.path, "tema: spanduk dan logo")
    out = tmp_path / "site"
    result = repo.run("build", "--out", out)
    assert result.exit_code == 0, result.stderr
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "<p class=spanduk>Dinas Contoh · " in index and " ID EN</p>" in index
    assert "static/logo.svg" in index and "static/tema/tema.css" in index
    assert (out / "static/logo.svg").read_bytes() == logo
    assert (out / "static/tema/tema.css").is_file()
    assert (out / "static/dip.css").is_file()
    for page in out.rglob("*.html"):
        assert "class=spanduk" in page.read_text(encoding="utf-8"), page


def test_a_theme_template_edited_between_two_builds_is_compiled_anew(
    repo: Repo, tmp_path: Path
) -> None:
    """Compiled templates are kept for the process (dipctl.publish.theme), keyed by the
    checksum of their source: the second build in the same process shows the edit."""
    folder = theme(repo)
    page = folder / "templates/base.html"
    for n, word in enumerate(("Tema Pertama", "Tema Kedua")):
        page.write_text(re.sub(r"(<body[^>]*>)", rf"\1{word}", builtin_base(), count=1), "utf-8")
        commit_all(repo.path, f"tema: {word}")
        out = tmp_path / f"site-{n}"
        result = repo.run("build", "--out", out)
        assert result.exit_code == 0, result.stderr
        index = (out / "index.html").read_text(encoding="utf-8")
        assert word in index and ("Tema Pertama" not in index or n == 0)
