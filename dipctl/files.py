"""Writing a file so that it is never half-written: the one place dipctl writes bytes.

Used by every package (the register's YAML files, git's journal, the printed papers, the site),
so it lives at the top beside :mod:`dipctl.errors` and imports nothing of dipctl.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write through a temp file in the same folder and rename: never a half-written file."""
    payload = content.encode("utf-8") if isinstance(content, str) else content
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
