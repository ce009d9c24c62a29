"""The commands' table: each command's name, the module that defines it, its short help.

The root group (:class:`LazyGroup`) lists every command from this table and imports a
command's module only when that command runs or its own ``--help`` is asked, so that
``dipctl --help`` and ``dipctl --version`` load none of the register, the SOP or the printing
(issue 21). The table is in the order the commands are listed; ``help`` is the first paragraph
of the command's help as written in the code (Indonesian), translated like the rest of the help.
tests/test_commands.py holds it to the modules, so that it cannot drift: when it fails, it prints
the table to paste here.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, MutableMapping
from typing import Any, NamedTuple

from typer import _click

from dipctl import i18n
from dipctl.cli.language import LocalizedGroup, localize, translate_help


class Entry(NamedTuple):
    name: str
    module: str  # in dipctl.cli
    help: str


COMMANDS: tuple[Entry, ...] = (
    Entry(
        "sync",
        "share",
        "Sinkron dengan server git: ambil langkah rekan, susun langkah Anda di atasnya, kirim.",
    ),
    Entry(
        "clone", "share", "Mengklon register dari server git instansi, siap untuk `dipctl sync`."
    ),
    Entry(
        "init",
        "bootstrap",
        "Membuat register baru: repositori git, register/, alur CI, langkah pertama oleh kepala.",
    ),
    Entry(
        "edit",
        "content",
        "Mengisi atau mengubah isi informasi tanpa menyunting YAML, sebagai satu langkah.",
    ),
    Entry(
        "meeting attach",
        "evidence",
        "PPID Pembantu melampirkan pindaian berita acara rapat yang ditandatangani sebagai rapat/<id>.pdf (PDF, paling besar 2 MB), dalam satu langkah yang diperiksa verify.",
    ),
    Entry(
        "new", "sop", "Langkah 1: mencatat informasi baru sebagai draf, langkah kasubbag unitnya."
    ),
    Entry("submit", "sop", "Langkah 1: kasubbag mengajukan informasi yang lengkap ke sekretaris."),
    Entry(
        "review",
        "sop",
        "Langkah 2: sekretaris meneruskan informasi ke PPID Pembantu atau mengembalikannya.",
    ),
    Entry(
        "classify",
        "sop",
        "Langkah 3: PPID Pembantu mengklasifikasi informasi, atau mengembalikannya.",
    ),
    Entry(
        "establish",
        "sop",
        "Langkah 5: kepala menetapkan DIP dengan surat keputusan; lampirannya DIP lengkap yang berlaku, dan keputusan sebelumnya dicabut (atau dengan --amend diubah).",
    ),
    Entry(
        "approve",
        "sop",
        "Langkah 5 (DIK): kepala menyetujui uji konsekuensi informasi yang dikecualikan.",
    ),
    Entry(
        "exempt",
        "sop",
        "Langkah 5 (DIK): PPID Pembantu menetapkan Daftar Informasi yang Dikecualikan.",
    ),
    Entry(
        "publish",
        "sop",
        "Langkah 6: PPID Pembantu mencatat bahwa DIP yang ditetapkan sudah tersedia di situs (dip.json dan dik.json di --url memuat setiap informasi dengan hash isi yang sama).",
    ),
    Entry(
        "revise",
        "sop",
        "Pemutakhiran: informasi yang ditetapkan kembali menjadi draf sebagai revisi baru.",
    ),
    Entry(
        "withdraw",
        "sop",
        "Mencabut informasi dari DIP dengan surat keputusan kepala (lampirannya DIP lengkap tanpa informasi itu).",
    ),
    Entry(
        "undo",
        "sop",
        "Membatalkan langkah terakhir (submit, review, classify, meeting) atas informasi.",
    ),
    Entry(
        "export",
        "exchange",
        "DIP yang telah ditetapkan (atau DIK dengan --dik) sebagai CSV, JSON atau XLSX.",
    ),
    Entry(
        "import",
        "exchange",
        "Membawa masuk DIP yang telah ditetapkan (Excel atau CSV) sebagai satu langkah kepala.",
    ),
    Entry(
        "lift",
        "lifting",
        "PPID Pembantu mengakhiri pengecualian informasi dengan Penetapan DIK yang mengubah penetapan yang berlaku (lampirannya DIK tanpa informasi itu); informasi itu menjadi informasi publik yang ditentukan dan masuk DIP dengan penetapan kepala berikutnya.",
    ),
    Entry(
        "check-links",
        "links",
        "Memeriksa setiap tautan dokumen DIP yang diumumkan (HEAD, lalu GET); melaporkan yang rusak dengan kode keluar 1.",
    ),
    Entry(
        "meeting",
        "meeting",
        "Langkah 4: PPID Pembantu mencatat rapat bersama yang menentukan DIP, dengan berita acara.",
    ),
    Entry(
        "monev",
        "monev",
        "Paket bukti e-Monev Komisi Informasi: PDF (masing-masing paling besar 2 MB) berisi SK DIP dan Penetapan DIK yang berlaku, berita acara rapat tahun itu, lembar uji konsekuensi, SOP dengan mutu bakunya, laporan pemutakhiran, daftar tautan DIP/DIK dan dokumen lain yang disimpan (SK PPID, SOP pelayanan, laporan layanan, register permohonan, maklumat), dengan indeks dan satu berkas zip. Naskah yang bertanda tangan diambil dari pindaiannya; yang belum, dicetak dengan tanda belum ditandatangani, dan perintah untuk melampirkan pindaiannya dicantumkan di layar. Memerlukan Chromium (apt-get install chromium, atau DIPCTL_CHROMIUM).",
    ),
    Entry(
        "verify",
        "proof",
        "Membuktikan dari riwayat git bahwa setiap langkah diambil oleh pejabat yang berhak.",
    ),
    Entry(
        "sla",
        "proof",
        "Mutu baku: setiap langkah bermutu baku diukur dengan jamnya sendiri (langkah 4 dari tanggal rapat, 5 dari penyampaian draf SK, 6 dari SK), per langkah, unit dan pejabat.",
    ),
    Entry(
        "build",
        "publish",
        "Membangun situs statis dari informasi yang telah ditetapkan, persis dari isi catatan terakhir (yang dinilai verify); folder kerja yang berbeda ditolak.",
    ),
    Entry(
        "consequence-test",
        "publish",
        "Lembar uji konsekuensi satu informasi yang dikecualikan (A4, siap cetak dan ditandatangani seluruh peserta uji); tidak diumumkan dan tidak dicatat.",
    ),
    Entry(
        "list",
        "read",
        "Daftar informasi dalam register, dengan saringan status, unit dan kategori.",
    ),
    Entry("show", "read", "Menampilkan satu informasi dengan seluruh kolomnya."),
    Entry(
        "history",
        "read",
        "Riwayat satu informasi: siapa mengambil langkah apa, sebagai peran apa, kapan, kodenya.",
    ),
    Entry(
        "status",
        "read",
        "Jumlah per status dan per unit, siapa yang ditunggu, dan apa yang terlambat.",
    ),
    Entry(
        "validate",
        "read",
        "Memeriksa setiap berkas register; tiap masalah sebagai berkas:baris: kolom: pesan.",
    ),
    Entry(
        "schema",
        "read",
        "Mencetak JSON Schema berkas register (bawaan: berkas informasi), untuk editor dan CI.",
    ),
    Entry(
        "pemutakhiran",
        "renewal",
        "Laporan pemutakhiran satu periode dari riwayat register: informasi ditetapkan, dimutakhirkan, dicabut; pengecualian ditetapkan, berakhir, dibuka; keputusan; mutu baku.",
    ),
    Entry(
        "key",
        "keys",
        "Membuat (atau memakai ulang) kunci SSH pejabat, menyiapkan klon ini untuk menandatangani setiap langkah, dan mencetak baris yang ditambahkan kepala.",
    ),
    Entry("unit", "admin", "Unit kerja di register.yaml (oleh kepala)."),
    Entry("officer", "admin", "Pejabat di register.yaml dan perannya (oleh kepala)."),
    Entry("agency", "admin", "Kop badan publik dan kontak PPID di register.yaml (oleh kepala)."),
    Entry("document", "evidence", "Dokumen bukti e-Monev lain yang disimpan di register."),
    Entry("decree", "decree", "Surat Keputusan (SK) penetapan DIP."),
    Entry("member", "federation", "Anggota federasi PPID Utama di register.yaml (oleh kepala)."),
    Entry(
        "federate", "federation", "Federasi PPID Utama: mengambil dan membuktikan register anggota."
    ),
)

_BY_NAME = {entry.name: entry for entry in COMMANDS}


def load_all() -> None:
    """Import every command module (tests, and whatever needs every command registered)."""
    import importlib

    for module in dict.fromkeys(entry.module for entry in COMMANDS):
        importlib.import_module(f"dipctl.cli.{module}")


def module_of(name: str) -> str | None:
    """The module (``dipctl.cli.X``) that defines the command ``name``."""
    entry = _BY_NAME.get(name)
    return f"dipctl.cli.{entry.module}" if entry else None


class Commands(MutableMapping[str, _click.core.Command]):
    """A group's commands by name: every name of the table, each built on first use.

    ``loaded`` holds the commands built so far; reading one entry builds only that one."""

    def __init__(self, given: Mapping[str, _click.core.Command], group: LazyGroup) -> None:
        self.loaded: dict[str, _click.core.Command] = dict(given)
        self._names = list(dict.fromkeys([*_BY_NAME, *given]))
        self._group = group

    def __getitem__(self, name: str) -> _click.core.Command:
        if name not in self.loaded:
            command = self._group.build(name) if name in self._names else None
            if command is None:
                raise KeyError(name)
            self.loaded[name] = command
            self._group.loaded(command)
        return self.loaded[name]

    def __setitem__(self, name: str, command: _click.core.Command) -> None:
        self.loaded[name] = command
        if name not in self._names:
            self._names.append(name)

    def __delitem__(self, name: str) -> None:
        self._names.remove(name)
        self.loaded.pop(name, None)

    def __contains__(self, name: object) -> bool:
        return name in self._names

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._names))

    def __len__(self) -> int:
        return len(self._names)


class LazyGroup(LocalizedGroup):
    """The root group: lists the table's commands and builds one only when it is used.

    A subclass says how a command is built (:meth:`build`, by typer, once its module is
    imported); a command built during an invocation gets that invocation's language."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commands = Commands(self.commands, self)

    def build(self, name: str) -> _click.core.Command | None:
        raise NotImplementedError

    def loaded(self, command: _click.core.Command) -> None:
        if self.language is not None:
            localize(command, self.language)

    def format_commands(self, ctx: _click.core.Context, formatter: _click.HelpFormatter) -> None:
        """As typer's, with the short help of a command not built yet taken from the table."""
        import typer.core

        built: Mapping[str, _click.core.Command] = getattr(self.commands, "loaded", self.commands)
        rows = [(name, built.get(name)) for name in self.list_commands(ctx)]
        rows = [(name, cmd) for name, cmd in rows if cmd is None or not cmd.hidden]
        if not rows:
            return
        limit = formatter.width - 6 - max(len(name) for name, _ in rows)
        book = i18n.phrasebook("help", self.language or i18n.resolve_language(None))
        lines = [
            (name, cmd.get_short_help_str(limit) if cmd else short_help(name, book, limit))
            for name, cmd in rows
        ]
        with formatter.section(typer.core._("Commands")):  # type: ignore[attr-defined]
            formatter.write_dl(lines)


def short_help(name: str, book: dict[str, str], limit: int) -> str:
    """What click shows of the help of the command ``name`` in the commands' list."""
    text = translate_help(_BY_NAME[name].help, book)
    return _click.utils.make_default_short_help(text, limit).strip()
