"""Spreadsheets in and out: the DIPs agencies already keep in Excel (``import``).

:mod:`~dipctl.exchange.sheets` reads an XLSX or CSV into a grid of strings,
:mod:`~dipctl.exchange.rows` understands it, :mod:`~dipctl.exchange.importer` commits it as
one step of a kepala. ``export`` writes :mod:`dipctl.publish.downloads`, so that what leaves
the register is decided in one place.

May use :mod:`dipctl.publish`, :mod:`dipctl.sop`, :mod:`dipctl.register` and the top-level
modules.
"""
