"""Issue 21: ``dipctl verify`` reads the many versions of the history at once, each distinct
top-level entry once (:mod:`dipctl.register.batch`), and a meeting or decree once per
commit. The read must be the whole read's, value for value and refusal for refusal, and the
report of a hostile history byte for byte what the whole read gives."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dipctl.errors import InvalidFile
from dipctl.register import batch, store
from tests.conftest import KASUBBAG, KEPALA, commit_all, git
from tests.test_verify import OUTSIDER, Driver, forge, hand_edit, sop, trailers

__all__ = ["sop"]  # the fixture

#: Texts where cutting at the first column could go wrong: a document end or start, a
#: quoted or flow value that goes on at the first column, block scalars that keep their
#: trailing lines, other line breaks, a byte order mark, tabs, repeated and odd keys.
TRICKY = [
    "a: b\n...\nc: d\n",
    "a: b\n---\nc: d\n",
    'a: "x\nb: y"\n',
    "a: 'x\nb: y'\n",
    "a: [x,\nb]\n",
    "a: {x: 1,\nb: 2}\n",
    "a: |+\n  keep\n\n\nb: c\n",
    "a: >-\n  folded\n  text\n\nb: c",
    "a: |\n  one\n# not a comment inside?\n  two\nb: c\n",
    "a: b\r\nc: d\r\n",
    "a: b\rc: d\n",
    "a: b\u2028...\nc: d\n",
    "\ufeffa: b\nc: d\n",
    "a:\tb\nc:\t[1, 2]\n",
    "\ta: b\n",
    "a: 1\na: 2\n",
    "1: a\ntrue: b\n",
    "on: x\nyes: y\nnull: z\n",
    "a: 2026-02-30\n",
    "a: 2026-02-03\nb: 2026-02-03 10:00:00+07:00\n",
    "a: " + "9" * 5000 + "\n",
    "a: &x 1\nb: *x\n",
    "<<: {a: 1}\nb: 2\n",
    "? a\n: b\n",
    "- a\n- b\n",
    "# only a comment\n",
    "",
    "plain\n",
    "a: b\nplain\n",
    "a:\n  b: 1\n  c: [x, y]\nd: e\n",
    "a:\n- x\n- y\nb: c\n",
    "# c\n\n  # indented comment\na: b\n",
    "%YAML 1.1\n---\na: b\n",
    "a: !!binary aGVsbG8=\nb: !!set {x, y}\n",
    "a: !!python/object:os.system x\n",
    "a: b\n c\nd: e\n",
    "a: b\nc: d",
    "a: b #c\nc: 'it''s'\n",
    "a: \x1b\n",
    "a: b\nc:\n",
    "a: 1.0\nb: 12e03\nc: 1_0\nd: 0b101\ne: 0x_1\nf: 1:20\ng: TRUE\nh: NULL\ni: 2026-1-2\n",
    "id: x-1\njudul: Data Statistik 01, edisi (2025).\nn-a: y_z\n",
    "bentuk: [softcopy, hardcopy]\nstatus: draf\n",
]

_LINES = st.sampled_from(
    ["a: b", "a: 1", "b: [x, y]", "c:", "  d: e", "  - f", "- g", "...", "---", "# h", "",
     "  ", "i: 'j", "k\"", "l: |", "  m", "n: {o: p", "q}", "r: >+", "\t", "s: 2026-01-02",
     "t: &u v", "w: *u", "? x", ": y", "z: \"1\n2\"", "é: 1", "a: b # c", "0: zero",
     "yes: no", "on: Off", "a: 1.5", "a: 1,000", "a: 1_000", "a: 0x1F", "a: 0o17", "a: x  y",
     "a: x.", "a: Null", "a: 2026-01-02-x", "a: 2026-01-02 10:00", "a-b: c-d", "a: b-", "a_: _b",
     "a: (b), c/d", "1: 2", "a: 1e3", "a: 190:20:30", "a: .5", "a: -1", "a: ~", "a: b ", "a:b",
     "a: b\r", "\rc: d", "a: b\u2028c: d", "\u2029e: f", "\ufeffa: b", "a: \ufeff"]
)  # fmt: skip


def _whole(text: str) -> Any:
    try:
        return store.parse(text, Path("-"))
    except InvalidFile as exc:
        return exc


def _same(text: str) -> None:
    got, want = batch.parse_many([("t", text)])["t"], _whole(text)
    if isinstance(want, InvalidFile):
        assert isinstance(got, InvalidFile), (text, got)
        assert got.key == want.key, text
    else:
        assert repr(got) == repr(want), text  # the types too: 1, 1.0 and True are ==


@pytest.mark.parametrize("text", TRICKY)
def test_a_tricky_text_reads_as_the_whole_read(text: str) -> None:
    _same(text)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_LINES, max_size=12), st.booleans())
def test_any_text_of_tricky_lines_reads_as_the_whole_read(lines: list[str], end: bool) -> None:
    _same("\n".join(lines) + ("\n" if end else ""))


def test_versions_share_no_list_or_mapping_and_each_entry_is_read_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    read: list[str] = []
    load = store.load_only

    def counted(text: str) -> Any:
        read.append(text)
        return load(text)

    monkeypatch.setattr(store, "load_only", counted)
    texts = {
        str(n): f"# x\nid: i{n}\nbentuk: [softcopy, hardcopy]\nuji:\n  a: 1\nstatus: draf\n"
        for n in range(3)
    }
    found = batch.parse_many(texts.items())
    assert [found[n]["id"] for n in "012"] == ["i0", "i1", "i2"]
    assert sorted(read) == ["bentuk: [softcopy, hardcopy]\n", "uji:\n  a: 1\n"]  # once each
    found["0"]["bentuk"].append("x")
    found["0"]["uji"]["a"] = 2
    for other in (found["1"], found["2"]):
        assert other["bentuk"] == ["softcopy", "hardcopy"]
        assert other["uji"] == {"a": 1}


def test_a_hostile_history_reports_the_same_bytes_as_the_whole_read(
    sop: Driver, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Honest steps, then plain git: texts that a naive cut would misread, a status jump, a
    decree that does not list the item, a meeting id with a line break; the reports of
    ``verify --full`` in every format are the same bytes with the whole read."""
    sop.drive("ditentukan", "alfa", "beta", "gama")
    sop.establish("alfa", "beta")
    item = sop.repo.item("sekretariat", "gama")
    hand_edit(item, status="ditetapkan", keputusan="sk-tidak-ada", rapat='"a\\nb"')
    forge(sop.repo, KEPALA, "dip(establish): gama", trailers("establish", "kepala", "gama"))
    beta = sop.repo.item("sekretariat", "beta")
    text = beta.read_text(encoding="utf-8")
    beta.write_text(text + "catatan: x\n...\nstatus: draf\n", encoding="utf-8")
    forge(sop.repo, OUTSIDER, "beta: dokumen berakhir")
    alfa = sop.repo.item("sekretariat", "alfa")
    alfa.write_text(alfa.read_text(encoding="utf-8").replace("\n", "\r\n"), encoding="utf-8")
    forge(sop.repo, KASUBBAG, "alfa: CRLF")
    sop.new("delta")
    delta = sop.repo.item("sekretariat", "delta")
    delta.write_text(delta.read_text(encoding="utf-8") + 'judul: "dua\nbaris"\nid: delta\n')
    commit_all(sop.repo.path, "delta: judul dua baris", KASUBBAG)
    delta.write_text(delta.read_text(encoding="utf-8") + "status: diunggah\nstatus: draf\n")
    commit_all(sop.repo.path, "delta: status dua kali", KASUBBAG)
    git(sop.repo.path, "status")

    def reports() -> list[tuple[int, str]]:
        found = []
        for args in (("--json",), ("--format", "github"), ()):
            result = sop.repo.run("verify", "--full", *args)
            found.append((result.exit_code, result.stdout))
        return found

    cut = reports()
    monkeypatch.setattr(batch, "parse_many", lambda texts: {n: _whole(t) for n, t in texts})
    assert reports() == cut
    assert cut[0][0] == 1
    rules = {f["rule"] for f in json.loads(cut[0][1])}
    assert rules >= {"establish-record", "path", "deleted", "managed"}, rules
