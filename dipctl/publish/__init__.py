"""What the public and the signatories see (SPEC.md section 6).

:mod:`~dipctl.publish.publicdata` is the only place that decides what may be published (only
established information; the DIK by a whitelist); :mod:`~dipctl.publish.site` renders it as
the static site and :mod:`~dipctl.publish.downloads` as CSV, JSON, XLSX, Atom and sitemap;
:mod:`~dipctl.publish.paper` prints the berita acara and the draft SK;
:mod:`~dipctl.publish.theme` is the agency's theme, rendered in jinja's sandbox; and
:mod:`~dipctl.publish.output` replaces the output folder whole, never half. site, theme and
paper are the only jinja2 users.

May use :mod:`dipctl.proof` (the trails and mutu baku shown on the site), :mod:`dipctl.sop`,
:mod:`dipctl.register` and the top-level modules.
"""
