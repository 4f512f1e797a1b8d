"""The Development page maps the tree: every module of the package has its line, and every line a module."""

from __future__ import annotations

import ast
import re

from conftest import PROJECT

PACKAGE = PROJECT / "dossiers"
PAGE = PROJECT / "docs" / "development.md"


def modules() -> set[str]:
    """Every module of the package, as a path under dossiers/, but the packages' __init__.py that hold only a docstring."""
    found = set()
    for path in PACKAGE.rglob("*.py"):
        body = ast.parse(path.read_text("utf-8")).body
        if path.name == "__init__.py" and path.parent != PACKAGE and all(isinstance(node, ast.Expr) for node in body):
            continue
        found.add(path.relative_to(PACKAGE).as_posix())
    return found


def mapped() -> set[str]:
    """The modules named in the first column of the map's tables."""
    section = PAGE.read_text("utf-8").split("## The map of the tree", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([\w/]+\.py)` \|", section, re.MULTILINE))


def test_every_module_has_its_line_in_the_map():
    assert not modules() - mapped(), "modules the Development page does not map: add a line to docs/development.md"


def test_every_line_of_the_map_is_a_module():
    assert not mapped() - modules(), "lines of docs/development.md for modules that are gone"
