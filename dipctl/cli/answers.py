"""The printed answer of a read command, kept and printed again while nothing it read changed.

``list``, ``status``, ``show``, ``history`` and ``validate`` print the same text for the same
command line as long as the register, its git state and dipctl are what they were. A run
that ends with exit status 0 keeps what it printed (stdout and stderr, in the order it wrote
them) in the user's cache (``$XDG_CACHE_HOME/dipctl/answers/``, else
``~/.cache/dipctl/answers/``), with everything the answer depends on, in two parts compared
whole (never by a digest):

- the invocation: the command line, the program name, the working folder, the environment
  (but ``_``, ``OLDPWD``, ``PWD`` and ``SHLVL``, which a shell changes as it goes), which of
  stdin, stdout and stderr are terminals and their size, the local date and UTC offset, and
  the Python that runs;
- the state: the stamp (:mod:`dipctl.stamps`) of every entry of the register folder, of every
  file directly in the work tree, of git's HEAD, config, index, refs, packed-refs,
  FETCH_HEAD, ORIG_HEAD, shallow, grafts, attributes and alternates, of the user's and the
  system's git config and the user's git attributes, of every file of dipctl and of typer
  and of the folder the libraries are installed in; and what
  :func:`dipctl.register.config.find_register` looks at to find the register (``.git`` and
  ``register.yaml`` in every folder above the working folder and above the register, and
  each folder on the way of an explicit ``--register``).

The next run of the same invocation takes the state before typer or any of the register's
code is imported, and prints the kept text only when every stamp is the same. The state
kept with an answer is taken *after* the run that printed it, and the answer is kept only
when nothing in that state is newer than the run's start less git's racy margin
(:data:`~dipctl.stamps.RACY_NS`): a file's change time cannot be set back, so the answer was
made from exactly that state.

Nothing is kept from a run that failed, opened no register or two, read a register with a
link in it or in a linked work tree, found a step's journal or git's ``index.lock`` (it
would first recover), had something written past ``sys.stdout`` and ``sys.stderr`` or a
write fail (``dipctl list | head``), crossed midnight, or printed more than
:data:`LARGEST`. A damaged, foreign or unreadable file is a miss, and a full or read-only
cache only costs the keeping. At most :data:`KEPT` answers are kept, the oldest dropped.
"""

# os.path, not pathlib, and no contextlib: importing them costs more than a kept answer's
# whole check
# ruff: noqa: SIM105, PTH100, PTH103, PTH108, PTH109, PTH111, PTH118, PTH120, PTH123

from __future__ import annotations

import os
import sys
import time
from stat import S_ISDIR, S_ISLNK

from dipctl import stamps

TYPE_CHECKING = False  # not typing's: importing typing costs more than a kept answer's check
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from dipctl.register.config import Register

COMMANDS = frozenset({"history", "list", "show", "status", "validate"})
KEPT = 32
LARGEST = 32 * 1024 * 1024
_HEAD = b"dipctl answer 1\n"
_VOLATILE = frozenset({"_", "OLDPWD", "PWD", "SHLVL"})
_GIT_FILES = (
    "HEAD",
    "config",
    "index",
    "packed-refs",
    "FETCH_HEAD",
    "ORIG_HEAD",
    "shallow",
    "info/grafts",
    "info/attributes",
    "objects/info/alternates",
)
#: With one of these in the git folder the command does more than read (it recovers a step
#: first) or reads through another folder (a linked work tree): nothing is kept or replayed.
_REFUSED = ("commondir", "index.lock", "dipctl/journal.json")

#: The registers the running command opened: (root, work tree, git folder, explicit option).
_seen: list[tuple[str, str | None, str | None, str | None]] = []

Where = tuple[str, "str | None", "str | None", "str | None"]
Chunks = list[tuple[int, str]]


def note(reg: Register, option: os.PathLike[str] | None) -> None:
    """Record that the command reads ``reg`` (found from ``option``, if one was given)."""
    git = os.fspath(reg.git_dir) if reg.git_dir is not None else None
    work = os.fspath(reg.work_tree) if reg.git_dir is not None else None
    given = os.fspath(option) if option is not None else None
    _seen.append((os.fspath(reg.root), work, git, given))


def command(args: list[str]) -> str | None:
    """The read command ``args`` run, if they run one of :data:`COMMANDS` (after ``--lang``
    at most), else None."""
    at = 0
    if args[:1] == ["--lang"]:
        at = 2
    elif args[:1] and args[0].startswith("--lang="):
        at = 1
    name = args[at] if len(args) > at else None
    return name if name in COMMANDS else None


def replay(args: list[str]) -> bool:
    """Print the kept answer of ``dipctl ARGS`` and return True when it still holds; else
    return False, printing nothing."""
    key = _invocation(args)
    if key is None:
        return False
    kept = _read(_path(key), key)
    if kept is None:
        return False
    where, state, chunks = kept
    if _state(where) != state:
        return False
    try:
        for fd, text in chunks:
            (sys.stdout if fd == 1 else sys.stderr).write(text)
        sys.stdout.flush()
    except BrokenPipeError:  # as the commands do: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return True


def run_kept(args: list[str], run: Callable[[], None]) -> None:
    """Run the command (``run`` exits) and keep what it printed if it may be replayed."""
    key = _invocation(args)
    started, day = time.time_ns(), time.localtime()[:3]
    chunks: Chunks = []
    real = sys.stdout, sys.stderr
    tees = _Tee(real[0], 1, chunks), _Tee(real[1], 2, chunks)
    sys.stdout, sys.stderr = tees
    _seen.clear()
    code: object = None
    try:
        run()
        code = 0
    except SystemExit as stop:
        code = 0 if stop.code is None else stop.code
        raise
    finally:
        sys.stdout, sys.stderr = real
        whole = not (tees[0].spoiled or tees[1].spoiled) and time.localtime()[:3] == day
        if code == 0 and key is not None and whole and len(set(_seen)) == 1:
            try:
                _keep(key, _seen[0], started, chunks)
            except (OSError, ValueError, KeyboardInterrupt):
                pass  # not kept (Ctrl-C once the answer was out included): a slower next run


class _Tee:
    """A text stream that writes through to ``stream`` and keeps what it wrote."""

    def __init__(self, stream: Any, fd: int, chunks: Chunks) -> None:
        self._stream, self._fd, self._chunks = stream, fd, chunks
        self.spoiled = False  # something went past this stream, or a write failed

    def write(self, text: str) -> int:
        self._chunks.append((self._fd, text))
        try:
            return int(self._stream.write(text))
        except BaseException:
            self.spoiled = True
            raise

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BaseException:
            self.spoiled = True
            raise

    @property
    def buffer(self) -> Any:
        self.spoiled = True  # bytes written there are not kept
        return self._stream.buffer

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _invocation(args: list[str]) -> str | None:
    """Everything of this run but the files that the answer depends on, as one text."""
    try:
        cwd = os.getcwd()
    except OSError:
        return None
    main = sys.modules.get("__main__")
    env = sorted((k, v) for k, v in os.environ.items() if k not in _VOLATILE)
    terminals = []
    for fd in (0, 1, 2):
        try:
            terminals.append(os.get_terminal_size(fd) if os.isatty(fd) else None)
        except OSError:
            terminals.append(None)
    now = time.localtime()
    day = (now.tm_year, now.tm_mon, now.tm_mday, now.tm_gmtoff, now.tm_zone)
    program = (sys.argv[0], getattr(main, "__package__", None), sys.executable, sys.version)
    return repr((args, program, cwd, env, terminals, day, __file__))


def _folder() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "dipctl", "answers")


def _path(key: str) -> str:
    import zlib

    return os.path.join(_folder(), f"{zlib.crc32(key.encode('utf-8', 'surrogateescape')):08x}")


def _state(where: Where) -> bytes | None:
    """The stamps of everything a kept answer depends on (module docstring), or None when
    nothing may be kept or replayed for this register."""
    import marshal

    root, work, git, given = where
    found = stamps.tree(root)
    if found is None or any(S_ISLNK(entry[5]) for entry in found):
        return None  # unreadable, or a link whose target the stamps would not follow
    others: list[object] = [_code()]
    if git is not None and work is not None:
        if any(os.path.lexists(os.path.join(git, name)) for name in _REFUSED):
            return None
        others += [stamps.one(os.path.join(git, name)) for name in _GIT_FILES]
        others.append(stamps.tree(os.path.join(git, "refs"), frozenset()))
        others.append(_listing(work))
    others += [stamps.one(path) for path in _git_configs()]
    places = [os.getcwd(), root]
    given = given or os.environ.get("DIPCTL_REGISTER")
    if given:
        explicit = os.path.join(os.getcwd(), os.path.expanduser(given))
        places += [explicit, os.path.join(explicit, "register")]
    others.append(_discovery(places))
    return marshal.dumps((found, others), 4)


def _code() -> list[object]:
    """The stamps of dipctl's files and typer's, and of the folder of the libraries."""
    from importlib.machinery import PathFinder

    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    spec = PathFinder.find_spec("typer")
    typer = os.path.dirname(spec.origin) if spec is not None and spec.origin else ""
    skip = frozenset({"__pycache__"})
    return [stamps.tree(package, skip), stamps.tree(typer, skip), stamps.one(typer + "/..")]


def _listing(folder: str) -> list[stamps.Entry | None]:
    """The stamps of the entries directly in ``folder`` but ``.git``."""
    try:
        with os.scandir(folder) as listing:
            names = sorted(entry.name for entry in listing if entry.name != ".git")
    except OSError:
        return [None]
    return [stamps.one(os.path.join(folder, name)) for name in names]


def _git_configs() -> list[str]:
    home = os.path.expanduser("~")
    xdg = os.environ.get("XDG_CONFIG_HOME") or os.path.join(home, ".config")
    found = [os.path.join(home, ".gitconfig"), os.path.join(xdg, "git", "config")]
    found.append(os.path.join(xdg, "git", "attributes"))  # core.attributesFile's default
    if os.environ.get("GIT_CONFIG_GLOBAL"):
        found.append(os.environ["GIT_CONFIG_GLOBAL"])
    return [*found, "/etc/gitconfig"]


def _discovery(places: list[str]) -> list[object]:
    """What finding the register looks at from each of ``places`` and every folder above
    it, as written (a link on the way is looked at, not followed): which folder it is (one
    swapped for another, a link repointed), its ``.git`` and its ``register.yaml``. A
    folder's times are left out: ``/tmp`` or a home folder changes all day."""
    seen: dict[str, None] = {}
    for place in places:
        path = place
        while path not in seen:
            seen[path] = None
            parent = os.path.dirname(path)
            if parent == path:
                break
            path = parent
    found: list[object] = []
    for path in seen:
        found.append(_identity(path))
        found.append(_identity(os.path.join(path, ".git")))
        found.append(_identity(os.path.join(path, "register.yaml")))
    return found


def _identity(path: str) -> object:
    """A folder's inode and mode (not its times); any other entry's whole stamp."""
    found = stamps.one(path)
    if found is None or not S_ISDIR(found[5]):
        return found
    return (found[3], found[5])


def _read(path: str, key: str) -> tuple[Where, bytes, Chunks] | None:
    """The kept answer in ``path`` when it is whole and was kept for ``key``, else None."""
    import marshal
    import zlib

    try:
        with open(path, "rb") as fh:
            if os.fstat(fh.fileno()).st_size > 2 * LARGEST:  # not one of ours: never read
                return None
            data = fh.read()
        head, size, check, payload = _split(data)
        if head != _HEAD or int(size) != len(payload) or int(check, 16) != zlib.crc32(payload):
            return None
        kept, where, state, chunks = marshal.loads(payload)
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if kept != key or not isinstance(state, bytes) or not _well_formed(where, chunks):
        return None
    return where, state, chunks


def _split(data: bytes) -> tuple[bytes, bytes, bytes, bytes]:
    head, _, rest = data.partition(b"\n")
    line, _, payload = rest.partition(b"\n")
    size, _, check = line.partition(b" ")
    return head + b"\n", size, check, payload


def _well_formed(where: object, chunks: object) -> bool:
    if not (isinstance(where, tuple) and len(where) == 4 and isinstance(where[0], str)):
        return False
    if not all(part is None or isinstance(part, str) for part in where):
        return False
    return isinstance(chunks, list) and all(
        isinstance(c, tuple) and len(c) == 2 and c[0] in (1, 2) and isinstance(c[1], str)
        for c in chunks
    )


def _keep(key: str, where: Where, started: int, chunks: Chunks) -> None:
    """Write the answer whole (a reader sees the old file or the new), or nothing."""
    import marshal
    import zlib
    from pathlib import Path

    from dipctl.files import write_atomic

    state = _state(where)
    if state is None or _newest(state) >= started - stamps.RACY_NS:
        return
    payload = marshal.dumps((key, where, state, chunks), 4)
    if len(payload) > LARGEST:
        return
    head = _HEAD + f"{len(payload)} {zlib.crc32(payload):08x}\n".encode()
    folder = _folder()
    os.makedirs(folder, exist_ok=True)
    write_atomic(Path(_path(key)), head + payload, sync=False)  # a reader: old or new, whole
    _drop_oldest(folder)


def _newest(state: bytes) -> int:
    """The latest modification or change time among the stamps in ``state``."""
    import marshal

    newest = 0
    pending: list[Any] = [marshal.loads(state)]
    while pending:
        value = pending.pop()
        if isinstance(value, tuple) and len(value) == 6 and isinstance(value[0], str):
            newest = max(newest, value[2], value[4])
        elif isinstance(value, (list, tuple)):
            pending.extend(value)
    return newest


def _drop_oldest(folder: str) -> None:
    """Keep the :data:`KEPT` newest answers; a killed writer's temp file (``.NAME.*.tmp``)
    goes once it is an hour old."""
    try:
        with os.scandir(folder) as listing:
            entries = [(e.stat().st_mtime_ns, e.name, e.path) for e in listing]
    except OSError:
        return
    hour_ago = time.time_ns() - 3600 * 10**9
    answers = sorted(e for e in entries if not e[1].startswith("."))
    stale = [e for e in entries if e[1].startswith(".") and e[0] < hour_ago]  # killed writers
    for _, _, path in [*answers[:-KEPT], *stale]:
        _unlink(path)


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass  # gone already, or not ours to remove: the next keeping tries again
