"""Report pipeline: run specs -> papermill (in parallel) -> offline HTML reports + index.

Only the command line imports this layer (the import-linter contract in pyproject.toml).
"""
