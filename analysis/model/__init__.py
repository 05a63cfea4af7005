"""Model layer: the economics, pure numpy (Armington PE model, SMART, calibration, Shapley).

Imports nothing else from the package: arrays in, arrays out.
"""
