"""The parameters a notebook declares, read without starting a kernel."""

from __future__ import annotations

import logging
from pathlib import Path

import jupytext
import pytest
from conftest import FIXTURE_NOTEBOOKS

from analysis.inputs.errors import InputError
from analysis.inputs.paths import PROJECT_DIR
from analysis.pipeline.nbparams import declared_parameters, parameters_cell

NB_HEAD = '# %% [markdown]\n# x\n\n# %% tags=["parameters"]\n'


def notebook(tmp_path: Path, cell: str) -> Path:
    path = tmp_path / "nb.py"
    path.write_text(NB_HEAD + cell + "\n# %%\nprint(1)\n")
    return path


def test_declared_parameters_of_the_demo_notebook() -> None:
    declared = declared_parameters(FIXTURE_NOTEBOOKS / "demo.py")
    assert list(declared) == [
        "scenario",
        "partner",
        "n_points",
        "scale",
        "categories",
        "show_table",
    ]
    assert declared["categories"].annotation == "list[str]"
    assert declared["partner"].help == "partner region"


def test_our_parameters_cell_is_the_one_papermill_uses() -> None:
    for path in FIXTURE_NOTEBOOKS.glob("*.py"):
        cells = [c for c in jupytext.read(path).cells if "parameters" in c.metadata.get("tags", [])]
        found = parameters_cell(path.read_text())
        assert found is not None
        assert found[1].strip() == cells[0].source.strip()


@pytest.mark.parametrize(
    "notebook", sorted(p.name for p in (PROJECT_DIR / "notebooks").glob("*.py")), ids=str
)
def test_papermill_reads_every_declared_parameter_without_a_warning(
    notebook: str, caplog: pytest.LogCaptureFixture
) -> None:
    # Papermill parses the parameters cell line by line and gives up on a line with a second
    # '=' (e.g. in the help comment): it then warns "Unable to parse line ..." and, at run
    # time, "Passed unknown parameter: ..." for a parameter the notebook does declare.
    from papermill.translators import PythonTranslator

    path = PROJECT_DIR / "notebooks" / notebook
    cells = [c for c in jupytext.read(path).cells if "parameters" in c.metadata.get("tags", [])]
    with caplog.at_level(logging.WARNING, logger="papermill"):
        found = PythonTranslator.inspect(cells[0])
    assert not [r.getMessage() for r in caplog.records]
    declared = declared_parameters(path)
    assert [p.name for p in found] == list(declared)
    assert [p.help for p in found] == [d.help for d in declared.values()]


def test_parameter_parsing_details(tmp_path: Path) -> None:
    declared = declared_parameters(
        notebook(
            tmp_path,
            'url: str = "a=b#c"  # has = and # inside\n'
            "mode: Literal['x', 'y'] = 'x'\n"
            "limit: int | None = None\n"
            "weights: dict[str, float] = {}\n"
            "untyped = 3\n",
        )
    )
    assert declared["url"].help == "has = and # inside"
    assert declared["mode"].check("y") and not declared["mode"].check("z")
    assert declared["limit"].check(None) and declared["limit"].check(3)
    assert not declared["limit"].check("3")
    assert declared["weights"].check({"a": 1}) and not declared["weights"].check({"a": "1"})
    assert declared["untyped"].annotation == "int" and not declared["untyped"].check(1.5)


def test_unsupported_annotation_names_the_notebook(tmp_path: Path) -> None:
    path = notebook(tmp_path, "when: datetime.date = None\n")
    with pytest.raises(InputError) as info:
        declared_parameters(path)
    assert info.value.file == str(path) and info.value.key == "parameters cell: when"


def test_syntax_error_in_parameters_cell(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="line 6"):
        declared_parameters(notebook(tmp_path, "x: int = 1\ny: int = (\n"))


def test_no_parameters_cell_means_no_parameters(tmp_path: Path) -> None:
    path = tmp_path / "nb.py"
    path.write_text("# %%\nx: int = 1\n")
    assert declared_parameters(path) == {}


def test_parameter_help_gives_type_default_allowed_values_and_help() -> None:
    from analysis.inputs.paths import PROJECT_DIR
    from analysis.pipeline.nbparams import parameter_help

    rows = {r[0]: r for r in parameter_help(PROJECT_DIR / "notebooks" / "scenario_report.py")}
    assert rows["top_n"][1:4] == ("int", "10", "an integer from 1 to 45")
    assert rows["scenario"][3].startswith("one of ") and "deal_15" in rows["scenario"][3]
    assert rows["what_if_rate"][3].startswith("a rate from 0 to 0.5")
    assert all(r[4] for r in rows.values())  # every parameter has help


def _papermill_warnings(path: Path, parameters: dict[str, object]) -> list[str]:
    """What papermill logs when it injects ``parameters`` into the notebook at ``path`` (the
    step a build runs before the kernel starts; ``prepare_only`` stops it there)."""
    import papermill

    records: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record.getMessage())

    handler = Collect(level=logging.WARNING)
    logger = logging.getLogger("papermill")
    logger.addHandler(handler)
    try:
        papermill.execute_notebook(
            jupytext.read(path),
            None,
            parameters=parameters,
            prepare_only=True,
            kernel_name="python3",
            language="python",
        )
    finally:
        logger.removeHandler(handler)
    return records


@pytest.mark.parametrize(
    "notebook", sorted(p.name for p in (PROJECT_DIR / "notebooks").glob("*.py")), ids=str
)
def test_papermill_injects_every_declared_parameter_without_a_warning(notebook: str) -> None:
    path = PROJECT_DIR / "notebooks" / notebook
    every = {name: p.default for name, p in declared_parameters(path).items()}
    assert _papermill_warnings(path, every) == []


def test_papermill_would_warn_about_a_parameter_it_cannot_read(tmp_path: Path) -> None:
    # The control: a declaration papermill's line parser does not read is reported, so the
    # test above would see one.
    path = notebook(tmp_path, "mode: Literal['a', 'b'] = 'a'  # a mode\n")
    assert _papermill_warnings(path, {"mode": "b"}) == ["Passed unknown parameter: mode"]


def test_domain_annotations_resolve_as_the_kernel_evaluates_them(tmp_path: Path) -> None:
    from analysis.report.parameters import MAX_WHAT_IF_RATE, Integer, Rate, Scenario

    declared = declared_parameters(
        notebook(
            tmp_path,
            "top_n: Integer[1, 5] = 3  # a count\n"
            "rate: Rate[0, MAX_WHAT_IF_RATE] = 0.1  # a rate\n"
            "names: list[Scenario] = []  # scenarios\n"
            "maybe: Scenario | None = None  # or none\n",
        )
    )
    assert declared["top_n"].type == Integer[1, 5]
    assert declared["rate"].type == Rate[0, MAX_WHAT_IF_RATE]
    assert declared["names"].type == list[Scenario]
    assert declared["top_n"].check(9) and not declared["top_n"].check(True)  # type only
    assert declared["maybe"].check(None) and not declared["maybe"].check(3)


@pytest.mark.parametrize("annotation", ["Integer[1]", "Rate[0, UNKNOWN]", "Scenario[1, 2]"])
def test_a_domain_annotation_we_cannot_read_names_the_notebook(
    tmp_path: Path, annotation: str
) -> None:
    path = notebook(tmp_path, f"x: {annotation} = 1\n")
    with pytest.raises(InputError) as info:
        declared_parameters(path)
    assert info.value.key == "parameters cell: x"
