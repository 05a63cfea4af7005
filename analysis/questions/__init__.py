"""Questions layer: what users ask (a scenario's effects, evidence fits, layer attribution,
uncertainty, cars), each a pure function of the loaded inputs bundle.
"""
