"""The headline outcomes of a simulation, by name (one registry; a test keeps
:func:`analysis.questions.simulate.headline_arrays` in step with it)."""

from __future__ import annotations

HEADLINE_OUTCOMES: tuple[str, ...] = (
    "tariff_revenue_usd",
    "tariff_revenue_change_usd",
    "us_buyer_cost_usd",
    "cost_per_household_usd",
    "buyer_surplus_change_usd",
    "domestic_producer_surplus_change_usd",
    "terms_of_trade_gain_usd",
    "quota_rent_usd",
    "deadweight_loss_usd",
    "net_us_welfare_usd",
    "imports_value_change_usd",
    "japan_exports_value_change_usd",
    "japan_exports_value_change",
    "japan_exports_volume_change",
    "japan_exporter_revenue_change_usd",
    "japan_gdp_change",
    "car_units_change",
    "japan_mvh_exporter_price_change",
    "us_price_change_japan_mvh",
)
