"""What ``pipx install .`` or ``uv tool install .`` puts in the installed package: every file the
app reads at run time, not only the Python modules."""

from __future__ import annotations

import tomllib
from fnmatch import fnmatch

from tests.conftest import ROOT


def test_every_file_the_packages_hold_besides_code_is_package_data() -> None:
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    patterns = setuptools["package-data"]["*"]
    packages = [name.rstrip("*") for name in setuptools["packages"]["find"]["include"]]
    data = [
        path
        for package in packages
        for path in (ROOT / package).rglob("*")
        if path.is_file() and path.suffix not in (".py", ".pyc") and "__pycache__" not in path.parts
    ]
    assert any(path.name == "app.tcss" for path in data)
    assert [path for path in data if not any(fnmatch(path.name, pattern) for pattern in patterns)] == []
