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


def test_the_shipped_open_questions(inputs: Inputs) -> None:
    # The gold lines of the 2026 Section 301 action (FINDINGS5 #4): digits, dated, cited.
    (gold,) = [q for q in inputs.law_status.unsettled if "Gold" in q.title]
    assert gold.products == ("71081210", "7115900530") and gold.countries == ("all",)
    assert gold.start == dt.date(2026, 7, 24) and gold.reference.url.startswith("https://")
    assert gold.covers("7115900530", "CHE", dt.date(2026, 11, 28))
    assert not gold.covers("7115900530", "CHE", dt.date(2026, 7, 23))
    assert not gold.covers("7108130000", "CHE", dt.date(2026, 11, 28))
    assert not gold.covers("7115900560", "CHE", dt.date(2026, 11, 28))  # silver


_ENTRY = """known_through: 2026-11-28
ieepa_refunds:
  collected_from: 2025-02-04
  collected_to: 2026-02-23
  status: refunded
  references: [{{title: t, url: "https://example.gov/", date: 2026-02-20}}]
unsettled:
  - title: Gold
    start: 2026-07-24
    products: {products}
    countries: {countries}
    question: open
    reference: {{title: t, url: "https://example.gov/", date: 2026-07-28}}
"""


@pytest.mark.parametrize(
    ("products", "countries", "message"),
    [
        ("[7108]", "[all]", r"unsettled\[0\]\.products\[0\]: expected an HS prefix"),
        ('["71x8"]', "[all]", r"unsettled\[0\]\.products\[0\]: expected an HS prefix"),
        ("[]", "[all]", r"unsettled\[0\]\.products: expected a non-empty list"),
        ('["7108"]', "[che]", r"unsettled\[0\]\.countries\[0\]: expected an ISO3 code"),
        ('["7108"]', "[XYZ]", r"unsettled\[0\]\.countries\[0\]: expected an ISO3 code of the"),
    ],
)
def test_a_bad_open_question_names_its_key(
    tmp_path: Path, products: str, countries: str, message: str
) -> None:
    path = tmp_path / "law_status.yaml"
    path.write_text(_ENTRY.format(products=products, countries=countries))
    with pytest.raises(InputError, match=message):
        load_law_status(path, countries={"CHE", "JPN"})
    ok = _ENTRY.format(products='["7115.90.05"]', countries="[CHE]")
    path.write_text(ok)
    assert load_law_status(path, countries={"CHE"}).unsettled[0].products == ("71159005",)


def test_a_measure_left_out_that_has_ended_is_not_listed_on_a_later_day(tmp_path: Path) -> None:
    """An entry with an ``end`` is listed in a report's box only on days from its start to its
    end; an end before the start is one line naming the key."""
    from analysis.report.publication import left_out_on

    shipped = (Path(__file__).resolve().parents[2] / "params" / "law_status.yaml").read_text()
    status = load_law_status(Path(__file__).resolve().parents[2] / "params" / "law_status.yaml")
    annex = next(i for i in status.not_modelled if i.title.startswith("Annex II of the IEEPA"))
    assert annex.end == dt.date(2026, 2, 23)
    short = annex.title.split(":")[0]
    assert any(t.startswith(short) for t in left_out_on(status, dt.date(2025, 10, 1)))
    assert not any(t.startswith(short) for t in left_out_on(status, dt.date(2026, 11, 28)))
    bad = shipped.replace("end: 2026-02-23", "end: 2025-01-01", 1)
    (tmp_path / "law_status.yaml").write_text(bad)
    with pytest.raises(InputError, match=r"not_modelled\[0\]\.end"):
        load_law_status(tmp_path / "law_status.yaml")
