"""This clone's unpushed steps made again on top of the server's branch, so that the shared
history stays one chain (``dipctl sync`` never makes a merge; docs/sharing.md).

Each commit ``C`` (oldest first; merges made with plain git are not replayed, only the
steps they joined) is made again on the tip ``T`` built so far. For every path ``C``
changed against its first parent ``P``: when ``T`` still holds ``P``'s version, ``C``'s
version (or its deletion) is taken; when ``T`` already holds ``C``'s, nothing; otherwise
both sides changed the file, and only a file that is no item may be merged, three ways,
with ``git merge-file`` (an item is never merged line by line: the result would be a
state nobody took). What cannot be replayed is :class:`Stuck`.

A remade commit keeps ``C``'s message, author and author date (when the officer took the
step, on their laptop's clock); its committer is the officer who syncs, dated now or, if
the server's tip is dated later, at that tip's date, so that committer dates never go
backwards along the chain; it is signed as steps are. Everything is built as objects (a
private index, ``commit-tree``): nothing on disk changes.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from dipctl.errors import GitFailed
from dipctl.share import remote

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from dipctl.register.records import Person

EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
"""git's empty tree: the "parent" of a root commit."""

Entry = tuple[str, str] | None
"""A path in a tree: (mode, blob), or None when it is absent."""


class Officer(Protocol):
    """Who commits (and signs) what sync makes; asked only when something is made."""

    @property
    def person(self) -> Person: ...

    @property
    def sign(self) -> bool: ...


class Stuck(Exception):
    """A file both sides changed that cannot be replayed: an item, or another file whose
    three-way merge conflicts (or that one side deleted)."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.path = path


def local(work_tree: Path, head: str, upstream: str) -> list[str]:
    """This clone's commits that the server does not have, oldest first, without merges."""
    return remote.listed(
        work_tree, "rev-list", "--reverse", "--topo-order", "--no-merges", head, f"^{upstream}"
    )


def replay(
    git_dir: Path,
    work_tree: Path,
    commits: Sequence[str],
    onto: str,
    who: Officer,
    is_item: Callable[[str], bool],
) -> tuple[str, list[str]]:
    """(the new tip, the commits made, oldest first); ``onto`` and [] when ``commits`` is
    empty. A commit whose changes ``onto`` already holds is not made again."""
    tip, made = onto, list[str]()
    if not commits:
        return tip, made
    person = who.person
    committer = {"GIT_COMMITTER_NAME": person.name, "GIT_COMMITTER_EMAIL": person.email}
    now, zone = _now(work_tree, committer)
    latest = int(remote.run(work_tree, "log", "-1", "--format=%ct", onto).stdout.strip() or 0)
    for sha in commits:
        entries = _entries(work_tree, sha, tip, is_item)
        if not entries:
            continue
        latest = max(now, latest)
        identity = {**author_of(work_tree, sha), **committer}
        identity["GIT_COMMITTER_DATE"] = f"@{latest} {zone}"
        tree = remote.tree_with(git_dir, work_tree, tip, entries)
        message = message_of(work_tree, sha)
        tip = remote.commit_tree(work_tree, tree, [tip], message, identity, who.sign)
        made.append(tip)
    return tip, made


def _now(work_tree: Path, committer: dict[str, str]) -> tuple[int, str]:
    """git's own "now" for a commit (``GIT_COMMITTER_DATE`` when set): seconds and zone."""
    ident = remote.run(work_tree, "var", "GIT_COMMITTER_IDENT", env=committer).stdout.split()
    return int(ident[-2]), ident[-1]


def _entries(work_tree: Path, sha: str, tip: str, is_item: Callable[[str], bool]) -> str:
    """``update-index --index-info`` lines that make ``sha``'s changes on ``tip``."""
    parents = remote.listed(work_tree, "rev-list", "--parents", "-n", "1", sha)[1:]
    parent = parents[0] if parents else EMPTY_TREE
    changes = diff_of(work_tree, parent, sha)
    if not changes:
        return ""
    there: dict[str, Entry] = dict(remote.tree_of(work_tree, tip, sorted(changes)))
    lines = []
    for path, (before, after) in sorted(changes.items()):
        current = there.get(path)
        if current == after:
            continue
        if current != before:
            if is_item(path) or before is None or current is None or after is None:
                raise Stuck(path)
            after = _merge(work_tree, path, before, current, after)
        mode, blob = after if after is not None else ("0", "0" * 40)
        lines.append(f"{mode} {blob}\t{path}\n")
    return "".join(lines)


def diff_of(work_tree: Path, old: str, new: str) -> dict[str, tuple[Entry, Entry]]:
    """Each path changed from ``old`` to ``new``: (its entry before, after)."""
    out = remote.run(work_tree, "diff-tree", "-r", "-z", "--no-renames", "--raw", old, new)
    parts = out.stdout.split("\0")
    found: dict[str, tuple[Entry, Entry]] = {}
    for meta, path in zip(parts[::2], parts[1::2], strict=False):
        if not meta.startswith(":"):
            continue
        old_mode, new_mode, old_sha, new_sha = meta[1:].split()[:4]
        found[path] = (_entry(old_mode, old_sha), _entry(new_mode, new_sha))
    return found


def _entry(mode: str, sha: str) -> Entry:
    return None if set(mode) == {"0"} else (mode, sha)


def _merge(
    work_tree: Path, path: str, base: tuple[str, str], ours: tuple[str, str], mine: tuple[str, str]
) -> tuple[str, str]:
    """The three-way merge of a file that is no item (``git merge-file`` on temporary
    copies; git 2.39 has no ``merge-tree --merge-base``), written as a blob."""
    mode = mine[0] if ours[0] == base[0] else ours[0]
    with tempfile.TemporaryDirectory(prefix="dipctl-sync-") as folder:
        names = []
        for label, (_, blob) in (("server", ours), ("base", base), ("local", mine)):
            name = Path(folder) / label
            name.write_bytes(_blob(work_tree, blob))
            names.append(str(name))
        done = remote.run(work_tree, "merge-file", "-q", *names, check=False)
        if done.returncode != 0:  # conflicts (their count) or an error (negative)
            raise Stuck(path)
        blob = remote.run(work_tree, "hash-object", "-w", "--", names[0]).stdout.strip()
    return mode, blob


def _blob(work_tree: Path, sha: str) -> bytes:
    done = subprocess.run(
        ["git", "cat-file", "blob", sha],
        cwd=work_tree,
        env={**os.environ, **remote.QUIET},
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        detail = remote.detail(done.stderr.decode("utf-8", "replace"))
        raise GitFailed("git.failed", command="git cat-file", detail=detail)
    return done.stdout


def author_of(work_tree: Path, sha: str) -> dict[str, str]:
    """The author of ``sha`` and the date they took the step, to make it again."""
    fields = remote.run(work_tree, "log", "-1", "--format=%an%x00%ae%x00%ad", "--date=raw",
                        sha).stdout.rstrip("\n").split("\0")  # fmt: skip
    keys = ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_AUTHOR_DATE")
    return dict(zip(keys, fields, strict=True))


def message_of(work_tree: Path, sha: str) -> str:
    """The commit message of ``sha`` exactly as written (``%B`` would add a newline)."""
    raw = remote.run(work_tree, "cat-file", "commit", sha).stdout
    return raw.split("\n\n", 1)[1] if "\n\n" in raw else ""
