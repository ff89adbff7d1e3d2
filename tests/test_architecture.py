"""The codebase's shape (issue 24): one Streamlit layer, no import cycle, no private name used
across modules, small modules and functions. Each check names what it found, so a failure says
where to look."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PKG = ROOT / "explorer"
#: the most lines a Python module, a function or class (fields aside), a player JS file may have
MAX_MODULE, MAX_DEF, MAX_JS = 500, 150, 400


def _modules() -> dict[str, Path]:
    out = {}
    for p in sorted(PKG.rglob("*.py")):
        parts = list(p.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = p
    return out


MODULES = _modules()


def _resolve(mod: str, is_pkg: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = mod.split(".") if is_pkg else mod.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _imports(mod: str, path: Path) -> list[tuple[str, str | None, int]]:
    """(imported module, imported name or None, line) for every import in ``path``, at any
    depth (a lazy import inside a function is a dependency too)."""
    is_pkg = path.name == "__init__.py"
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(a.name, None, node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(mod, is_pkg, node)
            for a in node.names:
                sub = f"{target}.{a.name}"
                if sub in MODULES:  # `from . import frames`: the submodule itself
                    out.append((sub, None, node.lineno))
                else:
                    out.append((target, a.name, node.lineno))
    return out


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {m: set() for m in MODULES}
    for mod, path in MODULES.items():
        for target, _name, _line in _imports(mod, path):
            if target in MODULES and target != mod:
                graph[mod].add(target)
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> list[str] | None:
        state[m] = 1
        stack.append(m)
        for n in sorted(graph[m]):
            if state.get(n) == 1:
                return stack[stack.index(n):] + [n]
            if n not in state and (found := visit(n)):
                return found
        stack.pop()
        state[m] = 2
        return None

    for m in sorted(graph):
        if m not in state and (found := visit(m)):
            return found
    return None


def test_streamlit_only_in_the_app_layer():
    pattern = re.compile(r"^\s*(import streamlit|from streamlit)", re.M)
    outside = [str(p.relative_to(ROOT)) for p in MODULES.values()
               if pattern.search(p.read_text(encoding="utf-8"))
               and "app" != p.relative_to(PKG).parts[0]]
    assert (PKG / "app").is_dir()
    assert not outside, f"Streamlit imported outside explorer/app/: {outside}"


def test_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_cycle():
    graph = _graph()
    assert sum(len(v) for v in graph.values()) > 50  # the graph is really built
    assert _cycle(graph) is None, f"import cycle: {' -> '.join(_cycle(graph) or [])}"


def test_no_private_name_across_modules():
    found = []
    for mod, path in MODULES.items():
        for target, name, line in _imports(mod, path):
            if (target.startswith("explorer") and name and name.startswith("_")
                    and not name.startswith("__") and target != mod):
                found.append(f"{path.relative_to(ROOT)}:{line} imports {target}.{name}")
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"\b(ui|train|config|compare|network|record|runs|player|state|"
                             r"sidebar|display|lang|data)\._[a-z]\w*", text):
            found.append(f"{path.relative_to(ROOT)}: uses {m.group(0)}")
    assert not found, "\n".join(found)


def _py_files() -> list[Path]:
    return [*MODULES.values(), *sorted((ROOT / "pages").glob("*.py")), ROOT / "streamlit_app.py"]


def _lines(p: Path) -> int:
    return len(p.read_text(encoding="utf-8").splitlines())


def longest_modules(n: int = 5) -> list[tuple[int, str]]:
    return sorted(((_lines(p), str(p.relative_to(ROOT))) for p in _py_files()), reverse=True)[:n]


def _def_length(node: ast.AST) -> int:
    """Lines of a function, or of a class less its field declarations and docstring (a
    dataclass's fields are a data table)."""
    length = node.end_lineno - node.lineno + 1
    if isinstance(node, ast.ClassDef):
        for stmt in node.body:
            if isinstance(stmt, (ast.AnnAssign, ast.Assign)) or (
                    isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)):
                length -= stmt.end_lineno - stmt.lineno + 1
    return length


def longest_defs(n: int = 5) -> list[tuple[int, str]]:
    rows = []
    for p in _py_files():
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                rows.append((_def_length(node), f"{p.relative_to(ROOT)}::{node.name}"))
    return sorted(rows, reverse=True)[:n]


def _js_files() -> list[Path]:
    return sorted((PKG / "live").rglob("*.js"))


def test_no_long_module():
    long = [(n, f) for n, f in longest_modules(len(_py_files())) if n > MAX_MODULE]
    assert not long, f"modules over {MAX_MODULE} lines: {long}"


def test_no_long_function_or_class():
    long = [(n, f) for n, f in longest_defs(10_000) if n > MAX_DEF]
    assert not long, f"functions / classes over {MAX_DEF} lines: {long}"


def test_no_long_player_file():
    files = _js_files()
    assert files
    long = [(_lines(p), p.name) for p in files if _lines(p) > MAX_JS]
    assert not long, f"player JS files over {MAX_JS} lines: {long}"


@pytest.mark.parametrize("source, expected", [
    ("class A:\n    x: int = 1\n    y: int = 2\n    def f(self):\n        return 1\n", 3),
    ("def f():\n    a = 1\n    return a\n", 3),
])
def test_def_length_counts_code_not_fields(source, expected):
    node = ast.parse(source).body[0]
    assert _def_length(node) == expected


if __name__ == "__main__":
    print("longest modules:", longest_modules())
    print("longest functions/classes:", longest_defs())
    print("longest JS:", sorted(((_lines(p), p.name) for p in _js_files()), reverse=True)[:5])
