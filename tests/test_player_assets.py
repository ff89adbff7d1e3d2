"""The live player's JavaScript as the component receives it (explorer.live.assets): the files
of explorer/live/js/ joined in the declared order into ONE ES module with exactly one
``export default``; no file over 400 lines; every view module in it; node parses the module
and evaluates it (a file that uses a name of a later file fails here)."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from explorer.live.assets import JS_DIR, MODULES, VIEWS, player_js

MAX_LINES = 400
NODE = shutil.which("node") or "/usr/bin/node"


def test_every_file_is_declared_once_and_small():
    on_disk = sorted(p.name for p in JS_DIR.glob("*.js"))
    assert sorted(MODULES) == on_disk
    assert len(set(MODULES)) == len(MODULES)
    for name in MODULES:
        n = len((JS_DIR / name).read_text(encoding="utf-8").splitlines())
        assert n <= MAX_LINES, (name, n)
    # no player code left beside the folder (one source of truth)
    assert not list(JS_DIR.parent.glob("*.js"))


def test_one_module_with_one_default_export():
    src = player_js()
    assert len(re.findall(r"^\s*export\b", src, re.M)) == 1
    assert len(re.findall(r"^export default function \(component\)", src, re.M)) == 1
    assert not re.search(r"^\s*import\b", src, re.M)
    assert MODULES[-1] == "main.js" and "export default" in (JS_DIR / "main.js").read_text()


def test_every_module_is_included_in_order():
    src = player_js()
    at = [src.index((JS_DIR / name).read_text(encoding="utf-8").rstrip()) for name in MODULES]
    assert at == sorted(at)
    for view in VIEWS:
        assert view in MODULES
    # one class per view, and Compare's group player draws with the same view classes
    for view, cls in zip(VIEWS, ("BoundaryView", "CurvesView", "GradsView", "NetworkView")):
        assert re.search(rf"^class {cls}\b", (JS_DIR / view).read_text(encoding="utf-8"), re.M)
    group = (JS_DIR / "group.js").read_text(encoding="utf-8")
    assert "new BoundaryView(" in group and "new CurvesView(" in group


@pytest.fixture(scope="module")
def module_file(tmp_path_factory):
    if not shutil.which(NODE):
        pytest.skip("node is not installed")
    path = tmp_path_factory.mktemp("player") / "player.mjs"
    path.write_text(player_js(), encoding="utf-8")
    return path


def test_node_parses_the_module(module_file):
    r = subprocess.run([NODE, "--check", str(module_file)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr


def test_node_evaluates_the_module(module_file):
    """Evaluating the module defines every class (a subclass before its base, or a top-level
    use of a later file's name, throws) and yields the component function."""
    code = (f"import f from {module_file.as_uri()!r};\n"
            "if (typeof f !== 'function' || f.length !== 1) process.exit(3);\n")
    r = subprocess.run([NODE, "--input-type=module", "-e", code], capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0, r.stderr

