"""Every file of the register has an owner (issue 10): who may write which path under
``register/``, by which step, and which rule of ``dipctl verify`` judges it.

:data:`OWNERS` is the table of paths, :data:`SECTIONS` the table of ``register.yaml``'s
top-level sections. The rules ``path``, ``decree``, ``meeting-record`` and ``settings``
judge by them, and ``dipctl verify --explain all`` prints them, so the documentation is
the table itself. Paths are relative to the register folder, with ``/``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dipctl.proof.step import Finding
from dipctl.register import model, schema

if TYPE_CHECKING:
    from collections.abc import Iterator

    from dipctl.proof.replay import Change
    from dipctl.proof.step import Step

#: ``(action, role)``: a commit whose ``DIP-Action`` is ``action``, by someone who holds
#: ``role`` in the parent's register.yaml. ``action`` "" is any commit (a change by hand).
Writer = tuple[str, str]
BY_HAND = ""


@dataclass(frozen=True)
class Owner:
    pattern: str  # as printed: <unit>, <id> and <path> stand for one or more path segments
    regex: str  # the paths it owns (full match)
    rule: str  # the rule of verify that judges a change to it
    writers: tuple[Writer, ...] = ()  # () : judged by the item rules (SPEC.md section 2)
    once: bool = False  # written once, by its step, never changed or deleted afterwards
    replaceable: bool = False  # ... except replaced (never deleted) by its step again
    trailer: str = ""  # the trailer of its step that names the new file's id (the stem)

    def matches(self, path: str) -> bool:
        return re.fullmatch(self.regex, path) is not None

    @property
    def roles(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(role for _, role in self.writers))

    @property
    def actions(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(action for action, _ in self.writers))


_ID = model.ID_PATTERN.strip("^$")
_SCHEMAS = "|".join(re.escape(name) for name in schema.SCHEMAS)
_SCHEMA_NAMES = ",".join(name.removesuffix(".schema.json") for name in schema.SCHEMAS)
KEPALA: tuple[Writer, ...] = ((BY_HAND, "kepala"),)
DECREE_TRAILER = "DIP-Decree"
MEETING_TRAILER = "DIP-Meeting"
PRESENTATION_TRAILER = "DIP-Presentation"
TEST_TRAILER = "DIP-Test"
DOCUMENT_TRAILER = "DIP-Document"
#: The signed scans (SPEC.md section 5, :mod:`dipctl.register.scans`): the PPID Pembantu's
#: `attach` step, replaced only by that step again (`--replace -m ALASAN`).
SCAN_WRITERS: tuple[Writer, ...] = (("attach", "ppid_pembantu"),)

#: Who owns which path. The first row that matches a path is its owner.
OWNERS: tuple[Owner, ...] = (
    Owner(model.REGISTER_FILE, re.escape(model.REGISTER_FILE), "settings"),  # see SECTIONS
    Owner("penanda-tangan", "penanda-tangan", "people", KEPALA),
    # the JSON Schemas for editors, written by `dipctl init`
    Owner(f"{{{_SCHEMA_NAMES}}}.schema.json", f"(?:{_SCHEMAS})", "path", KEPALA),
    # the empty folders' placeholders, written by `dipctl init`
    Owner(
        f"{{{model.ITEMS_DIR},{model.MEETINGS_DIR},{model.DECREES_DIR}}}/.gitkeep",
        f"(?:{model.ITEMS_DIR}|{model.MEETINGS_DIR}|{model.DECREES_DIR})/\\.gitkeep",
        "path",
        KEPALA,
    ),
    # items: the SOP's steps and editing states (transition, role, edit, managed, ...)
    Owner(f"{model.ITEMS_DIR}/<unit>/<id>.yaml", f"{model.ITEMS_DIR}/[^/]+/{_ID}\\.yaml", "item"),
    # step 4: the meeting record and its printable minutes (berita acara)
    Owner(
        f"{model.MEETINGS_DIR}/<id>.yaml",
        f"{model.MEETINGS_DIR}/{_ID}\\.yaml",
        "meeting-record",
        (("meeting", "ppid_pembantu"),),
        once=True,
        trailer=MEETING_TRAILER,
    ),
    Owner(
        f"{model.MEETINGS_DIR}/<id>.html",
        f"{model.MEETINGS_DIR}/{_ID}\\.html",
        "meeting-record",
        (("meeting", "ppid_pembantu"),),
        once=True,
        trailer=MEETING_TRAILER,
    ),
    # step 5 and withdrawal: the decrees (the DIP decrees by the kepala, the Penetapan DIK
    # by the PPID Pembantu in its `exempt` step; DECREE_KINDS says which kind each writes)
    Owner(
        f"{model.DECREES_DIR}/<id>.yaml",
        f"{model.DECREES_DIR}/{_ID}\\.yaml",
        "decree",
        (
            ("establish", "kepala"),
            ("withdraw", "kepala"),
            ("import", "kepala"),
            ("exempt", "ppid_pembantu"),
            ("lift", "ppid_pembantu"),
        ),
        once=True,
        trailer=DECREE_TRAILER,
    ),
    # the signed scans beside a decree and a meeting record (`dipctl decree attach`,
    # `dipctl meeting attach`), and of an item's approved consequence test of revision <n>
    # (`dipctl consequence-test ID --attach`); the rule `evidence` checks what they hold
    Owner(
        f"{model.DECREES_DIR}/<id>.pdf",
        f"{model.DECREES_DIR}/{_ID}\\.pdf",
        "decree",
        SCAN_WRITERS,
        once=True,
        replaceable=True,
        trailer=DECREE_TRAILER,
    ),
    Owner(
        f"{model.MEETINGS_DIR}/<id>.pdf",
        f"{model.MEETINGS_DIR}/{_ID}\\.pdf",
        "meeting-record",
        SCAN_WRITERS,
        once=True,
        replaceable=True,
        trailer=MEETING_TRAILER,
    ),
    Owner(
        f"{model.TESTS_DIR}/<id>{model.TEST_REVISION}<n>.pdf",
        f"{model.TESTS_DIR}/{_ID}{re.escape(model.TEST_REVISION)}[0-9]+\\.pdf",
        "evidence",
        SCAN_WRITERS,
        once=True,
        replaceable=True,
        trailer=TEST_TRAILER,
    ),
    # the other e-Monev documents, `dipctl document add`: the record and its scan
    Owner(
        f"{model.DOCUMENTS_DIR}/<id>.yaml",
        f"{model.DOCUMENTS_DIR}/{_ID}\\.yaml",
        "evidence",
        (("document", "ppid_pembantu"),),
        once=True,
        trailer=DOCUMENT_TRAILER,
    ),
    Owner(
        f"{model.DOCUMENTS_DIR}/<id>.pdf",
        f"{model.DOCUMENTS_DIR}/{_ID}\\.pdf",
        "evidence",
        (("document", "ppid_pembantu"),),
        once=True,
        replaceable=True,
        trailer=DOCUMENT_TRAILER,
    ),
    # step 5's clock: the draft decree presented to the kepala, `dipctl decree present`
    Owner(
        f"{model.PRESENTATIONS_DIR}/<id>.yaml",
        f"{model.PRESENTATIONS_DIR}/{_ID}\\.yaml",
        "present",
        (("present", "ppid_pembantu"),),
        once=True,
        trailer=PRESENTATION_TRAILER,
    ),
    # the agency's theme for the site (dipctl.publish.site): it is what the public sees of
    # the agency, so only the head and the PPID Pembantu (who runs step 6) change it
    Owner(
        "tema/templates/<path>",
        "tema/templates/[^/]+(?:/[^/]+)*",
        "path",
        ((BY_HAND, "kepala"), (BY_HAND, "ppid_pembantu")),
    ),
    Owner(
        "tema/static/<path>",
        "tema/static/[^/]+(?:/[^/]+)*",
        "path",
        ((BY_HAND, "kepala"), (BY_HAND, "ppid_pembantu")),
    ),
)

#: Every path of the repository outside the register folder (and, for a register at the top
#: of its repository, every dot-file and dot-folder there): the CI files (`.github/`,
#: `.gitlab-ci.yml`), `.gitignore`, `.gitmodules`, `.gitattributes`, a README. They decide
#: how the register is checked out, checked and published, so they are the kepala's
#: settings (``path``); an attribute that changes checked-out bytes is refused outright.
OUTSIDE = Owner("../<path>", ".+", "path", KEPALA)

#: The attributes of ``.gitattributes`` that make the checked-out bytes differ from the
#: committed blobs (an encoding, a filter, line endings, ``$Id$``): whatever sets them,
#: wherever, ``path`` reports it, since the site would publish bytes nobody verified.
CHECKOUT_ATTRIBUTES = ("working-tree-encoding", "filter", "ident", "eol", "text", "crlf")

#: The kind of decree (`jenis`) each step that writes one may write.
DECREE_KINDS: dict[str, tuple[str, ...]] = {
    "establish": ("penetapan",),
    "withdraw": ("pencabutan",),
    "import": ("penetapan",),
    "exempt": (model.DIK_KIND,),
    "lift": (model.DIK_KIND,),
}

#: The folders whose every file is judged by their own rule (a file no row owns there is
#: that rule's finding); any other unowned path is a ``path`` finding.
AREAS = {
    f"{model.MEETINGS_DIR}/": "meeting-record",
    f"{model.DECREES_DIR}/": "decree",
    f"{model.PRESENTATIONS_DIR}/": "present",
    f"{model.TESTS_DIR}/": "evidence",
    f"{model.DOCUMENTS_DIR}/": "evidence",
}


@dataclass(frozen=True)
class Section:
    keys: tuple[str, ...]  # () : every section not named in another row
    rule: str
    roles: tuple[str, ...]


#: Who changes which top-level section of register.yaml (judged by the parent's copy).
SECTIONS: tuple[Section, ...] = (
    Section(("orang", "tanda_tangan", "verifikasi"), "people", ("kepala",)),
    # paper and print settings, when register.yaml gets them, belong here too
    Section(("situs",), "settings", ("kepala", "ppid_pembantu")),
    Section(
        ("badan_publik", "unit", "mutu_baku", "pemutakhiran", "dasar_hukum"),
        "settings",
        ("kepala",),
    ),
    Section((), "settings", ("kepala",)),
)
PEOPLE_SECTIONS = SECTIONS[0].keys


@functools.cache
def owner(path: str) -> Owner | None:
    """The row that owns ``path`` (relative to the register folder), if any (asked once per
    path: a walk asks for each file of every commit)."""
    return next((o for o in OWNERS if o.matches(path)), None)


@functools.cache
def area(path: str) -> str:
    """The rule that reports ``path`` when no row owns it."""
    return next((rule for folder, rule in AREAS.items() if path.startswith(folder)), "path")


def section(key: object) -> Section:
    return next((s for s in SECTIONS if key in s.keys), SECTIONS[-1])


def changes_checkout(text: str) -> str:
    """The first line of a ``.gitattributes`` that changes the bytes git checks out ("" when
    none does): a macro definition (``[attr]``, which could bundle any of them), or one of
    :data:`CHECKOUT_ATTRIBUTES` set, or given a value; only unsetting ``text`` (``-text``,
    as ``binary`` does) keeps the bytes as committed."""
    for line in text.splitlines():
        fields = line.split()
        if not fields or fields[0].startswith("#"):
            continue
        if fields[0].startswith("[attr]"):
            return line.strip()
        for attr in fields[1:]:
            name = attr.lstrip("-!").split("=", 1)[0]
            if name in CHECKOUT_ATTRIBUTES and not (attr.startswith("-") and name == "text"):
                return line.strip()
    return ""


# -- judging one commit --------------------------------------------------------------------


def relative(step: Step, path: str) -> str | None:
    """``path`` relative to the register folder, or None when it lies outside it (for a
    register at the top of its repository: a dot-file or dot-folder there)."""
    if not path.startswith(step.prefix):
        return None
    rel = path[len(step.prefix) :]
    return None if not step.prefix and rel.startswith(".") else rel


def carried(step: Step, path: str, new: str | None) -> bool:
    """A merge only carries ``path`` over when another parent already had it as it is now
    (the commit that made it there was judged on its own); a deletion always counts."""
    parents = step.commit.parents
    if len(parents) < 2:  # no other parent (nearly every commit: asked for each of its files)
        return False
    return new is not None and any(step.objects.blob_at(p, path) == new for p in parents[1:])


def holds(step: Step, role: str) -> bool:
    author = step.author
    return author is not None and role in author.roles


def _in_area(step: Step, rule: str) -> list[tuple[Change, str]]:
    """The changes of ``step`` (with their paths in the register) in the :func:`area` of
    ``rule``, in the commit's order; sorted once per step for the four rules that ask."""
    areas = step.memo.get("areas")
    if areas is None:
        areas = step.memo["areas"] = {}
        for change in step.commit.changes:
            path = relative(step, change.path)
            if path is not None:
                areas.setdefault(area(path), []).append((change, path))
    found: list[tuple[Change, str]] = areas.get(rule, [])
    return found


def record_findings(step: Step, rule: str) -> Iterator[Finding]:
    """The findings of ``rule`` (``decree``, ``meeting-record`` or ``evidence``) on the files
    of its folders that ``step`` changed: written once (a scan: or replaced), by its step and
    role, named by its trailer."""
    commit = step.commit
    for change, path in _in_area(step, rule):
        if carried(step, change.path, change.new):
            continue
        row = owner(path)
        params: dict[str, str] = {"email": commit.author_email, "action": commit.action or "-"}
        if row is None or row.rule != rule:
            key = "verify.record_unowned"
        elif change.old is not None and not (row.replaceable and change.new is not None):
            key = "verify.record_deleted" if change.new is None else "verify.record_changed"
            params["steps"] = ", ".join(row.actions)
        elif not any(commit.action == a and holds(step, r) for a, r in row.writers):
            key = "verify.scan_changed" if change.old is not None else "verify.record_step"
            params.update(steps=", ".join(row.actions), roles=", ".join(row.roles))
        else:
            named = commit.trailers.get(row.trailer, [])
            stem = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
            kind = _kind(step, change.path, change.new) if path.endswith(".yaml") else None
            if named == [stem] and kind in (None, *DECREE_KINDS.get(commit.action or "", ())):
                yield from _other_kind(step, rule, change.path, kind)
                continue
            if named == [stem]:
                key = "verify.decree_kind"
                params.update(kind=kind or "-", kinds=", ".join(DECREE_KINDS[commit.action or ""]))
                yield Finding(commit.sha, change.path, "", rule, key, tuple(params.items()))
                continue
            key = "verify.record_id"
            params.update(trailer=row.trailer, named=", ".join(named) or "-", id=stem)
        yield Finding(commit.sha, change.path, "", rule, key, tuple(params.items()))


#: The two families of decree: a decree revokes or amends only one of its own family, issued
#: by the same role (the head's SK DIP, the PPID's Penetapan DIK).
FAMILIES = (model.DIP_KINDS, (model.DIK_KIND,))


def _family(kind: str) -> tuple[str, ...]:
    return next((f for f in FAMILIES if kind in f), ())


def _other_kind(step: Step, rule: str, path: str, kind: str | None) -> Iterator[Finding]:
    """A new decree that revokes (`mencabut`) or amends (`mengubah`) a decree of the other
    family, or one that is not in the register."""
    if kind is None:
        return
    data = step.objects.data_at(step.commit.sha, path) or {}
    folder = path.rsplit("/", 1)[0]
    for key in ("mencabut", "mengubah"):
        for target in _ids(data.get(key)):
            other = step.objects.data_at(step.commit.sha, f"{folder}/{target}.yaml")
            other_kind = str((other or {}).get("jenis") or "")
            if other is None or _family(other_kind) != _family(kind):
                params = (
                    ("key", key),
                    ("target", target),
                    ("kind", kind or "-"),
                    ("other", other_kind or "-"),
                )
                yield Finding(step.commit.sha, path, "", rule, "verify.decree_family", params)


def _ids(value: object) -> list[str]:
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, list):
        return [str(v) for v in value if v]
    return []


def _kind(step: Step, path: str, new: str | None) -> str | None:
    """A new decree's ``jenis`` (None for a meeting record or a file that is not a mapping)."""
    if new is None or path.rsplit("/", 2)[-2:-1] != [model.DECREES_DIR]:
        return None
    data = step.objects.data_at(step.commit.sha, path)
    return str(data.get("jenis") or "") if isinstance(data, dict) else ""
