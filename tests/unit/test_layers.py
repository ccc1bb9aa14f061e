"""The library's layers, as the package folders state them: imports only go down, and no module imports itself back
through others. Function-level and type-checking imports count: a lazy import up a layer is still a circle."""

import ast
from pathlib import Path

import pytest

import aicto

LIB = Path(aicto.__file__).parent
# Lower first. consultant/ and usage/ sit side by side above run/, and neither imports the other; the CLI is on top.
LAYERS = {"text": 0, "profile": 1, "model": 2, "present": 3, "run": 4, "consultant": 5, "usage": 5, "cli": 6}


def module_name(path: Path) -> str:
    parts = path.relative_to(LIB.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(LIB.rglob("*.py"))}


def imports(name: str) -> set[str]:
    """The aicto modules `name` imports, wherever in the file the import stands."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            module = ".".join([*base, node.module] if node.module else base)
            targets = [f"{module}.{a.name}" if f"{module}.{a.name}" in MODULES else module for a in node.names]
        elif isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        else:
            continue
        found |= {t for t in targets if t in MODULES and t != "aicto" and t != name}
    return found


def layer(name: str) -> str:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else "aicto"


def test_every_module_is_in_a_layer():
    assert {layer(n) for n in MODULES} - {"aicto"} == set(LAYERS)


@pytest.mark.parametrize("name", [n for n in MODULES if n != "aicto"])
def test_imports_only_go_down(name):
    mine = layer(name)
    up = [t for t in sorted(imports(name)) if layer(t) != mine and LAYERS[layer(t)] >= LAYERS[mine]]
    assert not up, f"{name} ({mine}) imports {', '.join(up)}: a layer imports only the layers below it"


def test_no_import_circle():
    graph = {n: imports(n) for n in MODULES}
    state: dict[str, int] = {}  # 1 on the current path, 2 done

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                circle = path[path.index(nxt):] + [nxt]
                pytest.fail("import circle: " + " -> ".join(circle))
            if nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])


def test_the_checker_sees_an_upward_import(tmp_path, monkeypatch):
    """The checker itself: a model module importing a view is caught, a lazy one too."""
    fake = tmp_path / "aicto" / "model" / "fake.py"
    fake.parent.mkdir(parents=True)
    fake.write_text("def f():\n    from aicto.present.views.common import View\n")
    monkeypatch.setitem(MODULES, "aicto.model.fake", fake)
    assert imports("aicto.model.fake") == {"aicto.present.views.common"}
    with pytest.raises(AssertionError, match="imports aicto.present.views.common"):
        test_imports_only_go_down("aicto.model.fake")
