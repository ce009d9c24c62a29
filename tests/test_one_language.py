"""Issue 20.6, one language at a time: the officers' commands, run on a real register shared
through a server as the SOP runs it, speak plain Indonesian by default (no git words, no
config keys, refs, trailers or remote branch names; `--verbose` adds them), their help is
translated to the parser's last word, and English is English."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer.main
from typer.testing import Result

from dipctl.cli.app import app
from dipctl.i18n import catalog
from tests.conftest import KASUBBAG, KASUBBAG_PROGRAM, KEPALA, PPID, SEKRETARIS, Repo, dipctl, git
from tests.test_monev import tiny_pdf
from tests.test_sop import EXEMPTION, fill

#: What default Indonesian output never says; a command name (`dipctl clone`) is allowed.
GIT_WORDS = re.compile(r"(?<![\w-])(commit\w*|clone\w*|refs/|origin/|gpg\.)", re.IGNORECASE)
#: A commit id or a digest.
HASH = re.compile(r"\b[0-9a-f]{10,64}\b")
#: Words of the other language that English output never says (the register's own legal
#: vocabulary, status names and file folders aside).
INDONESIAN = re.compile(
    r"\b(klon|langkah|dikirim|kirim|rekan|galat|petunjuk|belum|sudah|dan|atau|yang|CATATAN|ALASAN)\b"
)


class Officers:
    """Everything the officers' commands printed, and each command run in one clone."""

    def __init__(self) -> None:
        self.said: list[tuple[tuple[str, ...], str]] = []

    def run(self, clone: Repo, *args: str | Path, code: int = 0) -> Result:
        result = clone.run(*args)
        shown = tuple(str(a) for a in args)
        assert result.exit_code == code, (shown, result.stdout, result.stderr)
        self.said.append((shown, result.stdout + result.stderr))
        return result

    def plain(self, result: Result, args: tuple[str, ...]) -> None:
        self.said.append((args, result.stdout + result.stderr))


def git_words(text: str, lang: str = "id") -> list[str]:
    """What the output should not say: git's words (in English, "clone" is English), and in
    English, Indonesian words."""
    found = GIT_WORDS.findall(re.sub(r"dipctl (clone|sync)\b", "dipctl COMMAND", text))
    if lang == "en":
        found = [w for w in found if not w.lower().startswith("clone")]
        found += INDONESIAN.findall(text)
    return found


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_officers_speak_one_language_and_verbose_adds_the_git_words(
    lang: str, repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DIPCTL_LANG", lang)
    said = Officers()
    server = tmp_path / "server.git"
    git(tmp_path, "clone", "-q", "--bare", str(repo.path), str(server))
    url = f"file://{server}"
    made = dipctl("clone", url, tmp_path / "a", "--as", KASUBBAG)
    assert made.exit_code == 0, made.stderr
    said.plain(made, ("clone",))
    made = dipctl("clone", url, tmp_path / "b", "--as", SEKRETARIS)
    assert made.exit_code == 0, made.stderr
    a, b = Repo(tmp_path / "a"), Repo(tmp_path / "b")

    # step 1 and the content, by the two kasubbag
    said.run(a, "new", "--unit", "sekretariat", "--title", "Profil Dinas", "--as", KASUBBAG)
    said.run(a, "edit", "profil-dinas", "--summary", "Profil singkat dinas.", "--as", KASUBBAG)
    fill(a, "sekretariat", "profil-dinas")
    said.run(a, "edit", "profil-dinas", "--retention", "5 tahun", "--as", KASUBBAG)
    said.run(a, "submit", "profil-dinas", "--as", KASUBBAG)
    said.run(a, "new", "--unit", "program", "--title", "Data Pegawai", "--as", KASUBBAG_PROGRAM)
    fill(a, "program", "data-pegawai")
    said.run(a, "submit", "data-pegawai", "--as", KASUBBAG_PROGRAM)
    said.run(a, "status")  # unpushed steps: the hint says so, in plain words
    said.run(a, "sync")
    # step 2 in two clones at once: a conflict, explained, resolved by keeping theirs
    said.run(b, "sync")
    said.run(b, "review", "profil-dinas", "--return", "-m", "Ringkasan kurang", "--as", SEKRETARIS)
    said.run(a, "review", "profil-dinas", "data-pegawai", "--approve", "--as", SEKRETARIS)
    said.run(a, "sync")
    said.run(b, "sync", code=3)
    said.run(b, "sync", "--keep-theirs", "profil-dinas")
    # steps 3 to 5, the DIK's path included, and the signed scan of the decree
    exemption = tmp_path / "uji.yaml"
    exemption.write_text(EXEMPTION, encoding="utf-8")
    said.run(a, "classify", "profil-dinas", "--category", "setiap-saat", "--as", PPID)
    said.run(a, "classify", "data-pegawai", "--category", "dikecualikan",
             "--exemption", exemption, "--as", PPID)  # fmt: skip
    said.run(a, "meeting", "profil-dinas", "data-pegawai", "--date", "2026-11-25",
             "--place", "Ruang Rapat", "--attendee", PPID, "--attendee", SEKRETARIS,
             "--time", "09:00", "--chair", PPID, "--softcopy", "Folder PPID",
             "--hardcopy", "Lemari Arsip 1", "--as", PPID)  # fmt: skip
    said.run(a, "decree", "present", "--all", "--as", PPID)
    said.run(a, "establish", "--all", "--number", "188.44/1/2026", "--date", "2026-11-26",
             "--as", KEPALA)  # fmt: skip
    said.run(a, "decree", "present", "--dik", "--all", "--as", PPID)
    said.run(a, "approve", "data-pegawai", "--as", KEPALA)
    said.run(a, "exempt", "--all", "--number", "188.44/dik-1/2026", "--date", "2026-11-26",
             "--as", PPID)  # fmt: skip
    scan = tmp_path / "sk.pdf"
    scan.write_bytes(tiny_pdf("SK BERTANDA TANGAN"))
    said.run(a, "decree", "attach", "sk-188-44-1-2026", scan, "--as", PPID)
    said.run(a, "revise", "profil-dinas", "-m", "Profil berubah", "--as", KASUBBAG)
    for reader in (("status",), ("list",), ("show", "profil-dinas"), ("show", "data-pegawai")):
        said.run(a, *reader)
    # the PPID's key: made, this clone set to sign, listed by the head
    monkeypatch.setenv("HOME", str(tmp_path / "home-ppid"))
    line = said.run(a, "key", "--as", PPID).stdout.strip()
    said.run(a, "key", "add", PPID, line.split(" ", 2)[2], "--as", KEPALA)
    said.run(a, "sync")
    # the head's administration, from another clone
    said.run(b, "sync")
    humas = "humas@dinas.example.go.id"
    said.run(b, "unit", "add", "humas", "--name", "Subbagian Humas", "--as", KEPALA)
    said.run(b, "officer", "add", humas, "--name", "Kasubbag Humas", "--role", "kasubbag",
             "--position", "Kepala Subbagian Humas", "--unit", "humas", "--as", KEPALA)  # fmt: skip
    said.run(b, "officer", "set", humas, "--pangkat", "Penata", "--as", KEPALA)
    said.run(b, "agency", "set", "--phone", "(0536) 3221234", "--as", KEPALA)
    said.run(b, "officer", "remove", humas, "--as", KASUBBAG, code=3)
    said.run(b, "sync")
    # a conflict resolved by keeping one's own step
    said.run(a, "sync")
    said.run(a, "edit", "profil-dinas", "--summary", "Profil dinas terbaru.", "--as", KASUBBAG)
    said.run(a, "sync")
    said.run(b, "edit", "profil-dinas", "--retention", "10 tahun", "--as", KASUBBAG)
    said.run(b, "sync", code=3)
    said.run(b, "sync", "--keep-mine", "profil-dinas", "--as", KASUBBAG)  # who took the step
    found = {args: git_words(text, lang) for args, text in said.said if git_words(text, lang)}
    assert not found, found
    hashes = {a: HASH.findall(t) for a, t in said.said if a[0] != "key" and HASH.findall(t)}
    assert not hashes, hashes  # no commit id, no DIP-Lampiran digest
    # --verbose names what git calls it
    verbose = said.run(a, "submit", "profil-dinas", "--as", KASUBBAG, "--verbose")
    assert git_words(verbose.stderr), verbose.stderr
    shown = a.run("show", "profil-dinas", "--verbose")
    assert HASH.search(shown.stdout), shown.stdout  # the trail's commit column
    ahead = a.run("status", "--verbose")
    assert "origin/main" in ahead.stderr, ahead.stderr
    english = a.run("status", "--lang", "en")
    assert "origin/main" not in english.stderr and "1 step" in english.stderr, english.stderr
    assert not INDONESIAN.findall(english.stderr), english.stderr


def test_every_verbose_variant_has_both_languages() -> None:
    for lang, other in (("id", "en"), ("en", "id")):
        missing = [k for k in catalog(lang) if k.endswith(".verbose") and k not in catalog(other)]
        assert not missing, (lang, missing)
        bare = [k for k in catalog(lang) if k.endswith(".verbose") and k[:-8] not in catalog(lang)]
        assert not bare, bare


def _names(command: object, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command line that has a help: the root, each command, each subcommand."""
    out = [prefix]
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        out += _names(sub, (*prefix, *name.split(" ")))
    return out


def _helps(lang: str) -> dict[str, str]:
    helps = {}
    for name in _names(typer.main.get_command(app)):
        shown = dipctl(*name, "--help", "--lang", lang)
        assert shown.exit_code == 0, (name, shown.stderr)
        helps[" ".join(name)] = shown.stdout + shown.stderr
    return helps


def test_every_help_speaks_one_language_to_the_last_placeholder() -> None:
    for name, text in _helps("id").items():
        assert text.startswith("Penggunaan: "), (name, text)
        for english in ("[OPTIONS]", "COMMAND", "Usage:", "[ARGS]", "<str>", "<path>", "FILE"):
            assert english not in text, (name, english, text)
        assert "--verbose" in text, name
    for name, text in _helps("en").items():
        assert text.startswith("Usage: "), (name, text)
        for indonesian in ("[OPSI]", "PERINTAH", "Penggunaan", "<teks>", "BERKAS", "RAPAT"):
            assert indonesian not in text, (name, indonesian, text)
        assert not INDONESIAN.findall(text), (name, INDONESIAN.findall(text))


def test_a_missing_argument_is_named_as_the_usage_line_names_it() -> None:
    missing = dipctl("decree", "attach")
    assert missing.exit_code == 2
    assert "{ID_SK} {BERKAS.pdf}" in missing.stderr
    assert "Argumen 'ID_SK' wajib diisi." in missing.stderr, missing.stderr
    assert "Argumen 'URL' wajib diisi." in dipctl("clone").stderr
