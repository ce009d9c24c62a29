"""The SOP *Penetapan dan Pemutakhiran DIP*: the steps that move an item (SPEC.md section 2).

:mod:`~dipctl.sop.workflow` is the SOP as one table, used by the steps to decide and by
:mod:`dipctl.proof` to replay. Steps 1 to 3 and ``revise`` are in :mod:`~dipctl.sop.steps`,
steps 4 to 6 and ``withdraw`` in :mod:`~dipctl.sop.decision`; what each step needs first in
:mod:`~dipctl.sop.kelengkapan`; who may edit an item by hand in :mod:`~dipctl.sop.edits`; the
transaction that turns a step into exactly one commit in :mod:`~dipctl.sop.transaction`, with
its message in :mod:`~dipctl.sop.commits`; ``init`` in :mod:`~dipctl.sop.bootstrap`; who is
awaited (``status``) in :mod:`~dipctl.sop.progress`.

May use :mod:`dipctl.register` and the top-level modules; never the history as proof, what is
published, or the command line.
"""
