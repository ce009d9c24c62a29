"""The write-side use-cases: ``init`` and step 1's ``new``; each ends in exactly one commit."""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dipctl import commits, model, schema, store, workflow
from dipctl.config import Register, templates_dir
from dipctl.errors import GitFailed, NotAuthorized, RegisterError, UsageError
from dipctl.gitrepo import Actor, Repository
from dipctl.gitrepo import init as git_init

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Sequence

    from dipctl.model import Person

CI_WORKFLOW = Path(".github/workflows/dip.yml")


def acting_person(reg: Register, repo: Repository | None, as_email: str | None) -> Person:
    """``--as``, else ``DIPCTL_AS``, else git's ``user.email``: a person of register.yaml."""
    email = as_email or os.environ.get("DIPCTL_AS") or (repo.config("user.email") if repo else "")
    if not email:
        raise NotAuthorized("actor.unknown", hint="hint.as")
    person = reg.settings.person(email)
    if person is None:
        raise NotAuthorized("actor.not_in_register", email=email, hint="hint.add_person")
    return person


def require_role(person: Person, role: str, unit: str | None, action: str) -> None:
    if not person.may_act_for(role, unit):
        raise NotAuthorized(
            "actor.wrong_role",
            email=person.email,
            role=role,
            unit=unit or "-",
            action=action,
            hint="hint.who_may",
        )


def open_repository(reg: Register) -> Repository:
    repo = Repository(reg.root)
    conflicted = repo.conflicted()
    if conflicted:
        raise GitFailed("git.conflict", paths=", ".join(conflicted), hint="hint.conflict")
    return repo


# -- init ----------------------------------------------------------------------------------


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


REGISTER_HEADER = (
    "# yaml-language-server: $schema=register.schema.json\n"
    "# Register Daftar Informasi Publik. Perubahan pada `orang` hanya oleh kepala.\n"
)


def init(opts: InitOptions, when: dt.datetime | None = None) -> Path:
    """A new register repository, first commit by the head; returns the register folder."""
    if not model.EMAIL_RE.match(opts.head_email):
        raise UsageError("usage.bad_email", option="--head-email", value=opts.head_email)
    for option, value in (("--agency", opts.agency), ("--head-name", opts.head_name)):
        if not value.strip():
            raise UsageError("usage.empty", option=option)
    opts = dataclasses.replace(opts, directory=opts.directory.absolute())
    root = opts.directory / "register"
    if (root / model.REGISTER_FILE).exists():
        raise RegisterError("register.exists", path=root, hint="hint.exists")
    opts.directory.mkdir(parents=True, exist_ok=True)
    if not (opts.directory / ".git").exists():
        git_init(opts.directory)
    repo = Repository(opts.directory)
    written = _write_skeleton(opts, root)
    head = Actor(opts.head_name, opts.head_email)
    repo.commit_as(
        head,
        written,
        commits.message("init", "kepala", [], subject=f"register DIP {opts.agency}"),
        when,
    )
    return root


def _write_skeleton(opts: InitOptions, root: Path) -> list[Path]:
    written = []
    store.create(root / model.REGISTER_FILE, register_document(opts), REGISTER_HEADER)
    written.append(root / model.REGISTER_FILE)
    for name in schema.SCHEMAS:
        store.write_atomic(root / name, schema.schema_text(name))
        written.append(root / name)
    for folder in (model.ITEMS_DIR, model.MEETINGS_DIR, model.DECREES_DIR):
        keep = root / folder / ".gitkeep"
        keep.parent.mkdir(parents=True, exist_ok=True)
        keep.touch()
        written.append(keep)
    extras = {
        CI_WORKFLOW: templates_dir() / "init" / "dip.yml",
        Path(".gitignore"): templates_dir() / "init" / "gitignore",
    }
    for target, source in extras.items():
        path = opts.directory / target
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, path)
            written.append(path)
    return written


# -- new (step 1) --------------------------------------------------------------------------


@dataclass(frozen=True)
class NewItem:
    unit: str
    title: str
    summary: str = ""
    responsible: str = ""
    made: str = ""
    place: str = ""
    forms: Sequence[str] = ()
    retention: str = ""
    item_id: str | None = None


def slug(text: str, limit: int = 60) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return words[:limit].rstrip("-")


def _new_id(spec: NewItem, taken: set[str]) -> str:
    if spec.item_id is not None:
        if not model.ID_RE.match(spec.item_id):
            raise UsageError("usage.bad_id", value=spec.item_id)
        if spec.item_id in taken:
            raise UsageError("usage.id_taken", value=spec.item_id)
        return spec.item_id
    base = slug(spec.title)
    base = base if len(base) >= 3 else f"informasi-{base}".strip("-")
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def new(reg: Register, spec: NewItem, as_email: str | None, when: dt.datetime | None = None) -> str:
    """Step 1: a ``draf`` item in its unit's folder, committed as the kasubbag."""
    repo = open_repository(reg)
    person = acting_person(reg, repo, as_email)
    if spec.unit not in reg.settings.units:
        raise UsageError(
            "usage.bad_choice",
            option="--unit",
            value=spec.unit,
            choices=", ".join(sorted(reg.settings.units)),
        )
    step = workflow.find("new", "", model.Status.DRAFT.value)
    role = step.role if step else "kasubbag"
    require_role(person, role, spec.unit, "new")
    for form in spec.forms:
        if form not in model.FORMS:
            raise UsageError(
                "usage.bad_choice", option="--form", value=form, choices=", ".join(model.FORMS)
            )
    if not spec.title.strip():
        raise UsageError("usage.empty", option="--title")
    if spec.made and not re.match(model.PERIOD_PATTERN, spec.made):
        raise UsageError("usage.bad_period", value=spec.made)
    with repo.lock():
        item_id = _new_id(spec, {Path(p).stem for p in store.item_paths(reg.items_dir)})
        path = reg.item_path(spec.unit, item_id)
        store.create(
            path,
            _item_document(reg, spec, item_id),
            model.MODELINE.format(schema=f"../../{model.ITEM_SCHEMA_FILE}"),
        )
        try:
            repo.commit_as(
                Actor(person.name, person.email),
                [path],
                commits.message("new", role, [item_id], target=model.Status.DRAFT.value),
                when,
            )
        except BaseException:
            path.unlink(missing_ok=True)
            raise
    return item_id


def _item_document(reg: Register, spec: NewItem, item_id: str) -> dict[str, Any]:
    return {
        "id": item_id,
        "judul": spec.title.strip(),
        "ringkasan": spec.summary,
        "unit": spec.unit,
        "penanggung_jawab": spec.responsible,
        "waktu_pembuatan": spec.made,
        "tempat_pembuatan": spec.place or reg.settings.agency_place,
        "bentuk": list(dict.fromkeys(spec.forms)),
        "retensi": spec.retention,
        "status": model.Status.DRAFT.value,
    }
