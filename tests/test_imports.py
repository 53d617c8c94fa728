"""The import graph of ``pipeline/``: no cycle between modules; each stage imports only earlier stages.

The graph is read from the source with :mod:`ast`, so every import counts: at module level or
inside a function (an import deferred into a function still ties the two modules together),
absolute or relative.
"""

from __future__ import annotations

import ast
from collections import deque
from pathlib import Path

import pytest

import pipeline

ROOT = Path(pipeline.__file__).parent

# Stages in data-flow order: a module may import its own stage and the stages before it, directly or
# through the modules no stage claims (batch, query, export, feed, ...). The foundation and the shared
# text utilities are stricter: they import nothing outside their own tier and the tiers before it.
STAGES = (
    ("foundation", ("pipeline.records", "pipeline.errors", "pipeline.config")),
    ("rules", ("pipeline.rules",)),
    ("text utilities", ("pipeline.dates", "pipeline.structure")),
    ("ingest", ("pipeline.ingest", "pipeline.nlp")),
    ("extract", ("pipeline.extract",)),
    ("store", ("pipeline.store",)),
    ("compare", ("pipeline.compare",)),
    ("report", ("pipeline.report",)),
    ("cli", ("pipeline.cli",)),
)
STRICT_TIERS = 3  # the first three tiers import only from their own tier and those before it

# Packages whose __init__ keeps a registry that its submodules fill by importing `register` from it; the
# __init__ imports those submodules inside a function, the first time the registry is read. That deferred
# edge back down into the package is the plugin loading, not a dependency, and is left out of the cycle
# check. Moving each registry into a module of its own (ingest/registry.py, extract/registry.py, and
# Report/summary into report/model.py) would remove these cycles too.
PLUGIN_PACKAGES = {
    "pipeline.ingest": "readers register a format (pdf, docx, html, text)",
    "pipeline.extract": "extractors and finalizers register a kind of finding",
    "pipeline.report": "renderers (html, markdown) read the Report defined in the package",
}

# Cycles left in place, each with why; remove an entry once its cycle is gone.
CYCLE_EXCEPTIONS = {
    ("pipeline.evaluate", "pipeline.evaluate_legal"):
        "evaluate() also scores the legal corpus when given one, while evaluate_legal reuses evaluate's "
        "gold loading and matching; moving those helpers into a module of their own removes the cycle",
}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(ROOT.rglob("*.py"))}


class _Imports(ast.NodeVisitor):
    """Collects (target, deferred) for each import, deferred meaning inside a function."""

    def __init__(self, name: str, is_package: bool, known: set[str]) -> None:
        self.package = name if is_package else name.rpartition(".")[0]
        self.known = known
        self.depth = 0
        self.found: list[tuple[str, bool]] = []

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._add(alias.name)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        base = node.module or ""
        if node.level:
            anchor = self.package.split(".")[: len(self.package.split(".")) - node.level + 1]
            base = ".".join([*anchor, base] if base else anchor)
        for alias in node.names:
            # `from . import batch` names a module; `from .batch import ingest` names an attribute of one
            submodule = f"{base}.{alias.name}"
            self._add(submodule if submodule in self.known else base)

    def _add(self, target: str) -> None:
        while target and target not in self.known:  # `import pipeline.x.y` where y is a name: nearest module
            target = target.rpartition(".")[0]
        if target:
            self.found.append((target, self.depth > 0))


def imports(name: str, path: Path, known: set[str]) -> list[tuple[str, bool]]:
    """The pipeline modules ``name`` imports, each with whether the import sits inside a function."""
    visitor = _Imports(name, path.name == "__init__.py", known)
    visitor.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
    return [(target, deferred) for target, deferred in visitor.found if target != name]


def graph() -> dict[str, set[str]]:
    """Module -> the modules it imports, anywhere in its body."""
    found = modules()
    return {name: {t for t, _ in imports(name, path, set(found))} for name, path in found.items()}


def _plugin_loading(source: str, target: str, deferred: bool) -> bool:
    return deferred and source in PLUGIN_PACKAGES and target.rpartition(".")[0] == source


def dependency_graph() -> dict[str, set[str]]:
    """The import graph without plugin loading and without the listed cycle exceptions."""
    found = modules()
    return {name: {t for t, deferred in imports(name, path, set(found))
                   if not _plugin_loading(name, t, deferred) and (name, t) not in CYCLE_EXCEPTIONS}
            for name, path in found.items()}


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One cycle as a path ``[a, b, ..., a]``, or None when the graph has none."""
    done: set[str] = set()
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        path.append(node)
        for child in sorted(edges.get(node, ())):
            if child in path:
                return [*path[path.index(child):], child]
            if child not in done and (cycle := visit(child)):
                return cycle
        path.pop()
        done.add(node)
        return None

    for node in sorted(edges):
        if node not in done and (cycle := visit(node)):
            return cycle
    return None


def stage_of(name: str) -> int | None:
    for rank, (_, prefixes) in enumerate(STAGES):
        if any(name == p or name.startswith(p + ".") for p in prefixes):
            return rank
    return None


def reached(edges: dict[str, set[str]], start: str) -> dict[str, list[str]]:
    """Every module ``start`` imports directly or indirectly, with one import path to it."""
    paths = {start: [start]}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for child in sorted(edges.get(node, ())):
            if child not in paths:
                paths[child] = [*paths[node], child]
                queue.append(child)
    del paths[start]
    return paths


def stage_violations(edges: dict[str, set[str]]) -> list[str]:
    wrong = []
    for name in sorted(edges):
        rank = stage_of(name)
        if rank is None:
            continue
        for target, path in reached(edges, name).items():
            to = stage_of(target)
            strict = rank < STRICT_TIERS and (to is None or to > rank)
            if strict or (to is not None and to > rank):
                wrong.append(f"{name} ({STAGES[rank][0]}) reaches {target} "
                             f"({STAGES[to][0] if to is not None else 'no stage'}): {' -> '.join(path)}")
    return wrong


def test_no_import_cycle():
    cycle = find_cycle(dependency_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_imports_follow_the_stage_order():
    wrong = stage_violations(graph())
    assert not wrong, "imports against the stage order:\n" + "\n".join(wrong)


def test_the_exceptions_are_still_needed():
    edges = graph()
    for source, target in CYCLE_EXCEPTIONS:
        assert target in edges[source], f"{source} no longer imports {target}: drop it from CYCLE_EXCEPTIONS"
        assert source in reached(edges, target), f"{source} -> {target} closes no cycle: drop the exception"


def test_the_walker_sees_deferred_and_relative_imports(tmp_path):
    source = tmp_path / "metrics.py"
    source.write_text("from . import register\nfrom ..dates import resolve_time\nimport pipeline.store\n\n\n"
                      "def load():\n    from ..query import find\n")
    known = {"pipeline.extract", "pipeline.extract.metrics", "pipeline.dates", "pipeline.store",
             "pipeline.query"}
    assert imports("pipeline.extract.metrics", source, known) == [
        ("pipeline.extract", False), ("pipeline.dates", False), ("pipeline.store", False),
        ("pipeline.query", True)]


def test_plugin_loading_is_only_a_packages_deferred_import_of_its_own_submodule():
    assert _plugin_loading("pipeline.ingest", "pipeline.ingest.pdf", deferred=True)
    assert not _plugin_loading("pipeline.ingest", "pipeline.ingest.pdf", deferred=False)
    assert not _plugin_loading("pipeline.ingest", "pipeline.extract.metrics", deferred=True)
    assert not _plugin_loading("pipeline.batch", "pipeline.batch.x", deferred=True)


@pytest.mark.parametrize("edges, cycle", [
    ({"a": {"b"}, "b": {"c"}, "c": set()}, None),
    ({"a": {"b"}, "b": {"c"}, "c": {"a"}}, ["a", "b", "c", "a"]),
    ({"a": {"b", "c"}, "b": set(), "c": {"c2"}, "c2": {"c"}}, ["c", "c2", "c"]),
])
def test_find_cycle(edges, cycle):
    assert find_cycle(edges) == cycle


def test_a_stage_reaching_a_later_one_through_an_unstaged_module_is_reported():
    edges = {"pipeline.ingest.pdf": {"pipeline.batch"}, "pipeline.batch": {"pipeline.store"},
             "pipeline.store": set()}
    assert stage_violations(edges) == [
        "pipeline.ingest.pdf (ingest) reaches pipeline.store (store): "
        "pipeline.ingest.pdf -> pipeline.batch -> pipeline.store"]
