"""Why the backcast differs from what 2025 showed, in words (``questions.backcast``'s tables):
by partner against Census's imports, and by item against Japan's Ministry of Finance figures."""

from __future__ import annotations

#: Why the model's change in imports differs from Census's, by partner, after the common
#: part (:func:`gap_reason`: the front-loading of January-March and the gap from April).
PARTNER_GAP_REASONS = {
    "all": "The model is a long-run response at 2024 demand: no growth in US demand, no slow "
    "adjustment of contracts and supply chains.",
    "canada": "The model applies each month's observed USMCA claims, which rose through 2025.",
    "china": "Rates on China moved within weeks (up to 145% in April-May); the model takes "
    "each law for its days at its long-run response, and cannot see goods relabelled "
    "through third countries.",
    "eu": "The EU's rate settled at a 15% floor from August (the framework); the model's "
    "response is long-run, at 2024 demand.",
    "mexico": "Most imports from Mexico enter duty-free under USMCA; what raised them beyond "
    "the law (demand, production moved from elsewhere) is not in the model.",
}


def gap_reason(partner: str, first_quarter: float, later_gap: float) -> str:
    """One sentence of timing (January-March against 2024; the model's change less Census's
    from April, in percentage points) and the partner's own reason."""
    quarter = f"{first_quarter:+.0%}".replace("-", "\u2212")
    later = f"{later_gap * 100:+.1f}".replace("-", "\u2212")
    return (
        f"January-March ran {quarter} against 2024 (front-loading before April's tariffs; "
        f"the model has no timing); from April the model's change less Census's is {later} "
        f"points. {PARTNER_GAP_REASONS[partner]}"
    )


#: Why the model's change differs from Japan's Ministry of Finance figures, by item.
JAPAN_GAP_REASONS = {
    "exports_to_us": "Japan counts in yen at its border (no exchange rate is shipped, so the "
    "two are not converted); the model is a long-run response at 2024 demand with no "
    "front-loading or timing.",
    "car_exports_to_us_value": "Partly by construction: Japan's car supply elasticity is "
    "fitted to April-September 2025 under the law of July 2025; the model's cars include "
    "parts, and Japan's value is in yen.",
    "car_exports_to_us_units": "Partly by construction (the same fit); the model's volume is "
    "motor vehicles and parts at 2024 prices, Japan's a count of cars.",
}
