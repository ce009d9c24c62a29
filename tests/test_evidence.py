"""The signed evidence (issue 19.5): the PPID Pembantu attaches the signed scan of every paper
(decree, berita acara, lembar uji konsekuensi) and keeps the other e-Monev documents, each in
one commit that verify checks; bad scans are refused, and scans forged with plain git are
findings."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from tests.conftest import KEPALA, PPID, SEKRETARIS, Repo, copy_repo, git, isolated_git
from tests.test_monev import tiny_pdf
from tests.test_verify import Driver, findings, forge, head, ok

LIMIT = 2 * 1024 * 1024


@dataclass(frozen=True)
class Papers:
    """A register with one public item established by an SK DIP and one exempt item by a
    Penetapan DIK, and a signed scan ready to attach."""

    repo: Repo
    tmp: Path
    dip: str  # the SK DIP's id
    dik: str  # the Penetapan DIK's id
    meeting: str  # the exempt item's meeting
    scan: Path

    def pdf(self, name: str, text: str = "PINDAIAN", padding: int = 0) -> Path:
        path = self.tmp / name
        path.write_bytes(tiny_pdf(text, padding))
        return path


@pytest.fixture(scope="module")
def _papers_template(_template_repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The two items driven through the SOP once; each test gets a copy (:func:`papers`)."""
    with isolated_git(tmp_path_factory):
        repo = copy_repo(_template_repo, tmp_path_factory.mktemp("papers"))
        sop = Driver(repo, tmp_path_factory.mktemp("papers-tmp"))
        sop.drive("ditetapkan", "renja-2027")
        sop.drive("ditetapkan", "data-pegawai", category="dikecualikan")
    return repo.path


@pytest.fixture
def papers(_papers_template: Path, tmp_path: Path) -> Papers:
    repo = copy_repo(_papers_template, tmp_path)
    folder = repo.register / "keputusan"
    kinds = {p.stem: yaml.safe_load(p.read_text("utf-8"))["jenis"] for p in folder.glob("*.yaml")}
    dip = next(k for k, v in kinds.items() if v == "penetapan")
    dik = next(k for k, v in kinds.items() if v == "penetapan-dik")
    meeting = sorted(p.stem for p in (repo.register / "rapat").glob("*.yaml"))[-1]
    scan = tmp_path / "pindaian.pdf"
    scan.write_bytes(tiny_pdf("PINDAIAN BERTANDA TANGAN"))
    return Papers(repo, tmp_path, dip, dik, meeting, scan)


def changed_files(repo: Repo) -> list[str]:
    return sorted(git(repo.path, "show", "--name-only", "--format=", "HEAD").split())


def test_each_paper_gets_its_signed_scan_in_one_commit_by_the_ppid(papers: Papers) -> None:
    repo, scan = papers.repo, papers.scan
    steps = [
        (("decree", "attach", papers.dip), f"keputusan/{papers.dip}.pdf", "DIP-Decree", papers.dip),
        (("decree", "attach", papers.dik), f"keputusan/{papers.dik}.pdf", "DIP-Decree", papers.dik),
        (("meeting", "attach", papers.meeting), f"rapat/{papers.meeting}.pdf", "DIP-Meeting",
         papers.meeting),
        (("consequence-test", "data-pegawai", "--attach"),
         "uji-konsekuensi/data-pegawai.revisi-0.pdf", "DIP-Test", "data-pegawai.revisi-0"),
    ]  # fmt: skip
    for args, path, trailer, value in steps:
        out = ok(repo, *args, str(scan), "--as", PPID)
        assert out.split() == [f"register/{path}"], out
        message = repo.log("-1", "--format=%ae%n%B")
        assert message.startswith(PPID), message
        assert "DIP-Action: attach" in message and f"{trailer}: {value}" in message
        assert changed_files(repo) == [f"register/{path}"]
        assert (repo.register / path).read_bytes() == scan.read_bytes()
    out = ok(repo, "document", "add", "sk-ppid", str(scan), "--title", "SK PPID Dinas Contoh",
             "--date", "2026-01-15", "--as", PPID)  # fmt: skip
    assert changed_files(repo) == [
        "register/dokumen/sk-ppid-2026-01-15.pdf",
        "register/dokumen/sk-ppid-2026-01-15.yaml",
    ]
    assert "DIP-Action: document" in repo.log("-1", "--format=%B")
    record = (repo.register / "dokumen" / "sk-ppid-2026-01-15.yaml").read_text(encoding="utf-8")
    assert record.startswith("# yaml-language-server: $schema=../dokumen.schema.json\n")
    assert yaml.safe_load(record) == {
        "id": "sk-ppid-2026-01-15",
        "jenis": "sk-ppid",
        "judul": "SK PPID Dinas Contoh",
        "tanggal": "2026-01-15",
    }
    assert findings(repo) == []
    assert repo.run("validate").exit_code == 0, repo.run("validate").stdout
    site = papers.tmp / "site"
    ok(repo, "build", "--out", str(site))  # the site still builds from the committed files
    assert (site / "keputusan" / f"{papers.dip}.pdf").read_bytes() == scan.read_bytes()
    assert not list(site.rglob("*uji-konsekuensi*.pdf"))  # an internal record: never published
    assert git(repo.path, "status", "--porcelain") == ""


def test_a_scan_is_replaced_only_on_purpose_and_with_a_reason(papers: Papers) -> None:
    repo, target = papers.repo, papers.repo.register / "rapat" / f"{papers.meeting}.pdf"
    ok(repo, "meeting", "attach", papers.meeting, str(papers.scan), "--as", PPID)
    first = target.read_bytes()
    better = papers.pdf("lebih-jelas.pdf", "PINDAIAN ULANG")
    again = repo.run("meeting", "attach", papers.meeting, better, "--as", PPID)
    assert again.exit_code == 3 and "sudah dilampirkan" in again.stderr
    assert "--replace -m ALASAN" in again.stderr
    no_reason = repo.run("meeting", "attach", papers.meeting, better, "--replace", "--as", PPID)
    assert no_reason.exit_code == 2 and "-m ALASAN" in no_reason.stderr
    reason_only = repo.run("meeting", "attach", papers.meeting, better, "-m", "x", "--as", PPID)
    assert reason_only.exit_code == 2
    same = repo.run("meeting", "attach", papers.meeting, papers.scan, "--replace", "-m", "sama",
                    "--as", PPID)  # fmt: skip
    assert same.exit_code == 3 and "sama persis" in same.stderr
    ok(repo, "meeting", "attach", papers.meeting, str(better), "--replace", "-m",
       "Halaman 2 terlewat saat dipindai", "--as", PPID)  # fmt: skip
    assert target.read_bytes() == better.read_bytes()
    assert "Halaman 2 terlewat saat dipindai" in repo.log("-1", "--format=%B")
    assert git(repo.path, "show", f"HEAD~1:register/rapat/{papers.meeting}.pdf") == first.decode()
    add = ("document", "add", "sop", papers.scan, "--title", "SOP", "--date", "2026-02-02")
    ok(repo, *map(str, add), "--as", PPID)
    record = repo.register / "dokumen" / "sop-2026-02-02.yaml"
    kept = record.read_bytes()
    twice = repo.run(*add, "--as", PPID)
    assert twice.exit_code == 3 and "dokumen/sop-2026-02-02.yaml sudah dilampirkan" in twice.stderr
    ok(repo, "document", "add", "sop", str(better), "--date", "2026-02-02", "--replace", "-m",
       "Pindaian yang terbaca", "--as", PPID)  # fmt: skip
    assert changed_files(repo) == ["register/dokumen/sop-2026-02-02.pdf"]
    assert record.read_bytes() == kept
    fresh = repo.run("consequence-test", "data-pegawai", "--attach", papers.scan, "--replace",
                     "-m", "tidak ada", "--as", PPID)  # fmt: skip
    assert fresh.exit_code == 3 and "belum dilampirkan" in fresh.stderr
    assert findings(repo) == []


def test_bad_scans_and_wrong_targets_are_refused_before_anything_is_written(
    papers: Papers,
) -> None:
    repo, scan = papers.repo, papers.scan
    before = head(repo)
    html = papers.tmp / "bukan.pdf"
    html.write_bytes(b"<html>pindaian</html>")
    big = papers.pdf("besar.pdf", padding=LIMIT)
    assert big.stat().st_size > LIMIT
    cases: list[tuple[tuple[str | Path, ...], int, str]] = [
        (("decree", "attach", papers.dip, html), 3, "bukan.pdf bukan berkas PDF"),
        (("meeting", "attach", papers.meeting, big), 3, "pindaian paling besar 2 MB"),
        (("document", "add", "sop", big, "--title", "SOP", "--date", "2026-01-02"), 3, "2 MB"),
        (("decree", "attach", papers.dip, papers.tmp / "tidak-ada.pdf"), 2, "tidak ada"),
        (("decree", "attach", "sk-tidak-ada", scan), 4, "sk-tidak-ada"),
        (("meeting", "attach", "2026-01-01-tidak-ada", scan), 4, "2026-01-01-tidak-ada"),
        (("consequence-test", "tidak-ada", "--attach", scan), 4, "tidak-ada"),
        (("consequence-test", "renja-2027", "--attach", scan), 3, "hanya informasi yang"),
        (("consequence-test", "data-pegawai", "--attach", scan, "--out", "x.html"), 2, "--attach"),
        (("document", "add", "piagam", scan, "--title", "X", "--date", "2026-01-02"), 2, "sk-ppid"),
        (("document", "add", "sop", scan, "--title", "SOP", "--date", "2999-01-02"), 2, "2999"),
        (("document", "add", "sop", scan, "--title", " ", "--date", "2026-01-02"), 2, "--title"),
        (("document", "add", "sop", scan, "--title", "SOP", "--date", "2 Jan"), 2, "ISO"),
    ]  # fmt: skip
    for args, code, words in cases:
        done = repo.run(*args, "--as", PPID)
        assert done.exit_code == code, (args, done.stderr)
        assert words in done.stderr, (args, done.stderr)
        assert "Traceback" not in done.stderr
    by_kepala = repo.run("decree", "attach", papers.dip, scan, "--as", KEPALA)
    assert by_kepala.exit_code == 3 and "ppid_pembantu" in by_kepala.stderr
    by_sekretaris = repo.run("document", "add", "sop", scan, "--title", "SOP", "--date",
                             "2026-01-02", "--as", SEKRETARIS)  # fmt: skip
    assert by_sekretaris.exit_code == 3
    assert head(repo) == before and git(repo.path, "status", "--porcelain") == ""
    padding = LIMIT - len(tiny_pdf("PINDAIAN"))
    padding += LIMIT - len(tiny_pdf("PINDAIAN", padding))  # the offsets grew a few digits
    exactly = papers.pdf("pas.pdf", padding=padding)
    assert exactly.stat().st_size == LIMIT
    ok(repo, "decree", "attach", papers.dip, str(exactly), "--as", PPID)


def test_the_test_sheet_is_attached_only_once_the_head_approved_it(
    repo: Repo, tmp_path: Path
) -> None:
    sop = Driver(repo, tmp_path)
    sop.drive("ditentukan", "data-pegawai", category="dikecualikan")
    scan = tmp_path / "uji.pdf"
    scan.write_bytes(tiny_pdf("UJI"))
    early = repo.run("consequence-test", "data-pegawai", "--attach", scan, "--as", PPID)
    assert early.exit_code == 3 and "belum disetujui kepala" in early.stderr
    assert "dipctl approve" in early.stderr
    ok(repo, "approve", "data-pegawai", "--as", KEPALA)
    ok(repo, "consequence-test", "data-pegawai", "--attach", str(scan), "--as", PPID)
    assert (repo.register / "uji-konsekuensi" / "data-pegawai.revisi-0.pdf").is_file()
    assert findings(repo) == []


# -- forged with plain git: each a finding of its commit -----------------------------------


def _attach_trailers(trailer: str, value: str, action: str = "attach") -> str:
    return f"DIP-Action: {action}\nDIP-Role: ppid_pembantu\n{trailer}: {value}"


def test_scans_forged_with_plain_git_are_findings(papers: Papers) -> None:
    repo, reg = papers.repo, papers.repo.register
    scan = papers.scan.read_bytes()
    ok(repo, "decree", "attach", papers.dip, str(papers.scan), "--as", PPID)
    base = head(repo)
    meeting = f"rapat/{papers.meeting}.pdf"
    by_step = "meeting-record: hanya ditulis oleh langkah attach"
    test = "evidence: pindaian uji konsekuensi revisi"
    forgeries: list[tuple[str, dict[str, bytes | None], str, str, str]] = [
        # (what, files, author, trailers, "rule: words of the finding")
        ("wrong author", {meeting: scan}, SEKRETARIS,
         _attach_trailers("DIP-Meeting", papers.meeting), by_step),
        ("by hand, no step", {meeting: scan}, PPID, "", by_step),
        ("beside no meeting", {"rapat/2026-01-01-penentuan-dip.pdf": scan}, PPID,
         _attach_trailers("DIP-Meeting", "2026-01-01-penentuan-dip"),
         "evidence: tidak mempunyai catatan"),
        ("not a pdf", {"uji-konsekuensi/data-pegawai.revisi-0.pdf": b"<html>x</html>"}, PPID,
         _attach_trailers("DIP-Test", "data-pegawai.revisi-0"), "evidence: bukan berkas PDF"),
        ("over 2 MB", {meeting: tiny_pdf("X", padding=LIMIT)}, PPID,
         _attach_trailers("DIP-Meeting", papers.meeting), "evidence: lebih dari 2 MB"),
        ("a public item's test", {"uji-konsekuensi/renja-2027.revisi-0.pdf": scan}, PPID,
         _attach_trailers("DIP-Test", "renja-2027.revisi-0"), test),
        ("another revision", {"uji-konsekuensi/data-pegawai.revisi-3.pdf": scan}, PPID,
         _attach_trailers("DIP-Test", "data-pegawai.revisi-3"), test),
        ("changed later by hand", {f"keputusan/{papers.dip}.pdf": tiny_pdf("LAIN")}, PPID,
         "", "decree: pindaian hanya diganti oleh langkah attach"),
        ("deleted", {f"keputusan/{papers.dip}.pdf": None}, PPID,
         _attach_trailers("DIP-Decree", papers.dip), "decree: tidak boleh dihapus"),
        ("a record without its scan",
         {"dokumen/sop-2026-01-02.yaml": b"id: sop-2026-01-02\njenis: sop\njudul: SOP\n"
          b'tanggal: "2026-01-02"\n'}, PPID,
         _attach_trailers("DIP-Document", "sop-2026-01-02", "document"),
         "evidence: tanpa pindaiannya"),
        ("a stray file", {"dokumen/catatan.txt": b"catatan"}, PPID, "",
         "evidence: tidak ada langkah yang menulis"),
    ]  # fmt: skip
    for what, files, author, trailers, expected in forgeries:
        git(repo.path, "reset", "-q", "--hard", base)
        for rel, data in files.items():
            path = reg / rel
            if data is None:
                path.unlink()
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        sha = forge(repo, author, f"pindaian: {what}", *([trailers] if trailers else []))
        found = [f"{f['rule']}: {f['message']}" for f in findings(repo) if f["commit"] == sha]
        rule, words = expected.split(": ", 1)
        assert any(f.startswith(f"{rule}: ") and words in f for f in found), (what, found)
        assert not [f for f in findings(repo) if f["commit"] != sha], what


def test_validate_names_scans_without_their_record_and_bad_documents(papers: Papers) -> None:
    repo, reg = papers.repo, papers.repo.register
    (reg / "rapat" / "2026-01-01-penentuan-dip.pdf").write_bytes(papers.scan.read_bytes())
    (reg / "keputusan" / f"{papers.dip}.pdf").write_bytes(b"bukan pdf")
    tests = reg / "uji-konsekuensi"
    tests.mkdir()
    (tests / "hilang.revisi-0.pdf").write_bytes(papers.scan.read_bytes())
    (tests / "catatan.txt").write_text("x", encoding="utf-8")
    docs = reg / "dokumen"
    docs.mkdir()
    (docs / "sop-2026-01-02.yaml").write_text(
        'id: sop-2026-01-02\njenis: piagam\njudul: SOP\ntanggal: "2026-01-02"\n', encoding="utf-8"
    )
    done = repo.run("validate")
    assert done.exit_code == 1, done.stderr
    for words in (
        "rapat/2026-01-01-penentuan-dip.pdf:1: -: pindaian ini tidak mempunyai catatan",
        f"keputusan/{papers.dip}.pdf:1: -: register/keputusan/{papers.dip}.pdf bukan berkas PDF",
        "uji-konsekuensi/hilang.revisi-0.pdf:1: -: pindaian uji konsekuensi ini menyebut "
        "informasi 'hilang'",
        "uji-konsekuensi/catatan.txt:1: -: berkas ini tidak dikenal",
        "dokumen/sop-2026-01-02.yaml:2: jenis",
        "dokumen/sop-2026-01-02.yaml:1: id: id sop-2026-01-02 dan nama berkas",
        "tidak mempunyai pindaiannya",
    ):
        assert words in done.stdout, (words, done.stdout)


def test_meeting_attach_is_its_own_command_listed_after_meeting() -> None:
    from tests.conftest import dipctl

    listing = [line.split()[:2] for line in dipctl("--help").stdout.splitlines() if line.strip()]
    names = [" ".join(w for w in words if w.islower() and w.isalpha()) for words in listing]
    assert names.index("meeting attach") == names.index("meeting") + 1
    helped = dipctl("meeting", "attach", "--help")
    assert helped.exit_code == 0 and "rapat/<id>.pdf" in helped.stdout
    assert (
        "Usage: dipctl meeting attach"
        in dipctl("meeting", "attach", "--help", "--lang", "en").stdout
    )
