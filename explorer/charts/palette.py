"""One colour per activation, the same on every page (colour-blind-friendly Tableau-10 order)."""

from ..activations import ACTIVATIONS

_COLOURS = {
    "sigmoid": "#4e79a7", "tanh": "#f28e2b", "relu": "#e15759", "leaky_relu": "#76b7b2",
    "maxout": "#59a14f", "prelu": "#edc948", "elu": "#b07aa1", "selu": "#ff9da7",
    "gelu": "#9c755f", "silu": "#bab0ac", "mish": "#1f77b4", "softplus": "#8c564b",
    "identity": "#7f7f7f",
}
_FALLBACK = ["#17becf", "#bcbd22", "#e377c2", "#2ca02c", "#d62728"]

#: colour of every registered activation (new entries get a fallback colour)
ACTIVATION_COLORS = {
    name: _COLOURS.get(name, _FALLBACK[i % len(_FALLBACK)])
    for i, name in enumerate(ACTIVATIONS.names())
}
#: class colours for data points and boundaries (binary: blue vs orange)
CLASS_COLORS = ["#2563eb", "#ea580c", "#16a34a", "#9333ea", "#dc2626", "#0891b2",
                "#ca8a04", "#db2777", "#4b5563", "#65a30d"]


#: signed gradient histograms: positive (up) and negative (down) gradients. The two ends of
#: ColorBrewer's colour-blind-safe PuOr scheme: distinct under deuteranopia, protanopia and
#: tritanopia, and far (CIELAB ΔE ≥ 20) from every activation's and class's colour, so a bar
#: never reads as "this activation"
SIGNED_POS, SIGNED_NEG = "#542788", "#b35806"
#: neutral ink for labels and rules that belong to no activation (divergence marks, notes)
NEUTRAL_INK = "#343a40"
