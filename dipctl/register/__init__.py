"""The register: what the files on disk say (SPEC.md section 3).

The vocabulary of the files (:mod:`~dipctl.register.model`) and the typed records built from
them (:mod:`~dipctl.register.records`); reading and writing YAML (:mod:`~dipctl.register.store`,
the only ruamel.yaml user); finding the register and its settings
(:mod:`~dipctl.register.config`); ids (:mod:`~dipctl.register.ids`); ``validate`` and its
checks; the JSON Schemas; and the read-side queries behind ``list`` and ``show``.

May use only :mod:`dipctl.errors`, :mod:`dipctl.files`, :mod:`dipctl.stamps`,
:mod:`dipctl.i18n` and :mod:`dipctl.gitrepo`. Knows nothing of the SOP's steps, the history
or the site.
"""
