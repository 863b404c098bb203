"""The house has floors, and imports run down them: a test that reads every module of ``tools/`` with ``ast``.

Every import counts, at the top of a module or inside a function (an import inside a function is how a
circle hides). A module imports from its own floor or a lower one, never from a higher one, and the
modules import one another without a circle. A new module gets a floor here, in ``FLOORS``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

TOOLS = Path(__file__).resolve().parents[1] / "tools"

# Lowest first. A module's floor is that of the longest prefix of its name listed here.
FLOORS: list[tuple[str, tuple[str, ...]]] = [
    (
        "foundations",
        (
            "tools",
            "tools.errors",
            "tools.diagnostics",
            "tools.fsutil",
            "tools.yamlsource",
            "tools.layout",
            "tools.lock",
            "tools.workers",
            "tools.siteserver",
            "tools.modelkit",
        ),
    ),
    ("engines", ("tools.engines", "tools.ltserver")),
    ("languages", ("tools.languages",)),
    (
        "language behaviour",
        (
            "tools.typography",
            "tools.segment",
            "tools.ui",
            "tools.numbers",
            "tools.dates",
            "tools.quantities",
            "tools.money",
            "tools.ofform",
            "tools.names",
            "tools.grammar",
        ),
    ),
    (
        "sources",
        (
            "tools.ingest",
            "tools.config",
            "tools.langid",
            "tools.glossary",
            "tools.memory",
            "tools.redirects",
            "tools.buildcache",
        ),
    ),
    ("translation", ("tools.translate", "tools.qa", "tools.xliff")),
    (
        "publishing",
        (
            "tools.publish",
            "tools.csp",
            "tools.ace",
            "tools.axe",
        ),
    ),
    ("orchestration", ("tools.build", "tools.buildmark", "tools.sitebuild")),
    (
        "commands",
        ("tools.cli", "tools.__main__", "tools.mkdocs_hooks", "tools.bench", "tools.benchcorpus", "tools.screenshots"),
    ),
]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(TOOLS.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(TOOLS.rglob("*.py"))}


def floor_of(module: str) -> int | None:
    """The floor of the longest listed prefix of ``module``; None when no prefix is listed."""
    best: tuple[int, int] | None = None
    for number, (_, prefixes) in enumerate(FLOORS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and (best is None or len(prefix) > best[1]):
                best = (number, len(prefix))
    return None if best is None else best[0]


def imports(module: str) -> Iterator[tuple[str, int, bool]]:
    """The ``tools`` modules ``module`` imports: (name, line, inside a function or class)."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    yield from imports_in(path.read_text(encoding="utf-8"), module, package)


def imports_in(source: str, module: str, package: str) -> Iterator[tuple[str, int, bool]]:
    """The ``tools`` modules imported by ``source`` (module ``module`` of ``package``)."""
    tree = ast.parse(source)
    top = {id(node) for node in tree.body}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([node.module] if node.module else []))
            names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base for alias in node.names]
        else:
            continue
        for name in dict.fromkeys(names):
            while name and name not in MODULES:  # `import tools.a.b` names a module; a dotted attribute does not
                name = name.rpartition(".")[0]
            if name and name != module:
                yield name, node.lineno, id(node) not in top


def graph() -> dict[str, set[str]]:
    return {module: {name for name, _, _ in imports(module)} for module in MODULES}


def test_every_module_has_a_floor() -> None:
    assert [m for m in MODULES if floor_of(m) is None] == [], "give each new module a floor in FLOORS"


def test_no_import_runs_upward() -> None:
    upward = [
        f"{MODULES[module].relative_to(TOOLS.parent)}:{line}: {module} ({FLOORS[floor_of(module)][0]}) imports "
        f"{name} ({FLOORS[floor_of(name)][0]}){' inside a function' if late else ''}"
        for module in MODULES
        for name, line, late in imports(module)
        if floor_of(module) is not None and floor_of(name) is not None and floor_of(name) > floor_of(module)
    ]
    assert upward == [], "\n".join(upward)


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(edges.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                other = stack.pop()
                component.append(other)
                if other == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_no_import_circle() -> None:
    assert cycles(graph()) == [], "modules that import one another, directly or around a circle"


@pytest.mark.parametrize(
    "edges, circles",
    [
        ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
        ({"a": {"b"}, "b": {"a"}}, [["a", "b"]]),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [["a", "b", "c"]]),
    ],
)
def test_the_circle_finder_finds_circles(edges: dict[str, set[str]], circles: list[list[str]]) -> None:
    assert cycles(edges) == circles


def test_function_level_imports_are_seen() -> None:
    """The reader sees an import inside a function, the kind that hid both circles this test was written for,
    and resolves relative and dotted imports to the module they name."""
    source = (
        "from tools import errors\n"
        "from .memory import entries\n"
        "def f():\n"
        "    import tools.build\n"
        "    from ..layout import Layout\n"
    )
    found = {(name, late) for name, _, late in imports_in(source, "tools.engines.x", "tools.engines")}
    assert ("tools.errors", False) in found and ("tools.build", True) in found and ("tools.layout", True) in found


def test_every_listed_prefix_names_a_module() -> None:
    """A module that moved leaves no stale line in FLOORS (the table stays a true map of the house)."""
    stale = [p for _, ps in FLOORS for p in ps if not any(m == p or m.startswith(p + ".") for m in MODULES)]
    assert stale == []
