"""The interactive what-if: two sliders (the partner's tariff, all duties, and the substitution
elasticity) move three outcomes and a sentence, read from the exact solutions on a
precomputed grid (:func:`analysis.questions.what_if.what_if_grid`). The sliders start where
the report's law is, so at first the chart says what the headline says. Pure Vega-Lite: it
works offline."""

from __future__ import annotations

import json
from typing import Any

import altair as alt
import pandas as pd

from analysis.questions.outcomes import OUTCOMES, scaled
from analysis.questions.what_if import WHAT_IF_OUTCOMES
from analysis.report.text import partner_label, possessive

_TEXT_FORMAT = {"usd_bn": "$,.1f", "usd": "$,.0f", "percent": "+.1f"}
_SUFFIX = {"usd_bn": " bn", "usd": "", "percent": "%"}
#: Tick formats of the panels' value axes (values already in the unit of the axis title).
_AXIS_FORMAT = {"usd_bn": "$,.1~f", "usd": "$,.0f", "percent": ",.1~f"}


#: The partner's tariff slider moves over the grid's rates, one step per rate (the round rates
#: and the law's own, so a reader can always come back to it): its input is the rate's index,
#: ``RATE_STEP``, and the rate itself is the parameter ``rate``. The page shows the rate, not
#: the index, beside the slider (the offline template's ``showStepValues``).
RATE_STEP = "rate_step"


def _panel(
    base: alt.Chart,
    name: str,
    title: str,
    rate: alt.Parameter,
    in_law: float | None,
    rate_title: str,
) -> Any:
    record = OUTCOMES[name]
    axis_title = record.label_with_unit.rsplit("(", 1)[-1].rstrip(")")
    line = base.mark_line(color="#555").encode(
        x=alt.X("rate_pct:Q", title=rate_title),
        y=alt.Y(
            f"{name}:Q",
            title=axis_title,
            scale=alt.Scale(zero=False),
            axis=alt.Axis(format=_AXIS_FORMAT[record.fmt]),
        ),
        tooltip=[
            alt.Tooltip("rate_pct:Q", title="Tariff rate (%)", format=".1f"),
            alt.Tooltip(f"{name}:Q", title=axis_title, format=_TEXT_FORMAT[record.fmt]),
        ],
    )
    here = base.transform_filter(f"abs(datum.rate_pct - {rate.name}) < 0.01")
    point = here.mark_point(size=140, filled=True, color="#c8102e").encode(
        x="rate_pct:Q", y=f"{name}:Q"
    )
    label = (
        here.transform_calculate(shown=_shown(name))
        .mark_text(dy=-16, fontSize=15, fontWeight="bold", color="#c8102e")
        .encode(x="rate_pct:Q", y=f"{name}:Q", text="shown:N")
    )
    layers = line + point + label
    if in_law is not None:
        value = scaled(record.fmt, 1.0) * in_law
        law = alt.Chart(pd.DataFrame({name: [value], "what": ["The law as modelled"]}))
        rule = law.mark_rule(strokeDash=[4, 3], color="#222").encode(
            y=f"{name}:Q",
            tooltip=[
                alt.Tooltip("what:N", title=" "),
                alt.Tooltip(f"{name}:Q", title=axis_title, format=_TEXT_FORMAT[record.fmt]),
            ],
        )
        layers = layers + rule
    return layers.properties(title=title, width=240, height=220)


def _number(name: str, signed: bool = False) -> str:
    """A Vega expression writing outcome ``name`` of a grid row as :func:`say` writes it:
    dollar billions to three significant figures (one decimal below $100 bn, none above)."""
    record = OUTCOMES[name]
    sign = "+" if signed else ""
    spec = sign + _TEXT_FORMAT[record.fmt]
    value = f"datum['{name}']"
    if record.fmt == "usd_bn":
        return (
            f"(abs({value}) >= 99.95 ? format({value}, '{sign}$,.3r') : format({value}, '{spec}'))"
        )
    return f"format({value}, '{spec}')"


def _shown(name: str, signed: bool = False) -> str:
    """:func:`_number` with its unit (``−$29.2 bn``, ``$280 bn``)."""
    return f"{_number(name, signed)} + '{_SUFFIX[OUTCOMES[name].fmt]}'"


def _sentence(base: alt.Chart, who: str, rate: alt.Parameter) -> Any:
    """What the sliders' setting gives, in words that change with the sliders (one line each,
    short enough for a phone)."""
    here = base.transform_filter(f"abs(datum.rate_pct - {rate.name}) < 0.01")
    lit = json.dumps  # a literal in the Vega expression
    lines = [
        f"{lit('Tariff ')} + format(datum.rate_pct, '.1f') + "
        f"{lit('% (all duties), elasticity ')} + format(datum.sigma, '.1f') + ':'",
        lit(possessive(who, start=True) + " exports to the US"),
        f"{lit('change by ')} + {_shown('exports_value_change_usd', signed=True)} + "
        f"{lit(' a year;')}",
        f"{lit('all US buyers' + chr(39) + ' extra cost: ')} + {_shown('us_buyer_cost_usd')} + ';'",
        f"{lit('US tariff revenue: ')} + {_shown('tariff_revenue_usd')} + {lit(' a year.')}",
    ]
    return (
        here.transform_calculate(sentence="[" + ", ".join(lines) + "]")
        .mark_text(align="left", baseline="top", fontSize=12, lineHeight=17, x=0, y=0)
        .encode(text="sentence:N")
        .properties(width=240, height=17 * len(lines))
    )


def what_if_chart(
    grid: pd.DataFrame,
    partner: str,
    rate: float,
    sigma: float,
    sigmas: tuple[float, float],
    in_law: dict[str, float] | None = None,
) -> Any:
    """Three panels over the partner's tariff on the grid at the chosen elasticity, under a
    sentence that says what the sliders' setting gives; the sliders start at ``rate`` (a
    fraction, a rate of the grid: the law's, so the chart starts at the headline) and
    ``sigma``; ``sigmas`` is the slider's range. The tariff slider steps through the grid's
    rates (each a step, the law's among them), so it always reaches the law's rate again.
    ``in_law`` (outcome name -> value, the report's headline) is drawn as a dashed line."""
    law = in_law or {}
    data = pd.DataFrame(
        {
            "rate_pct": (grid["tariff_rate"] * 100).round(2),
            "sigma": grid["substitution_elasticity"].round(2),
            **{n: scaled(OUTCOMES[n].fmt, 1.0) * grid[n] for n in WHAT_IF_OUTCOMES},
        }
    )
    who = partner_label(partner)
    rate_title = f"{possessive(who, start=True)} tariff, all duties (%)"
    rates = sorted(float(r) for r in data["rate_pct"].unique())
    start = min(range(len(rates)), key=lambda i: abs(rates[i] - rate * 100))
    step_param = alt.param(
        name=RATE_STEP,
        value=start,
        bind=alt.binding_range(min=0, max=len(rates) - 1, step=1, name=f"{rate_title} "),
    )
    rate_param = alt.param(name="rate", expr=f"{json.dumps(rates)}[{RATE_STEP}]")
    sigma_param = alt.param(
        name="sigma",
        value=round(sigma, 1),
        bind=alt.binding_range(
            min=sigmas[0], max=sigmas[1], step=0.1, name="Substitution elasticity "
        ),
    )
    base = alt.Chart(data).transform_filter("abs(datum.sigma - sigma) < 0.001")
    panels = alt.hconcat(
        _panel(
            base,
            "exports_value_change_usd",
            f"{possessive(who, start=True)} exports to the US, change",
            rate_param,
            law.get("exports_value_change_usd"),
            rate_title,
        ),
        _panel(
            base,
            "us_buyer_cost_usd",
            "All US buyers' extra cost (households, firms, government)",
            rate_param,
            law.get("us_buyer_cost_usd"),
            rate_title,
        ),
        _panel(
            base,
            "tariff_revenue_usd",
            "US tariff revenue",
            rate_param,
            law.get("tariff_revenue_usd"),
            rate_title,
        ),
    )
    return (
        alt.vconcat(_sentence(base, who, rate_param), panels)
        .add_params(step_param, rate_param, sigma_param)
        .properties(
            title=f"What if {possessive(who)} tariff were different? (move the sliders below)"
        )
    )
