"""dipctl: the Daftar Informasi Publik as a git register."""

from __future__ import annotations


def __getattr__(name: str) -> str:
    """``dipctl.__version__``, read from the installed metadata only when asked for."""
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("dipctl")
        except PackageNotFoundError:  # pragma: no cover - running from a source tree
            return "0.0.0"
    raise AttributeError(name)
