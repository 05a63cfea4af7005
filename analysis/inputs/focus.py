"""The focus of a question: the partner (and the sector of that partner) a reader is asked about.

Every question takes ``focus = (partner, sector)``; the headline outcomes named ``focus_*`` are
that partner's. The default, Japan and motor vehicles, is the package's flagship case; a
scenario file (``focus:``), a report run or the command line (``--focus``) sets another. A
partner is any id in the data's partners (a region such as ``eu``, or a country once the data
carry countries); its name for readers comes from ``analysis/data/partners.csv``.
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis.inputs.errors import InputError

#: The flagship focus: Japan's motor vehicles and parts (GTAP ``mvh``).
DEFAULT_FOCUS_PARTNER = "japan"
DEFAULT_FOCUS_SECTOR = "mvh"
#: The GTAP sector whose units are passenger cars (HS 8703, in
#: ``vehicles_hs8703_2024_by_supplier.csv``).
PASSENGER_CARS_SECTOR = "mvh"


@dataclass(frozen=True)
class Focus:
    """The partner and sector the headline outcomes are about (ids of the data)."""

    partner: str = DEFAULT_FOCUS_PARTNER
    sector: str = DEFAULT_FOCUS_SECTOR


DEFAULT_FOCUS = Focus()


def checked_focus(
    partners: tuple[str, ...],
    sectors: tuple[str, ...],
    partner: str | None = None,
    sector: str | None = None,
    where: str = "(command line)",
) -> Focus:
    """A focus whose partner and sector the data know (defaults where None)."""
    chosen = Focus(partner or DEFAULT_FOCUS_PARTNER, sector or DEFAULT_FOCUS_SECTOR)
    if chosen.partner not in partners:
        raise InputError(where, "focus.partner", f"one of {list(partners)}", chosen.partner)
    if chosen.sector not in sectors:
        raise InputError(where, "focus.sector", "a GTAP goods sector id", chosen.sector)
    return chosen
