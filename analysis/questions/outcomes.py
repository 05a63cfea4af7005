"""The outcomes registry: every quantity a report, a chart or ``simulate --json`` shows, once.

Each record says what a code name means to a reader: its unit (``usd``, ``fraction`` or
``cars``), a label in words, the number format readers see, and a short description. Code
names keep their units (``*_usd`` dollars, ``*_rate`` and ``*_change`` fractions,
``*_units`` counts); readers see the label with the unit, "Japan's exports to the US, change
($ bn)". :data:`HEADLINE_OUTCOMES` is the tuple of names :func:`simulate.headline_arrays`
returns, in order (a test keeps the two in step).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

Unit = Literal["usd", "fraction", "cars", "number"]
#: ``usd_bn`` billions of dollars, ``usd`` whole dollars, ``percent`` a fraction shown as a
#: percentage, ``cars`` whole cars, ``number`` a plain number.
Format = Literal["usd_bn", "usd", "percent", "cars", "number"]

_UNIT_TEXT: dict[str, str] = {
    "usd_bn": "$ bn",
    "usd": "$",
    "percent": "%",
    "cars": "cars",
    "number": "",
}
_DECIMALS: dict[str, int] = {"usd_bn": 1, "usd": 0, "percent": 1, "cars": 0, "number": 2}


@dataclass(frozen=True)
class Outcome:
    """One quantity: code name, unit, reader's label (no unit), number format, description."""

    name: str
    unit: Unit
    label: str
    fmt: Format
    description: str
    signed: bool = True  # a change (shown with + or -) rather than a level

    @property
    def label_with_unit(self) -> str:
        """``"Japan's exports to the US, change ($ bn)"``."""
        unit = _UNIT_TEXT[self.fmt]
        return f"{self.label} ({unit})" if unit else self.label


def _o(
    name: str, unit: Unit, label: str, fmt: Format, description: str, signed: bool = True
) -> Outcome:
    return Outcome(name, unit, label, fmt, description, signed)


_HEADLINE: tuple[Outcome, ...] = (
    _o("tariff_revenue_usd", "usd", "US tariff revenue", "usd_bn",
       "Duties collected a year on all imports under the scenario.", signed=False),
    _o("tariff_revenue_change_usd", "usd", "US tariff revenue, change", "usd_bn",
       "Duties collected under the scenario minus under the baseline."),
    _o("us_buyer_cost_usd", "usd", "Extra cost to US buyers", "usd_bn",
       "What US buyers pay more for the baseline basket at the new prices."),
    _o("cost_per_household_usd", "usd", "Cost per US household", "usd",
       "The extra cost to US buyers divided by the number of US households."),
    _o("buyer_surplus_change_usd", "usd", "US buyers' surplus, change", "usd_bn",
       "Change in consumer surplus of US buyers."),
    _o("domestic_producer_surplus_change_usd", "usd", "US producers' surplus, change",
       "usd_bn", "Change in the surplus of US producers selling at home."),
    _o("terms_of_trade_gain_usd", "usd", "Tariff paid by foreign exporters", "usd_bn",
       "The part of the duties borne by foreign exporters through lower prices."),
    _o("quota_rent_usd", "usd", "Quota rent kept by exporters", "usd_bn",
       "The price premium exporters keep under a binding quantity cap.", signed=False),
    _o("deadweight_loss_usd", "usd", "Deadweight loss", "usd_bn",
       "Trade that no longer happens and nobody gains from.", signed=False),
    _o("net_us_welfare_usd", "usd", "Net US welfare", "usd_bn",
       "Buyers' and producers' surplus plus tariff revenue, change."),
    _o("imports_value_change_usd", "usd", "US imports, change", "usd_bn",
       "Change in the value of US imports from every partner."),
    _o("japan_exports_value_change_usd", "usd", "Japan's exports to the US, change", "usd_bn",
       "Change in the customs value of US imports from Japan."),
    _o("japan_exports_value_change", "fraction", "Japan's exports to the US, change",
       "percent", "Change in the value of US imports from Japan, as a share of 2024."),
    _o("japan_exports_volume_change", "fraction", "Japan's export volume to the US, change",
       "percent", "Change in the quantity of US imports from Japan."),
    _o("japan_exporter_revenue_change_usd", "usd", "Japanese exporters' revenue, change",
       "usd_bn", "Change in Japanese exporters' sales to the US, including quota rent."),
    _o("japan_gdp_change", "fraction", "Japan's GDP, first-order", "percent",
       "The domestic value added in the exporters' revenue change (85% of it, OECD-WTO TiVA, "
       "2009) as a share of Japan's GDP; first-order: no second-round effects."),
    _o("car_units_change", "cars", "Japanese cars sold in the US, change", "cars",
       "Change in the number of passenger cars (HS 8703) from Japan a year."),
    _o("japan_mvh_exporter_price_change", "fraction",
       "Japanese vehicles and parts: export price, change", "percent",
       "Change in the price Japanese exporters get at the US border for vehicles and parts "
       "(customs value per unit; under a quota it includes the rent they keep)."),
    _o("us_price_change_japan_mvh", "fraction",
       "Japanese vehicles and parts: US price, change", "percent",
       "Change in the duty-paid price US buyers pay for Japanese vehicles and parts."),
)  # fmt: skip

# The split of what US buyers pay (part of the headline since the model computes it).
_BUYER_SPLIT: tuple[Outcome, ...] = (
    _o("us_buyer_duty_paid_usd", "usd", "Duties paid by US buyers", "usd_bn",
       "The part of the buyers' extra cost that is the duty itself."),
    _o("us_buyer_import_price_net_of_duty_usd", "usd",
       "Higher prices of imports, net of duty", "usd_bn",
       "Buyers' extra cost from import prices rising beyond the duty they pay."),
    _o("us_buyer_domestic_price_usd", "usd", "Higher prices of US-made goods", "usd_bn",
       "Buyers' extra cost from US producers raising their prices."),
    _o("cost_per_household_before_substitution_usd", "usd",
       "Cost per US household, before substitution", "usd",
       "The extra cost per household if buyers kept buying the same goods."),
    _o("cost_per_household_after_substitution_usd", "usd",
       "Cost per US household, after substitution", "usd",
       "The extra cost per household once buyers switch to cheaper sources."),
)  # fmt: skip

# Columns of the report tables (sector x source and partner views, rates, Monte Carlo).
_COLUMNS: tuple[Outcome, ...] = (
    _o("base_value_usd", "usd", "Sales to the US, 2024", "usd_bn",
       "2024 customs value (imports) or home sales (US producers).", signed=False),
    _o("new_value_usd", "usd", "Sales to the US, scenario", "usd_bn",
       "Sales under the scenario.", signed=False),
    _o("value_change_usd", "usd", "Sales to the US, change", "usd_bn",
       "Change in sales to the US."),
    _o("value_change", "fraction", "Sales to the US, change", "percent",
       "Change in sales to the US, as a share of 2024."),
    _o("quantity_change", "fraction", "Quantity, change", "percent",
       "Change in the quantity sold in the US."),
    _o("exports_value_change_usd", "usd", "Exports to the US, change", "usd_bn",
       "Change in the value of the partner's sales to the US."),
    _o("exports_value_change", "fraction", "Exports to the US, change", "percent",
       "Change in the value of the partner's sales to the US, share of 2024."),
    _o("exports_volume_change", "fraction", "Export volume, change", "percent",
       "Change in the quantity of the partner's sales to the US."),
    _o("base_tariff_rate", "fraction", "Tariff, baseline", "percent",
       "Import-weighted tariff rate under the baseline.", signed=False),
    _o("new_tariff_rate", "fraction", "Tariff, scenario", "percent",
       "Import-weighted tariff rate under the scenario.", signed=False),
    _o("baseline_tariff_rate", "fraction", "Tariff, baseline", "percent",
       "Import-weighted tariff rate under the baseline.", signed=False),
    _o("scenario_tariff_rate", "fraction", "Tariff, scenario", "percent",
       "Import-weighted tariff rate under the scenario.", signed=False),
    _o("scenario_additional_tariff_rate", "fraction", "Tariff above MFN, scenario", "percent",
       "The scenario's tariff on top of the MFN rate.", signed=False),
    _o("japan_tariff_rate", "fraction", "Japan's tariff", "percent",
       "Import-weighted tariff on imports from Japan.", signed=False),
    _o("all_tariff_rate", "fraction", "Tariff on all imports", "percent",
       "Import-weighted tariff on all US imports.", signed=False),
    _o("tariff_rate", "fraction", "Tariff", "percent", "Ad valorem tariff rate.", signed=False),
    _o("rate", "fraction", "Rate", "percent", "The measure's ad valorem rate.", signed=False),
    _o("contribution_rate", "fraction", "Contribution to the tariff", "percent",
       "Import-weighted contribution of the measure to the partner's tariff.", signed=False),
    _o("exporter_price_change", "fraction", "Exporter price, change", "percent",
       "Change in the price the exporter gets (before duty)."),
    _o("buyer_price_change", "fraction", "US buyers' price, change", "percent",
       "Change in the duty-paid price US buyers pay."),
    _o("pass_through", "fraction", "Pass-through to US prices", "percent",
       "Share of the tariff passed on to US buyers.", signed=False),
    _o("imports_2024_usd", "usd", "US imports, 2024", "usd_bn",
       "2024 US imports for consumption (customs value).", signed=False),
    _o("base_imports_usd", "usd", "US imports, 2024", "usd_bn",
       "2024 US imports for consumption (customs value).", signed=False),
    _o("trade_diversion_usd", "usd", "Trade diverted", "usd_bn",
       "Sales moved from the partners hit by the tariff to other sources."),
    _o("base_tariff_revenue_usd", "usd", "Tariff revenue, baseline", "usd_bn",
       "Duties collected under the baseline.", signed=False),
    _o("new_tariff_revenue_usd", "usd", "Tariff revenue, scenario", "usd_bn",
       "Duties collected under the scenario.", signed=False),
    _o("exact_imports_change", "fraction", "Imports, change: exact model", "percent",
       "Change in imports from the exact Armington model."),
    _o("smart_imports_change", "fraction", "Imports, change: SMART formulas", "percent",
       "Change in imports from the linearised WITS/SMART formulas."),
    _o("difference_usd", "usd", "SMART minus exact", "usd_bn",
       "Difference between the two methods' import changes."),
)  # fmt: skip

OUTCOMES: dict[str, Outcome] = {o.name: o for o in (*_HEADLINE, *_BUYER_SPLIT, *_COLUMNS)}

HEADLINE_OUTCOMES: tuple[str, ...] = tuple(o.name for o in (*_HEADLINE, *_BUYER_SPLIT))
#: The split of the buyers' cost (duty, import prices, US-made goods; before and after
#: substitution), the last five headline outcomes.
BUYER_COST_OUTCOMES: tuple[str, ...] = tuple(o.name for o in _BUYER_SPLIT)


def outcome(name: str) -> Outcome | None:
    """The registered record of ``name``, or None."""
    return OUTCOMES.get(name)


def scaled(fmt: Format, value: float) -> float:
    """``value`` in the unit readers see: billions for ``usd_bn``, percent for ``percent``."""
    if fmt == "usd_bn":
        return value / 1e9
    if fmt == "percent":
        return value * 100
    return value


def number_text(fmt: Format, value: float, signed: bool = True, decimals: int | None = None) -> str:
    """``value`` as a table cell in the unit of ``fmt`` (the header carries the unit).

    Rounded numbers that are zero are shown as ``0`` without a sign (never ``-0.0``).
    """
    if not math.isfinite(value):
        return ""
    places = _DECIMALS[fmt] if decimals is None else decimals
    number = round(scaled(fmt, value), places)
    if number == 0:
        number = 0.0
    sign = "+" if signed and number != 0 else ""
    return f"{number:{sign},.{places}f}".replace("-", "−")


def say(name: str, value: float) -> str:
    """``value`` of outcome ``name`` for a sentence, with its unit: ``−$12.3 bn``,
    ``+4.2%``, ``1,234 fewer cars``, ``no change`` when it rounds to zero."""
    record = OUTCOMES.get(name)
    fmt: Format = record.fmt if record else "number"
    signed = record.signed if record else True
    text = number_text(fmt, value, signed=signed)
    if text.lstrip("+−").strip("0.,") == "":
        return "no change" if signed else text
    if fmt == "cars":
        count = number_text("cars", abs(value), signed=False)
        return f"{count} {'more' if value > 0 else 'fewer'} cars"
    sign, digits = (text[0], text[1:]) if text[0] in "+−" else ("", text)
    if fmt == "usd_bn":
        return f"{sign}${digits} bn"
    if fmt == "usd":
        return f"{sign}${digits}"
    if fmt == "percent":
        return f"{sign}{digits}%"
    return text
