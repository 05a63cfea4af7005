"""A table's rows checked against a row schema of :mod:`analysis.inputs.schemas`, column by
column: a data file of thousands of rows (``analysis/data/product_lists.csv``) is checked in
milliseconds, with no object per row, and its first problem is one line naming the row.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import pandas as pd
from pydantic import BaseModel, Field, ValidationError, create_model

from analysis.inputs.errors import InputError
from analysis.inputs.schemas import first_error


def _column_model(model: type[BaseModel]) -> type[BaseModel]:
    """A model of a table's columns (each a list) with the row model's types and limits."""
    fields: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        cell: Any = Annotated.__class_getitem__((field.annotation, Field(), *field.metadata))  # type: ignore[attr-defined]
        fields[name] = (list[cell], ...)
    return create_model(f"{model.__name__}Columns", __config__=model.model_config, **fields)


def validated_columns(model: type[BaseModel], path: Path, frame: pd.DataFrame, name: str) -> None:
    """A table's rows checked against the row ``model``, column by column (fast: no object
    per row; a blank cell is None); the first problem as one line whose key is the row's
    ``name`` column and the field (``s232_autos.hts_prefix``)."""
    filled = {c: frame[c][frame[c].notna()] for c in frame.columns}
    for column, values in filled.items():
        field = model.model_fields.get(str(column))
        if field is not None and field.is_required() and len(values) < len(frame):
            row = frame.index.get_loc(frame[column].index[frame[column].isna()][0])
            label = frame[name].iloc[row] if name in frame else f"row {row}"
            raise InputError(path, f"{label}.{column}", "a value", "a blank")
    try:
        _column_model(model).model_validate({c: v.tolist() for c, v in filled.items()})
    except ValidationError as exc:
        first: dict[str, Any] = dict(exc.errors(include_url=False)[0])
        if len(first["loc"]) < 2:  # a column missing: the table itself
            raise first_error(model, path, first) from None
        column, position = first["loc"][:2]
        row = frame.index.get_loc(filled[str(column)].index[int(position)])
        error = first_error(model, path, first | {"loc": (column,)})
        label = frame[name].iloc[row] if name in frame else f"row {row}"
        raise InputError(path, f"{label}.{error.key}", error.expected, error.found) from None
