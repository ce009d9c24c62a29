"""One DIP decree and one DIK in force (issue 12): complete lampiran, revocation and
amendment, the separate DIK path (approve, exempt), and the consistency of dates and numbers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from dipctl.register.records import Decree
from tests.conftest import KEPALA, PPID, SEKRETARIS, Repo, git
from tests.test_verify import Driver, findings, forge, ok, trailers

DATE = "2026-11-26"


@pytest.fixture
def sop(repo: Repo, tmp_path: Path) -> Driver:
    return Driver(repo, tmp_path)


def decree_file(repo: Repo, decree_id: str) -> dict[str, object]:
    path = repo.register / "keputusan" / f"{decree_id}.yaml"
    data: dict[str, object] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def decrees(repo: Repo) -> dict[str, dict[str, object]]:
    folder = repo.register / "keputusan"
    return {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in folder.glob("*.yaml")}


def establish(repo: Repo, number: str, *ids: str, extra: tuple[str, ...] = ()) -> str:
    out = ok(repo, "establish", *ids, "--number", number, "--date", DATE, *extra, "--as", KEPALA)
    assert out
    return next(d for d, data in decrees(repo).items() if data["nomor"] == number)


def exempt(repo: Repo, number: str, *ids: str) -> str:
    ok(repo, "approve", *ids, "--as", KEPALA)
    ok(repo, "exempt", *ids, "--number", number, "--date", DATE, "--as", PPID)
    return next(d for d, data in decrees(repo).items() if data["nomor"] == number)


def two_rounds(sop: Driver) -> tuple[str, str, str]:
    """Round 1: two public items by decree and one exempt by the Penetapan DIK; round 2: one
    more public item by a second decree in the same year."""
    repo = sop.repo
    sop.drive("ditentukan", "renja-2027", "profil-dinas")
    sop.drive("ditentukan", "data-pegawai", category="dikecualikan")
    first = establish(repo, "188.44/1/2026", "renja-2027", "profil-dinas")
    dik = exempt(repo, "188.44/2/2026", "data-pegawai")
    sop.drive("ditentukan", "peta-jabatan")
    second = establish(repo, "188.44/3/2026", "peta-jabatan")
    return first, dik, second


def test_the_second_decree_lists_the_whole_dip_and_revokes_the_first(sop: Driver) -> None:
    repo = sop.repo
    first, dik, second = two_rounds(sop)
    one, two, penetapan = (
        decree_file(repo, first),
        decree_file(repo, second),
        decree_file(repo, dik),
    )
    assert one["lampiran"] == ["profil-dinas", "renja-2027"]
    assert "mencabut" not in one and "mengubah" not in one
    assert two["lampiran"] == ["peta-jabatan", "profil-dinas", "renja-2027"]
    assert two["menetapkan"] == ["peta-jabatan"]
    assert two["mencabut"] == first
    # the DIK is its own list, issued by the PPID with the six elements of Pasal 4 ayat 4
    assert penetapan["jenis"] == "penetapan-dik"
    assert penetapan["lampiran"] == ["data-pegawai"]
    assert penetapan["penandatangan"] == PPID
    assert {"tempat", "badan_publik", "pejabat", "rincian", "tanggal"} <= set(penetapan)
    detail = penetapan["rincian"][0]  # type: ignore[index]
    assert {"pasal", "jangka_waktu", "alasan"} <= set(detail)
    assert "mencabut" not in two or two["mencabut"] != dik
    # the built site marks only the second DIP decree (and the DIK) as in force
    site = sop.tmp / "site"
    ok(repo, "build", "--out", str(site))
    page = (site / "keputusan" / f"{second}.html").read_text(encoding="utf-8")
    old = (site / "keputusan" / f"{first}.html").read_text(encoding="utf-8")
    assert "Berlaku" in page and "Dicabut oleh" not in page
    assert "dicabut dan dinyatakan tidak berlaku" in page and "188.44/1/2026" in page
    assert "Dicabut oleh" in old and "188.44/3/2026" in old
    listing = (site / "keputusan.html").read_text(encoding="utf-8")
    rows = {m[0]: m[1] for m in re.findall(r'<tr id="([^"]+)">(.*?)</tr>', listing, re.S)}
    in_force = {d for d, row in rows.items() if 'class="berlaku"' in row}
    assert in_force == {second, dik}
    # the verify of the whole history is clean
    assert findings(repo) == []


def test_amend_names_the_decree_it_amends(sop: Driver) -> None:
    repo = sop.repo
    sop.drive("ditentukan", "renja-2027")
    first = establish(repo, "188.44/1/2026", "renja-2027")
    sop.drive("ditentukan", "profil-dinas")
    second = establish(repo, "188.44/2/2026", "profil-dinas", extra=("--amend",))
    data = decree_file(repo, second)
    assert data["mengubah"] == first and "mencabut" not in data
    assert data["lampiran"] == ["profil-dinas", "renja-2027"]
    assert "Perubahan atas Keputusan Nomor 188.44/1/2026" in str(data["tentang"])
    site = sop.tmp / "site"
    ok(repo, "build", "--out", str(site))
    assert "Diubah dengan" in (site / "keputusan" / f"{first}.html").read_text(encoding="utf-8")


def test_withdraw_writes_a_decree_without_the_item(sop: Driver) -> None:
    repo = sop.repo
    sop.drive("ditetapkan", "renja-2027", "profil-dinas")
    first = next(iter(decrees(repo)))
    ok(repo, "withdraw", "profil-dinas", "--number", "188.44/9/2026", "--date", DATE,
       "-m", "Tidak dikuasai lagi", "--as", KEPALA)  # fmt: skip
    withdrawal = next(d for d, x in decrees(repo).items() if x["nomor"] == "188.44/9/2026")
    data = decree_file(repo, withdrawal)
    assert data["lampiran"] == ["renja-2027"]
    assert data["mengeluarkan"] == ["profil-dinas"]
    assert data["mencabut"] == first
    status = ok(repo, "status")
    assert "188.44/9/2026" in status
    assert findings(repo) == []


def test_the_draft_is_the_decree_that_establish_writes(sop: Driver) -> None:
    repo = sop.repo
    sop.drive("ditetapkan", "renja-2027")
    sop.drive("ditentukan", "profil-dinas")
    sop.drive("ditentukan", "data-pegawai", category="dikecualikan")
    out = sop.tmp / "draf.html"
    ok(repo, "decree", "draft", "--number", "188.44/5/2026", "--date", DATE, "--out", str(out))
    draft = out.read_text(encoding="utf-8")
    assert "Informasi renja-2027" in draft and "Informasi profil-dinas" in draft
    assert "Informasi data-pegawai" not in draft
    assert "dicabut dan dinyatakan tidak berlaku" in draft
    # the exempt item is refused by establish, with the DIK path as the hint
    refused = repo.run("establish", "data-pegawai", "--number", "188.44/5/2026", "--date", DATE,
                       "--as", KEPALA)  # fmt: skip
    assert refused.exit_code == 3 and "dipctl approve" in refused.stderr
    # --all takes only the public ones
    decree_id = establish(repo, "188.44/5/2026", extra=("--all",))
    assert decree_file(repo, decree_id)["lampiran"] == ["profil-dinas", "renja-2027"]
    ok(repo, "approve", "data-pegawai", "--as", KEPALA)
    dik = sop.tmp / "dik.html"
    ok(repo, "decree", "draft", "--dik", "--number", "188.44/6/2026", "--out", str(dik))
    text = dik.read_text(encoding="utf-8")
    assert "DAFTAR INFORMASI YANG DIKECUALIKAN" in text and "Informasi data-pegawai" in text
    # the complete consequence test's public elements: the pasal, the laws, the short reason
    assert "17 huruf h" in text and "UU 14/2008 Pasal 17 huruf h" in text
    assert "Memuat data pribadi pegawai." in text


def test_no_exempt_item_ever_appears_in_a_dip_decree(sop: Driver) -> None:
    repo = sop.repo
    two_rounds(sop)
    sop.drive("ditentukan", "rahasia-dua", category="dikecualikan")
    exempt(repo, "188.44/7/2026", "rahasia-dua")
    sop.drive("ditentukan", "profil-baru")
    out = sop.tmp / "draf.html"
    ok(repo, "decree", "draft", "--out", str(out))
    site = sop.tmp / "site"
    ok(repo, "build", "--out", str(site))
    titles = ["Informasi data-pegawai", "Informasi rahasia-dua"]
    dip_files = [d for d, x in decrees(repo).items() if x["jenis"] != "penetapan-dik"]
    assert len(dip_files) == 2
    texts = [(repo.register / "keputusan" / f"{d}.yaml").read_text(encoding="utf-8")
             for d in dip_files]  # fmt: skip
    texts += [(site / "keputusan" / f"{d}.html").read_text(encoding="utf-8") for d in dip_files]
    texts.append(out.read_text(encoding="utf-8"))
    for text in texts:
        for title in [*titles, "data-pegawai", "rahasia-dua"]:
            assert title not in text
    dik = decrees(repo)
    latest = next(x for x in dik.values() if x["nomor"] == "188.44/7/2026")
    assert latest["lampiran"] == ["data-pegawai", "rahasia-dua"]
    assert latest["mencabut"] == next(d for d, x in dik.items() if x["nomor"] == "188.44/2/2026")


def test_approve_and_exempt_belong_to_their_roles(sop: Driver) -> None:
    repo = sop.repo
    sop.drive("ditentukan", "data-pegawai", category="dikecualikan")
    sop.drive("ditentukan", "renja-2027")
    assert repo.run("approve", "data-pegawai", "--as", PPID).exit_code == 3
    assert repo.run("approve", "renja-2027", "--as", KEPALA).exit_code == 3
    ok(repo, "approve", "data-pegawai", "--as", KEPALA)
    by_head = repo.run("exempt", "data-pegawai", "--number", "1", "--date", DATE, "--as", KEPALA)
    assert by_head.exit_code == 3
    log = repo.log("-1", "--format=%ae%n%B")
    assert log.startswith(KEPALA) and "DIP-Action: approve" in log


def test_verify_flags_dik_steps_taken_by_anyone_else(sop: Driver) -> None:
    repo = sop.repo
    sop.drive("ditentukan", "data-pegawai", category="dikecualikan")
    path = repo.item("sekretariat", "data-pegawai")
    # the sekretaris approves the consequence test with plain git
    path.write_text(path.read_text(encoding="utf-8").replace("status: ditentukan",
                    "status: disetujui"), encoding="utf-8")  # fmt: skip
    forge(repo, SEKRETARIS, "dip(approve): data-pegawai ditentukan -> disetujui",
          trailers("approve", "kepala", "data-pegawai"))  # fmt: skip
    # the kepala issues the Penetapan DIK with plain git, under the exempt step's trailers
    text = path.read_text(encoding="utf-8").replace("status: disetujui", "status: ditetapkan")
    path.write_text(text + "keputusan: sk-palsu\n", encoding="utf-8")
    (repo.register / "keputusan" / "sk-palsu.yaml").write_text(
        "id: sk-palsu\njenis: penetapan-dik\nnomor: '9'\ntanggal: '2026-11-26'\n"
        f"penandatangan: {KEPALA}\nlampiran: [data-pegawai]\nmenetapkan: [data-pegawai]\n",
        encoding="utf-8",
    )
    message = trailers("exempt", "ppid_pembantu", "data-pegawai") + "\nDIP-Decree: sk-palsu"
    forge(repo, KEPALA, "dip(exempt): data-pegawai disetujui -> ditetapkan", message)
    found = {(f["rule"], f.get("item", "")) for f in findings(repo)}
    assert ("role", "data-pegawai") in found
    assert any(rule == "decree" for rule, _ in found)


def test_verify_flags_an_exempt_item_established_by_a_dip_decree(sop: Driver) -> None:
    repo = sop.repo
    sop.drive("ditentukan", "data-pegawai", category="dikecualikan")
    path = repo.item("sekretariat", "data-pegawai")
    text = path.read_text(encoding="utf-8").replace("status: ditentukan", "status: ditetapkan")
    path.write_text(text + "keputusan: sk-dip\n", encoding="utf-8")
    (repo.register / "keputusan" / "sk-dip.yaml").write_text(
        "id: sk-dip\njenis: penetapan\nnomor: '9'\ntanggal: '2026-11-26'\n"
        f"penandatangan: {KEPALA}\nlampiran: [data-pegawai]\nmenetapkan: [data-pegawai]\n",
        encoding="utf-8",
    )
    forge(repo, KEPALA, "dip(establish): data-pegawai ditentukan -> ditetapkan",
          trailers("establish", "kepala", "data-pegawai") + "\nDIP-Decree: sk-dip")  # fmt: skip
    found = {(f["rule"], f.get("item", "")) for f in findings(repo)}
    assert ("establish-record", "data-pegawai") in found


def test_a_ppid_writing_a_dip_decree_in_the_exempt_step_is_flagged(sop: Driver) -> None:
    repo = sop.repo
    sop.drive("ditentukan", "data-pegawai", category="dikecualikan")
    ok(repo, "approve", "data-pegawai", "--as", KEPALA)
    path = repo.item("sekretariat", "data-pegawai")
    text = path.read_text(encoding="utf-8").replace("status: disetujui", "status: ditetapkan")
    path.write_text(text + "keputusan: sk-x\n", encoding="utf-8")
    (repo.register / "keputusan" / "sk-x.yaml").write_text(
        "id: sk-x\njenis: penetapan\nnomor: '9'\ntanggal: '2026-11-26'\n"
        f"penandatangan: {PPID}\nlampiran: [data-pegawai]\n",
        encoding="utf-8",
    )
    forge(repo, PPID, "dip(exempt): data-pegawai disetujui -> ditetapkan",
          trailers("exempt", "ppid_pembantu", "data-pegawai") + "\nDIP-Decree: sk-x")  # fmt: skip
    rules = {f["rule"] for f in findings(repo)}
    assert "decree" in rules


# -- consistency (issue 12 point 5) ---------------------------------------------------------


def test_a_decree_dated_in_the_future_is_refused(sop: Driver) -> None:
    sop.drive("ditentukan", "renja-2027")
    result = sop.repo.run("establish", "renja-2027", "--number", "1", "--date", "2999-01-01",
                          "--as", KEPALA)  # fmt: skip
    assert result.exit_code == 3 and "2999-01-01" in result.stderr


def test_a_decree_dated_before_the_meeting_is_refused(sop: Driver) -> None:
    sop.drive("ditentukan", "renja-2027")  # the meeting is on 2026-11-11
    result = sop.repo.run("establish", "renja-2027", "--number", "1", "--date", "2026-11-01",
                          "--as", KEPALA)  # fmt: skip
    assert result.exit_code == 3 and "2026-11-11" in result.stderr


def test_a_decree_number_is_unique(sop: Driver) -> None:
    repo = sop.repo
    sop.drive("ditentukan", "renja-2027", "profil-dinas")
    establish(repo, "188.44/1/2026", "renja-2027")
    result = repo.run("establish", "profil-dinas", "--number", "188.44/1/2026", "--date", DATE,
                      "--as", KEPALA)  # fmt: skip
    assert result.exit_code == 3 and "188.44/1/2026" in result.stderr
    # and validate finds a duplicate made by hand
    second = repo.register / "keputusan" / "sk-salinan.yaml"
    first = next((repo.register / "keputusan").glob("*.yaml"))
    second.write_text(first.read_text(encoding="utf-8").replace(f"id: {first.stem}",
                      "id: sk-salinan"), encoding="utf-8")  # fmt: skip
    checked = repo.run("validate")
    assert checked.exit_code == 1 and "sk-salinan" in checked.stdout


def test_a_meeting_dated_in_the_future_is_refused(sop: Driver) -> None:
    repo = sop.repo
    sop.drive("diklasifikasi", "renja-2027")
    result = repo.run("meeting", "renja-2027", "--date", "2999-01-01", "--place", "Ruang",
                      "--attendee", PPID, "--attendee", SEKRETARIS, "--softcopy", "F",
                      "--time", "09:00", "--chair", PPID,
                      "--hardcopy", "L", "--as", PPID)  # fmt: skip
    assert result.exit_code == 3 and "2999-01-01" in result.stderr
    assert git(repo.path, "status", "--porcelain") == ""


def test_an_old_decree_listing_informasi_is_read_as_its_lampiran() -> None:
    old = Decree.from_mapping(
        {"id": "sk-lama", "jenis": "penetapan", "nomor": "1", "informasi": ["a-1", "b-2"]},
        Path("sk-lama.yaml"),
    )
    assert old.items == ("a-1", "b-2") and old.establishes == ("a-1", "b-2")
    assert not old.complete and not old.revokes


# -- the signed scan (issue 12 point 6) -----------------------------------------------------


def test_the_ppid_attaches_the_signed_scan_and_the_site_links_it(sop: Driver) -> None:
    repo = sop.repo
    sop.drive("ditentukan", "renja-2027")
    decree_id = establish(repo, "188.44/1/2026", "renja-2027")
    scan = sop.tmp / "sk.pdf"
    scan.write_bytes(b"%PDF-1.4\n% pindaian\n%%EOF\n")
    not_pdf = sop.tmp / "sk.txt"
    not_pdf.write_bytes(b"bukan pdf")
    assert repo.run("decree", "attach", decree_id, not_pdf, "--as", PPID).exit_code == 3
    assert repo.run("decree", "attach", decree_id, scan, "--as", KEPALA).exit_code == 3
    assert repo.run("decree", "attach", "sk-tidak-ada", scan, "--as", PPID).exit_code == 4
    ok(repo, "decree", "attach", decree_id, str(scan), "--as", PPID)
    message = repo.log("-1", "--format=%ae%n%B")
    assert message.startswith(PPID) and "DIP-Action: attach" in message
    assert f"DIP-Decree: {decree_id}" in message
    assert (repo.register / "keputusan" / f"{decree_id}.pdf").read_bytes() == scan.read_bytes()
    assert findings(repo) == []
    site = sop.tmp / "site"
    ok(repo, "build", "--out", str(site))
    assert (site / "keputusan" / f"{decree_id}.pdf").read_bytes() == scan.read_bytes()
    page = (site / "keputusan" / f"{decree_id}.html").read_text(encoding="utf-8")
    assert f'href="../keputusan/{decree_id}.pdf"' in page and "Berlaku" in page
    # a scan committed by anyone else with plain git is flagged
    forged = repo.register / "keputusan" / f"{decree_id}-lain.pdf"
    forged.write_bytes(scan.read_bytes())
    forge(repo, KEPALA, "pindaian", "DIP-Action: attach\nDIP-Role: ppid_pembantu\n"
          f"DIP-Decree: {decree_id}-lain")  # fmt: skip
    assert any(f["rule"] == "decree" for f in findings(repo))
