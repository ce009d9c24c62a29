"""A Hugo site doing the work of ``dipctl build`` on the same register, for `make bench`.

The same public item pages in both languages (title, the eleven fields, the trail of SOP
steps with role and dates, how to obtain the information, the download links), the same
index by category, ``dip.csv``, ``dip.json`` and the search index. The content files carry
the data ``dipctl build`` reads from the register and its history (the items at HEAD and one
``git log`` for the trails), written before Hugo is timed, as an author of a Hugo site would
keep them. What Hugo does not make (XLSX, the decree pages, the DIK page, the Atom feed) is
left out, so the comparison favours Hugo.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections import defaultdict
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import yaml

WIB = timezone(timedelta(hours=7))
STEPS = {
    "new": ("1. Mencatat usulan", "1. Records the proposal"),
    "edit": ("Perubahan isi", "Content edit"),
    "submit": ("1. Mengajukan usulan", "1. Submits the proposal"),
    "review": ("2. Mengoreksi dan meneruskan", "2. Reviews and forwards"),
    "classify": ("3. Mengidentifikasi dan mengklasifikasi", "3. Identifies and classifies"),
    "undo": ("undo", "undo"),
    "meeting": ("4. Rapat penentuan DIP", "4. Meeting determining the DIP"),
    "establish": ("5. Penetapan dengan surat keputusan", "5. Established by decree"),
    "publish": ("6. Pengunggahan ke situs", "6. Uploaded to the website"),
    "revise": ("Pemutakhiran", "Update"),
}
ROLES = {
    "kasubbag": ("Kasubbag/Kepala Seksi", "Head of subdivision"),
    "sekretaris": ("Sekretaris/Kepala Bagian", "Secretary"),
    "ppid_pembantu": ("PPID Pembantu", "Assistant PPID"),
    "kepala": ("Kepala (penandatangan keputusan)", "Head (signs the decree)"),
}
CATEGORIES = ("berkala", "serta-merta", "setiap-saat")
TEMPLATE = Path(__file__).with_name("benchsite")  # config.toml and layouts/
I18N = {
    "id": {
        "home": "Beranda (DIP)",
        "downloads": "Unduhan",
        "fields": "Keterangan informasi",
        "decree": "Ditetapkan dengan keputusan",
        "trail": "Jejak penetapan",
        "trail_text": "Langkah SOP yang dilalui informasi ini sampai ditetapkan.",
        "step": "Langkah",
        "role": "Peran",
        "recorded": "Dicatat",
        "date": "Tanggal rapat atau keputusan",
        "obtain": "Cara memperoleh informasi ini",
        "obtain_text": "Ajukan permohonan kepada PPID secara tertulis (surat atau email) atau "
        "lisan, dengan menyebutkan nama dan alamat Anda, informasi yang diminta (misalnya judul "
        "pada halaman ini), formatnya, dan cara Anda ingin menerimanya (UU 14/2008 Pasal 22 "
        "ayat 1 dan 2). PPID mencatat permohonan dan memberikan tanda bukti penerimaan berupa "
        "nomor pendaftaran (Pasal 22 ayat 4). PPID wajib menyampaikan pemberitahuan tertulis "
        "paling lambat 10 hari kerja sejak permohonan diterima, dan dapat memperpanjangnya "
        "paling lama 7 hari kerja dengan alasan tertulis (Pasal 22 ayat 7 dan 8). Bila "
        "permohonan ditolak, informasi berkala tidak disediakan, permohonan tidak ditanggapi "
        "atau ditanggapi tidak sebagaimana diminta, tidak dipenuhi, dikenai biaya yang tidak "
        "wajar, atau dijawab melebihi jangka waktu, Anda dapat mengajukan keberatan secara "
        "tertulis kepada atasan PPID (Pasal 35 ayat 1) paling lambat 30 hari kerja setelah "
        "alasan itu ditemukan (Pasal 36 ayat 1). Atasan PPID wajib menanggapinya secara "
        "tertulis paling lambat 30 hari kerja sejak keberatan diterima (Pasal 36 ayat 2); bila "
        "Anda tidak puas, Anda dapat mengajukan sengketa informasi kepada Komisi Informasi "
        "(Pasal 37).",
        "back": "Kembali ke Daftar Informasi Publik",
        "dip": "Daftar Informasi Publik",
        "title": "Judul",
        "summary": "Ringkasan",
        "unit": "Unit",
        "downloads_text": "Data terbuka DIP dan DIK dalam format yang dapat diolah mesin.",
        "ppid_text": "Permohonan informasi dan keberatan dilayani oleh PPID.",
    },
    "en": {
        "home": "Home (DIP)",
        "downloads": "Downloads",
        "fields": "About this information",
        "decree": "Established by decree",
        "trail": "Establishment trail",
        "trail_text": "The SOP steps this information went through until established.",
        "step": "Step",
        "role": "Role",
        "recorded": "Recorded",
        "date": "Meeting or decree date",
        "obtain": "How to obtain this information",
        "obtain_text": "Request it from the PPID in writing (a letter or an email) or orally, "
        "giving your name and address, the information you ask for (for instance the title on "
        "this page), its format and how you wish to receive it (Law 14/2008 Article 22 "
        "paragraphs 1 and 2). The PPID records the request and gives you a registration number "
        "(Article 22 paragraph 4), and must answer in writing within 10 working days, which it "
        "may extend by at most 7 working days with written reasons (Article 22 paragraphs 7 "
        "and 8). When a request is refused, periodic information is not provided, a request "
        "is not answered or not as asked, not fulfilled, charged an unreasonable fee, or "
        "answered late, you may object in writing to the PPID's superior (Article 35 paragraph "
        "1) within 30 working days (Article 36 paragraph 1), who must answer within 30 working "
        "days (Article 36 paragraph 2); if you are not satisfied, you may bring an information "
        "dispute to the Information Commission (Article 37).",
        "back": "Back to the List of Public Information",
        "dip": "List of Public Information",
        "title": "Title",
        "summary": "Summary",
        "unit": "Unit",
        "downloads_text": "Open data of the DIP and DIK in machine-readable formats.",
        "ppid_text": "Requests for information and objections are served by the PPID.",
    },
}
FIELD_LABELS = (
    ("Ringkasan Isi Informasi", "Summary"),
    ("Pejabat/Unit yang Menguasai Informasi", "Unit holding the information"),
    ("Penanggung Jawab Pembuatan/Penerbitan", "Responsible for making or publishing"),
    ("Waktu dan Tempat Pembuatan", "Time and place made"),
    ("Bentuk Informasi yang Tersedia", "Forms available"),
    ("Jangka Waktu Penyimpanan", "Retention"),
    ("Kategori", "Category"),
    ("Dokumen", "Document"),
    ("Tempat penyimpanan arsip", "Archive"),
    ("Versi", "Version"),
)


def trails(repo: Path) -> dict[str, list[tuple[str, str, str, str]]]:
    """Each item's steps (action, role, ISO time, meeting or decree id) from one git log."""
    out = subprocess.run(
        ["git", "log", "--reverse", "--format=%x1e%aI%n%B"],
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    found: dict[str, list[tuple[str, str, str, str]]] = defaultdict(list)
    for entry in out.split("\x1e")[1:]:
        stamp, _, body = entry.partition("\n")
        keys: dict[str, list[str]] = defaultdict(list)
        for line in body.splitlines():
            key, sep, value = line.partition(": ")
            if sep and key.startswith("DIP-"):
                keys[key].append(value.strip())
        action = (keys.get("DIP-Action") or [""])[0]
        if action not in STEPS:
            continue
        role = (keys.get("DIP-Role") or [""])[0]
        ref = (keys.get("DIP-Meeting") or keys.get("DIP-Decree") or [""])[0]
        for item in keys.get("DIP-Item", []):
            found[item].append((action, role, stamp, ref))
    return found


def write_site(repo: Path, site: Path) -> int:
    """The Hugo site of the register in ``repo`` into ``site``; the number of item pages."""
    register = repo / "register"
    config = yaml.safe_load((register / "register.yaml").read_text(encoding="utf-8"))
    agency = config["badan_publik"]["nama"]
    units = {k: v["nama"] for k, v in config["unit"].items()}
    decrees = {
        p.stem: yaml.safe_load(p.read_text(encoding="utf-8"))
        for p in (register / "keputusan").glob("*.yaml")
    }
    shutil.copytree(TEMPLATE, site, dirs_exist_ok=True)
    (site / "i18n").mkdir(exist_ok=True)
    with (site / "config.toml").open("a", encoding="utf-8") as config_file:
        config_file.write(f'[params]\nagency = "{agency}"\n')
    for lang, texts in I18N.items():
        (site / "i18n" / f"{lang}.yaml").write_text(
            yaml.safe_dump(texts, allow_unicode=True), encoding="utf-8"
        )
    static = site / "static" / "static"
    static.mkdir(parents=True, exist_ok=True)
    (static / "dip.css").write_text("body{font-family:sans-serif}\n", encoding="utf-8")
    content = site / "content" / "informasi"
    content.mkdir(parents=True, exist_ok=True)
    steps = trails(repo)
    pages = 0
    for path in sorted((register / "informasi").glob("*/*.yaml")):
        item = yaml.safe_load(path.read_text(encoding="utf-8"))
        if item.get("kategori") not in CATEGORIES or item.get("status") != "diunggah":
            continue
        decree = decrees.get(item["keputusan"], {})
        for lang, which in (("id", 0), ("en", 1)):
            data = _front(item, decree, units, steps.get(item["id"], []), which)
            name = f"{item['id']}.md" if lang == "id" else f"{item['id']}.en.md"
            (content / name).write_text(json.dumps(data, ensure_ascii=False) + "\n")
        pages += 1
    return pages


def _front(
    item: dict[str, Any],
    decree: dict[str, Any],
    units: dict[str, str],
    steps: list[tuple[str, str, str, str]],
    which: int,
) -> dict[str, Any]:
    revision = int(item.get("revisi") or 0)
    values = (
        item["ringkasan"],
        units.get(item["unit"], item["unit"]),
        item["penanggung_jawab"],
        f"{item['waktu_pembuatan']}, {item['tempat_pembuatan']}",
        ", ".join(b.capitalize() for b in item["bentuk"]),
        item["retensi"],
        item["kategori"],
        "Tersedia atas permintaan kepada PPID." if which == 0 else "On request to the PPID.",
        "—",
        f"Revisi {revision}" if revision else "Versi pertama",
    )
    trail = []
    for action, role, stamp, ref in steps:
        moment = datetime.fromisoformat(stamp).astimezone(WIB)
        date = ref[:10] if action == "meeting" else str(decree.get("tanggal", ""))
        trail.append(
            [
                STEPS[action][which],
                ROLES.get(role, (role, role))[which],
                moment.isoformat(),
                moment.strftime("%d/%m/%Y %H.%M"),
                date if action in ("meeting", "establish") else "",
            ]
        )
    return {
        "title": item["judul"],
        "item_id": item["id"],
        "ringkasan": item["ringkasan"],
        "kategori": item["kategori"],
        "kategori_label": item["kategori"].replace("-", " ").title(),
        "unit_nama": units.get(item["unit"], item["unit"]),
        "penanggung_jawab": item["penanggung_jawab"],
        "waktu": str(item["waktu_pembuatan"]),
        "tempat": item["tempat_pembuatan"],
        "bentuk": item["bentuk"],
        "retensi": item["retensi"],
        "revisi": revision,
        "keputusan": decree.get("id", ""),
        "keputusan_nomor": decree.get("nomor", ""),
        "keputusan_tanggal": str(decree.get("tanggal", "")),
        "keputusan_url": f"keputusan/{decree.get('id', '')}.html",
        "rincian": [[FIELD_LABELS[n][which], v] for n, v in enumerate(values)],
        "jejak": trail,
    }
