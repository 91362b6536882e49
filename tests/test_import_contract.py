"""The layering holds: protocol code knows no Textual, screens know no engine, demo or HTTP
library (nor does the app's engine-neutral forum context), and no module of tui/, screens/ or
widgets/ imports itself back through others.

Imports are read from the source (every ``import`` statement, function-level and
``TYPE_CHECKING`` ones included), so a lazy import cannot hide a dependency.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("tui", "screens", "widgets")

# (who, what it must never import): each a dotted prefix.
FORBIDDEN = [
    ("tui.discuz", "textual"),
    ("tui.discuz", "screens"),
    ("tui.discuz", "widgets"),
    ("tui.content", "textual"),
    ("tui.content", "screens"),
    ("tui.content", "widgets"),
    ("screens", "tui.discuz"),
    ("screens", "tui.demo"),
    ("widgets", "tui.discuz"),
    ("widgets", "tui.demo"),
    ("screens", "httpx"),
    ("widgets", "httpx"),
    ("tui.context", "httpx"),
    ("tui.host", "httpx"),
    ("tui.context", "tui.discuz"),
]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules() -> dict[str, Path]:
    return {
        module_name(path): path for package in PACKAGES for path in sorted((ROOT / package).rglob("*.py"))
    }


def imported_names(path: Path, name: str) -> set[str]:
    """Every module the file names in an import statement (absolute, dotted)."""
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = name.split(".")[: len(name.split(".")) - node.level + (1 if is_package else 0)]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def import_graph() -> dict[str, set[str]]:
    """Module → the project modules it imports (``from pkg import mod`` counts as ``pkg.mod``)."""
    modules = project_modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets = set()
        for imported in imported_names(path, name):
            if imported in modules:
                targets.add(imported)
        # ``from pkg import mod`` also names ``pkg``: keep only the most precise module.
        graph[name] = {t for t in targets if not any(o.startswith(t + ".") for o in targets)} - {name}
    return graph


def cycles(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def breaches(modules: Mapping[str, Path]) -> list[str]:
    found = []
    for name, path in modules.items():
        for who, banned in FORBIDDEN:
            if name != who and not name.startswith(who + "."):
                continue
            for imported in sorted(imported_names(path, name)):
                if imported == banned or imported.startswith(banned + "."):
                    found.append(f"{name} imports {imported}")
    return found


def test_protocol_code_and_screens_keep_to_their_layers() -> None:
    assert breaches(project_modules()) == []


def test_no_module_imports_itself_back_through_others() -> None:
    assert cycles(import_graph()) == []


def test_the_cycle_check_finds_a_loop() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_graph_sees_lazy_and_type_only_imports() -> None:
    graph = import_graph()
    assert "tui.engine" in graph["tui.app"] or "tui.engine" in graph["tui.context"]
    assert "tui.context" in graph["tui.host"], "a TYPE_CHECKING import is an edge too"
