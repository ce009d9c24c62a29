"""`make bench`: dipctl at province scale (10,000 items in 20 unit folders).

Times are medians of a few runs in one process tree; the figures to trust are the ratios
printed beside them (this machine is noisy), against the brief's budgets and against the
bare git and Python work underneath.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ITEMS = int(os.environ.get("BENCH_ITEMS", "10000"))
UNITS = 20
BIN = Path(sys.executable).parent
KASUBBAG = "kasubbag@bench.example.go.id"


def sh(*args: str | Path, cwd: Path | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        check=True,
        capture_output=True,
        env={**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "NO_COLOR": "1"},
    )
    return time.perf_counter() - start


def median(runs: int, *args: str | Path, cwd: Path | None = None) -> float:
    return statistics.median(sh(*args, cwd=cwd) for _ in range(runs))


def item_text(n: int, unit: str, item_id: str) -> str:
    return (
        "# yaml-language-server: $schema=../../informasi.schema.json\n"
        f"id: {item_id}\njudul: Informasi nomor {n}\n"
        f"ringkasan: Ringkasan isi informasi nomor {n} untuk uji skala provinsi.\n"
        f"unit: {unit}\npenanggung_jawab: Kepala Unit {n % UNITS}\n"
        'waktu_pembuatan: "2025"\ntempat_pembuatan: Palangka Raya\n'
        "bentuk: [softcopy, hardcopy]\nretensi: 5 tahun\nstatus: draf\n"
    )


def make_register(root: Path, status: str = "draf") -> Path:
    reg = root / "register"
    units = "".join(f"  unit-{u:02d}:\n    nama: Unit {u}\n" for u in range(UNITS))
    unit_list = ", ".join(f"unit-{u:02d}" for u in range(UNITS))
    (reg / "informasi").mkdir(parents=True)
    (reg / "register.yaml").write_text(
        "badan_publik:\n  nama: Pemerintah Provinsi Contoh\n  tempat: Palangka Raya\n"
        f"unit:\n{units}orang:\n  - nama: Kepala\n    email: kepala@bench.example.go.id\n"
        f"    peran: [kepala]\n  - nama: Kasubbag\n    email: {KASUBBAG}\n"
        f"    peran: [kasubbag]\n    unit: [{unit_list}]\n",
        encoding="utf-8",
    )
    for n in range(ITEMS):
        unit = f"unit-{n % UNITS:02d}"
        folder = reg / "informasi" / unit
        folder.mkdir(exist_ok=True)
        text = item_text(n, unit, f"item-{n:05d}")
        if status != "draf":
            text = text.replace("status: draf", f"kategori: berkala\nstatus: {status}")
        (folder / f"item-{n:05d}.yaml").write_text(text, encoding="utf-8")
    ident = ["-c", "user.name=Bench", "-c", "user.email=kepala@bench.example.go.id"]
    sh("git", "init", "-q", "-b", "main", cwd=root)
    sh("git", "add", "-A", cwd=root)
    sh("git", *ident, "commit", "-qm", "bench", cwd=root)
    return reg


def history_register(root: Path) -> Path:
    """ITEMS draft items (the init commit) and ITEMS honest submit commits, via fast-import."""
    reg = "register"
    units = "".join(f"  unit-{u:02d}:\n    nama: Unit {u}\n" for u in range(UNITS))
    unit_list = ", ".join(f"unit-{u:02d}" for u in range(UNITS))
    config = (
        f"badan_publik:\n  nama: Provinsi Contoh\nunit:\n{units}orang:\n"
        "  - nama: Kepala\n    email: kepala@bench.example.go.id\n    peran: [kepala]\n"
        f"  - nama: Kasubbag\n    email: {KASUBBAG}\n    peran: [kasubbag]\n"
        f"    unit: [{unit_list}]\n"
    )
    out: list[bytes] = []

    def blob(text: str) -> bytes:
        data = text.encode()
        return b"data %d\n%s\n" % (len(data), data)

    def commit(n: int, who: str, message: str, files: list[tuple[str, str]]) -> None:
        out.append(b"commit refs/heads/main\n")
        stamp = 1_764_000_000 + n * 60
        out.append(f"author {who} <{who}> {stamp} +0700\n".encode())
        out.append(f"committer {who} <{who}> {stamp} +0700\n".encode())
        out.append(blob(message))
        for path, text in files:
            out.append(f"M 100644 inline {path}\n".encode() + blob(text))

    paths = [f"{reg}/informasi/unit-{n % UNITS:02d}/item-{n:05d}.yaml" for n in range(ITEMS)]
    commit(
        0,
        "kepala@bench.example.go.id",
        "dip(init): bench\n\nDIP-Action: init\nDIP-Role: kepala\n",
        [(f"{reg}/register.yaml", config)]
        + [
            (p, item_text(n, f"unit-{n % UNITS:02d}", f"item-{n:05d}")) for n, p in enumerate(paths)
        ],
    )
    for n, path in enumerate(paths, 1):
        text = item_text(n - 1, f"unit-{(n - 1) % UNITS:02d}", f"item-{n - 1:05d}")
        commit(
            n,
            KASUBBAG,
            f"dip(submit): item-{n - 1:05d} draf -> diajukan\n\n"
            f"DIP-Action: submit\nDIP-Role: kasubbag\nDIP-Item: item-{n - 1:05d}\n",
            [(path, text.replace("status: draf", "status: diajukan"))],
        )
    sh("git", "init", "-q", "-b", "main", cwd=root)
    subprocess.run(["git", "fast-import", "--quiet"], input=b"".join(out), cwd=root, check=True)
    sh("git", "checkout", "-q", "main", cwd=root)
    return root / reg


def bench_verify() -> tuple[float, float]:
    """verify on ITEMS items and ITEMS step commits; and git log alone, as the baseline."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        reg = history_register(root)
        log = sh("git", "log", "--raw", "--no-abbrev", "-z", "--format=%H", cwd=root)
        return sh(BIN / "dipctl", "verify", "--register", reg), log


HUGO_SINGLE = """<!doctype html><html lang="id"><head><meta charset="utf-8">
<title>{{ .Title }}</title></head><body><main><h1>{{ .Title }}</h1><dl>
<dt>Ringkasan</dt><dd>{{ .Params.ringkasan }}</dd><dt>Unit</dt><dd>{{ .Params.unit }}</dd>
<dt>Penanggung jawab</dt><dd>{{ .Params.penanggung_jawab }}</dd>
<dt>Retensi</dt><dd>{{ .Params.retensi }}</dd></dl></main></body></html>
"""
HUGO_LIST = """<!doctype html><html lang="id"><head><meta charset="utf-8"><title>DIP</title>
</head><body><table>{{ range .Site.RegularPages }}<tr><td><a href="{{ .RelPermalink }}">
{{ .Title }}</a></td><td>{{ .Params.ringkasan }}</td><td>{{ .Params.unit }}</td></tr>
{{ end }}</table></body></html>
"""


def bench_site() -> tuple[float, float | None]:
    """dipctl build of ITEMS established items, and Hugo rendering the same item pages and
    index from the same data (when Debian's hugo is installed), in one run."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        reg = make_register(root, status="diunggah")
        built = sh(BIN / "dipctl", "build", "--register", reg, "--out", root / "site")
        if shutil.which("hugo") is None:
            return built, None
        hugo = root / "hugo"
        (hugo / "layouts" / "_default").mkdir(parents=True)
        (hugo / "layouts" / "_default" / "single.html").write_text(HUGO_SINGLE)
        (hugo / "layouts" / "index.html").write_text(HUGO_LIST)
        (hugo / "config.toml").write_text(
            'baseURL = "/"\ndisableKinds = ["taxonomy", "term",'
            ' "RSS", "sitemap", "section", "404"]\n'
        )
        content = hugo / "content" / "informasi"
        content.mkdir(parents=True)
        for n in range(ITEMS):
            (content / f"item-{n:05d}.md").write_text(
                f'---\ntitle: "Informasi nomor {n}"\nringkasan: "Ringkasan isi informasi nomor '
                f'{n}"\nunit: "unit-{n % UNITS:02d}"\npenanggung_jawab: "Kepala Unit"\n'
                f'retensi: "5 tahun"\n---\n'
            )
        return built, sh("hugo", "--quiet", "-s", hugo)


def main() -> None:
    dipctl = BIN / "dipctl"
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        start = time.perf_counter()
        reg = make_register(root)
        print(f"register of {ITEMS} items made in {time.perf_counter() - start:.1f} s")
        python = median(5, sys.executable, "-c", "pass")
        startup = median(5, dipctl, "--help")
        cold = sh(dipctl, "list", "--register", reg)
        warm = median(5, dipctl, "list", "--register", reg)
        status = median(3, dipctl, "status", "--register", reg)
        steps = [
            sh(
                dipctl,
                "new",
                "--unit",
                "unit-03",
                "--title",
                f"Baru {n}",
                "--as",
                KASUBBAG,
                "--register",
                reg,
            )
            for n in range(5)
        ]
        new = statistics.median(steps)
        submits = [
            sh(dipctl, "submit", f"item-{n:05d}", "--as", KASUBBAG, "--register", reg)
            for n in range(1, 6)
        ]
        submit = statistics.median(submits)
        history = sh(dipctl, "history", "item-00001", "--register", reg)
        probe = root / "register" / "informasi" / "unit-04" / "git-probe.yaml"
        raw = []
        for n in range(5):
            probe.write_text(item_text(n, "unit-04", "git-probe"), encoding="utf-8")
            raw.append(
                sh(
                    "git",
                    "-c",
                    "user.name=B",
                    "-c",
                    "user.email=b@b.id",
                    "add",
                    str(probe),
                    cwd=root,
                )
                + sh(
                    "git",
                    "-c",
                    "user.name=B",
                    "-c",
                    "user.email=b@b.id",
                    "commit",
                    "-qm",
                    "probe",
                    "--",
                    str(probe),
                    cwd=root,
                )
            )
        git_commit = statistics.median(raw)
        validate = sh(dipctl, "validate", "--register", reg)
        verify, log = bench_verify()
        site, hugo = bench_site()
    rows = [
        ("python -c pass", python, "baseline"),
        ("dipctl --help (start-up)", startup, f"{startup / python:.1f}x python"),
        ("list, cold cache", cold, f"{cold / 0.5:.2f}x the 0.5 s budget"),
        ("list, warm cache", warm, f"{warm / 0.5:.2f}x the 0.5 s budget"),
        ("status", status, f"{status / 0.5:.2f}x the 0.5 s budget"),
        (
            "new (step + commit)",
            new,
            f"{new / 0.5:.2f}x the 0.5 s budget; {new / git_commit:.1f}x bare git add+commit",
        ),
        (
            "submit (step + hand-edit check + commit)",
            submit,
            f"{submit / 0.5:.2f}x the 0.5 s budget; {submit / git_commit:.1f}x bare git",
        ),
        ("history of one item", history, f"{history / 0.5:.2f}x the 0.5 s budget"),
        ("git add + commit, 1 file", git_commit, "baseline"),
        ("validate (every file, with lines)", validate, "no budget"),
        (
            f"verify, {ITEMS} step commits",
            verify,
            f"{verify / 5:.2f}x the 5 s budget; {verify / log:.1f}x git log --raw alone",
        ),
        (
            f"build, {ITEMS} established items",
            site,
            f"{site / hugo:.2f}x Hugo on the same item pages" if hugo else "hugo not installed",
        ),
    ]
    for name, seconds, note in rows:
        print(f"{name:38s} {seconds * 1000:8.0f} ms   {note}")


if __name__ == "__main__":
    main()
