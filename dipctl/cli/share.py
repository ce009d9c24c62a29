"""The commands that share the register between the officers' clones: ``sync`` and
``clone`` (``init --remote`` lives with ``init``), and the behind-upstream hint."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from dipctl.cli import ui
from dipctl.cli.app import AsOpt, JsonOpt, LangOpt, RegisterOpt, app, reports_errors
from dipctl.i18n import Translator

if TYPE_CHECKING:
    from dipctl.proof.replay import Commit
    from dipctl.register.config import Register
    from dipctl.share.clash import Clash
    from dipctl.share.sync import HistoryRejected, Outcome


@app.command()
@reports_errors
def sync(
    keep_theirs: Annotated[
        list[str] | None,
        typer.Option(
            "--keep-theirs",
            metavar="ID",
            help="Pada konflik: langkah rekan berlaku, langkah Anda yang belum dikirim pada "
            "informasi ID dibuang (ulangi dengan perintah biasa bila masih perlu).",
        ),
    ] = None,
    keep_mine: Annotated[
        list[str] | None,
        typer.Option(
            "--keep-mine",
            metavar="ID",
            help="Pada konflik: langkah Anda pada informasi ID diterapkan lagi di atas langkah "
            "rekan, sebagai langkah baru Anda, bila alur masih membolehkannya.",
        ),
    ] = None,
    register: RegisterOpt = None,
    as_: AsOpt = None,
    lang: LangOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Sinkron dengan server git: ambil langkah rekan, susun langkah Anda di atasnya, kirim.

    Contoh: dipctl sync
    """
    from dipctl.cli.progress import Drawer, number
    from dipctl.register.config import find_register
    from dipctl.share import sync as sharing

    tr = Translator(lang)
    reg = find_register(register)
    shown = Drawer(tr, quiet=as_json)
    try:
        outcome = sharing.sync(reg, as_, keep_theirs or (), keep_mine or (), shown)
    except sharing.SyncConflict as exc:
        shown.stop()
        print_clashes(tr, exc.clashes, exc.saved)
        raise
    except sharing.HistoryRejected as exc:
        shown.stop()
        print_rejected(tr, exc)
        raise
    finally:
        shown.stop()
    if as_json:
        ui.print_json(
            {
                "upstream": outcome.upstream,
                "head": outcome.head,
                "fetched": outcome.fetched,
                "pushed": outcome.pushed,
                "replayed": outcome.replayed,
                "retries": outcome.retries,
                "dropped": [c.sha for c in outcome.dropped],
                "kept": [
                    {"commit": k.sha, "action": k.action, "items": k.items, "fields": k.keys}
                    for k in outcome.kept
                ],
                "saved": {key: str(path) for key, path in outcome.saved.items()},
            }
        )
    else:
        print_outcome(tr, reg, outcome)
    counts = {k: number(getattr(outcome, k), tr.lang) for k in ("fetched", "replayed", "pushed")}
    shown.finish("progress.figures.sync", **counts)


def print_outcome(tr: Translator, reg: Register, out: Outcome) -> None:
    from dipctl.sop import workflow

    for commit in out.dropped:
        subject = commit.subject.split("): ", 1)[-1] if commit.action else commit.subject
        ui.print_result(tr("sync.dropped", subject=subject, sha=commit.sha[:10]))
        for item in commit.items:
            usage = workflow.USAGE.get(commit.action)
            if usage:
                ui.print_result("  " + tr("sync.resolve.redo", command=usage.format(id=item)))
            if item in out.saved:
                ui.print_result("  " + _from_line(tr, item, out.saved[item]))
    for kept in out.kept:
        fields = f" ({', '.join(kept.keys)})" if kept.keys else ""
        ui.print_result(
            tr("keep.done", action=kept.action, items=", ".join(kept.items), fields=fields)
        )
    if out.retries:
        ui.print_message(tr("sync.done.retries", count=out.retries))
    if out.old_findings:
        ui.print_message(tr("sync.old_findings", count=out.old_findings))
    if not out.fetched and not out.pushed and not out.dropped and not out.kept:
        ui.print_result(tr("sync.done.in_step", upstream=out.upstream))
        return
    replayed = tr("sync.done.replayed", count=out.replayed) if out.replayed else ""
    ui.print_result(
        tr(
            "sync.done",
            upstream=out.upstream,
            fetched=out.fetched,
            pushed=out.pushed,
            replayed=replayed,
        )
    )


def _plain(text: str, limit: int = 100) -> str:
    """Text from a commit anyone could have made, safe to print on a terminal."""
    from dipctl.register.characters import CONTROL_RE, INVISIBLE_RE

    return CONTROL_RE.sub("?", INVISIBLE_RE.sub("?", text)).replace("\n", " ")[:limit]


def _step_line(tr: Translator, commit: Commit) -> str:
    subject = commit.subject.split("): ", 1)[-1] if commit.action else commit.subject
    params = {
        "date": commit.date[:16].replace("T", " "),
        "name": _plain(commit.author_name, 80),
        "email": _plain(commit.author_email, 80),
        "subject": _plain(subject),
        "sha": commit.sha[:10],
    }
    if not commit.action:
        return tr("sync.clash.plain", **params)
    role = tr(f"role.{commit.role}") if commit.role else "-"
    return tr("sync.clash.step", action=_plain(commit.action, 20), role=_plain(role, 40), **params)


def _shown_path(path: Path) -> str:
    """``path`` relative to the current folder when it is below it (shorter), else whole."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _from_line(tr: Translator, item: str, path: Path) -> str:
    command = f"dipctl edit {item} --from {_shown_path(path)}"
    return tr("keep.resolve.from", command=command)


def print_clashes(tr: Translator, clashes: list[Clash], saved: dict[str, Path]) -> None:
    """Each file both sides changed, both officers' steps, where the officer's version is
    saved, and the commands that resolve it."""
    from dipctl.sop import workflow

    for found in clashes:
        if found.item:
            ui.print_message(tr("sync.clash.item", item=found.item, path=found.path))
        else:
            ui.print_message(tr("sync.clash.file", path=found.path))
        for label, steps in (("sync.clash.ours", found.ours), ("sync.clash.theirs", found.theirs)):
            ui.print_message(f"  {tr(label)}:")
            for commit in steps:
                ui.print_message(f"    {_step_line(tr, commit)}")
        key = found.item or found.path
        if key in saved:
            ui.print_message("  " + tr("keep.saved", path=_shown_path(saved[key])))
    ids = [c.item or c.path for c in clashes]
    ui.print_message(tr("sync.resolve"))
    items = [c.item for c in clashes if c.item]
    if items:
        mine = "dipctl sync " + " ".join(f"--keep-mine {i}" for i in items)
        ui.print_message("  " + tr("keep.resolve.mine", command=mine, ids=", ".join(items)))
    keep = "dipctl sync " + " ".join(f"--keep-theirs {i}" for i in ids)
    ui.print_message("  " + tr("sync.resolve.keep", command=keep, ids=", ".join(ids)))
    for found in clashes:
        if not found.item:
            continue
        ui.print_message("  " + tr("sync.resolve.show", command=f"dipctl show {found.item}"))
        if found.item in saved:
            ui.print_message("  " + _from_line(tr, found.item, saved[found.item]))
        for action in dict.fromkeys(c.action for c in found.ours if c.action):
            usage = workflow.USAGE.get(action)
            if usage:
                redo = usage.format(id=found.item)
                ui.print_message("  " + tr("sync.resolve.redo", command=redo))
    ui.print_message("  " + tr("sync.resolve.verify", command="dipctl verify"))


def print_rejected(tr: Translator, exc: HistoryRejected) -> None:
    """The findings that stopped the sync, grouped by commit, as ``verify`` prints them."""
    current = ""
    for f in exc.findings:
        if f.commit != current:
            current = f.commit
            ui.print_message(_step_line(tr, exc.commits[f.commit]))
        ui.print_message(f"  {f.path}: {f.item or '-'}: [{f.rule}] {tr(f.key, **dict(f.params))}")


@app.command()
@reports_errors
def clone(
    url: Annotated[str, typer.Argument(help="URL repositori DIP di server git instansi.")],
    directory: Annotated[Path, typer.Argument(help="Folder baru untuk klon.")],
    branch: Annotated[
        str | None,
        typer.Option(
            "--branch",
            help="Cabang server yang diambil (bawaan: cabang yang berisi register).",
        ),
    ] = None,
    as_: AsOpt = None,
    lang: LangOpt = None,
) -> None:
    """Mengklon register dari server git instansi, siap untuk `dipctl sync`.

    Contoh: dipctl clone https://git.example.go.id/ppid/dip.git dip --as kasubbag@x.go.id
    """
    from dipctl.share import clone as cloning

    tr = Translator(lang)
    made = cloning.clone(url, directory, as_, branch)
    ui.print_result(str(made.register.root))
    taken = made.branch
    if branch is None and taken.name != taken.server_default:
        state = "none" if taken.server_default is None else "other"
        state = "missing" if taken.server_default and not taken.default_exists else state
        key = f"done.clone_branch.{state}"
        ui.print_message(tr(key, branch=taken.name, default=taken.server_default))
    if taken.others:
        ui.print_message(tr("done.clone_others", branches=", ".join(taken.others)))
    ui.print_message(tr("done.clone", path=made.register.root))
    if made.person is not None:
        ui.print_message(tr("done.clone_as", name=made.person.name, email=made.person.email))


RemoteOpt = Annotated[
    str | None,
    typer.Option("--remote", help="URL repositori kosong di server git; dikirim ke sana."),
]


def push_first(repo: Path, remote: str, lang: str | None) -> None:
    from dipctl.share import clone

    up = clone.connect(repo, remote)
    ui.print_message(Translator(lang)("done.init_remote", url=remote, branch=up.name))
