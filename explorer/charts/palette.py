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


def _luminance(hex_colour: str) -> float:
    """WCAG 2.1 relative luminance of ``#rrggbb``."""
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(fg: str, bg: str = "#ffffff") -> float:
    """WCAG 2.1 contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    hi, lo = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


#: the least contrast of text on the page's white (WCAG 2.1 AA, 1.4.3: normal-size text)
TEXT_CONTRAST = 4.5


def ink(colour: str, bg: str = "#ffffff") -> str:
    """``colour`` as text on ``bg``: the same hue darkened in 5 % steps until it has at least
    :data:`TEXT_CONTRAST` (a colour that already has it is returned unchanged)."""
    out, k = colour.lower(), 1.0
    while contrast(out, bg) < TEXT_CONTRAST and k > 0:
        k = round(k - 0.05, 2)
        out = "#" + "".join(f"{round(int(colour[i:i + 2], 16) * k):02x}" for i in (1, 3, 5))
    return out


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
