"""The live player's browser code: ``player_js()`` and ``player_css()`` as the component needs
them (one ES module of source text, one style sheet).

The player's JavaScript lives in ``explorer/live/js/``, one file per part: the shared core,
the transport, one file per view (boundary, curves, histograms, network), the single-run
``Player``, Compare's ``Group`` and the entry ``main.js``. Custom Components v2 take ONE
module, so ``player_js()`` joins the files in the order of ``MODULES``: each file is a plain
script fragment that uses only names defined by the files before it (its header says which),
and only ``main.js``, last, has the module's ``export default``.
"""

from __future__ import annotations

from pathlib import Path

_DIR = Path(__file__).parent
JS_DIR = _DIR / "js"

#: The player's source files, in the order they are joined (dependencies first).
MODULES: tuple[str, ...] = (
    "core.js",  # helpers, niceTicks, sizeCanvas, RUNS, decodeRun, Host (font sizes)
    "dense.js",  # DENSE, denseLoad, denseFrames, drawable: the dense frame stream
    "a11y.js",  # reducedMotion, nameControls, describeCharts (accessible names)
    "transport.js",  # Transport: bar, scrubber, play/step/reset, reports, the frame loop
    "boundary.js",  # BoundaryView
    "curves.js",  # curveAxes / curveLine / curveMarker, CurvesView
    "histograms.js",  # GradsView
    "network.js",  # NetworkView
    "player.js",  # Player: one run (Transport + the four views)
    "group.js",  # Sub, Group: Compare's player (Transport + boundaries + overlaid curves)
    "main.js",  # export default function (component)
)

#: The view modules (each draws one kind of chart; Player and Group compose them).
VIEWS: tuple[str, ...] = ("boundary.js", "curves.js", "histograms.js", "network.js")


def player_js() -> str:
    """The player's JavaScript, one ES module (``export default function (component)``)."""
    parts = []
    for name in MODULES:
        src = (JS_DIR / name).read_text(encoding="utf-8")
        parts.append(f"// ---- explorer/live/js/{name}\n{src.rstrip()}\n")
    return "\n".join(parts)


def player_css() -> str:
    return (_DIR / "player.css").read_text(encoding="utf-8")
