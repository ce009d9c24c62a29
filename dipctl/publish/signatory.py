"""Who signs a paper, as its signature block prints them (SPEC.md section 6, Papers).

The block of tata naskah dinas (Permendagri 1/2023): the position, the space for the
signature, the name, then for a civil servant the pangkat and golongan ("Pembina (IV/a)")
and the NIP ("NIP. 19700101 199503 1 001"). Every paper (the SK DIP, the Penetapan DIK, the
berita acara, the lembar uji konsekuensi, the Laporan Pemutakhiran) builds its signers here
and prints them with the ``identity`` macro of ``templates/paper/_ttd.html``. Pure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dipctl.register import model

if TYPE_CHECKING:
    from dipctl.register.records import Guest, Person, Settings

#: What a paper prints where it does not know a value yet, as on a paper form.
BLANK = "…………"
ROLE_NAMES = {
    "kasubbag": "Kasubbag/Kepala Seksi",
    "sekretaris": "Sekretaris/Kepala Bagian",
    "ppid_pembantu": "PPID Pembantu",
    "kepala": "Pimpinan Badan Publik",
}
#: The Peran of an attendee who is not an officer of the register (``tamu``).
GUEST_ROLE = "Undangan"


def format_nip(nip: str) -> str:
    """An 18-digit NIP as printed on signatures: ``19700101 199503 1 001``."""
    if not model.NIP_RE.match(nip):
        return nip
    return f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"


def rank_line(rank: str, grade: str) -> str:
    """The pangkat and golongan under the name: ``Pembina (IV/a)``, or whichever is given
    (``Golongan IX`` for a golongan alone)."""
    rank, grade = rank.strip(), grade.strip()
    if rank and grade:
        return f"{rank} ({grade})"
    return rank or (f"Golongan {grade}" if grade else "")


def block(
    name: str, position: str, nip: str = "", rank: str = "", grade: str = ""
) -> dict[str, Any]:
    """One signature block's values: ``name``, ``position``, ``rank`` (the line
    :func:`rank_line` makes) and ``nip`` (formatted)."""
    return {
        "name": name,
        "position": position,
        "rank": rank_line(rank, grade),
        "nip": format_nip(nip.strip()),
    }


def of_person(person: Person | None, position: str) -> dict[str, Any]:
    """The block of an officer of ``orang`` (``position`` when the officer has no
    ``jabatan``); with no officer, a blank name to be written in by hand."""
    if person is None:
        return block(BLANK, position)
    return block(
        person.name or person.email,
        person.position or position,
        person.nip,
        person.rank,
        person.grade,
    )


def head(settings: Settings) -> dict[str, Any]:
    """The first kepala of register.yaml: who signs *Mengetahui* or *Menyetujui*."""
    heads = settings.people_with("kepala")
    return of_person(heads[0] if heads else None, ROLE_NAMES["kepala"])


def attendee(settings: Settings, email: str) -> dict[str, Any]:
    """An officer at a meeting, by e-mail (an e-mail not in ``orang`` stands for itself)."""
    found = settings.person(email)
    roles = found.roles if found else ()
    return {
        **(of_person(found, "") if found else block(email, "")),
        "email": email.strip().lower(),
        "roles": [ROLE_NAMES.get(r, r) for r in roles],
        "ppid": "ppid_pembantu" in roles,
    }


def guest(person: Guest) -> dict[str, Any]:
    """A guest at a meeting (``tamu``): a name and a position, no NIP."""
    return {
        **block(person.name, person.position),
        "email": "",
        "roles": [GUEST_ROLE],
        "ppid": False,
    }


def chair(wanted: str, present: list[dict[str, Any]]) -> str:
    """The meeting's chair (``pimpinan``: an attendee's e-mail or a guest's name) as the
    berita acara names them, "Nama, Jabatan"; a blank to fill in by hand when the record
    (made before the chair was asked for) does not say."""
    key = wanted.strip().casefold()
    found = next((a for a in present if key and key in (a["email"], a["name"].casefold())), None)
    if found is None:
        return wanted.strip() or BLANK
    return ", ".join(v for v in (found["name"], found["position"]) if v)
