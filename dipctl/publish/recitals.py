"""The Menimbang and Mengingat of each kind of decree (SPEC.md section 6, Papers).

A decree states why it is made (Menimbang) and on what law (Mengingat); what it says depends on
what kind of decree it is, which :func:`kind` reads from the record: the first SK DIP, an
amendment (``mengubah``), a replacement that revokes the decree in force (``mencabut``: a
pemutakhiran), a withdrawal of information (``pencabutan``, with its ``alasan``), and the
Penetapan DIK: first, amending, replacing, or lifting exemptions (items it ``mengeluarkan``).
A withdrawal or a lift states its reason and claims no meeting: neither has one.

The Mengingat is ``naskah.mengingat`` of register.yaml (``dip`` or ``dik``), else for the SK
DIP ``dasar_hukum``, else UU 14/2008, PP 61/2010, Perki 1/2017 and Perki 1/2021
(:meth:`~dipctl.register.records.Settings.decree_recitals`). Official Indonesian text. Pure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dipctl.publish.signatory import BLANK

if TYPE_CHECKING:
    from dipctl.register.records import Decree, Settings

#: The kinds of decree, each with its own Menimbang.
ESTABLISHMENT = "penetapan"
AMENDMENT = "perubahan"
REPLACEMENT = "pemutakhiran"
WITHDRAWAL = "pencabutan"
DIK = "penetapan-dik"
DIK_AMENDMENT = "perubahan-dik"
DIK_REPLACEMENT = "pemutakhiran-dik"
LIFT = "pembukaan-dik"  # a Penetapan DIK that takes exemptions out (their period ended, …)

_UU = "Undang-Undang Nomor 14 Tahun 2008 tentang Keterbukaan Informasi Publik"
_PERKI_2017 = (
    "Pasal 4 ayat (3) Peraturan Komisi Informasi Nomor 1 Tahun 2017 tentang Pengklasifikasian"
    " Informasi Publik"
)
_SOP = "Standar Operasional Prosedur Penetapan dan Pemutakhiran Daftar Informasi Publik"


def kind(decree: Decree) -> str:
    """The kind of ``decree``, read from its record."""
    if decree.dik:
        if decree.removes and not decree.establishes:
            return LIFT
        return DIK_AMENDMENT if decree.amends else DIK_REPLACEMENT if decree.revokes else DIK
    if decree.kind == "pencabutan":
        return WITHDRAWAL
    return AMENDMENT if decree.amends else REPLACEMENT if decree.revokes else ESTABLISHMENT


def mengingat(settings: Settings, decree: Decree) -> list[str]:
    """The Mengingat of ``decree``, from register.yaml or the defaults."""
    return list(settings.decree_recitals(decree.dik))


def _reason(text: str) -> str:
    """A reason given with ``-m``, to stand inside a clause: no closing stop."""
    return " ".join(text.split()).rstrip(" .;") or BLANK


def _letters(count: int) -> str:
    """``huruf a, huruf b dan huruf c`` for the closing clause of ``count`` clauses before."""
    names = [f"huruf {chr(ord('a') + n)}" for n in range(count)]
    return names[0] if count == 1 else ", ".join(names[:-1]) + " dan " + names[-1]


def menimbang(
    decree: Decree,
    agency: str,
    issuer: str,
    subject: str,
    previous: str = "",
) -> list[str]:
    """The Menimbang clauses of ``decree``: ``agency`` the public body, ``issuer`` the
    position that issues it ("Kepala Biro Organisasi"), ``subject`` its *tentang*, and
    ``previous`` the decree it amends as its dictum names it ("Keputusan … Nomor … tentang
    …"), for an amendment's recital."""
    named = previous or f"Keputusan {BLANK}"
    clauses = _CLAUSES[kind(decree)](agency, named, _reason(decree.reason))
    closing = f"perlu menetapkan Keputusan {issuer} tentang {subject or BLANK}"
    return [
        *(f"bahwa {c};" for c in clauses),
        f"bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam {_letters(len(clauses))},"
        f" {closing};",
    ]


def _dip_basis() -> str:
    return (
        f"berdasarkan ketentuan Pasal 11 ayat (1) huruf a {_UU}, Badan Publik wajib menyediakan"
        " daftar seluruh Informasi Publik yang berada di bawah penguasaannya, tidak termasuk"
        " informasi yang dikecualikan"
    )


def _establishment(agency: str, previous: str, reason: str) -> list[str]:
    return [
        _dip_basis(),
        f"Daftar Informasi Publik di lingkungan {agency} telah dihimpun, dikoreksi, diklasifikasi"
        f" dan ditentukan dalam rapat bersama sesuai dengan {_SOP}",
    ]


def _replacement(agency: str, previous: str, reason: str) -> list[str]:
    return [
        _dip_basis(),
        f"Daftar Informasi Publik di lingkungan {agency} dimutakhirkan paling sedikit 1 (satu)"
        " kali dalam 1 (satu) tahun dan sewaktu-waktu apabila terdapat perubahan informasi, dan"
        " hasil pemutakhirannya telah dihimpun, dikoreksi, diklasifikasi dan ditentukan dalam"
        f" rapat bersama sesuai dengan {_SOP}",
        "Keputusan yang menetapkan Daftar Informasi Publik yang berlaku tidak sesuai lagi dengan"
        " hasil pemutakhiran sebagaimana dimaksud dalam huruf b sehingga perlu diganti",
    ]


def _amendment(agency: str, previous: str, reason: str) -> list[str]:
    return [
        _dip_basis(),
        f"Daftar Informasi Publik di lingkungan {agency} telah ditetapkan dengan {previous}",
        "terdapat perubahan informasi yang telah dihimpun, dikoreksi, diklasifikasi dan"
        f" ditentukan dalam rapat bersama sesuai dengan {_SOP}, sehingga Lampiran Keputusan"
        " sebagaimana dimaksud dalam huruf b perlu diubah",
    ]


def _withdrawal(agency: str, previous: str, reason: str) -> list[str]:
    return [
        _dip_basis(),
        f"terdapat informasi dalam Daftar Informasi Publik {agency} yang berlaku yang perlu"
        f" dicabut dari Daftar Informasi Publik dengan alasan {reason}",
    ]


def _dik_basis() -> str:
    return (
        f"berdasarkan Pasal 17 {_UU} terdapat informasi yang dikecualikan, yang penetapannya"
        " didasarkan pada uji konsekuensi dengan mempertimbangkan bahwa menutup informasi dapat"
        " melindungi kepentingan yang lebih besar daripada membukanya"
    )


def _tested(agency: str) -> str:
    return (
        "uji konsekuensi atas informasi sebagaimana tercantum dalam Lampiran Keputusan ini telah"
        f" dilakukan oleh PPID dan disetujui oleh Pimpinan {agency} sesuai dengan {_PERKI_2017}"
    )


def _dik(agency: str, previous: str, reason: str) -> list[str]:
    return [_dik_basis(), _tested(agency)]


def _dik_replacement(agency: str, previous: str, reason: str) -> list[str]:
    return [
        _dik_basis(),
        _tested(agency),
        "Keputusan yang menetapkan Informasi yang Dikecualikan yang berlaku perlu diganti sesuai"
        " dengan uji konsekuensi sebagaimana dimaksud dalam huruf b",
    ]


def _dik_amendment(agency: str, previous: str, reason: str) -> list[str]:
    return [
        _dik_basis(),
        f"Informasi yang Dikecualikan di lingkungan {agency} telah ditetapkan dengan {previous}",
        "uji konsekuensi atas informasi yang ditambahkan dalam Lampiran Keputusan ini telah"
        f" dilakukan oleh PPID dan disetujui oleh Pimpinan {agency} sesuai dengan {_PERKI_2017},"
        " sehingga Lampiran Keputusan sebagaimana dimaksud dalam huruf b perlu diubah",
    ]


def _lift(agency: str, previous: str, reason: str) -> list[str]:
    return [
        f"berdasarkan Pasal 2 ayat (2) {_UU}, Informasi Publik yang dikecualikan bersifat ketat"
        " dan terbatas, dan berdasarkan Pasal 20 ayat (1) Undang-Undang tersebut, pengecualian"
        " berdasarkan Pasal 17 huruf a sampai dengan huruf f tidak bersifat permanen",
        f"Informasi yang Dikecualikan di lingkungan {agency} telah ditetapkan dengan {previous}",
        "pengecualian atas sebagian informasi dalam Lampiran Keputusan sebagaimana dimaksud dalam"
        f" huruf b tidak berlaku lagi dengan alasan {reason}, sehingga informasi tersebut menjadi"
        " Informasi Publik dan Lampiran Keputusan itu perlu diubah",
    ]


_CLAUSES = {
    ESTABLISHMENT: _establishment,
    REPLACEMENT: _replacement,
    AMENDMENT: _amendment,
    WITHDRAWAL: _withdrawal,
    DIK: _dik,
    DIK_REPLACEMENT: _dik_replacement,
    DIK_AMENDMENT: _dik_amendment,
    LIFT: _lift,
}
KINDS = tuple(_CLAUSES)
