"""The PPID Utama's federation (issue 22): one province, many registers, each proven by its
own history.

A federation register is a register whose register.yaml has ``anggota``: the members the
federation's kepala enrolled (:mod:`~dipctl.federation.members`, ``dipctl member add``, a
step of the kepala judged by verify like any change of register.yaml). ``dipctl federate
sync`` fetches each member into a private mirror under ``.git/dipctl/anggota/``
(:mod:`~dipctl.federation.mirror`), proves what arrived with the member's own history
(:mod:`~dipctl.federation.proving`: the enrolled root, a fast-forward of the last verified
commit, the member's ``verify``) and keeps per member its last verified state
(:mod:`~dipctl.federation.state`). Nothing of a member is ever checked out, run or
rendered as a template: its register data is read from git's objects at the verified commit.

May use :mod:`dipctl.publish` (the portal renders each member's site as a register's own),
:mod:`dipctl.proof` (each member's ``verify``), :mod:`dipctl.sop` (the kepala's step),
:mod:`dipctl.register` and the top modules; git runs through its command line.
"""
