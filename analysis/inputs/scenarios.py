"""Scenarios: self-describing YAML files in ``params/scenarios/`` (or a user's folder, or
anywhere with ``--scenario-file``), named by file stem.

The format is :class:`analysis.inputs.schemas.ScenarioSpec` (documented in
``docs/formats.md``): a regime date, then changes to the measures in force on it (a rate, a
measure's value on another date, or removal, optionally for some partners or sectors), quotas,
references and an optional focus. The schema checks the shape; this module checks the names
against the measures and the data. Validation names the file, the key, what was expected and
what was found.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from analysis.inputs.catalog import Catalog
from analysis.inputs.errors import InputError
from analysis.inputs.focus import Focus, checked_focus
from analysis.inputs.measures import STATUSES, Measure
from analysis.inputs.paths import is_shipped
from analysis.inputs.references import Reference, parse_reference
from analysis.inputs.schemas import MAX_RATE, ChangeSpec, QuotaSpec, ScenarioSpec, keys, validated
from analysis.inputs.validate import (
    TOP_LEVEL,
    date_value,
    fraction,
    names,
    one_of,
    read_yaml,
    record,
    text_value,
)

#: The supply responses a scenario can be solved with (``horizon:``): the one-year response
#: fitted to 2025's evidence, and the literature's long-run response (the default).
SHORT_RUN = "short_run"
LONG_RUN = "long_run"
_TOP = keys(ScenarioSpec)
_CHANGE = keys(ChangeSpec)
_QUOTA = keys(QuotaSpec)


@dataclass(frozen=True)
class Change:
    measure: str
    as_of: dt.date | None
    rate: float | None
    remove: bool
    partners: tuple[str, ...]
    sectors: tuple[str, ...]
    reason: str
    reference: Reference | None
    # A rate the user chose with a reason but no citation (a user's file or ``--set``): every
    # output that shows the scenario says so.
    user_assumption: bool = False

    def describe(self) -> str:
        """One line: the measure, the rate and the reason (for the outputs' notes)."""
        rate = "removed" if self.remove else f"as of {self.as_of}" if self.as_of else ""
        if self.rate is not None:
            rate = f"rate = {self.rate:.4g} ({self.rate:.2%})"
        scope = ", ".join(self.partners + self.sectors)
        return f"{self.measure} {rate}{f' for {scope}' if scope else ''}: {self.reason}"


@dataclass(frozen=True)
class Quota:
    """A cap on one partner's sales in one sector, as a share of its 2024 volume (given, or
    derived from ``cap_units``, a cap in units a year, over the 2024 units)."""

    partner: str
    sector: str
    cap_share_of_2024: float
    reason: str
    reference: Reference
    cap_units: float | None = None


@dataclass(frozen=True)
class Scenario:
    name: str
    path: Path
    title: str
    description: str
    regime_date: dt.date
    changes: tuple[Change, ...]
    quotas: tuple[Quota, ...]
    references: tuple[Reference, ...]
    focus: Focus | None = None  # the partner and sector the headlines are about, if set
    # The supply response the scenario is solved with: "long_run" (the literature's, for
    # forward scenarios; the default) or "short_run" (the one-year response fitted to 2025).
    horizon: str = LONG_RUN

    @property
    def user_assumptions(self) -> tuple[str, ...]:
        """The changes that are the user's assumptions (uncited rates), one line each."""
        return tuple(c.describe() for c in self.changes if c.user_assumption)


def _change(
    path: Path, key: str, raw: object, measures: Mapping[str, Measure], shipped: bool
) -> Change:
    raw = record(path, key, raw, _CHANGE)
    mid = raw.get("measure")
    if not isinstance(mid, str) or mid not in measures:
        raise InputError(path, f"{key}.measure", "a measure id in params/measures", mid)
    measure = measures[mid]
    actions = [k for k in ("as_of", "rate", "remove") if k in raw]
    if len(actions) != 1:
        raise InputError(path, key, "exactly one of as_of, rate, remove", actions or "none")
    rate = None
    if "rate" in raw:
        rate = fraction(path, f"{key}.rate", raw["rate"], MAX_RATE)
        if shipped and "reference" not in raw:
            raise InputError(path, f"{key}.reference", "a reference for the rate", "missing")
    if raw.get("remove") not in (None, True):
        raise InputError(path, f"{key}.remove", "true", raw.get("remove"))
    as_of = date_value(path, f"{key}.as_of", raw["as_of"]) if "as_of" in raw else None
    if as_of is not None:
        try:
            measure.value_on(as_of, STATUSES)
        except KeyError:
            raise InputError(path, f"{key}.as_of", f"a date with a value of {mid}", as_of) from None
    return Change(
        measure=mid,
        as_of=as_of,
        rate=rate,
        remove=bool(raw.get("remove", False)),
        # A scope outside the measure's own partners or sectors would silently do nothing.
        partners=names(path, f"{key}.partners", raw.get("partners"), measure.partners),
        sectors=names(path, f"{key}.sectors", raw.get("sectors"), tuple(measure.sectors)),
        reason=text_value(path, f"{key}.reason", raw.get("reason")),
        reference=(
            parse_reference(path, f"{key}.reference", raw["reference"])
            if "reference" in raw
            else None
        ),
        user_assumption=rate is not None and "reference" not in raw,
    )


def user_reference(reason: str, where: str, day: dt.date) -> Reference:
    """What stands for a citation under a user's uncited rate (the model's layers carry one):
    the reason and where the rate was set, dated with the scenario's regime date."""
    return Reference(title=f"user assumption: {reason}", url=where, date=day)


def _cited(change: Change, where: str, day: dt.date) -> Change:
    if not change.user_assumption:
        return change
    return replace(change, reference=user_reference(change.reason, where, day))


def _quota(path: Path, key: str, raw: object, catalog: Catalog) -> Quota:
    raw = record(path, key, raw, _QUOTA)
    partner = one_of(path, f"{key}.partner", raw.get("partner"), catalog.partners)
    sector = one_of(path, f"{key}.sector", raw.get("sector"), catalog.sectors)
    given = [k for k in ("cap_share_of_2024", "cap_units") if raw.get(k) is not None]
    if len(given) != 1:
        raise InputError(path, key, "exactly one of cap_share_of_2024, cap_units", given or "none")
    units = None
    if given == ["cap_units"]:
        units = _cap_units(path, f"{key}.cap_units", raw["cap_units"], (partner, sector), catalog)
        cap = units / catalog.units_2024[partner, sector]
    else:
        share = raw["cap_share_of_2024"]
        if isinstance(share, bool) or not isinstance(share, int | float) or not 0 < share <= 2:
            raise InputError(path, f"{key}.cap_share_of_2024", "a share in (0, 2]", share)
        cap = float(share)
    return Quota(
        partner=partner,
        sector=sector,
        cap_share_of_2024=float(cap),
        reason=text_value(path, f"{key}.reason", raw.get("reason")),
        reference=parse_reference(path, f"{key}.reference", raw.get("reference")),
        cap_units=units,
    )


def _cap_units(path: Path, key: str, raw: object, cell: tuple[str, str], catalog: Catalog) -> float:
    """A cap in units a year: positive and at most the 2024 volume of a counted cell."""
    known = catalog.units_2024.get(cell, float("nan"))
    if not known > 0:
        counted = sorted(f"{p} {s}" for (p, s), n in catalog.units_2024.items() if n > 0)
        raise InputError(path, key, f"a partner and sector counted in units ({counted})", cell)
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not 0 < raw <= known:
        raise InputError(path, key, f"a number of units in (0, {known:,.0f}] (2024 volume)", raw)
    return float(raw)


def _unique_quotas(path: Path, quotas: tuple[Quota, ...]) -> tuple[Quota, ...]:
    seen = set()
    for i, quota in enumerate(quotas):
        cell = (quota.partner, quota.sector)
        if cell in seen:
            raise InputError(path, f"quotas[{i}]", "one quota per partner and sector", cell)
        seen.add(cell)
    return quotas


def parse_scenario(
    path: Path,
    doc: object,
    measures: Mapping[str, Measure],
    catalog: Catalog,
    shipped: bool | None = None,
) -> Scenario:
    """A scenario from its YAML; ``shipped`` (default: whether ``path`` is under the shipped
    ``params/``) decides whether a rate needs a reference or only a reason."""
    shipped = is_shipped(path) if shipped is None else shipped
    validated(ScenarioSpec, path, doc)  # the shape; the names are checked below
    doc = record(path, TOP_LEVEL, doc, _TOP)
    changes_raw = doc.get("changes") or []
    quotas_raw = doc.get("quotas") or []
    refs_raw = doc.get("references")
    if not isinstance(changes_raw, list):
        raise InputError(path, "changes", "a list", changes_raw)
    if not isinstance(quotas_raw, list):
        raise InputError(path, "quotas", "a list", quotas_raw)
    if not isinstance(refs_raw, list) or not refs_raw:
        raise InputError(path, "references", "a non-empty list of references", refs_raw)
    regime_date = date_value(path, "regime_date", doc.get("regime_date"))
    return Scenario(
        name=path.stem,
        path=path,
        title=text_value(path, "title", doc.get("title")),
        description=text_value(path, "description", doc.get("description")),
        regime_date=regime_date,
        changes=tuple(
            _cited(_change(path, f"changes[{i}]", c, measures, shipped), str(path), regime_date)
            for i, c in enumerate(changes_raw)
        ),
        quotas=_unique_quotas(
            path, tuple(_quota(path, f"quotas[{i}]", q, catalog) for i, q in enumerate(quotas_raw))
        ),
        references=tuple(
            parse_reference(path, f"references[{i}]", r) for i, r in enumerate(refs_raw)
        ),
        focus=_focus(path, doc.get("focus"), catalog),
        horizon=str(doc.get("horizon") or LONG_RUN),
    )


def _focus(path: Path, raw: object, catalog: Catalog) -> Focus | None:
    """``focus: {partner: eu, sector: mvh}`` (either may be left to its default)."""
    if raw is None:
        return None
    spec = record(path, "focus", raw, {"partner", "sector"})
    names: dict[str, str | None] = {}
    for key in ("partner", "sector"):
        value = spec.get(key)
        if value is not None and not isinstance(value, str):
            raise InputError(path, f"focus.{key}", "a name", value)
        names[key] = value
    return checked_focus(
        catalog.partners, catalog.sectors, names["partner"], names["sector"], where=str(path)
    )


def load_scenarios(
    folder: Path, measures: Mapping[str, Measure], catalog: Catalog
) -> dict[str, Scenario]:
    """Every scenario in ``folder``, keyed by file stem; the first broken one stops loading."""
    return {
        p.stem: parse_scenario(p, read_yaml(p), measures, catalog)
        for p in sorted(folder.glob("*.yaml"))
    }


def load_scenario_layers(
    files: Iterable[Path], measures: Mapping[str, Measure], catalog: Catalog
) -> tuple[dict[str, Scenario], dict[str, InputError]]:
    """The scenarios of ``files`` keyed by file stem, and the user's broken ones' errors.

    A broken shipped scenario stops loading (the package is wrong); a broken user's scenario
    fails only what names it: its error is kept and raised by :meth:`Inputs.scenario`.
    """
    scenarios: dict[str, Scenario] = {}
    errors: dict[str, InputError] = {}
    for path in files:
        try:
            scenarios[path.stem] = parse_scenario(path, read_yaml(path), measures, catalog)
        except InputError as exc:
            if is_shipped(path):
                raise
            errors[path.stem] = exc
    return scenarios, errors


def load_scenario_file(path: Path, measures: Mapping[str, Measure], catalog: Catalog) -> Scenario:
    """One scenario file anywhere (e.g. a user's, named by a report run)."""
    return parse_scenario(path, read_yaml(path), measures, catalog)


def parse_setting(text: str, measures: Mapping[str, Measure]) -> tuple[str, float]:
    """``MEASURE.rate=VALUE`` (``--set``): the measure id and the rate (``0.25`` or ``25%``)."""
    where, key = "(command line)", "--set"
    target, sep, value = text.partition("=")
    mid, dot, field = target.strip().rpartition(".")
    if not sep or not dot or field != "rate":
        raise InputError(
            where, key, "MEASURE.rate=VALUE (e.g. ieepa_reciprocal_japan.rate=0.20)", text
        )
    if mid not in measures:
        raise InputError(where, key, "a measure id in params/measures", mid)
    number = value.strip().removesuffix("%")
    try:
        rate = float(number) / (100 if value.strip().endswith("%") else 1)
    except ValueError:
        raise InputError(where, key, "a rate such as 0.25 or 25%", value) from None
    return mid, fraction(Path(where), f"--set {mid}.rate", rate, MAX_RATE)


def with_settings(
    scenario: Scenario, settings: Iterable[str], measures: Mapping[str, Measure], reason: str
) -> Scenario:
    """``scenario`` with ``--set`` rates applied after its own changes, each a user assumption
    (a reason, no citation). A changed law is a forward what-if: it is solved with the long-run
    supply response, whatever the horizon of the scenario it starts from."""
    added = []
    for text in settings:
        mid, rate = parse_setting(text, measures)
        cited = user_reference(reason, f"(command line) --set {text}", scenario.regime_date)
        added.append(Change(mid, None, rate, False, (), (), reason, cited, user_assumption=True))
    if not added:
        return scenario
    return replace(scenario, changes=scenario.changes + tuple(added), horizon=LONG_RUN)
