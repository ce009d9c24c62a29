"""The consequence test (*uji konsekuensi*) of an exempt item: the rules of each key of its
``pengecualian`` block (SPEC.md sections 1 and 3).

One function, :func:`consequence_problems`, used by ``validate`` (each problem at its key),
by step 3's kelengkapan (``classify --exemption`` refuses any) and by ``verify``. It returns
message keys with parameters and never reads the clock: the caller says what "today" is.
:func:`placeholder_problems` finds a weighing that is no weighing ("-", "n/a", fewer than
three words): step 3 refuses it and ``validate`` reports it on a classified item, but
``verify`` does not, so that a history accepted before this rule stays accepted.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from dipctl.register import checks, model

if TYPE_CHECKING:
    from collections.abc import Mapping

#: ``17 huruf h``, optionally ``Pasal 17 huruf h`` or with its angka (``17 huruf h angka 1``).
PASAL_RE = re.compile(
    r"^(?:Pasal )?17 huruf ([a-z])(?: angka [0-9]+(?:(?:, | dan )[0-9]+)*)?$", re.IGNORECASE
)
#: A participant outside the register: ``Nama — Jabatan`` (an em or en dash, or a hyphen,
#: between spaces).
OUTSIDER_RE = re.compile(r"^\S.*\s[—–-]\s.*\S$")
MIN_TESTERS = 2
TEXT_KEYS = (
    "dasar_hukum",
    "bagian",
    "konsekuensi_dibuka",
    "konsekuensi_ditutup",
    "kepentingan_publik",
    "alasan",
    "jangka_waktu",
)

#: The keys whose text is the weighing itself (the consequences, the public interest, the
#: reason): a placeholder there is a test not done.
REASONED_KEYS = ("konsekuensi_dibuka", "konsekuensi_ditutup", "kepentingan_publik", "alasan")
#: A reasoned key has at least this many different words (a word has a letter).
MIN_WORDS = 3
WORD_RE = re.compile(r"\w*[^\W\d_]\w*")
#: Placeholders of three words or more, as their words in lower case.
PLACEHOLDERS = frozenset(
    {
        "tidak ada data",
        "tidak ada keterangan",
        "belum ada data",
        "belum ada keterangan",
        "akan diisi kemudian",
        "akan dilengkapi kemudian",
        "sama dengan di atas",
        "lihat di atas",
        "lorem ipsum dolor",
        "to be determined",
        "to be filled",
    }
)

#: One problem of a test: the key it is at, the message key, its parameters.
TestProblem = tuple[str, str, dict[str, Any]]


def letter(pasal: Any) -> str | None:
    """The Pasal 17 letter of ``pasal`` (``"17 huruf h"`` -> ``"h"``), or None."""
    match = PASAL_RE.match(pasal.strip()) if isinstance(pasal, str) else None
    return match.group(1).lower() if match else None


def is_outsider(tester: str) -> bool:
    return OUTSIDER_RE.match(tester) is not None and not model.EMAIL_RE.match(tester)


def consequence_problems(
    test: Mapping[str, Any],
    today: dt.date | None = None,
    people: Mapping[str, tuple[str, ...]] | None = None,
) -> list[TestProblem]:
    """Every problem of a consequence test, in key order. Unknown keys are the caller's
    (``validate`` names the near miss). ``today``: a ``tanggal_uji`` after it is refused;
    ``people`` (email -> roles): participants must be officers of register.yaml, one of
    them the PPID Pembantu. Without them those two checks are skipped."""
    found: list[TestProblem] = []
    for key in model.EXEMPTION_KEYS:
        if test.get(key) in (None, "", []):
            found.append((key, "key.missing", {"key": key}))
    present = {k for k in model.EXEMPTION_KEYS if test.get(k) not in (None, "", [])}
    for key in TEXT_KEYS:
        if key in present:
            _verdict(found, key, checks.check_text(test[key]))
    found += _article(test, present)
    found += _dates(test, present, today)
    if "penguji" in present:
        found += _testers(test["penguji"], people)
    order = {k: n for n, k in enumerate(model.EXEMPTION_KEYS)}
    return sorted(found, key=lambda p: order.get(p[0], 99))


def is_placeholder(text: str) -> bool:
    """``text`` stands in for a weighing rather than being one: fewer than
    :data:`MIN_WORDS` different words, or a known placeholder phrase."""
    words = [w.casefold() for w in WORD_RE.findall(text)]
    return len(set(words)) < MIN_WORDS or " ".join(words) in PLACEHOLDERS


def placeholder_problems(test: Mapping[str, Any]) -> list[TestProblem]:
    """A problem at each reasoned key whose text is a placeholder ("-", "n/a", "tidak ada",
    "…", fewer than three words); a missing or non-text value is :func:`consequence_problems`'s."""
    return [
        (key, "exemption.placeholder", {"value": value.strip(), "words": MIN_WORDS})
        for key in REASONED_KEYS
        if isinstance(value := test.get(key), str) and value.strip() and is_placeholder(value)
    ]


def gaps(problems: list[TestProblem]) -> list[str]:
    """The keys that have a problem, each once, in key order."""
    return list(dict.fromkeys(key for key, _rule, _params in problems))


def _verdict(found: list[TestProblem], key: str, verdict: checks.Verdict) -> None:
    if verdict is not None:
        found.append((key, verdict[0], verdict[1]))


def _article(test: Mapping[str, Any], present: set[str]) -> list[TestProblem]:
    if "pasal" not in present:
        return []
    pasal = test["pasal"]
    text_problem = checks.check_text(pasal)
    if text_problem is not None:
        return [("pasal", text_problem[0], text_problem[1])]
    found = letter(pasal)
    if found is None or found not in model.EXEMPTION_LETTERS:
        return [("pasal", "exemption.bad_pasal", {"value": pasal})]
    if test.get("berakhir") == model.PERMANENT and found not in model.PERMANENT_LETTERS:
        return [("berakhir", "exemption.not_permanent", {"letter": found})]
    return []


def _dates(test: Mapping[str, Any], present: set[str], today: dt.date | None) -> list[TestProblem]:
    found: list[TestProblem] = []
    ends, tested = test.get("berakhir"), test.get("tanggal_uji")
    if "berakhir" in present and ends != model.PERMANENT:
        _verdict(found, "berakhir", checks.check_date(ends))
    if "tanggal_uji" in present:
        _verdict(found, "tanggal_uji", checks.check_date(tested))
    day_tested = _day(tested) if "tanggal_uji" in present else None
    if day_tested and today and day_tested > today:
        found.append(("tanggal_uji", "exemption.test_in_future", {"value": tested}))
    day_ends = _day(ends) if ends != model.PERMANENT else None
    if day_tested and day_ends and day_ends <= day_tested:
        found.append(("berakhir", "exemption.ends_before_test", {"ends": ends, "tested": tested}))
    return found


def _day(value: Any) -> dt.date | None:
    if not isinstance(value, str) or checks.check_date(value) is not None:
        return None
    return dt.date.fromisoformat(value[:10])


def _testers(value: Any, people: Mapping[str, tuple[str, ...]] | None) -> list[TestProblem]:
    testers = value if isinstance(value, list) else [value]
    found: list[TestProblem] = []
    ppid = False
    for tester in testers:
        if not isinstance(tester, str) or checks.check_text(tester) is not None:
            found.append(("penguji", "exemption.bad_tester", {"value": tester}))
        elif model.EMAIL_RE.match(tester):
            roles = people.get(tester.strip().lower()) if people is not None else ()
            if roles is None:
                found.append(("penguji", "exemption.unknown_tester", {"email": tester}))
            ppid = ppid or "ppid_pembantu" in (roles or ())
        elif not is_outsider(tester):
            found.append(("penguji", "exemption.bad_tester", {"value": tester}))
    if len({str(t).strip().lower() for t in testers}) < MIN_TESTERS:
        found.append(("penguji", "exemption.few_testers", {"count": MIN_TESTERS}))
    if people is not None and not ppid:
        found.append(("penguji", "exemption.no_ppid", {}))
    return found
