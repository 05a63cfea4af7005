"""Product lists: masks over HS10 lines, tranches, and the one-line errors of bad lists."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import numpy as np
import pytest
import yaml

from analysis.inputs.bundle import load_inputs
from analysis.inputs.errors import InputError
from analysis.inputs.product_lists import load_product_lists

HS10 = np.array(["0101210010", "7208100000", "7208250000", "8703230190", "8708990000"])
CSV = """list,hts_prefix,rate,start
steel,72,,
cars,870323,,
parts,8708,,
s301,7208,0.25,
s301,870323,1.0,2025-07-01
deal,8703,,2025-09-01
deal,0101,,
"""


def _folder(tmp_path: Path, csv: str, line_lists: dict[str, object]) -> tuple[Path, Path]:
    data = tmp_path / "data"
    data.mkdir()
    (data / "product_lists.csv").write_text(csv, encoding="utf-8")
    digest = hashlib.sha256(csv.encode()).hexdigest()
    manifest = {
        "files": {
            "product_lists.csv": {
                "sha256": digest,
                "columns": {"list": "str", "hts_prefix": "str", "rate": "float", "start": "str"},
            }
        }
    }
    (data / "manifest.yaml").write_text(yaml.safe_dump(manifest, sort_keys=False), encoding="utf-8")
    params = tmp_path / "line_lists.yaml"
    params.write_text(yaml.safe_dump(line_lists), encoding="utf-8")
    return data, params


def test_masks_and_tranches(tmp_path: Path) -> None:
    data, params = _folder(tmp_path, CSV, {"section232_x": {"scope": ["cars", "parts"]}})
    lists = load_product_lists(HS10, params, {"section232_x"}, data)
    np.testing.assert_array_equal(lists.mask("steel"), [False, True, True, False, False])
    np.testing.assert_array_equal(lists.mask("cars"), [False, False, False, True, False])
    before = lists.rate_on("s301", dt.date(2025, 6, 30))
    np.testing.assert_allclose(before, [np.nan, 0.25, 0.25, np.nan, np.nan])
    after = lists.rate_on("s301", dt.date(2025, 7, 1))
    np.testing.assert_allclose(after, [np.nan, 0.25, 0.25, 1.0, np.nan])
    # A dated row joins the list on its date; an undated row is on it throughout.
    before_deal = lists.mask_on("deal", dt.date(2025, 8, 31))
    np.testing.assert_array_equal(before_deal, [True, False, False, False, False])
    np.testing.assert_array_equal(lists.mask_on("deal", dt.date(2025, 9, 1)), lists.mask("deal"))
    assert lists.mask("deal")[3]


@pytest.mark.parametrize(
    ("csv", "line_lists", "found"),
    [
        (CSV + "steel,72,,\n", {}, "'72'"),  # a duplicate line
        (CSV + "steel,7a,,\n", {}, "'7a'"),  # not digits
        (CSV, {"section232_x": {"scope": ["steel", "s301"]}}, "7208100000"),  # overlap
        (CSV, {"section232_x": {"scope": ["nosuch"]}}, "nosuch"),
        (CSV, {"section232_nosuch": {"scope": ["steel"]}}, "section232_nosuch"),
        # the shapes the schemas declare (ProductListRowSpec, LineListsSpec), worded from them
        (CSV + "steel,72,25,\n", {}, "product_lists.csv: steel.rate: expected a number <= 10.0"),
        (CSV + "steel,73,,2025-02-30\n", {}, "steel.start: expected a date YYYY-MM-DD"),
        (CSV + "Steel,74,,\n", {}, "Steel.list: expected text matching ^[a-z0-9_]+$"),
        (
            CSV,
            {"section232_x": {"scope": ["cars"], "usmca_exempt": 1.5}},
            "line_lists.yaml: section232_x.usmca_exempt: expected a number <= 1.0, found 1.5",
        ),
        (
            CSV,
            {"section232_x": {"scope": ["cars"], "rates_from_list": "yes"}},
            "section232_x.rates_from_list: expected true or false, found 'yes'",
        ),
        (
            CSV,
            {"section232_x": {"scopes": ["cars"]}},
            "section232_x.scopes: expected one of ['country_exempt', 'exempt', ",
        ),
    ],
)
def test_a_bad_list_is_one_line(
    tmp_path: Path, csv: str, line_lists: dict[str, object], found: str
) -> None:
    data, params = _folder(tmp_path, csv, line_lists)
    with pytest.raises(InputError) as err:
        load_product_lists(HS10, params, {"section232_x"}, data)
    assert found in str(err.value) and "\n" not in str(err.value)


def test_the_shipped_lists_load() -> None:
    inputs = load_inputs()
    lists = inputs.lines.product_lists()
    lines = inputs.lines.get()
    # Every scope list of a measure is non-empty on the 2024 lines.
    for spec in lists.measures.values():
        for name in spec.scope + spec.exempt:
            assert lists.mask(name).any(), name
    # Passenger vehicles: the 8703.22-.90 lines and the light-truck lines, nothing else.
    cars = lines.hs10[lists.mask("s232_autos")]
    assert all(c.startswith(("8703", "8704")) for c in cars)


def test_a_country_list_naming_an_unknown_country_is_one_line(tmp_path: Path) -> None:
    import shutil

    from analysis.inputs.errors import InputError
    from analysis.inputs.paths import PROJECT_DIR

    params = tmp_path / "params"
    shutil.copytree(PROJECT_DIR / "params", params)
    path = params / "line_lists.yaml"
    path.write_text(
        path.read_text().replace('"5800": [korea_floor_exempt]', '"5801": [korea_floor_exempt]')
    )
    with pytest.raises(InputError, match=r"country_exempt\.5801: expected a Census code"):
        load_inputs(params).lines.product_lists()


@pytest.mark.parametrize(
    ("hs10", "day", "expected"),
    [
        # List 4A (heading 9903.88.15), 7.5% since 14 Feb 2020 (85 FR 3741), on both lines.
        ("8507600020", "2024-09-26", 0.075),
        ("8507600010", "2024-09-26", 0.075),
        # The four-year review (89 FR 76581): EV batteries 25% from 27 Sep 2024 (9903.91.01).
        ("8507600010", "2024-10-01", 0.25),
        ("8507600020", "2024-10-01", 0.075),
        ("8507600020", "2025-05-20", 0.075),
        # Non-EV lithium-ion batteries 25% from 1 Jan 2026 (9903.91.06, note 31(g)(5)).
        ("8507600020", "2026-01-15", 0.25),
        ("8507600010", "2026-01-15", 0.25),
    ],
)
def test_lithium_ion_batteries_pay_the_section_301_rate_of_the_law(
    hs10: str, day: str, expected: float
) -> None:
    lists = load_inputs().lines.product_lists()
    lines = load_inputs().lines.get()
    at = int(np.flatnonzero(lines.hs10 == hs10)[0])
    assert lists.rate_on("s301_china", dt.date.fromisoformat(day))[at] == pytest.approx(expected)


def _extra(tmp_path: Path, extra_csv: str) -> tuple[Path, Path]:
    """The folder of ``_folder`` with a second list file, product_lists_2026.csv."""
    data, params = _folder(tmp_path, CSV, {"section232_x": {"scope": ["cars", "ban"]}})
    (data / "product_lists_2026.csv").write_text(extra_csv, encoding="utf-8")
    manifest = yaml.safe_load((data / "manifest.yaml").read_text(encoding="utf-8"))
    spec = dict(manifest["files"]["product_lists.csv"])
    spec["sha256"] = hashlib.sha256(extra_csv.encode()).hexdigest()
    manifest["files"]["product_lists_2026.csv"] = spec
    (data / "manifest.yaml").write_text(yaml.safe_dump(manifest, sort_keys=False), encoding="utf-8")
    return data, params


def test_a_second_list_file_is_read_with_the_first(tmp_path: Path) -> None:
    data, params = _extra(tmp_path, "list,hts_prefix,rate,start\nban,0101,,2026-09-29\n")
    lists = load_product_lists(HS10, params, {"section232_x"}, data)
    np.testing.assert_array_equal(lists.mask("ban"), [True, False, False, False, False])
    assert not lists.mask_on("ban", dt.date(2026, 9, 28)).any()
    assert lists.mask_on("ban", dt.date(2026, 9, 29))[0]


def test_a_list_in_both_files_is_one_line(tmp_path: Path) -> None:
    data, params = _extra(tmp_path, "list,hts_prefix,rate,start\nban,0101,,\nsteel,73,,\n")
    with pytest.raises(InputError) as err:
        load_product_lists(HS10, params, {"section232_x"}, data)
    message = str(err.value)
    assert "product_lists_2026.csv: list: expected lists not in another list file" in message
    assert "'steel'" in message and "\n" not in message


def _content(tmp_path: Path, content_csv: str) -> tuple[Path, Path]:
    """The folder of ``_folder`` with a metal-content file, metal_content_2025.csv."""
    spec = {"section232_x": {"scope": ["steel"], "metal_content": True}}
    spec["section232_x"]["whole_article_until"] = "2025-06-03"
    data, params = _folder(tmp_path, CSV, spec)
    (data / "metal_content_2025.csv").write_text(content_csv, encoding="utf-8")
    manifest = yaml.safe_load((data / "manifest.yaml").read_text(encoding="utf-8"))
    manifest["files"]["metal_content_2025.csv"] = {
        "sha256": hashlib.sha256(content_csv.encode()).hexdigest(),
        "columns": {
            "hs10": "str",
            "start": "str",
            "steel_share": "float",
            "aluminum_share": "float",
            "metal_share": "float",
        },
    }
    (data / "manifest.yaml").write_text(yaml.safe_dump(manifest, sort_keys=False), encoding="utf-8")
    return data, params


def test_metal_content_is_read_by_line_and_date(tmp_path: Path) -> None:
    content = (
        "hs10,start,steel_share,aluminum_share,metal_share\n"
        "8708990000,,0.2,0,0.2\n8708990000,2025-08-18,0.2,0.1,0.3\n"
    )
    data, params = _content(tmp_path, content)
    lists = load_product_lists(HS10, params, {"section232_x"}, data)
    spec = lists.measures["section232_x"]
    assert spec.metal_content and spec.whole_article_until == dt.date(2025, 6, 3)
    # Lines without a row pay on their full value (1); the 8708 line 0.2, then 0.3.
    np.testing.assert_allclose(lists.content_on(dt.date(2025, 3, 1)), [1, 1, 1, 1, 1])
    np.testing.assert_allclose(lists.content_on(dt.date(2025, 7, 1)), [1, 1, 1, 1, 0.2])
    np.testing.assert_allclose(lists.content_on(dt.date(2025, 9, 1)), [1, 1, 1, 1, 0.3])


def test_a_metal_share_above_one_is_one_line(tmp_path: Path) -> None:
    content = "hs10,start,steel_share,aluminum_share,metal_share\n8708990000,,1.2,0,1.2\n"
    data, params = _content(tmp_path, content)
    with pytest.raises(InputError) as err:
        load_product_lists(HS10, params, {"section232_x"}, data)
    message = str(err.value)
    assert "metal_content_2025.csv: metal_share: expected a share in [0, 1]" in message
    assert "\n" not in message
