"""The outcomes registry: every quantity a report, a chart or ``simulate --json`` shows, once.

Each record says what a code name means to a reader: its unit (``usd``, ``fraction`` or
``cars``), a label in words, the number format readers see, a short description and, for the
headline outcomes, the formula that computes it from the solved market, the data and the
focus (:mod:`analysis.questions.headline`). Labels name the focus partner and sector
(``"{partner}'s exports to the US, change"``, filled by :meth:`Outcome.text`); readers see the
label with the unit, "Japan's exports to the US, change ($ bn)". :data:`HEADLINE_OUTCOMES` is
the tuple of names :func:`analysis.questions.simulate.headline_arrays` returns, in order.
Code names keep their units (``*_usd`` dollars, ``*_rate`` and ``*_change`` fractions,
``*_units_change`` counts).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal, cast, get_args

from analysis.questions import headline as f
from analysis.questions.data_outcomes import ABOVE_BASE_DUTY, BASE_DUTY, DATA_COLUMNS
from analysis.questions.headline import Formula

#: The unit of a value as data hold it: ``usd`` dollars, ``usd_bn`` billions of dollars (a chart's
#: data), ``fraction`` a share (0.132 = 13.2%), ``percent`` a number of percent (13.2 = 13.2%),
#: ``basis_points`` hundredths of a percent (100 = 1%), ``cars`` a count of cars, ``number`` a
#: plain number.
Unit = Literal["usd", "usd_bn", "fraction", "percent", "basis_points", "cars", "number"]
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
#: Significant figures of a model estimate written in whole units (cars, dollars per
#: household): the model's elasticities are known to a few tens of percent (the Monte Carlo's
#: 80% range of Japan's lost cars is about a quarter of the central figure), so "85,695 fewer
#: cars" claims a precision nothing behind it has; "85,700" does not. Ranges are written with
#: the same rule, hence to the same place. JSON and CSV keep the unrounded values.
ESTIMATE_FIGURES = 3


@dataclass(frozen=True)
class Outcome:
    """One quantity: code name, unit, reader's label (no unit), number format, description."""

    name: str
    unit: Unit
    label: str
    fmt: Format
    description: str
    signed: bool = True  # a change (shown with + or -) rather than a level
    formula: Formula | None = None  # headline outcomes: how it is computed
    decimals: int | None = None  # decimals shown, where not the format's default
    significant: int | None = None  # a model estimate: significant figures shown (at most)

    @property
    def unit_text(self) -> str:
        """The unit readers see: ``$ bn``, ``%``, ``cars``, ``$``."""
        return _UNIT_TEXT[self.fmt]

    def text(self, partner: str = "the focus partner", sector: str = "the focus sector") -> str:
        """The label with the focus partner's and sector's names: "Japan's exports ..."."""
        text = self.label.format(partner=partner, sector=sector)
        return text[:1].upper() + text[1:]

    def text_with_unit(
        self, partner: str = "the focus partner", sector: str = "the focus sector"
    ) -> str:
        """``"Japan's exports to the US, change ($ bn)"``."""
        label = self.text(partner, sector)
        return f"{label} ({self.unit_text})" if self.unit_text else label

    @property
    def label_with_unit(self) -> str:
        """The label with its unit, the focus left generic ("the focus partner")."""
        return self.text_with_unit()


def _o(
    name: str,
    unit: Unit,
    label: str,
    fmt: Format,
    description: str,
    signed: bool = True,
    formula: Formula | None = None,
    decimals: int | None = None,
    significant: int | None = None,
) -> Outcome:
    return Outcome(name, unit, label, fmt, description, signed, formula, decimals, significant)


_HEADLINE: tuple[Outcome, ...] = (
    _o("tariff_revenue_usd", "usd", "US tariff revenue", "usd_bn",
       "Duties collected a year on all imports under the scenario.", signed=False,
       formula=f.tariff_revenue_usd),
    _o("tariff_revenue_change_usd", "usd", "US tariff revenue, change", "usd_bn",
       "Duties collected under the scenario minus under the baseline.",
       formula=f.tariff_revenue_change_usd),
    _o("consumer_price_level_change", "fraction", "US consumer prices, change", "percent",
       "Change in the consumer price level (PCE) if every import's price rose by its tariff "
       "change, through the BEA input-output tables (the Budget Lab's definition).",
       formula=f.consumer_price_level_change, decimals=2),
    _o("consumer_price_level_change_after_substitution", "fraction",
       "US consumer prices, change after substitution", "percent",
       "Change in the consumer price level with the model's import prices and import shares.",
       formula=f.consumer_price_level_change_after_substitution, decimals=2),
    _o("household_cost_usd", "usd", "Cost per US household", "usd",
       "The consumer price level change times 2024 consumption per US household "
       "(2024 dollars), before substitution.", formula=f.household_cost_usd,
       significant=ESTIMATE_FIGURES),
    _o("household_cost_after_substitution_usd", "usd",
       "Cost per US household, after substitution", "usd",
       "The consumer price level change after substitution times 2024 consumption per US "
       "household (2024 dollars).", formula=f.household_cost_after_substitution_usd,
       significant=ESTIMATE_FIGURES),
    _o("us_buyer_cost_usd", "usd", "All US buyers' extra cost", "usd_bn",
       "What all US buyers (households, firms, government) pay more for the baseline basket "
       "at the new prices, domestic price rises included.", formula=f.us_buyer_cost_usd),
    _o("us_buyer_cost_per_household_usd", "usd",
       "All US buyers' extra cost, spread over US households", "usd",
       "All US buyers' extra cost divided by the number of US households (not a household's "
       "cost: it includes firms' and government purchases).",
       formula=f.us_buyer_cost_per_household_usd, significant=ESTIMATE_FIGURES),
    _o("us_buyer_cost_per_household_after_substitution_usd", "usd",
       "All US buyers' extra cost after substitution, spread over US households", "usd",
       "The fall in all US buyers' surplus (they switch to cheaper sources), divided by the "
       "number of US households (not a household's cost).",
       formula=f.us_buyer_cost_per_household_after_substitution_usd,
       significant=ESTIMATE_FIGURES),
    _o("us_buyer_duty_paid_usd", "usd", "All US buyers' extra cost: duties", "usd_bn",
       "The part of all US buyers' extra cost that is the duty itself.",
       formula=f.us_buyer_duty_paid_usd),
    _o("us_buyer_import_price_net_of_duty_usd", "usd",
       "All US buyers' extra cost: import prices net of duty", "usd_bn",
       "All US buyers' extra cost from import prices rising beyond the duty they pay.",
       formula=f.us_buyer_import_price_net_of_duty_usd),
    _o("us_buyer_domestic_price_usd", "usd", "All US buyers' extra cost: US-made goods",
       "usd_bn", "All US buyers' extra cost from US producers raising their prices.",
       formula=f.us_buyer_domestic_price_usd),
    _o("buyer_surplus_change_usd", "usd", "US buyers' surplus, change", "usd_bn",
       "Change in consumer surplus of US buyers.", formula=f.buyer_surplus_change_usd),
    _o("domestic_producer_surplus_change_usd", "usd", "US producers' surplus, change",
       "usd_bn", "Change in the surplus of US producers selling at home.",
       formula=f.domestic_producer_surplus_change_usd),
    _o("terms_of_trade_gain_usd", "usd", "Tariff paid by foreign exporters", "usd_bn",
       "The part of the duties borne by foreign exporters through lower prices.",
       formula=f.terms_of_trade_gain_usd),
    _o("quota_rent_usd", "usd", "Quota rent kept by exporters", "usd_bn",
       "The price premium exporters keep under a binding quantity cap.", signed=False,
       formula=f.quota_rent_usd),
    _o("deadweight_loss_usd", "usd", "Deadweight loss", "usd_bn",
       "Trade that no longer happens and nobody gains from.", signed=False,
       formula=f.deadweight_loss_usd),
    _o("net_us_welfare_usd", "usd", "Net US welfare", "usd_bn",
       "Buyers' and producers' surplus plus tariff revenue, change.",
       formula=f.net_us_welfare_usd),
    _o("imports_value_change_usd", "usd", "US imports, change", "usd_bn",
       "Change in the value of US imports from every partner.",
       formula=f.imports_value_change_usd),
    _o("focus_exports_value_change_usd", "usd", "{partner}'s exports to the US, change",
       "usd_bn", "Change in the customs value of US imports from the focus partner "
       "(what its exporters receive, quota rent included).",
       formula=f.focus_exports_value_change_usd),
    _o("focus_exports_value_change", "fraction", "{partner}'s exports to the US, change",
       "percent", "Change in the value of US imports from the focus partner, as a share of "
       "2024.", formula=f.focus_exports_value_change),
    _o("focus_exports_volume_change", "fraction",
       "{partner}'s export volume to the US, change", "percent",
       "Change in the quantity of US imports from the focus partner.",
       formula=f.focus_exports_volume_change),
    _o("focus_gdp_change", "fraction", "{partner}'s GDP, first-order", "percent",
       "The domestic value added in the focus partner's export change as a share of its "
       "GDP (params/elasticities.yaml partner_gdp; empty where none is cited); first-order: "
       "no second-round effects.", formula=f.focus_gdp_change),
    _o("focus_sector_units_change", "cars", "Cars from {partner} sold in the US, change",
       "cars", "Change in the number of passenger cars (HS 8703) from the focus partner a "
       "year (2024 units times the volume change of its motor vehicles; empty where the data "
       "count no cars).", formula=f.focus_sector_units_change,
       significant=ESTIMATE_FIGURES),
    _o("focus_exporter_price_change", "fraction",
       "{partner}, {sector}: export price, change", "percent",
       "Change in the price the focus partner's exporters get at the US border in the focus "
       "sector (customs value per unit; under a quota it includes the rent they keep).",
       formula=f.focus_exporter_price_change),
    _o("focus_us_price_change", "fraction", "{partner}, {sector}: US price, change",
       "percent", "Change in the duty-paid price US buyers pay for the focus partner's goods "
       "in the focus sector.", formula=f.focus_us_price_change),
)  # fmt: skip

# Columns of the report tables (sector x source and partner views, rates, Monte Carlo).
_COLUMNS: tuple[Outcome, ...] = (
    _o("ver_tariff_equivalent", "fraction", "Tariff equivalent of the export restraint",
       "percent", "The tariff on the exporters' supply price that gives US buyers the price the "
       "quota gives: (1 + t) w = (1 + t0) p (simulate --json, quota scenarios).", signed=False,
       significant=ESTIMATE_FIGURES),
    # A year of duties at the scenario's law (analysis.questions.revenue), in simulate --json's
    # "revenue": the same law gives the same figures whatever the baseline.
    _o("collected_revenue_usd", "usd", "Customs duties collected a year", "usd_bn",
       "A year of duties at the scenario's law after USMCA utilisation (each line's monthly "
       "share entered under USMCA) and the listed exemptions, on the imports the model gives "
       "for that law.", signed=False),
    _o("statutory_revenue_usd", "usd", "Customs duties at the statutory rates", "usd_bn",
       "The same law and imports with no USMCA preference claimed on its measures.",
       signed=False),
    _o("revenue_subject_to_refund_usd", "usd", "Duties subject to refund (IEEPA)", "usd_bn",
       "The IEEPA part of the collected duties: held unlawful on 20 Feb 2026, refunds ordered.",
       signed=False),
    _o("revenue_net_of_refunds_usd", "usd", "Customs duties net of refunds", "usd_bn",
       "Collected duties less those subject to refund.", signed=False),
    _o("revenue_by_authority_usd", "usd", "Customs duties by legal authority", "usd_bn",
       "The collected duties by legal authority; the 2024 applied rate's part apart.",
       signed=False),
    _o("base_value_usd", "usd", "Sales to the US, 2024", "usd_bn",
       "2024 customs value (imports) or home sales (US producers).", signed=False),
    _o("market_base_value_usd", "usd", "Sales to the US, base (illustrative: the market file's)",
       "usd_bn", "A custom market's base sales as its file gives them (made-up numbers in the "
       "shipped example), not 2024 data.", signed=False),
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
    _o("scenario_additional_tariff_rate", "fraction", f"Tariff {ABOVE_BASE_DUTY}, scenario",
       "percent", f"The scenario's tariff on top of the {BASE_DUTY}.", signed=False),
    _o("focus_tariff_rate", "fraction", "{partner}'s tariff", "percent",
       "Import-weighted tariff on imports from the focus partner.", signed=False),
    _o("focus_effective_tariff_rate", "fraction", "{partner}'s tariff", "percent",
       "Import-weighted tariff on imports from the focus partner.", signed=False),
    _o("focus_additional_tariff_rate", "fraction", "{partner}'s tariff " + ABOVE_BASE_DUTY,
       "percent", f"The focus partner's import-weighted tariff on top of the {BASE_DUTY}.",
       signed=False),
    _o("focus_supply_elasticity", "number", "{partner}, {sector}: supply elasticity (number)",
       "number",
       "The focus partner's supply elasticity in the focus sector (fitted or default).",
       signed=False),
    _o("all_effective_tariff_rate", "fraction", "Tariff on all imports", "percent",
       "Import-weighted tariff on all US imports.", signed=False),
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


def _data_column(
    record: tuple[str, str, str, str, str] | tuple[str, str, str, str, str, bool],
) -> Outcome:
    """A record of :data:`analysis.questions.data_outcomes.DATA_COLUMNS` as an Outcome."""
    name, unit, label, fmt, description = record[:5]
    if unit not in get_args(Unit) or fmt not in get_args(Format):
        raise ValueError(f"{name}: unit {unit!r} or format {fmt!r} is not one of ours")
    signed = record[5] if len(record) > 5 else True
    return Outcome(name, cast(Unit, unit), label, cast(Format, fmt), description, bool(signed))


OUTCOMES: dict[str, Outcome] = {
    o.name: o for o in (*_HEADLINE, *_COLUMNS, *map(_data_column, DATA_COLUMNS))
}

#: Every headline outcome, in the order readers see them.
HEADLINE_OUTCOMES: tuple[str, ...] = tuple(o.name for o in _HEADLINE)
#: The headline outcomes of the input-output consumer price model (one solved scenario; not
#: computed for Monte Carlo draws or rate grids).
CONSUMER_PRICE_OUTCOMES: tuple[str, ...] = (
    "consumer_price_level_change",
    "consumer_price_level_change_after_substitution",
    "household_cost_usd",
    "household_cost_after_substitution_usd",
)
#: The headline outcomes computed from the solved market alone (every draw of the Monte Carlo).
MARKET_OUTCOMES: tuple[str, ...] = tuple(
    n for n in HEADLINE_OUTCOMES if n not in CONSUMER_PRICE_OUTCOMES
)
#: All US buyers' extra cost, per household, and its three parts.
BUYER_COST_OUTCOMES: tuple[str, ...] = (
    "us_buyer_cost_per_household_usd",
    "us_buyer_cost_per_household_after_substitution_usd",
    "us_buyer_duty_paid_usd",
    "us_buyer_import_price_net_of_duty_usd",
    "us_buyer_domestic_price_usd",
)


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


def significant_places(value: float, figures: int) -> int:
    """The decimal places that keep ``figures`` significant figures of ``value`` (negative:
    tens, hundreds, ...): 85,695 to 3 figures is to the hundred (-2), 0.0123 to 3 is 4."""
    if value == 0 or not math.isfinite(value):
        return 0
    return figures - 1 - math.floor(math.log10(abs(value)))


def number_text(
    fmt: Format,
    value: float,
    signed: bool = True,
    decimals: int | None = None,
    significant: int | None = None,
) -> str:
    """``value`` as a table cell in the unit of ``fmt`` (the header carries the unit), with at
    most ``significant`` significant figures when given (a model estimate: 85,695 -> 85,700).

    Rounded numbers that are zero are shown as ``0`` without a sign (never ``-0.0``).
    """
    if not math.isfinite(value):
        return ""
    places = _DECIMALS[fmt] if decimals is None else decimals
    if significant is not None:
        places = min(places, significant_places(scaled(fmt, value), significant))
    number = round(scaled(fmt, value), places)
    places = max(places, 0)
    if number == 0:
        number = 0.0
    sign = "+" if signed and number != 0 else ""
    return f"{number:{sign},.{places}f}".replace("-", "−")


def say(name: str, value: float) -> str:
    """``value`` of outcome ``name`` for a sentence, with its unit: ``−$12.3 bn``,
    ``+4.2%``, ``1,234 fewer cars``, ``no change`` when it rounds to zero. Dollar billions
    keep :data:`ESTIMATE_FIGURES` significant figures (one decimal below $100 bn, none
    above: ``$280 bn``), like every model estimate."""
    record = OUTCOMES.get(name)
    fmt: Format = record.fmt if record else "number"
    signed = record.signed if record else True
    figures = record.significant if record else None
    if fmt == "usd_bn" and figures is None:
        figures = ESTIMATE_FIGURES  # "$279.5 bn" claims a precision nothing has: "$280 bn"
    decimals = record.decimals if record else None
    text = number_text(fmt, value, signed=signed, decimals=decimals, significant=figures)
    if text.lstrip("+−").strip("0.,") == "":
        return "no change" if signed else text
    if fmt == "cars":
        count = number_text("cars", abs(value), signed=False, significant=figures)
        return f"{count} {'more' if value > 0 else 'fewer'} cars"
    sign, digits = (text[0], text[1:]) if text[0] in "+−" else ("", text)
    if fmt == "usd_bn":
        return f"{sign}${digits} bn"
    if fmt == "usd":
        return f"{sign}${digits}"
    if fmt == "percent":
        return f"{sign}{digits}%"
    return text
