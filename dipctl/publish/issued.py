"""Each decree's lampiran as issued (issue 19.3): the items as they stood when it was signed.

A decree's lampiran names item ids; the site shows for each the version of that item the
decree held: its last established version at the decree's commit (the commit that added
``keputusan/<id>.yaml``). That is the version the decree itself established for the items
it establishes, and the version an earlier decree established for those it carries, also
for an item under revision at the time, and whatever happened to the item since (revised
under a new title, withdrawn, exempted, lifted).

Read in a fixed number of git processes whatever the number of decrees and items: one
``git log`` for the commits that added decree files, one ``git rev-list`` for the order of
the history, one ``git cat-file --batch-check`` for the blob of each version and one
``git cat-file --batch`` for those that are not the work tree's file (each blob read and
parsed once). The steps come from the history walk the site already makes
(:func:`dipctl.proof.sla.measure`). Without git (an assembled register) the items as they
are now; for a decree not yet committed (``build --uncommitted``), their last established
versions.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import subprocess
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from dipctl.errors import InvalidFile
from dipctl.proof import history
from dipctl.publish import decreeadds, versioncache
from dipctl.register import committed, model, store
from dipctl.register.records import Decree, Item

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence

    from dipctl.proof.sla import StepTime
    from dipctl.register.config import Register

#: decree id -> item id -> the item as that decree listed it
Versions = dict[str, dict[str, Item]]


def listed(decree: Decree) -> tuple[str, ...]:
    """The ids of a decree's lampiran; an old DIP decree without one: what it established."""
    if not decree.complete and decree.kind == "penetapan":
        return decree.establishes
    return decree.items


def versions(
    reg: Register,
    decrees: Mapping[str, Decree],
    every: Sequence[Item],
    steps: Mapping[str, Sequence[StepTime]],
    order: Callable[[], dict[str, int]] | None = None,
    fell: set[str] | None = None,
    added: Mapping[str, str] | None = None,
) -> Versions:
    """Each decree's lampiran (and the items a withdrawal removed) as issued (``order``:
    the history's order as :func:`start_order` reads it). The decrees with an item whose
    version was not read from a commit (none recorded, or it could not be read: the item
    as it is now stands in) are added to ``fell``. ``added``: the commit that added each
    decree (:func:`dipctl.publish.decreeadds.added`), when known."""
    current = {i.id: i for i in every}
    wanted = {d.id: dict.fromkeys((*listed(d), *d.removes)) for d in decrees.values()}
    if reg.git_dir is None:
        if fell is not None:
            fell.update(wanted)
        return {d: {i: current[i] for i in ids if i in current} for d, ids in wanted.items()}
    made = decreeadds.added(reg) if added is None else added
    positions = order() if order is not None else _positions(reg)
    chains = {i: _established(s, positions) for i, s in steps.items()}
    chosen: dict[tuple[str, str], str] = {}  # (decree, item) -> commit; "" the work tree
    for decree_id, ids in wanted.items():
        at = positions.get(made.get(decree_id, ""), len(positions))  # not committed: after HEAD
        for item_id in ids:
            chosen[(decree_id, item_id)] = _version(chains.get(item_id), at)
    read = read_versions(reg, {(sha, i) for (_, i), sha in chosen.items() if sha}, current)
    found: Versions = {}
    for (decree_id, item_id), sha in chosen.items():
        item = read.get((sha, item_id)) if sha else None
        if item is None and fell is not None:
            fell.add(decree_id)
        item = item or current.get(item_id)
        if item is not None:
            found.setdefault(decree_id, {})[item_id] = item
    return found


def _established(steps: Sequence[StepTime], order: Mapping[str, int]) -> list[tuple[int, str]]:
    """(position in the history, commit) of the item's steps that left it established."""
    return sorted(
        (order[s.commit], s.commit)
        for s in steps
        if s.target in model.ESTABLISHED and s.commit in order
    )


def _version(chain: list[tuple[int, str]] | None, at: int) -> str:
    """The commit of the item's last established version at position ``at``; "" when none
    is recorded (an assembled history: the item as it is now)."""
    n = bisect.bisect_right(chain or [], (at, "\uffff"))
    return chain[n - 1][1] if chain and n else ""


def read_versions(
    reg: Register,
    wanted: Iterable[tuple[str, str]],
    current: Mapping[str, Item],
    strict: bool = False,
) -> dict[tuple[str, str], Item]:
    """The items (commit, id) as they were at those commits. An item is looked for at its
    path now, else (moved to another unit's folder since, or its file deleted) by its file
    name in that commit's tree. A version whose bytes are the work tree's file is the item
    already loaded; any other is read and parsed once, however many commits hold it. A
    version that cannot be read is left out, or with ``strict`` raises :class:`InvalidFile`
    naming the file."""
    pairs = sorted(wanted)
    ids = {i for _, i in pairs}
    # each item's path (relative, and as it is named) and blob, once however many commits
    files = {i: current[i].file for i in ids if i in current}  # text: no Path per item
    root = str(reg.work_tree)
    relative = {i: _relative(reg, root, path) for i, path in files.items()}
    paths = {(sha, i): relative.get(i, "") for sha, i in pairs}
    cache = versioncache.for_versions(reg, len(pairs))
    blobs: dict[tuple[str, str], str | None] = dict.fromkeys(paths)
    blobs |= cache.blobs_at(paths)
    blobs |= versioncache.indexed_blobs(reg, {k: p for k, p in paths.items() if not blobs[k]})
    blobs |= _blob_ids(reg, {k: p for k, p in paths.items() if blobs[k] is None})
    for key in [k for k in pairs if blobs.get(k) is None]:  # moved or deleted since
        paths[key] = _find(reg, *key)
        blobs |= _blob_ids(reg, {key: paths[key]}) if paths[key] else {}
    cache.keep_blobs_at(paths, blobs)
    kind = "sha256" if len(next((b for b in blobs.values() if b), "")) == 64 else "sha1"
    own = versioncache.own_blobs(reg, files, kind, functools.partial(_own_blob, blobs=blobs))
    where = {
        key: files[key[1]] if key[1] in files else str(reg.work_tree / paths[key]) for key in pairs
    }
    unread = {
        b for k, b in blobs.items() if b and b != own.get(k[1]) and (b, where[k]) not in cache
    }
    contents, _ = history.blobs(reg.work_tree, sorted(unread))
    found: dict[tuple[str, str], Item] = {}
    for key in pairs:
        blob, item_id = blobs.get(key), key[1]
        if blob is None:
            continue
        if blob == own.get(item_id):
            found[key] = current[item_id]
            continue
        path = where[key]
        item = cache.get(blob, path, functools.partial(_parse, contents.get(blob), path, strict))
        if item is not None:
            found[key] = item
    cache.save()
    return found


def _relative(reg: Register, root: str, text: str) -> str:
    """:meth:`~dipctl.register.config.Register.relative` of a path under the work tree
    (``root``, as text), as text (both are normal paths: the same answer, without a
    ``Path`` or ``relative_to`` for each item)."""
    if root != "/" and text.startswith(root + "/"):
        return text[len(root) + 1 :]
    return reg.relative(Path(text))


def _own_blob(path: str, blobs: Mapping[tuple[str, str], str | None]) -> str:
    """The git blob id of the file as it is in the work tree (raw bytes: ``build`` publishes
    only HEAD's bytes), in the object format of ``blobs``; "" when it cannot be read."""
    kind = next((b for b in blobs.values() if b), "")
    try:
        with open(path, "rb") as fh:  # noqa: PTH123  (a path as text: no Path per item)
            raw = fh.read()
    except OSError:
        return ""
    return committed.blob_id(raw, 64 if len(kind) == 64 else 40)


def _parse(blob: bytes | None, name: str, strict: bool) -> Item | None:
    path = Path(name)
    try:
        if blob is None:
            raise InvalidFile("file.unreadable", path=path, line=1, detail="git cat-file")
        try:
            text = blob.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidFile("file.not_utf8", path=path, line=1) from exc
        data = store.parse(text, path)
    except InvalidFile:
        if strict:
            raise
        return None  # a version that cannot be read: the row shows the item as it is now
    return Item.from_mapping(data, path) if isinstance(data, dict) else None


def _git_batch(reg: Register, option: str, names: Sequence[str]) -> bytes:
    done = subprocess.run(
        [*history.GIT, "cat-file", option],
        input="".join(f"{n}\n" for n in names).encode("utf-8"),
        cwd=reg.work_tree,
        capture_output=True,
        check=False,
    )
    return done.stdout


def _blob_ids(
    reg: Register, paths: Mapping[tuple[str, str], str]
) -> dict[tuple[str, str], str | None]:
    """The blob id of each (commit, id) at its path (None where absent), in one
    ``git cat-file --batch-check``."""
    asked = [k for k, rel in paths.items() if rel]
    if not asked:
        return dict.fromkeys(paths)
    lines = _git_batch(reg, "--batch-check", [f"{k[0]}:{paths[k]}" for k in asked]).split(b"\n")
    found: dict[tuple[str, str], str | None] = dict.fromkeys(paths)
    for key, line in zip(asked, lines, strict=False):
        header = line.split()
        if len(header) == 3 and header[1] == b"blob":
            found[key] = header[0].decode()
    return found


def _find(reg: Register, sha: str, item_id: str) -> str:
    """The path of ``<item_id>.yaml`` under ``informasi/`` in commit ``sha``, or ""."""
    folder = reg.relative(reg.items_dir)
    done = history.run(reg.work_tree, "ls-tree", "-r", "--name-only", sha, "--", folder + "/")
    name = f"{item_id}.yaml"
    return next((p for p in done.stdout.splitlines() if p.rsplit("/", 1)[-1] == name), "")


def start_order(reg: Register) -> Callable[[], dict[str, int]]:
    """:func:`_positions`, started now in a thread: git walks the 70,000 commits on the
    other core while this process walks the clocks; the answer when called (an
    :class:`Order`, which also digests the history up to a commit)."""
    if reg.git_dir is None:
        return dict
    return Order(reg)


class Order:
    """The history's order, read by ``git rev-list`` in a thread (:func:`start_order`)."""

    def __init__(self, reg: Register) -> None:
        self._reg = reg
        self._done: list[tuple[bytes, dict[str, int]]] = []
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        self._done.append(_listed(self._reg))

    def _answer(self) -> tuple[bytes, dict[str, int]]:
        self._thread.join()
        if not self._done:  # the thread failed: read it here
            self._done.append(_listed(self._reg))
        return self._done[0]

    def __call__(self) -> dict[str, int]:
        return self._answer()[1]

    def upto(self, sha: str) -> str | None:
        """The SHA-256 of the history's commit ids up to ``sha`` in this order, one a line:
        the same digest, the same commits before it in the same order (each id names its
        content); None when ``sha`` is not in it."""
        text, positions = self._answer()
        at = positions.get(sha)
        if at is None:
            return None
        end = (at + 1) * (len(sha) + 1)  # rev-list writes each id whole on its own line
        if text[end - len(sha) - 1 : end] != f"{sha}\n".encode():
            return None
        return hashlib.sha256(text[:end]).hexdigest()


def _listed(reg: Register) -> tuple[bytes, dict[str, int]]:
    """``git rev-list``'s text of HEAD's history, parents first, and each commit's
    position in it (0 the oldest); nothing before the first commit."""
    done = history.run(reg.work_tree, "rev-list", "--topo-order", "--reverse", "HEAD")
    if done.returncode != 0:  # no commit yet
        return b"", {}
    text = done.stdout.encode("ascii", "replace")
    return text, {sha: n for n, sha in enumerate(done.stdout.split())}


def _positions(reg: Register) -> dict[str, int]:
    """Every commit of HEAD's history -> its position, parents first (0 the oldest)."""
    return _listed(reg)[1]


#: The keys of a Penetapan DIK's ``rincian`` row that its DIK row shows as signed.
DETAILS = ("pasal", "dasar_hukum", "jangka_waktu", "berakhir", "alasan")


def details(reg: Register, decrees: Iterable[Decree]) -> dict[str, dict[str, dict[str, str]]]:
    """Each decree's signed ``rincian`` by item id, by decree id: a Penetapan DIK's (Perki
    1/2017 Pasal 4 ayat 4 a, d, e as it signed them); {} for another decree or one without
    (the old form: its items' tests) or that cannot be read. Each file is parsed once per
    change of it, kept in ``.git/dipctl/dik-details.pickle`` as the decrees are."""
    from dipctl.register import cachefile, queries

    decrees = list(decrees)
    dik = {str(reg.decrees_dir / f"{d.id}.yaml"): d.id for d in decrees if d.dik}
    cache = reg.git_dir / "dipctl" / DETAILS_CACHE if reg.git_dir is not None and dik else None
    tag = f"DIK-details:{cachefile.code_stamp()}"
    names = [name for name in dik if Path(name).is_file()]
    broken: list[InvalidFile] = []  # unreadable: no rincian shown (validate names it)
    found = store.load_files(names, cache, _details, tag, broken, queries.listing_limit(reg))
    signed = {dik[name]: rows for name, rows in found}
    return {d.id: signed.get(d.id, {}) for d in decrees}


DETAILS_CACHE = "dik-details.pickle"


def _details(data: object, path: Path) -> tuple[str, dict[str, dict[str, str]]]:
    """(the file's path, its ``rincian`` by item id)."""
    rows = data.get("rincian") if isinstance(data, dict) else None
    found = {}
    for row in rows if isinstance(rows, list) else []:
        if isinstance(row, dict) and row.get("informasi"):
            kept = {k: str(row[k]) for k in DETAILS if isinstance(row.get(k), (str, int))}
            found[str(row["informasi"])] = {k: v for k, v in kept.items() if v.strip()}
    return str(path), found
