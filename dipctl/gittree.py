"""A step's tree, made from its parent's by rewriting only the folders the step changed.

``git read-tree`` of HEAD into a private index, ``update-index`` and ``write-tree`` read
and write every entry of the register (at 10,000 items, a 1.2 MB index three times: about
half of a step's git time). A step changes one item, or the items of a few unit folders:
here git lists just the folders on the way to the changed files (one ``git ls-tree``) and
writes just those trees again, deepest first (one ``git mktree --batch``); every other
folder keeps its tree object as it is. The result is the tree ``write-tree`` would have
written (git sorts each tree and checks that each object it names exists); no object is
parsed or written here by hand.
"""

from __future__ import annotations

import subprocess
from typing import TYPE_CHECKING

from dipctl.errors import GitFailed
from dipctl.files import reason
from dipctl.gitfiles import c_locale

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from pathlib import Path

#: One entry of a tree as ``git ls-tree`` and ``git mktree`` spell it: (mode, type, id).
Entry = tuple[str, str, str]
TREE_MODE = "040000"


def step_tree(
    work_tree: Path,
    head: str | None,
    changes: Mapping[str, Entry | None],
    between: Callable[[], None] = lambda: None,
) -> str:
    """The id of HEAD's tree with ``changes`` applied (a path of the work tree, relative to
    its top, with its new entry, or None to delete it); a folder left empty goes, as it
    would from an index. ``between`` runs after the first tree is written (a fault point)."""
    folders = _folders(changes)
    listing = _listing(work_tree, head, folders)
    for rel, entry in changes.items():
        parent, _, name = rel.rpartition("/")
        if entry is None:
            listing[parent].pop(name, None)
        else:
            listing[parent][name] = entry
    return _write(work_tree, folders, listing, between)


def _folders(changes: Mapping[str, Entry | None]) -> list[str]:
    """Every folder on the way to a changed path, the top ("") included, deepest first."""
    found = {""}
    for rel in changes:
        parts = rel.split("/")[:-1]
        found.update("/".join(parts[: n + 1]) for n in range(len(parts)))
    return sorted(found, key=lambda f: (-f.count("/") - (f != ""), f))


def _listing(work_tree: Path, head: str | None, folders: list[str]) -> dict[str, dict[str, Entry]]:
    """What each of ``folders`` holds at ``head``: one ``git ls-tree`` of them all (a folder
    that is also listed shows its content in place of its own entry)."""
    listing: dict[str, dict[str, Entry]] = {f: {} for f in folders}
    if head is None:
        return listing
    specs = ["." if f == "" else f"{f}/" for f in folders]
    out = _git(work_tree, ["--literal-pathspecs", "ls-tree", "-z", head, "--", *specs])
    for record in out.split(b"\0"):
        if not record:
            continue
        meta, _, raw = record.partition(b"\t")
        mode, kind, oid = meta.decode("ascii").split(" ")
        parent, _, name = raw.decode("utf-8", "surrogateescape").rpartition("/")
        if parent in listing:
            listing[parent][name] = (mode, kind, oid)
    return listing


def _write(
    work_tree: Path,
    folders: list[str],
    listing: dict[str, dict[str, Entry]],
    between: Callable[[], None],
) -> str:
    """Write ``folders`` deepest first, each naming its new subtrees (one ``git mktree``)."""
    try:
        proc = subprocess.Popen(
            ["git", "mktree", "-z", "--batch"],
            cwd=work_tree,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=c_locale(),
        )
    except OSError as exc:
        raise GitFailed("git.failed", command="git mktree", detail=reason(exc)) from exc
    assert proc.stdin is not None
    assert proc.stdout is not None
    assert proc.stderr is not None
    tree, first = "", True
    try:
        for folder in folders:
            entries = listing[folder]
            if not entries and folder:  # an empty folder is no tree: it goes from its parent
                _parent_of(listing, folder).pop(folder.rpartition("/")[2], None)
                continue
            body = b"".join(
                f"{mode} {kind} {oid}\t".encode("ascii")
                + name.encode("utf-8", "surrogateescape")
                + b"\0"
                for name, (mode, kind, oid) in entries.items()
            )
            proc.stdin.write(body + b"\0")
            proc.stdin.flush()
            tree = proc.stdout.readline().decode("ascii").strip()
            if not tree:
                break
            if folder:
                _parent_of(listing, folder)[folder.rpartition("/")[2]] = (TREE_MODE, "tree", tree)
            if first:
                first = False
                between()
        proc.stdin.close()
    except OSError:
        tree = ""
    finally:
        detail = proc.stderr.read().decode("utf-8", "replace").strip()
        code = proc.wait()
    if code != 0 or not tree:
        raise GitFailed("git.failed", command="git mktree", detail=detail or f"exit {code}")
    return tree


def _parent_of(listing: dict[str, dict[str, Entry]], folder: str) -> dict[str, Entry]:
    return listing[folder.rpartition("/")[0]]


def _git(work_tree: Path, args: list[str]) -> bytes:
    try:
        done = subprocess.run(
            ["git", *args], cwd=work_tree, capture_output=True, check=False, env=c_locale()
        )
    except OSError as exc:
        raise GitFailed("git.failed", command=f"git {args[1]}", detail=reason(exc)) from exc
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip() or f"exit {done.returncode}"
        raise GitFailed("git.failed", command=f"git {args[1]}", detail=detail)
    return done.stdout
