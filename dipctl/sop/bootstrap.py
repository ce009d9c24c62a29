"""``dipctl init``: a new register repository whose first commit, by the head, is the trust
root that ``verify`` starts from (SPEC.md section 4)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dipctl.errors import RegisterError, UsageError
from dipctl.gitrepo import Actor, Repository
from dipctl.gitrepo import init as git_init
from dipctl.register import model, schema, store
from dipctl.register.config import templates_dir
from dipctl.sop import commits

if TYPE_CHECKING:
    import datetime as dt

CI_WORKFLOW = Path(".github/workflows/dip.yml")
GITLAB_CI = Path(".gitlab-ci.yml")
REGISTER_HEADER = (
    "# yaml-language-server: $schema=register.schema.json\n"
    "# Register Daftar Informasi Publik. Perubahan pada `orang` hanya oleh kepala.\n"
)


@dataclass(frozen=True)
class InitOptions:
    directory: Path
    agency: str
    head_name: str
    head_email: str
    place: str = ""
    head_position: str = ""


def register_document(opts: InitOptions) -> dict[str, Any]:
    return {
        "badan_publik": {
            "nama": opts.agency,
            "singkatan": opts.agency,
            "tempat": opts.place or "-",
        },
        "unit": {"sekretariat": {"nama": "Sekretariat"}},
        "orang": [
            {
                "nama": opts.head_name,
                "email": opts.head_email,
                "jabatan": opts.head_position or f"Kepala {opts.agency}",
                "peran": ["kepala"],
            }
        ],
        "mutu_baku": {"rapat": "1 hari", "penetapan": "60 menit", "pengunggahan": "60 menit"},
        "pemutakhiran": {"siklus": "12 bulan", "berkala": "6 bulan"},
        "situs": {"judul": f"Daftar Informasi Publik {opts.agency}", "bahasa": ["id", "en"]},
        "dasar_hukum": [
            "Undang-Undang Nomor 14 Tahun 2008 tentang Keterbukaan Informasi Publik",
            "Peraturan Pemerintah Nomor 61 Tahun 2010 tentang Pelaksanaan Undang-Undang Nomor 14"
            " Tahun 2008 tentang Keterbukaan Informasi Publik",
            "Peraturan Komisi Informasi Nomor 1 Tahun 2021 tentang Standar Layanan Informasi"
            " Publik",
        ],
        "tanda_tangan": {"wajib": False},
    }


def _check(opts: InitOptions) -> None:
    if not model.EMAIL_RE.match(opts.head_email):
        raise UsageError("usage.bad_email", option="--head-email", value=opts.head_email)
    for option, value in (("--agency", opts.agency), ("--head-name", opts.head_name)):
        if not value.strip():
            raise UsageError("usage.empty", option=option)


def skeleton(opts: InitOptions) -> dict[Path, bytes | None]:
    """Every file of a new register, by path: what the first commit holds."""
    root = opts.directory / "register"
    files: dict[Path, bytes | None] = {
        root / model.REGISTER_FILE: store.render_new(
            register_document(opts), REGISTER_HEADER
        ).encode("utf-8"),
    }
    for name in schema.SCHEMAS:
        files[root / name] = schema.schema_text(name).encode("utf-8")
    for folder in (model.ITEMS_DIR, model.MEETINGS_DIR, model.DECREES_DIR):
        files[root / folder / ".gitkeep"] = b""
    extras = {
        CI_WORKFLOW: templates_dir() / "init" / "dip.yml",
        GITLAB_CI: templates_dir() / "init" / "gitlab-ci.yml",
        Path(".gitignore"): templates_dir() / "init" / "gitignore",
    }
    for target, source in extras.items():
        if not (opts.directory / target).exists():
            files[opts.directory / target] = source.read_bytes()
    return files


def init(opts: InitOptions, when: dt.datetime | None = None) -> Path:
    """A new register repository, first commit by the head; returns the register folder."""
    _check(opts)
    opts = dataclasses.replace(opts, directory=opts.directory.absolute())
    root = opts.directory / "register"
    if (root / model.REGISTER_FILE).exists():
        raise RegisterError("register.exists", path=root, hint="hint.exists")
    opts.directory.mkdir(parents=True, exist_ok=True)
    if not (opts.directory / ".git").exists():
        git_init(opts.directory)
    repo = Repository(opts.directory)
    with repo.lock():
        message = commits.message("init", "kepala", [], subject=f"register DIP {opts.agency}")
        repo.commit_files(Actor(opts.head_name, opts.head_email), skeleton(opts), message, when)
    return root
