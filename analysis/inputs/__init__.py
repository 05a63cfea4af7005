"""Inputs layer: reads the shipped data and the YAML parameter files and validates them, once,
into frozen objects (:func:`analysis.inputs.bundle.load_inputs`). The only layer that reads
files the model needs; errors name file, key, expected and found.
"""
