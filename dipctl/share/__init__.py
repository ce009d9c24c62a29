"""Sharing one register between the officers' clones (issue 14.1, docs/sharing.md).

``dipctl sync`` fetches the agency's git server, replays the officer's unpushed steps on
top of the colleagues' (never a merge: :mod:`.replay`), checks the result with ``verify``
before it becomes HEAD, pushes, and lands it in the clone crash-safely (the journal of
:mod:`dipctl.sop.recovery`); a conflict on an item is explained with both officers' steps
and the commands that resolve it. :mod:`.lag` tells every read command, without network,
that the clone is behind its upstream.

May use :mod:`dipctl.proof`, :mod:`dipctl.sop`, :mod:`dipctl.register` and the top
modules; git runs through its command line (``subprocess``), never GitPython.
"""
