"""``dipctl init``: a new register repository whose first commit, by the head, is the trust
root that ``verify`` starts from (SPEC.md section 4)."""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dipctl.errors import RegisterError, UsageError
from dipctl.gitrepo import Actor, Repository
from dipctl.gitrepo import init as git_init
from dipctl.register import checks, model, roundtrip, schema, signers
from dipctl.register.config import templates_dir
from dipctl.sop import commits, identity, install_source, kelengkapan, signing

if TYPE_CHECKING:
    import datetime as dt

CI_WORKFLOW = Path(".github/workflows/dip.yml")
GITLAB_CI = Path(".gitlab-ci.yml")
REGISTER_HEADER = (
    "# yaml-language-server: $schema=register.schema.json\n"
    "# Register Daftar Informasi Publik. Perubahan pada `orang` hanya oleh kepala.\n"
)


@dataclass(frozen=True)
class AgencyForm:
    """The kop and the PPID's contact (``badan_publik``), and the head's NIP: "" is left out."""

    government: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    hours: str = ""
    head_nip: str = ""


@dataclass(frozen=True)
class InitOptions:
    directory: Path
    agency: str
    head_name: str
    head_email: str
    place: str = ""
    head_position: str = ""
    signed: bool = True  # tanda_tangan.wajib, the head's key listed, the first commit signed
    key: Path | None = None  # the head's SSH key (default: signing.chosen_path)
    dipctl_source: str | None = None  # the CI's DIPCTL_SOURCE (default: default_source())
    form: AgencyForm = AgencyForm()
    federation: bool = False  # a PPID Utama's federation register: ``anggota: {}``


@dataclass(frozen=True)
class FormField:
    """One piece of the agency's form that ``init`` takes: its option, the attribute of
    :class:`AgencyForm`, the key it is written to and how its value is checked."""

    attr: str
    option: str
    key: str  # in badan_publik, or ``nip`` of the head in orang
    kind: str  # text | email | url | nip


#: In the order the options are listed and the questions asked.
FORM = (
    FormField("government", "--government", "pemerintah", "text"),
    FormField("address", "--address", "alamat", "text"),
    FormField("phone", "--phone", "telepon", "text"),
    FormField("email", "--email", "email", "email"),
    FormField("website", "--website", "situs", "url"),
    FormField("hours", "--hours", "jam_layanan", "text"),
    FormField("head_nip", "--head-nip", "nip", "nip"),
)


def checked_form_value(field: FormField, value: str) -> str:
    """An answer or option value as ``validate`` would accept it in register.yaml ("" stays
    empty: the key is left out), else a usage error naming the option."""
    text = value.strip()
    if not text:
        return ""
    kelengkapan.check_option_text(field.option, text)
    if "\n" in text:
        raise UsageError("usage.one_line", option=field.option)
    if field.kind == "email" and checks.check_email(text) is not None:
        raise UsageError("usage.bad_email", option=field.option, value=text)
    if field.kind == "url" and checks.check_url(text) is not None:
        raise UsageError("usage.bad_web_address", option=field.option, value=text[:200])
    if field.kind == "nip":
        text = "".join(text.split())  # "19700101 199503 1 001" as it is often written
        if not model.NIP_RE.match(text):
            raise UsageError("usage.bad_nip", option=field.option, value=value.strip()[:40])
    return text


@dataclass(frozen=True)
class Initialised:
    root: Path
    key: signing.OfficerKey | None  # the head's signing key (None: --unsigned)
    source: install_source.Source  # the CI's DIPCTL_SOURCE and where it came from
    source_present: bool = True  # False: a wheel named by --dipctl-source, not in the repository

    @property
    def dipctl_source(self) -> str:
        return self.source.value


def register_document(opts: InitOptions) -> dict[str, Any]:
    form = {f.key: getattr(opts.form, f.attr) for f in FORM if getattr(opts.form, f.attr)}
    head_nip = form.pop("nip", None)
    head = {
        "nama": opts.head_name,
        "email": opts.head_email,
        "nip": head_nip,
        "jabatan": opts.head_position or f"Kepala {opts.agency}",
        "peran": ["kepala"],
    }
    document: dict[str, Any] = {
        "badan_publik": {
            "nama": opts.agency,
            "singkatan": opts.agency,
            "tempat": opts.place or "-",
            **form,
        },
        "unit": {"sekretariat": {"nama": "Sekretariat"}},
        "orang": [{k: v for k, v in head.items() if v is not None}],
        "mutu_baku": {"rapat": "1 hari", "penetapan": "60 menit", "pengunggahan": "60 menit"},
        "pemutakhiran": {"siklus": "12 bulan", "berkala": "6 bulan"},
        "situs": {"judul": f"Daftar Informasi Publik {opts.agency}", "bahasa": ["id", "en"]},
        "dasar_hukum": list(model.DEFAULT_RECITALS),  # also the SK DIP's Mengingat
        "tanda_tangan": {"wajib": opts.signed},
    }
    if opts.federation:
        document["anggota"] = {}
    return document


def _check(opts: InitOptions) -> None:
    if not model.EMAIL_RE.match(opts.head_email):
        raise UsageError("usage.bad_email", option="--head-email", value=opts.head_email)
    for option, value in (("--agency", opts.agency), ("--head-name", opts.head_name)):
        if not value.strip():
            raise UsageError("usage.empty", option=option)
    if opts.signed and not signers.valid_email(opts.head_email):
        raise UsageError("usage.bad_email", option="--head-email", value=opts.head_email)
    for field in FORM:
        checked_form_value(field, getattr(opts.form, field.attr))


#: The placeholder of the CI templates that ``init`` replaces with ``DIPCTL_SOURCE``.
SOURCE_PLACEHOLDER = '"__DIPCTL_SOURCE__"'


def skeleton(
    opts: InitOptions,
    head_key: signers.PublicKey | None = None,
    source: install_source.Source | None = None,
) -> dict[Path, bytes | None]:
    """Every file of a new register, by path: what the first commit holds (with the
    head's key in ``penanda-tangan`` when given, ``source`` in the CI files, and the wheel
    of the running dipctl where that is the source)."""
    source = source or install_source.Source("", "unknown")
    root = opts.directory / "register"
    files: dict[Path, bytes | None] = {
        root / model.REGISTER_FILE: roundtrip.render_new(
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
    if head_key is not None:
        files[root / signers.FILE] = (signers.line(opts.head_email, head_key) + "\n").encode()
    steps = {CI_WORKFLOW: "federation-github.yml", GITLAB_CI: "federation-gitlab.yml"}
    for target, template in extras.items():
        if not (opts.directory / target).exists():
            text = template.read_text(encoding="utf-8")
            text = text.replace(SOURCE_PLACEHOLDER, json.dumps(source.value))
            if target in steps:  # a federation proves its members before the portal is built
                federation = (templates_dir() / "init" / steps[target]).read_text("utf-8")
                text = re.sub(r"^ *# __FEDERATION__\n", federation if opts.federation else "",
                              text, flags=re.M)  # fmt: skip
            files[opts.directory / target] = text.encode("utf-8")
    if source.wheel is not None and not (opts.directory / source.value).exists():
        files[opts.directory / source.value] = source.wheel
    return files


def init(opts: InitOptions, when: dt.datetime | None = None) -> Initialised:
    """A new register repository, first commit by the head (signed, with the head's key
    listed, unless ``opts.signed`` is False)."""
    _check(opts)
    form = AgencyForm(**{f.attr: checked_form_value(f, getattr(opts.form, f.attr)) for f in FORM})
    opts = dataclasses.replace(opts, form=form)
    source = install_source.chosen(opts.dipctl_source)
    opts = dataclasses.replace(opts, directory=opts.directory.absolute())
    root = opts.directory / "register"
    if (root / model.REGISTER_FILE).exists():
        raise RegisterError("register.exists", path=root, hint="hint.exists")
    opts.directory.mkdir(parents=True, exist_ok=True)
    if not (opts.directory / ".git").exists():
        git_init(opts.directory)
    repo = Repository(opts.directory)
    key = signing.officer_key(repo, opts.head_email, opts.key) if opts.signed else None
    with repo.lock():
        if key is not None:
            signing.configure(repo, key, root / signers.FILE)
        message = commits.message("init", "kepala", [], subject=f"register DIP {opts.agency}")
        files = skeleton(opts, key.key if key else None, source)
        actor = Actor(opts.head_name, opts.head_email)
        repo.commit_files(actor, files, message, when, sign=key is not None)
    identity.record(repo, opts.head_name, opts.head_email)  # the head acts here without --as
    wheel = source.value.endswith(".whl")
    return Initialised(root, key, source, not wheel or (opts.directory / source.value).is_file())
