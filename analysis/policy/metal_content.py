"""Section 232 on the metal content of a good (the 2025 steel and aluminium derivatives).

From 12 Mar 2025 the derivative articles of U.S. notes 16 and 19 outside chapters 72, 73 and
76 pay the steel and aluminium duty only on the declared value of their steel or aluminium
content (notes 16(n), 19(h), 19(k); FR Doc 2025-15819 for the 18 Aug 2025 inclusions). For a
line on such a measure's lists with scope ``g`` (the part of the line the measure reaches,
counted once among the Section 232 measures) and metal share of value ``s``
(``analysis/data/metal_content_2025.csv``, 1 where the good pays on its full value):

* the duty falls on ``g s`` of the line's value (the paying share);
* the reciprocal-type layers (``applies_to: non_section232``) lose the whole ``g`` until the
  measure's ``whole_article_until`` (3 Jun 2025: Executive Order 14257 exempted every article
  subject to the steel and aluminium duties), and only ``g s`` from the next day (Proclamation
  10947, from 4 Jun 2025, and HTSUS chapter 99 note 2(v)(vi)-(ix): those duties "shall apply to
  the non-steel content").
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from analysis.inputs.product_lists import LineLists, ProductLists


def content_split(
    spec: LineLists,
    lists: ProductLists,
    day: dt.date,
    product_at: np.ndarray,
    scope: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """(paying, leaving): the share of each row that pays the measure and the share that
    leaves the reciprocal-type layers (module docstring); both ``scope`` for a measure
    without ``metal_content``."""
    if not spec.metal_content:
        return scope, scope
    paying = scope * lists.content_on(day)[product_at]
    whole = spec.whole_article_until is not None and day <= spec.whole_article_until
    return paying, scope if whole else paying


__all__ = ["content_split"]
