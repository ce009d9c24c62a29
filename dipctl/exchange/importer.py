"""``dipctl import``: an established DIP from a spreadsheet, as one commit by a kepala.

:func:`~dipctl.exchange.sheets.read_rows` reads the spreadsheet,
:func:`~dipctl.exchange.rows.parse` understands it as an :class:`ImportPlan`, and
:func:`commit` writes the items and their decree, or nothing at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dipctl.errors import Incomplete, NotAuthorized
from dipctl.exchange.rows import ImportPlan, RowProblem, name_items, parse, period, when_where
from dipctl.exchange.sheets import read_rows, read_unit_map
from dipctl.gitrepo import Actor
from dipctl.register import model, roundtrip, store
from dipctl.register.ids import record_id, slug
from dipctl.register.queries import load_decrees, load_items
from dipctl.sop import commits, decree, kelengkapan

if TYPE_CHECKING:
    import datetime as dt
    from pathlib import Path

    from dipctl.register.config import Register
    from dipctl.sop.transaction import Session

__all__ = [
    "ImportPlan",
    "Result",
    "RowProblem",
    "commit",
    "parse",
    "period",
    "read_rows",
    "read_unit_map",
    "taken_ids",
    "when_where",
]


@dataclass(frozen=True)
class Result:
    commit: str  # "" on a dry run
    decree: str
    items: tuple[dict[str, Any], ...]
    files: tuple[str, ...]


# -- committing ----------------------------------------------------------------------------


def commit(
    reg: Register,
    plan: ImportPlan,
    number: str,
    date: str,
    as_email: str | None,
    dry_run: bool = False,
    when: dt.datetime | None = None,
) -> Result:
    """The items, established by decree ``number`` of ``date``, as one commit by a kepala;
    nothing is written when the plan has problems or on a dry run."""
    if plan.problems:
        raise Incomplete(
            "import.refused",
            path=plan.source,
            count=len(plan.problems),
            problems=plan.as_problems(),
            hint="import.hint_fix",
        )
    kelengkapan.check_decree(number, date)
    session = _kepala(reg, as_email)
    with session.locked():
        decree_id = record_id(reg.decrees_dir, "sk-" + slug(number))
        taken = taken_ids(reg)
        clash = sorted(plan.given & taken)  # taken since the file was read
        if clash:
            stale = [RowProblem(0, "import.id_taken", {"value": i}) for i in clash]
            raise Incomplete(
                "import.refused",
                path=plan.source,
                count=len(clash),
                problems=ImportPlan([], stale, plan.source).as_problems(),
                hint="import.hint_fix",
            )
        items = [dict(i) for i in plan.items]
        name_items(items, taken, plan.given)
        files = _files(reg, items, decree_id, number, date, session.person.email)
        relative = tuple(reg.relative(p) for p in files)
        if dry_run:
            return Result("", decree_id, tuple(items), relative)
        ids = [i["id"] for i in items]
        subject = f"impor DIP {len(ids)} informasi, {number.strip()}"
        message = commits.message(
            "import", "kepala", ids, subject=subject, extra={"DIP-Decree": decree_id}
        )
        actor = Actor(session.person.name, session.person.email)
        blobs: dict[Path, bytes | None] = {p: t.encode("utf-8") for p, t in files.items()}
        sha = session.repo.commit_files(actor, blobs, message, when, session._sign())
        return Result(sha, decree_id, tuple(items), relative)


def taken_ids(reg: Register) -> set[str]:
    """The ids of every item file in the register (an import may not reuse one)."""
    return {p.rsplit("/", 1)[-1].removesuffix(".yaml") for p in store.item_paths(reg.items_dir)}


def _kepala(reg: Register, as_email: str | None) -> Session:
    from dipctl.sop.transaction import Session

    session = Session(reg, as_email)
    if "kepala" not in session.person.roles:
        heads = ", ".join(f"{p.name} <{p.email}>" for p in reg.settings.people_with("kepala"))
        raise NotAuthorized(
            "refused.role", id="phrase.import_file", email=session.person.email, role="kepala",
            unit="phrase.whole_agency", action="import", who=heads or "phrase.nobody",
            hint="hint.who_may",
        )  # fmt: skip
    return session


def _files(
    reg: Register, items: list[dict[str, Any]], decree_id: str, number: str, date: str, signer: str
) -> dict[Path, str]:
    files: dict[Path, str] = {}
    item_header = model.MODELINE.format(schema=f"../../{model.ITEM_SCHEMA_FILE}")
    established = model.Status.ESTABLISHED.value
    for item in items:
        if item["status"] == established:  # an exempt row arrives as a draft, undecreed
            item["keputusan"] = decree_id
        files[reg.item_path(item["unit"], item["id"])] = roundtrip.render_new(item, item_header)
    public = [i["id"] for i in items if i["status"] == established]
    document = decree.document(
        reg,
        load_items(reg),
        load_decrees(reg),
        decree_id=decree_id,
        kind="penetapan",
        number=number,
        date=date,
        signer=signer,
        adding=public,
    )
    document["sumber"] = "impor"  # validate then needs no meeting record for these items
    files[reg.decrees_dir / f"{decree_id}.yaml"] = roundtrip.render_new(
        document, model.MODELINE.format(schema="../keputusan.schema.json")
    )
    return files
