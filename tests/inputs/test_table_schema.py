"""A table checked against its row schema, column by column, naming the row at fault."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.inputs.errors import InputError
from analysis.inputs.schemas import ProductListRowSpec
from analysis.inputs.table_schema import validated_columns


def test_a_table_is_checked_column_by_column_and_names_the_row() -> None:
    frame = pd.DataFrame(
        {
            "list": ["a", "b", "c"],
            "hts_prefix": ["01", "0203", "8703"],
            "rate": [None, 0.25, None],
            "start": [None, "2025-13-01", None],
        }
    )
    with pytest.raises(InputError) as err:
        validated_columns(ProductListRowSpec, Path("p.csv"), frame, "list")
    assert str(err.value) == "p.csv: b.start: expected a date YYYY-MM-DD, found '2025-13-01'"
    frame.loc[1, "start"] = "2025-12-01"
    validated_columns(ProductListRowSpec, Path("p.csv"), frame, "list")
    frame.loc[2, "hts_prefix"] = None
    with pytest.raises(InputError, match=r"p.csv: c.hts_prefix: expected a value, found 'a blank'"):
        validated_columns(ProductListRowSpec, Path("p.csv"), frame, "list")
