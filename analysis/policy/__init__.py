"""Policy layer: which tariff applies to each sector x partner on a date or in a scenario.

Pure: takes the frozen measures and data arrays from :mod:`analysis.inputs`.
"""
