"""How a decree's dictum names the decrees it revokes or amends (SPEC.md section 6, Papers).

A decree that replaces the one in force revokes the base decree *and* every amendment of it:
"Keputusan … Nomor 45 … sebagaimana telah diubah dengan Keputusan … Nomor 50 …, dicabut dan
dinyatakan tidak berlaku", or with several amendments "sebagaimana telah beberapa kali
diubah, terakhir dengan …" (the drafting technique of Lampiran II UU 12/2011). Pure text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dipctl.publish.dates import long_date, parse
from dipctl.register import records

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from dipctl.register.records import Decree

#: Placeholder for what a paper does not know (as :data:`dipctl.publish.paper.BLANK`).
BLANK = "…………"


def superseded(decree: Decree, decrees: Mapping[str, Decree]) -> list[Decree]:
    """The decrees ``decree`` revokes or amends, base first, as the register holds them."""
    return [decrees[i] for i in decree.replaces if i in decrees]


def replaced(
    decree: Decree,
    previous: Decree | Sequence[Decree] | None,
    position: Callable[[Decree], str],
) -> dict[str, str] | None:
    """The decrees ``decree`` revokes or amends (``previous``: the chain, base first; one
    decree for a chain of one), each cited with its signer's ``position``: ``cited`` is the
    whole citation, the other keys describe the base decree."""
    chain = [previous] if isinstance(previous, records.Decree) else list(previous or ())
    if not chain:
        return None

    def cite(one: Decree) -> str:
        when = long_date(one.date) if parse(one.date) else BLANK
        number = one.number or BLANK
        return f"Keputusan {position(one)} Nomor {number} tanggal {when} tentang {one.subject}"

    base, amendments = chain[0], chain[1:]
    cited = cite(base)
    if len(amendments) == 1:
        cited += f" sebagaimana telah diubah dengan {cite(amendments[0])}"
    elif amendments:
        cited += f" sebagaimana telah beberapa kali diubah, terakhir dengan {cite(amendments[-1])}"
    return {
        "verb": "diubah" if decree.amends else "dicabut",
        "position": position(base),
        "number": base.number or BLANK,
        "date": long_date(base.date) if parse(base.date) else BLANK,
        "subject": base.subject,
        "cited": cited,
        # the comma that closes the "sebagaimana telah diubah" clause before "dicabut"
        "comma": "," if amendments else "",
    }
