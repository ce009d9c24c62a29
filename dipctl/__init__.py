"""dipctl: the Daftar Informasi Publik as a git register."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("dipctl")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"
