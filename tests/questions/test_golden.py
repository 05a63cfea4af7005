"""Each scenario's headline outputs, kept beside it, so results cannot drift unnoticed.

``params/scenarios/expected/<name>.json`` holds the totals of ``tariff-reports simulate
--scenario <name> --json`` (the registry's headline outcomes) and the focus partner's effective
rates. After a deliberate change, regenerate
them with ``UPDATE_GOLDEN=1 pytest tests/questions/test_golden.py`` and review the diff.
"""

from __future__ import annotations

import json
import os

import pytest

from analysis.inputs.bundle import Inputs
from analysis.inputs.paths import SHIPPED_PARAMS_DIR
from analysis.questions.simulate import simulate

EXPECTED = SHIPPED_PARAMS_DIR / "scenarios" / "expected"
# The shipped scenarios only: a user's (in $TARIFF_REPORTS_PARAMS) has no golden file.
SCENARIOS = sorted(p.stem for p in (SHIPPED_PARAMS_DIR / "scenarios").glob("*.yaml"))


def headline(inputs: Inputs, name: str) -> dict[str, float]:
    result = simulate(inputs, name)
    rates = result.schedule.effective_rates()
    out = dict(result.payload()["totals"])
    partner = result.focus.partner
    out["focus_effective_tariff_rate"] = float(rates.loc[partner, "effective_tariff_rate"])
    out["focus_additional_tariff_rate"] = float(rates.loc[partner, "additional_tariff_rate"])
    out["all_effective_tariff_rate"] = float(rates.loc["all", "effective_tariff_rate"])
    return out


@pytest.mark.parametrize("name", SCENARIOS)
def test_headline_outputs_match_the_golden_file(inputs: Inputs, name: str) -> None:
    path = EXPECTED / f"{name}.json"
    got = headline(inputs, name)
    if os.environ.get("UPDATE_GOLDEN"):
        EXPECTED.mkdir(exist_ok=True)
        path.write_text(json.dumps(got, indent=2, sort_keys=True) + "\n")
    assert path.is_file(), f"no golden file for {name}: run UPDATE_GOLDEN=1 pytest {__file__}"
    expected = json.loads(path.read_text())
    assert set(got) == set(expected)
    for key, value in expected.items():
        if value is None:  # not available for the focus (no GDP or unit count cited)
            assert got[key] is None, key
            continue
        assert got[key] == pytest.approx(value, rel=1e-6, abs=1e-6), key
