"""How sure are we: Monte Carlo over the elasticity priors, and a one-at-a-time tornado.

Each draw takes one value per parameter from its prior in ``params/elasticities.yaml`` and
applies it to every sector: the priors describe uncertainty about an economy-wide estimate,
so the draws are perfectly correlated across sectors. All draws are solved in one vectorised
call (a leading draw axis), which is what makes 10,000 draws cheap.

The parameters of every draw (four or five numbers) are drawn first, in one random stream
from the seed; the equilibria are then solved in blocks of :data:`SOLVE_BLOCK` draws, small
enough for the arrays of a block (45 x 9 floats per draw) to stay in the processor's cache.
Millions of draws do not fit in memory at once, so :func:`monte_carlo_chunked` hands slices of
the drawn parameters to any ``map`` (the built-in one, or a cluster's, such as
``analysis.pipeline.dask_runner.cluster_map``), and each chunk returns its outcome columns
only. Every draw is solved on its own (a row of the vectorised solver), so the draws and their
percentiles are those of :func:`monte_carlo` with the same seed, whatever the chunking and
wherever the chunks run.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from analysis.inputs.parameters import Calibration, ModelParameters
from analysis.inputs.scenarios import LONG_RUN
from analysis.model.calibration import fit_to_price_and_volume
from analysis.model.market import Market
from analysis.questions.evidence import long_run_supply_elasticities
from analysis.questions.simulate import SimulationResult, headline_arrays
from analysis.questions.us_market import (
    Elasticities,
    foreign_at_default,
    prior_elasticities,
    solve,
    with_supply_elasticity,
)

#: Parameters drawn in the Monte Carlo, in the order of the tornado.
DRAWN = (
    "substitution_elasticity",
    "demand_elasticity",
    "domestic_supply_elasticity",
    "foreign_supply_elasticity",
)
#: Columns of the draws frame that are drawn inputs, not outcomes: the parameters and the
#: supply elasticity of the focus cell (the refitted 2025 fit in the short run, the long-run
#: draw in the long run).
INPUT_COLUMNS = (*DRAWN, "focus_supply_elasticity")
#: Draws per chunk (one task) in :func:`monte_carlo_chunked`: its result is the chunk's columns
#: (about 6 MB), and 1,000,000 draws make 40 tasks.
CHUNK_DRAWS = 25_000
#: Draws solved at once: a block's 45 x 9 arrays (3 MB each) stay in the processor's cache.
SOLVE_BLOCK = 1_000

Seed = int | np.random.SeedSequence


@dataclass(frozen=True)
class DrawnParameters:
    """The drawn parameters, one value per draw: the economy-wide elasticities and, in a
    long-run scenario, one draw of each long-run supply elasticity (by sector)."""

    substitution_elasticity: np.ndarray
    demand_elasticity: np.ndarray
    domestic_supply_elasticity: np.ndarray
    foreign_supply_elasticity: np.ndarray
    long_run_supply_elasticity: tuple[tuple[str, np.ndarray], ...] = ()

    def __len__(self) -> int:
        return len(self.substitution_elasticity)

    def __getitem__(self, draws: slice) -> DrawnParameters:
        return DrawnParameters(
            self.substitution_elasticity[draws],
            self.demand_elasticity[draws],
            self.domestic_supply_elasticity[draws],
            self.foreign_supply_elasticity[draws],
            tuple((sector, d[draws]) for sector, d in self.long_run_supply_elasticity),
        )


@dataclass(frozen=True)
class MonteCarloResult:
    draws: pd.DataFrame  # one row per draw: drawn parameters and headline outcomes
    seed: int

    def percentiles(self, q: tuple[float, ...] = (0.1, 0.5, 0.9)) -> pd.DataFrame:
        """10th, 50th and 90th percentiles (by default) of every headline outcome."""
        outcomes = self.draws.drop(columns=[c for c in INPUT_COLUMNS if c in self.draws])
        table = outcomes.quantile(list(q)).T
        table.columns = [f"p{round(x * 100):02d}" for x in q]
        return table


def draw_elasticities(result: SimulationResult, n_draws: int, seed: Seed) -> Elasticities:
    """``n_draws`` elasticity sets from the priors. The foreign draw applies to every foreign
    cell at the default; the draws of one set are the same in every sector (economy-wide
    uncertainty). The car supply elasticity follows the scenario's horizon: in the short run
    the sources calibrated to 2025 are refitted to their evidence in every draw (where the
    evidence does not identify a draw, the draw of the foreign supply elasticity holds); in
    the long run every foreign source of a ``long_run_supply`` sector takes one draw of its
    long-run elasticity, triangular over its range (the same draw for all of them)."""
    return elasticities_of(result, draw_parameters(result, n_draws, seed))


def draw_parameters(result: SimulationResult, n_draws: int, seed: Seed) -> DrawnParameters:
    """The parameters of ``n_draws`` draws from the priors, in one stream from ``seed``."""
    rng = np.random.default_rng(seed)
    params = result.params
    sigma, eta, domestic, foreign = (
        params[name].prior.draw(rng, n_draws, params[name].default)
        for name in DRAWN  # in this order: the stream is part of what a seed means
    )
    long_run: tuple[tuple[str, np.ndarray], ...] = ()
    if result.horizon == LONG_RUN:
        long_run = tuple(
            (lr.sector, rng.triangular(lr.low, lr.central, lr.high, n_draws))
            for lr in long_run_supply_elasticities(params)
        )
    return DrawnParameters(sigma, eta, domestic, foreign, long_run)


def elasticities_of(result: SimulationResult, drawn: DrawnParameters) -> Elasticities:
    """Every market's elasticities in each draw of ``drawn`` (see :func:`draw_elasticities`)."""
    n_draws = len(drawn)
    base = result.elasticities
    foreign_draw = drawn.foreign_supply_elasticity
    n_sectors = base.substitution_elasticity.shape[-1]
    supply = np.broadcast_to(base.supply_elasticity, (n_draws, *base.supply_elasticity.shape))
    supply = supply.copy()
    domestic = result.market.is_domestic
    default = result.params["foreign_supply_elasticity"].default
    at_default = foreign_at_default(base.supply_elasticity, default, domestic)
    supply[:, at_default] = np.repeat(foreign_draw[:, None], at_default.sum(), axis=1)
    supply[..., domestic] = drawn.domestic_supply_elasticity[:, None, None]
    sigma_draw, eta_draw = drawn.substitution_elasticity, drawn.demand_elasticity
    for cal, one_sector in result.calibrations:
        i, j = result.market.sector_index(cal.sector), result.market.source_index(cal.partner)
        supply[:, i, j] = _refit(cal, one_sector, sigma_draw, eta_draw, supply[:, i], foreign_draw)
    for sector, draw in drawn.long_run_supply_elasticity:
        supply[:, result.market.sector_index(sector), ~domestic] = draw[:, None]
    return Elasticities(
        substitution_elasticity=np.repeat(sigma_draw[:, None], n_sectors, axis=1),
        demand_elasticity=np.repeat(eta_draw[:, None], n_sectors, axis=1),
        supply_elasticity=supply,
        notes=base.notes,
    )


#: Draws refitted at once (the fit solves ~100 elasticities per draw: 250 draws keep its arrays
#: near the size of a solve block's, in the processor's cache).
REFIT_CHUNK = 250


def _refit(
    cal: Calibration,
    one_sector: Market,
    sigma: np.ndarray,
    eta: np.ndarray,
    supply: np.ndarray,
    prior: np.ndarray,
) -> np.ndarray:
    """The calibrated elasticity of each draw (the drawn prior where it is not identified)."""
    out = np.empty(len(sigma))
    for start in range(0, len(sigma), REFIT_CHUNK):
        block = slice(start, start + REFIT_CHUNK)
        fitted, _, at_bound = fit_to_price_and_volume(
            observed_price_change=cal.observed_exporter_price_change,
            observed_volume_change=cal.observed_volume_change,
            sigma=sigma[block],
            eta=eta[block],
            supply_elasticity=supply[block],
            source=cal.partner,
            market=one_sector,
        )
        out[block] = np.where(at_bound, prior[block], fitted)
    return out


def monte_carlo(
    result: SimulationResult, n_draws: int = 10_000, seed: int = 2025
) -> MonteCarloResult:
    """Headline outcomes of ``result``'s scenario under ``n_draws`` draws of the priors."""
    drawn = draw_parameters(result, n_draws, seed)
    return MonteCarloResult(draws=_draws_frame(result, drawn), seed=seed)


def _draws_frame(result: SimulationResult, drawn: DrawnParameters) -> pd.DataFrame:
    return _frame(drawn, [monte_carlo_chunk(result, drawn)])


def _frame(drawn: DrawnParameters, solved: list[dict[str, np.ndarray]]) -> pd.DataFrame:
    """One row per draw: the drawn parameters, then what the chunks solved, in order."""
    return pd.DataFrame(
        {
            "substitution_elasticity": drawn.substitution_elasticity,
            "demand_elasticity": drawn.demand_elasticity,
            "domestic_supply_elasticity": drawn.domestic_supply_elasticity,
            "foreign_supply_elasticity": drawn.foreign_supply_elasticity,
            **{k: np.concatenate([part[k] for part in solved]) for k in solved[0]},
        }
    )


def monte_carlo_chunk(result: SimulationResult, drawn: DrawnParameters) -> dict[str, np.ndarray]:
    """What the draws of one chunk (a slice of the drawn parameters) give: the focus cell's
    supply elasticity (refitted in the short run) and every headline outcome, by column. The
    drawn parameters are the caller's already, so they are not sent back. Solved in blocks of
    :data:`SOLVE_BLOCK` draws."""
    blocks = [
        _block_columns(result, drawn[start : start + SOLVE_BLOCK])
        for start in range(0, len(drawn), SOLVE_BLOCK)
    ]
    return {k: np.concatenate([b[k] for b in blocks]) for k in blocks[0]}


def _block_columns(result: SimulationResult, drawn: DrawnParameters) -> dict[str, np.ndarray]:
    elasticities = elasticities_of(result, drawn)
    solution = solve(result.market, elasticities)
    outcomes = headline_arrays(solution, result.market, result.data, result.params, result.focus)
    focus = (
        result.market.sector_index(result.focus.sector),
        result.market.source_index(result.focus.partner),
    )
    return {
        "focus_supply_elasticity": elasticities.supply_elasticity[:, focus[0], focus[1]],
        **{k: np.asarray(v) for k, v in outcomes.items()},
    }


def chunks(n_draws: int, chunk_draws: int = CHUNK_DRAWS) -> list[slice]:
    """``n_draws`` split into slices of ``chunk_draws`` (the last one smaller)."""
    if n_draws < 1 or chunk_draws < 1:
        raise ValueError(f"n_draws and chunk_draws must be positive, got {n_draws}, {chunk_draws}")
    return [slice(a, min(a + chunk_draws, n_draws)) for a in range(0, n_draws, chunk_draws)]


def monte_carlo_chunked(
    result: SimulationResult,
    n_draws: int,
    seed: int = 2025,
    chunk_draws: int = CHUNK_DRAWS,
    map_chunks: Callable[
        [Callable[[DrawnParameters], dict[str, np.ndarray]], Iterable[DrawnParameters]],
        Iterable[dict[str, np.ndarray]],
    ]
    | None = None,
) -> MonteCarloResult:
    """:func:`monte_carlo` in chunks of ``chunk_draws``, each solved by ``map_chunks``
    (default: one after the other here). The parameters are drawn here, so the draws are
    :func:`monte_carlo`'s with the same seed, whatever the chunks and wherever they run."""
    mapper = map_chunks or map
    drawn = draw_parameters(result, n_draws, seed)
    pieces = [drawn[part] for part in chunks(n_draws, chunk_draws)]
    solved = list(mapper(functools.partial(monte_carlo_chunk, result), pieces))
    return MonteCarloResult(draws=_frame(drawn, solved), seed=seed)


def tornado(result: SimulationResult, outcome: str) -> pd.DataFrame:
    """One parameter at a time at its prior's low and high end, the others at their defaults.

    Also swings the car supply elasticity, the other large source of doubt: in the short run
    the calibrated elasticities between their fitted value and the foreign default (what an
    uncalibrated source gets); in the long run the long-run elasticity over its range.
    """
    params = result.params
    base = result.elasticities
    uncalibrated = prior_elasticities(result.data, params)
    rows = []
    central = _outcome(result, base, outcome)
    for name in DRAWN:
        prior = params[name].prior
        if prior.distribution == "fixed":
            continue
        ends = {}
        for label, value in (("low", prior.low), ("high", prior.high)):
            moved = _with(base, params, name, value, result.market.is_domestic)
            ends[label] = _outcome(result, moved, outcome)
        rows.append(
            {
                "parameter": name,
                "low_value": prior.low,
                "high_value": prior.high,
                "outcome_at_low": ends["low"],
                "outcome_at_high": ends["high"],
            }
        )
    rows.extend(_long_run_rows(result, outcome))
    if result.calibrations and not np.array_equal(
        uncalibrated.supply_elasticity, base.supply_elasticity
    ):
        rows.append(
            {
                "parameter": "calibrated_supply_elasticities",
                "low_value": np.nan,
                "high_value": params["foreign_supply_elasticity"].default,
                "outcome_at_low": central,
                "outcome_at_high": _outcome(result, uncalibrated, outcome),
            }
        )
    table = pd.DataFrame(rows)
    table["central"] = central
    table["swing"] = (table["outcome_at_high"] - table["outcome_at_low"]).abs()
    return table.sort_values("swing", ascending=False).reset_index(drop=True)


def _long_run_rows(result: SimulationResult, outcome: str) -> list[dict[str, object]]:
    """The tornado row of each long-run supply elasticity (long-run scenarios only)."""
    if result.horizon != LONG_RUN:
        return []
    base = result.elasticities
    domestic = result.market.is_domestic
    rows: list[dict[str, object]] = []
    for lr in long_run_supply_elasticities(result.params):
        ends = {}
        for label, value in (("low", lr.low), ("high", lr.high)):
            supply = base.supply_elasticity.copy()
            supply[..., result.market.sector_index(lr.sector), ~domestic] = value
            ends[label] = _outcome(result, replace(base, supply_elasticity=supply), outcome)
        rows.append(
            {
                "parameter": "long_run_supply_elasticity",
                "low_value": lr.low,
                "high_value": lr.high,
                "outcome_at_low": ends["low"],
                "outcome_at_high": ends["high"],
            }
        )
    return rows


def _with(
    base: Elasticities,
    params: ModelParameters,
    name: str,
    value: float,
    domestic: np.ndarray,
) -> Elasticities:
    """``base`` with one parameter at ``value`` (foreign: every uncalibrated foreign cell)."""
    if name == "substitution_elasticity":
        return replace(
            base, substitution_elasticity=np.full_like(base.substitution_elasticity, value)
        )
    if name == "demand_elasticity":
        return replace(base, demand_elasticity=np.full_like(base.demand_elasticity, value))
    return with_supply_elasticity(
        base, name, value, params["foreign_supply_elasticity"].default, domestic
    )


def _outcome(result: SimulationResult, elasticities: Elasticities, outcome: str) -> float:
    solution = solve(result.market, elasticities)
    return float(
        headline_arrays(solution, result.market, result.data, result.params, result.focus)[outcome]
    )
