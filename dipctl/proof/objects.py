"""The blobs of verify's walk: one ``git cat-file --batch-command`` process for the files at
commits that the rules ask for, and every blob the history changed read at once
(:meth:`Objects.preload`), parsed at once when asked."""

from __future__ import annotations

import contextlib
import subprocess
import threading
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from dipctl.errors import HistoryUnreadable, InvalidFile
from dipctl.proof.history import GIT, blobs
from dipctl.register import batch, store

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence


_ROUND = 200  # questions to git at once: their answers (~60 bytes each) fit in a pipe
_LISTED_FROM = 16  # paths of one folder at one commit from which its tree is read instead
_GITLINK = "160000"


def _missing(detail: str) -> HistoryUnreadable:
    return HistoryUnreadable("history.missing", hint="hint.history_missing", detail=detail)


def _streamed(work_tree: Path, names: list[str]) -> Iterator[tuple[str, bytes | None]]:
    """Each of ``names`` (blob shas) with its content (None: missing), from one ``git
    cat-file --batch`` whose answers are taken as it writes them (a thread feeds it the
    names), so that the caller reads the first blobs while git reads the rest."""
    proc = subprocess.Popen(
        [*GIT, "cat-file", "--batch"],
        cwd=work_tree,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert proc.stdin is not None
    assert proc.stdout is not None
    asked, out = proc.stdin, proc.stdout

    def feed() -> None:
        with contextlib.suppress(OSError):  # git stopped reading: the answers tell why
            asked.write("".join(f"{n}\n" for n in names).encode())
        with contextlib.suppress(OSError):
            asked.close()

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    try:
        for name in names:  # one answer per name, in order
            header = out.readline().split()
            if len(header) != 3:
                yield name, None
                continue
            content = out.read(int(header[2]) + 1)[:-1]
            yield name, content
    finally:
        out.close()
        feeder.join()
        proc.wait()


class _Change(Protocol):
    @property
    def path(self) -> str: ...
    @property
    def old(self) -> str | None: ...
    @property
    def new(self) -> str | None: ...


class _Commit(Protocol):
    @property
    def changes(self) -> tuple[_Change, ...]: ...


class Objects:
    """Blobs and files-at-commits from one ``git cat-file --batch-command`` process."""

    def __init__(self, work_tree: Path) -> None:
        self._proc = subprocess.Popen(
            [*GIT, "cat-file", "--batch-command"],
            cwd=work_tree,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.parsed = lru_cache(maxsize=65536)(self._parse)
        self._raw: dict[str, bytes] = {}
        self._read: dict[str, Any] = {}  # blob -> what preload(parse=True) read of it
        self._at: dict[tuple[str, str], str | None] = {}  # (commit, path) -> blob
        #: Values the rules derive from a blob (a meeting's results, a decree's lampiran),
        #: by what they are and the blob: computed once per walk.
        self.derived: dict[tuple[str, str | None], Any] = {}

    def close(self) -> None:
        if self._proc.stdin:
            self._proc.stdin.close()
        self._proc.wait()

    def __enter__(self) -> Objects:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def preload(self, work_tree: Path, history: Sequence[_Commit], *, parse: bool = False) -> None:
        """Read every blob that ``history`` changed at once (one ``git cat-file --batch``,
        fed and drained together), instead of one round trip each; with ``parse``, read
        the YAML ones too, all at once (:func:`dipctl.register.batch.parse_many`: each
        distinct top-level entry of the many versions read once)."""
        shas = {
            sha for c in history for change in c.changes for sha in (change.old, change.new) if sha
        }
        if not parse:
            found, missing = blobs(work_tree, sorted(shas))
            if missing:  # in the diff, so in the history: incomplete
                raise _missing(missing[0])
            self._raw.update(found)
            return
        yamls = {
            sha
            for c in history
            for change in c.changes
            if change.path.endswith(".yaml")
            for sha in (change.old, change.new)
            if sha and sha not in self._read
        }
        texts = self._texts(_streamed(work_tree, sorted(shas)), yamls)
        for sha, value in batch.parse_many(texts).items():
            self._read[sha] = None if isinstance(value, InvalidFile) else value

    def _texts(
        self, found: Iterator[tuple[str, bytes | None]], yamls: set[str]
    ) -> Iterator[tuple[str, str]]:
        """The text of each blob of ``yamls`` as git hands it over (what :meth:`_parse` would
        read: one that is not UTF-8 is None); the other blobs kept raw."""
        for sha, content in found:
            if content is None:  # in the diff, so in the history: incomplete
                raise _missing(f"{sha} missing")
            if sha not in yamls:
                self._raw[sha] = content
                continue
            try:
                yield sha, content.decode("utf-8")
            except UnicodeDecodeError:
                self._read[sha] = None

    def peek(self, sha: str | None) -> bytes | None:
        """The raw content of a blob :meth:`preload` read and nobody parsed yet, or None:
        lets a reader skip parsing what it can tell from the bytes it does not need."""
        return self._raw.get(sha) if sha else None

    def raw(self, sha: str) -> bytes | None:
        """The content of a blob, parsed or not (None: absent)."""
        if sha in self._raw:
            return self._raw[sha]
        found = self.read(sha)
        return found[1] if found is not None else None

    def blob_at(self, commit: str, path: str) -> str | None:
        """The sha of ``path`` in ``commit`` (None where absent), without reading it; asked
        of git once per walk. A path with a line break is none that git can be asked for."""
        key = (commit, path)
        if key in self._at:
            return self._at[key]
        assert self._proc.stdin is not None
        assert self._proc.stdout is not None
        if "\n" in path:
            return None
        self._proc.stdin.write(f"info {commit}:{path}\n".encode())
        self._proc.stdin.flush()
        header = self._proc.stdout.readline().split()
        self._at[key] = found = header[0].decode() if len(header) == 3 else None
        return found

    def prefetch(self, wanted: Sequence[tuple[str, str]]) -> None:
        """Ask git for the blobs of many (commit, path) at once for :meth:`blob_at` (in
        rounds small enough that neither pipe fills while the other waits)."""
        asked = list(dict.fromkeys(k for k in wanted if k not in self._at and "\n" not in k[1]))
        asked = self._listed(asked)
        assert self._proc.stdin is not None
        assert self._proc.stdout is not None
        for start in range(0, len(asked), _ROUND):
            part = asked[start : start + _ROUND]
            self._proc.stdin.write("".join(f"info {c}:{p}\n" for c, p in part).encode())
            self._proc.stdin.flush()
            for key in part:
                header = self._proc.stdout.readline().split()
                self._at[key] = header[0].decode() if len(header) == 3 else None

    def _listed(self, asked: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """Answer the (commit, path) of ``asked`` that share a folder with many others from
        that folder's tree, read once (a unit's folder holds thousands of items, and git looks
        up each path alone by reading the folder's tree again); the rest are left to ask:
        paths git might read otherwise (``.`` or empty parts), a gitlink (git answers what
        the repository holds of its commit), a folder that is no tree."""
        folders: dict[tuple[str, str], list[tuple[str, str]]] = {}
        for commit, path in asked:
            folder, _, name = path.rpartition("/")
            if folder and name and not {"", ".", ".."} & set(folder.split("/")):
                folders.setdefault((commit, folder), []).append((commit, path))
        left = set()
        for (commit, folder), keys in folders.items():
            listed = self._folder(commit, folder) if len(keys) >= _LISTED_FROM else None
            if listed is None:
                left.update(keys)
                continue
            for key in keys:
                mode, sha = listed.get(key[1].rpartition("/")[2], ("", None))
                if mode == _GITLINK:
                    left.add(key)
                else:
                    self._at[key] = sha
        return [k for k in asked if k not in self._at or k in left]

    def _folder(self, commit: str, folder: str) -> dict[str, tuple[str, str]] | None:
        """name -> (mode, sha) of every entry of ``folder`` at ``commit``; None when it is no
        tree, a name is no UTF-8 or the entries are not in git's order (what git answers for
        one path is then not certain)."""
        found = self._ask(f"{commit}:{folder}")
        if found is None or found[1] != b"tree":
            return None
        raw = found[2]
        width, pos, entries, last = len(commit) // 2, 0, {}, b""
        try:
            while pos < len(raw):
                space, nul = raw.index(b" ", pos), raw.index(b"\0", pos)
                mode, name = raw[pos:space], raw[space + 1 : nul]
                order = name + b"/" if mode == b"40000" else name  # git's order of a tree
                if order <= last:  # not as git writes a tree: git's own lookup may differ
                    return None
                entries[name.decode("utf-8")] = (
                    mode.decode(),
                    raw[nul + 1 : nul + 1 + width].hex(),
                )
                last, pos = order, nul + 1 + width
        except (ValueError, UnicodeDecodeError):
            return None
        return entries

    def read(self, name: str) -> tuple[str, bytes] | None:
        """(blob sha, content) of ``name`` (a sha or ``commit:path``), or None if absent."""
        found = self._ask(name)
        return None if found is None else (found[0].decode(), found[2])

    def _ask(self, name: str) -> tuple[bytes, bytes, bytes] | None:
        """(sha, type, content) of ``name`` from the batch process, or None if absent."""
        assert self._proc.stdin is not None
        assert self._proc.stdout is not None
        self._proc.stdin.write(f"contents {name}\n".encode())
        self._proc.stdin.flush()
        header = self._proc.stdout.readline().split()
        if len(header) != 3:
            return None
        return header[0], header[1], self._proc.stdout.read(int(header[2]) + 1)[:-1]

    def tree(self, commit: str, folder: str) -> dict[str, str]:
        """The files directly in ``folder`` at ``commit``: name -> blob sha ({} when absent)."""
        found = self.read(f"{commit}:{folder}")
        if found is None:
            return {}
        raw, width, pos = found[1], len(commit) // 2, 0
        files: dict[str, str] = {}
        while pos < len(raw):
            space, nul = raw.index(b" ", pos), raw.index(b"\0", pos)
            mode, name = raw[pos:space], raw[space + 1 : nul].decode("utf-8", "replace")
            if not mode.startswith(b"4"):  # a file, not a subfolder
                files[name] = raw[nul + 1 : nul + 1 + width].hex()
            pos = nul + 1 + width
        return files

    def _parse(self, sha: str) -> Any:
        raw = self._raw.pop(sha, None)
        found = (sha, raw) if raw is not None else self.read(sha)
        if found is None:  # a blob the history names but the repository lacks
            raise HistoryUnreadable("history.missing", hint="hint.history_missing", detail=sha)
        try:
            return store.parse(found[1].decode("utf-8"), Path(sha))
        except (InvalidFile, UnicodeDecodeError):
            return None

    def data(self, sha: str | None) -> dict[str, Any] | None:
        """The parsed mapping of a blob (cached by sha); None when absent or unreadable."""
        if sha is None:
            return None
        value = self._read[sha] if sha in self._read else self.parsed(sha)
        return value if isinstance(value, dict) else None

    def data_at(self, commit: str, path: str) -> dict[str, Any] | None:
        """The parsed mapping of ``path`` as it was in ``commit``."""
        return self.data(self.blob_at(commit, path))
