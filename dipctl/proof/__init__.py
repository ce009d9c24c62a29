"""The history as proof (SPEC.md section 4): ``verify``, ``sla`` and an item's trail.

:mod:`~dipctl.proof.replay` reads the history in one pass; :mod:`~dipctl.proof.step` is what
a rule sees of one commit; :mod:`~dipctl.proof.rules` the rules, one function each, whose
docstrings ``verify --explain`` prints; :mod:`~dipctl.proof.verify` runs them from the trust
root, or from its :mod:`~dipctl.proof.checkpoint` in ``.git/dipctl/``;
:mod:`~dipctl.proof.sla` measures the mutu baku; :mod:`~dipctl.proof.trail` is one item's
trail for ``history`` and ``show``.

May use :mod:`dipctl.sop` (the same transition table the steps use), :mod:`dipctl.register`
and the top-level modules.
"""
