"""params/law_status.yaml: how far the law is known, the IEEPA refunds, what is left out."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from analysis.inputs.bundle import Inputs
from analysis.inputs.errors import InputError
from analysis.inputs.law_status import load_law_status


def test_the_shipped_status(inputs: Inputs) -> None:
    status = inputs.law_status
    assert status.known_through == dt.date(2026, 11, 28)
    refunds = status.ieepa_refunds
    assert (refunds.collected_from, refunds.collected_to) == (
        dt.date(2025, 2, 4),
        dt.date(2026, 2, 23),
    )
    assert any("supremecourt.gov" in r.url for r in refunds.references)
    # Every measure the package leaves out says why, with a citation.
    assert len(status.not_modelled) >= 8
    assert all(item.reason and item.reference.url for item in status.not_modelled)


def test_bad_status_files_name_the_key(tmp_path: Path) -> None:
    path = tmp_path / "law_status.yaml"
    path.write_text("known_through: soon\n")
    with pytest.raises(InputError, match=r"law_status.yaml: known_through: expected a date"):
        load_law_status(path)
