"""``rates`` by country and product, and the daily series, run as a user would."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from helpers import PARTNERS, run_cli

from analysis.cli.app import main
from analysis.inputs.paths import PROJECT_DIR


@pytest.fixture(scope="module")
def korea() -> dict[str, object]:
    out = run_cli("rates", "--date", "2026-11-28", "--partner", "South Korea", "--json")
    assert out.returncode == 0, out.stderr
    payload: dict[str, object] = json.loads(out.stdout)
    return payload


def test_korea_chapter_87_pays_the_15_percent_all_in_autos_deal(korea: dict) -> None:
    # The Korea deal (from 1 Nov 2025): vehicles and listed parts pay 15% in all; Korea's
    # other chapter-87 goods (motorcycles, trailers) pay the forced-labour 12.5% floor.
    chapter = korea["chapters"]["87"]
    assert chapter["effective_tariff_rate"] == pytest.approx(0.15, abs=0.005)
    assert korea["partner"]["id"] == "KOR" and korea["partner"]["region"] == "ftrow"
    # The lines that pay the most are Korean cars (heading 8703), each at 15% all in.
    top = korea["top_lines"][0]
    assert top["hs10"].startswith("8703") and top["description"]
    assert top["added_duty_usd"] == pytest.approx(
        top["imports_usd"] * top["additional_tariff_rate"]
    )


def test_the_existing_keys_stay_and_countries_are_added(korea: dict) -> None:
    assert {"date", "partners", "layers", "measures", "sectors"} <= set(korea)
    assert set(korea["partners"]) == PARTNERS | {"all"}
    countries = korea["countries"]
    assert {"KOR", "VNM", "TWN", "IND", "CHE", "BRA", "DEU", "JPN", "CHN", "MEX"} <= set(countries)
    assert set(countries["VNM"]) == {
        "name",
        "region",
        "effective_tariff_rate",
        "additional_tariff_rate",
        "imports_usd",
    }
    # The countries add up to all imports: $3,123.8 bn (SOURCES.md section 12).
    total = sum(c["imports_usd"] for c in countries.values())
    assert total == pytest.approx(3_123_773_412_637, rel=1e-9)
    # Chapters of one partner add up to the partner.
    chapters = sum(c["imports_usd"] for c in korea["chapters"].values())
    assert chapters == pytest.approx(korea["partner"]["imports_usd"])


def test_a_region_is_a_partner_too() -> None:
    out = run_cli("rates", "--date", "2025-10-01", "--partner", "ftrow")
    assert out.returncode == 0, out.stderr
    assert "ftrow" in out.stdout and "Largest HS chapters" in out.stdout


@pytest.mark.parametrize(
    ("args", "found"),
    [
        (("--date", "2025-10-01", "--partner", "Swizerland"), "nearest: switzerland"),
        (("--date", "2025-10-01", "--partner", "united"), "United Arab Emirates"),
        (("--scenario", "deal_15", "--partner", "KOR"), "--scenario"),
        (("--from", "2025-04-01", "--csv"), "--to"),
        (("--from", "2025-04-10", "--to", "2025-04-01", "--csv"), "on or after"),
        (("--date", "2026-01-15", "--hts", "87a"), "an HTS code of 4 to 10 digits"),
        (("--date", "2026-01-15", "--hts", "870"), "an HTS code of 4 to 10 digits"),
        (("--date", "2026-01-15", "--hts", "9999"), "a code of the 2024 import data"),
    ],
)
def test_bad_input_is_one_line(args: tuple[str, ...], found: str) -> None:
    out = run_cli("rates", *args)
    assert out.returncode == 2
    assert found in out.stderr and out.stderr.count("\n") == 1 and "Traceback" not in out.stderr


def test_the_daily_series_changes_only_on_change_days() -> None:
    out = run_cli(
        "rates", "--from", "2025-04-01", "--to", "2025-04-10", "--partner", "JPN", "--csv"
    )
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert [r["date"] for r in rows] == [f"2025-04-{d:02d}" for d in range(1, 11)]
    assert {r["partner"] for r in rows} == {"JPN"}
    additional = [float(r["additional_tariff_rate"]) for r in rows]
    # Steel and aluminium (from 12 Mar) only, then autos from 3 Apr, the 10% baseline from
    # 5 Apr, Japan's own rate on 9 Apr only (paused from 10 Apr); no change in between.
    assert 0.0 < additional[0] == additional[1]
    assert additional[1] < additional[2] < additional[4] < additional[8]
    assert additional[4] == additional[7] == additional[9]
    assert float(rows[9]["rate_IEEPA"]) > 0.0


def test_the_series_takes_canadas_dairy_ban_on_its_own_day() -> None:
    """The dairy list's rows start on 29 Sep 2026: the series that day is the one-day rate."""
    out = run_cli(
        "rates", "--from", "2026-09-28", "--to", "2026-09-29", "--partner", "CAN", "--csv"
    )
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    one = run_cli("rates", "--date", "2026-09-29", "--partner", "CAN", "--csv")
    assert one.returncode == 0, one.stderr
    canada = next(r for r in csv.DictReader(io.StringIO(one.stdout)) if r["partner"] == "canada")
    effective = [float(r["effective_tariff_rate"]) for r in rows]
    assert effective[1] == pytest.approx(float(canada["tariff_rate"]), abs=1e-6)
    assert effective[1] > effective[0] + 1e-4


def test_validate_catches_overlapping_lists_of_one_measure(tmp_path: Path) -> None:
    params = tmp_path / "params"
    shutil.copytree(PROJECT_DIR / "params", params)
    path = params / "line_lists.yaml"
    text = path.read_text().replace(
        "{scope: [s232_autos], usmca", "{scope: [s232_autos, s232_autos], usmca"
    )
    path.write_text(text)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TARIFF_REPORTS_PARAMS", str(params))
        assert main(["validate"]) == 2


def test_an_hts_code_gives_its_lines_by_country() -> None:
    out = run_cli("rates", "--date", "2026-01-15", "--hts", "8703.23", "--partner", "KOR", "--json")
    assert out.returncode == 0, out.stderr
    hts = json.loads(out.stdout)["hts"]
    assert hts["for"] == "KOR" and all(line["hs10"].startswith("870323") for line in hts["lines"])
    # Korean cars pay 15% all in under the Korea deal (KORUS: no MFN on cars).
    assert hts["total"]["effective_tariff_rate"] == pytest.approx(0.15, abs=0.002)
    assert hts["countries"]["KOR"]["imports_usd"] == pytest.approx(hts["total"]["imports_usd"])


def test_the_series_by_country_matches_one_day_of_rates() -> None:
    out = run_cli("rates", "--from", "2025-10-01", "--to", "2025-10-02", "--by-country", "--csv")
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    first = {r["partner"]: r for r in rows if r["date"] == "2025-10-01"}
    second = {r["partner"]: r for r in rows if r["date"] == "2025-10-02"}
    assert len(first) == len(second) > 200 and first["KOR"] == second["KOR"] | {
        "date": "2025-10-01"
    }
    day = json.loads(run_cli("rates", "--date", "2025-10-01", "--json").stdout)["countries"]
    assert float(first["VNM"]["additional_tariff_rate"]) == pytest.approx(
        day["VNM"]["additional_tariff_rate"], abs=1e-6
    )
