"""dipctl: the Daftar Informasi Publik as a git register."""

#: The one place the version is written: pyproject.toml reads it from here
#: (``[tool.hatch.version]``), so ``dipctl --version`` needs no importlib.metadata.
__version__ = "0.1.0"
