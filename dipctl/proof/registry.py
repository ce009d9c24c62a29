"""The table of verify's rules: each rule registers itself under its id with :func:`rule`;
its docstring is what ``dipctl verify --explain RULE`` prints. The rules themselves are in
:mod:`dipctl.proof.rules` (steps and items), :mod:`dipctl.proof.file_rules` (merges and
the files every step owns) and :mod:`dipctl.proof.evidence_rules` (the signed scans)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from dipctl.proof.step import Finding, Step

Rule = Callable[[Step], Iterator[Finding]]
#: Every rule by its id, in the order they run and ``--explain`` lists them.
RULES: dict[str, Rule] = {}


def rule(rule_id: str) -> Callable[[Rule], Rule]:
    def register(func: Rule) -> Rule:
        RULES[rule_id] = func
        return func

    return register


#: The rules that still apply to a kepala's `dipctl import` commit: its items arrive
#: established (the trust root), but it may not delete established items, reuse ids,
#: change people unless a kepala, or go unsigned where signatures are required.
#: Its files are judged like any commit's (the decree it writes is its own).
IMPORT_CHECKED = (
    "people",
    "deleted",
    "id-reuse",
    "exemption",
    "decree",
    "decree-chain",
    "dip-dik",
    "meeting-record",
    "evidence",
    "settings",
    "path",
    "signature",
    "root",
    "import",
    "date",
)


def explain(rule_id: str) -> str | None:
    func = RULES.get(rule_id)
    return (func.__doc__ or "").strip() if func else None
