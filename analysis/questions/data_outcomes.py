"""The outcomes registry's records of the columns the report data files hold beyond the
headline outcomes and the tables' columns (:mod:`analysis.questions.outcomes`): grouped tariff
lines, the car calibration, chart data in the unit the chart draws, the sensitivity, timeline
and validation reports. Each says its unit as the data hold it, a label in words and what it is;
``data/<report>/data_dictionary.csv`` is built from them (analysis.pipeline.data_dictionary).
"""

from __future__ import annotations

#: The base every additional tariff is measured from: one name in every report, card, table,
#: chart and data dictionary.
BASE_DUTY = "MFN or trade-agreement duty"
#: A rate over that base, in words ("12.4% above the MFN or trade-agreement duty").
ABOVE_BASE_DUTY = f"above the {BASE_DUTY}"
#: What the base is, said once (the data dictionary's definition of the additional tariff).
BASE_DUTY_MEANING = (
    f"The {BASE_DUTY} is each HS10 line's 2024 applied duty: its MFN rate, or the "
    "trade-agreement or GSP rate its goods entered under. The Section 301 tariffs on China "
    "(since 2018-19) and the 2018 Section 232 tariffs on steel and aluminium count above it, "
    "though in force in 2024."
)

#: (name, unit, label, number format, description[, signed]): the fields of
#: :class:`analysis.questions.outcomes.Outcome`, which builds and checks them.
DATA_COLUMNS: tuple[tuple[str, str, str, str, str] | tuple[str, str, str, str, str, bool], ...] = (
    # Tariff lines grouped (analysis.policy.lines.LineRegime.aggregate), the partner reports.
    ("effective_tariff_rate", "fraction", "Tariff, all duties", "percent",
       "Import-weighted tariff of the group's lines, the 2024 applied rate included.",
       False),
    ("additional_tariff_rate", "fraction", f"Tariff {ABOVE_BASE_DUTY}", "percent",
       f"Import-weighted tariff of the group's lines {ABOVE_BASE_DUTY}. {BASE_DUTY_MEANING}",
       False),
    ("imports_usd", "usd", "US imports, 2024", "usd_bn",
       "2024 US imports for consumption of the group's lines (customs value).", False),
    ("added_duty_usd", "usd", "Added duty a year at 2024 imports", "usd_bn",
       f"The additional tariff times 2024 imports: duties {ABOVE_BASE_DUTY} before any "
       "change in trade (the Section 301 tariffs on China included).", False),
    # The car supply calibration (analysis.questions.evidence.calibration_table).
    ("observed_exporter_price_change", "fraction", "Exporter price, change: observed",
       "percent", "The 2025 change in the exporters' prices the fit is calibrated to."),
    ("observed_volume_change", "fraction", "Export volume, change: observed", "percent",
       "The 2025 change in export volume the fit is calibrated to."),
    ("model_exporter_price_change", "fraction", "Exporter price, change: the model",
       "percent", "The exporters' price change the model gives at the fitted elasticity."),
    ("model_volume_change", "fraction", "Export volume, change: the model", "percent",
       "The export volume change the model gives at the fitted elasticity."),
    ("supply_elasticity", "number", "Supply elasticity (number)", "number",
       "The exporters' supply elasticity, fitted or the default.", False),
    ("supply elasticity", "number", "Supply elasticity (number)", "number",
       "The exporters' supply elasticity under the supply response of the row.",
       False),
    ("root mean squared log error", "number", "Fit error (root mean squared log error)",
       "number", "Root mean squared error of the fit, in logs of the observed changes.",
       False),
    # A quota against its tariff equivalent (analysis.questions.autos).
    ("tariff_equivalent_rate", "fraction", "Tariff equivalent of the export restraint",
       "percent", "The tariff that gives US buyers the price the quota gives.", False),
    ("supply_price_change", "fraction", "Exporters' supply price, change", "percent",
       "Change in the exporters' supply price (before any quota rent)."),
    # Chart data: values in the unit the chart shows.
    ("value_change_busd", "usd_bn", "Sales to the US, change", "usd_bn",
       "Change in sales to the US, in billions of dollars."),
    ("rate_pct", "percent", "All-in tariff rate (%)", "number",
       "The partner's all-in tariff rate the what-if sets, in percent.", False),
    ("sigma", "number", "Substitution elasticity (number)", "number",
       "The elasticity of substitution between sources the what-if sets.", False),
    ("percent", "percent", "Additional tariff by legal authority (%)", "number",
       f"The partner's import-weighted tariff {ABOVE_BASE_DUTY} under one legal authority "
       "(the row's), in percent of import value.", False),
    ("value", "number", "Value of the row's outcome (chart's unit)", "number",
       "The value of the outcome the row names, in the unit of the chart's data (see the unit "
       "column)."),
    ("billions", "usd_bn", "Customs duties in the month", "usd_bn",
       "The row's series in billions of dollars (the column in dollars divided by 1e9)."),
    ("usd", "usd", "Customs duties in the month", "usd",
       "The row's series: duties in the month, in dollars."),
    # The sensitivity report: Monte Carlo quantiles, histograms and the one-at-a-time ranges.
    ("p10", "number", "10th percentile (outcome's unit)", "number",
       "10th percentile of the row's outcome over the Monte Carlo draws."),
    ("p50", "number", "Median (outcome's unit)", "number",
       "Median of the row's outcome over the Monte Carlo draws."),
    ("p90", "number", "90th percentile (outcome's unit)", "number",
       "90th percentile of the row's outcome over the Monte Carlo draws."),
    ("start", "number", "Bin from (outcome's unit)", "number",
       "Lower edge of the histogram bin, in the unit of the panel's outcome."),
    ("end", "number", "Bin to (outcome's unit)", "number",
       "Upper edge of the histogram bin, in the unit of the panel's outcome."),
    ("draws", "number", "Monte Carlo draws (number)", "number",
       "Number of Monte Carlo draws in the bin.", False),
    ("low_value", "number", "Parameter, low end of its range (number)", "number",
       "The parameter's value at the low end of its range.", False),
    ("high_value", "number", "Parameter, high end of its range (number)", "number",
       "The parameter's value at the high end of its range.", False),
    ("default", "number", "Parameter, central value (number)", "number",
       "The parameter's central value.", False),
    ("low", "number", "Parameter, low end of its range (number)", "number",
       "The low end of the parameter's range.", False),
    ("high", "number", "Parameter, high end of its range (number)", "number",
       "The high end of the parameter's range.", False),
    # The timeline report: a partner's additional tariff day by day.
    ("first_day_additional_rate", "fraction", "Additional tariff, first day", "percent",
       f"The partner's import-weighted tariff {ABOVE_BASE_DUTY} on the first day shown.",
       False),
    ("last_day_additional_rate", "fraction", "Additional tariff, last day", "percent",
       f"The partner's import-weighted tariff {ABOVE_BASE_DUTY} on the last day shown.",
       False),
    ("peak_additional_rate", "fraction", "Additional tariff, peak", "percent",
       f"The partner's highest import-weighted tariff {ABOVE_BASE_DUTY} over the days shown.",
       False),
    # The validation report: published figures and observed data beside the model's.
    ("our_additional_rate", "fraction", "Our additional tariff", "percent",
       f"The model's import-weighted tariff {ABOVE_BASE_DUTY} on the day compared.",
       False),
    ("published_additional_rate", "fraction", "Published additional tariff", "percent",
       f"The published tracker's tariff {ABOVE_BASE_DUTY} for the same partner.",
       False),
    ("treasury_receipts_usd", "usd", "Customs duties received (Treasury)", "usd_bn",
       "Customs duties in the month, net of refunds (Monthly Treasury Statement).",
       False),
    ("model_entries_of_month_before_usd", "usd",
       "Model: duties on the entries of the month before", "usd_bn",
       "The model's duties on the month before's entries under that month's law (duties are "
       "paid about a month after entry).", False),
    ("model_entries_of_the_month_usd", "usd", "Model: duties on the month's entries",
       "usd_bn", "The model's duties on the month's entries under the month's law.",
       False),
    ("model_rates_on_2024_imports_usd", "usd", "Model rates on 2024 imports", "usd_bn",
       "The month's law applied to a month of 2024 imports, with no response.", False),
    ("gap_usd", "usd", "Gap, model minus receipts", "usd_bn",
       "The model's duties on the entries of the month before, less the receipts."),
    ("census_2024_usd", "usd", "US imports, 2024 (Census)", "usd_bn",
       "Census general imports, customs value, 2024.", False),
    ("census_2025_usd", "usd", "US imports, 2025 (Census)", "usd_bn",
       "Census general imports, customs value, 2025.", False),
    ("census_change", "fraction", "US imports, change: Census", "percent",
       "2025 against 2024, Census."),
    ("model_change", "fraction", "Change: the model", "percent",
       "The model's change in the row's quantity under the laws compared."),
    ("census_April_to_December_change", "fraction",
       "US imports, April to December, change: Census", "percent",
       "April-December 2025 against April-December 2024, Census."),
    ("model_April_to_December_change", "fraction",
       "US imports, April to December, change: the model", "percent",
       "The model's change under the laws of April-December 2025."),
    ("observed_change", "fraction", "Change: observed", "percent",
       "The published change in the row's quantity."),
    ("published_share", "fraction", "Share borne by foreign exporters: published",
       "percent", "The study's share of the tariffs borne by foreign exporters.",
       False),
    ("model_share", "fraction", "Share borne by foreign exporters: the model", "percent",
       "The model's share of the tariffs borne by foreign exporters (its terms-of-trade "
       "gain over the duties).", False),
    ("decile", "number", "Income decile (number)", "number",
       "Household income decile, 1 the lowest.", False),
    ("spending_share", "fraction", "Share of spending", "percent",
       "The decile's share of the spending the prices apply to.", False),
    ("price_change_in_basis_points", "basis_points",
       "Prices the decile pays, change, before substitution (basis points)", "number",
       "Change in the decile's consumer prices, before substitution."),
    ("after_substitution_in_basis_points", "basis_points",
       "Prices the decile pays, change, after substitution (basis points)", "number",
       "Change in the decile's consumer prices, after substitution."),
)  # fmt: skip
