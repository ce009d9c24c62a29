"""A wheel of the running dipctl, for the CI of a register whose dipctl came from nowhere CI
can fetch (a checkout without a published ``origin``, an install from a file): ``init``
keeps it in the new repository, ``ci/dipctl-<version>-py3-none-any.whl``, and the CI
installs that file (:mod:`.install_source`).

Built here, without pip or a build backend, from the files that run: the ``dipctl``
package and its templates (as the project's wheel lays them out, ``dipctl/templates``),
with the metadata of the checkout's ``pyproject.toml`` or of the installed distribution.
The same code gives the same bytes (sorted entries, a fixed date), so every register made
by one dipctl holds one blob.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.metadata
import io
import tomllib
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import dipctl
from dipctl.register.config import templates_dir

FOLDER = "ci"  # where init keeps it, relative to the repository's top
_DATE = (1980, 1, 1, 0, 0, 0)
_SKIP = ("__pycache__", ".pyc", ".pyo", ".DS_Store")


@dataclass(frozen=True)
class Wheel:
    name: str  # dipctl-0.1.0-py3-none-any.whl
    data: bytes
    version: str

    @property
    def path(self) -> str:
        """Where ``init`` keeps it: the value of ``DIPCTL_SOURCE``."""
        return f"{FOLDER}/{self.name}"


def package_dir() -> Path:
    return Path(dipctl.__file__).resolve().parent


def checkout() -> Path | None:
    """The source checkout the running dipctl is imported from, if it is one."""
    top = package_dir().parent
    project = top / "pyproject.toml"
    if not project.is_file():
        return None
    try:
        name = tomllib.loads(project.read_text(encoding="utf-8"))["project"]["name"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return top if name == "dipctl" else None


@cache
def build() -> Wheel:
    """The wheel of the running dipctl (built once per process)."""
    metadata, entry_points, version = _metadata()
    files: dict[str, bytes] = {}
    package, templates = package_dir(), templates_dir()
    for path in sorted(package.rglob("*")):
        rel = path.relative_to(package)
        if path.is_file() and not _skipped(rel) and rel.parts[0] != "templates":
            files[f"dipctl/{rel.as_posix()}"] = path.read_bytes()
    for path in sorted(templates.rglob("*")):
        rel = path.relative_to(templates)
        if path.is_file() and not _skipped(rel):
            files[f"dipctl/templates/{rel.as_posix()}"] = path.read_bytes()
    info = f"dipctl-{version}.dist-info"
    files[f"{info}/METADATA"] = metadata.encode("utf-8")
    files[f"{info}/WHEEL"] = (
        b"Wheel-Version: 1.0\nGenerator: dipctl\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    )
    files[f"{info}/entry_points.txt"] = entry_points.encode("utf-8")
    record = "".join(f"{name},{_digest(data)},{len(data)}\n" for name, data in files.items())
    files[f"{info}/RECORD"] = (record + f"{info}/RECORD,,\n").encode("utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            entry = zipfile.ZipInfo(name, _DATE)
            entry.external_attr = 0o644 << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, data)
    return Wheel(f"dipctl-{version}-py3-none-any.whl", buffer.getvalue(), version)


def _skipped(rel: Path) -> bool:
    return any(part.endswith(_SKIP) or part.startswith(".") for part in rel.parts)


def _digest(data: bytes) -> str:
    raw = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
    return "sha256=" + raw.decode("ascii")


def _metadata() -> tuple[str, str, str]:
    """(METADATA, entry_points.txt, version): the checkout's pyproject.toml where the
    running dipctl is a checkout, else the installed distribution's own files."""
    top = checkout()
    if top is not None:
        project = tomllib.loads((top / "pyproject.toml").read_text(encoding="utf-8"))["project"]
        lines = [
            "Metadata-Version: 2.1",
            f"Name: {project['name']}",
            f"Version: {dipctl.__version__}",  # pyproject.toml reads it from there too
            f"Summary: {project.get('description', '')}",
            f"Requires-Python: {project.get('requires-python', '>=3.11')}",
            *(f"Requires-Dist: {dep}" for dep in project.get("dependencies", [])),
        ]
        scripts = project.get("scripts", {})
        points = "[console_scripts]\n" + "".join(f"{k} = {v}\n" for k, v in scripts.items())
        return "\n".join(lines) + "\n", points, dipctl.__version__
    dist = importlib.metadata.distribution("dipctl")
    points = dist.read_text("entry_points.txt") or "[console_scripts]\ndipctl = dipctl.cli:main\n"
    return dist.read_text("METADATA") or "", points, dist.version
