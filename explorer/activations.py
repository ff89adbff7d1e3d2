r"""Activation functions: one small object each, registered in ``ACTIVATIONS``.

Convention (the same for every entry, Maxout included): ``df`` is the derivative of the
output with respect to the **pre-activation** ``z`` (elementwise), evaluated from ``z``, the
already computed output ``a = f(z)`` and the activation's parameter ``p`` (Leaky slope, ELU
alpha, PReLU slopes; ``None`` where there is none). At a kink (z = 0) we take the
**left-hand** derivative, the slope of the inactive side, as JAX, PyTorch and scikit-learn
do: ``relu'(0) = 0``, Leaky ReLU's and PReLU's ``f'(0) = α``, ELU's ``f'(0) = α``
(``tests/test_minor_fixes.py`` checks every entry at 0 against the left difference).

Adding an activation is one ``Activation(...)`` object and one ``ACTIVATIONS.register`` line;
the pages, the gallery, the tests and the docs all read this table. f and f' are all it needs:
the training hot path (``explorer.fastpath``) calls each activation's in-place kernels
(``Activation.forward_kernel`` / ``backward_kernel``), generic ones derived from f and f'
unless it brings faster ones (``f_inplace``, ``df_kernel``; see ``explorer.kernels``, which
holds the functions themselves).

Every function is written so that it cannot overflow for finite float64 input (sigmoid via
``exp(-|z|)``, softplus via ``logaddexp``, ELU via ``expm1`` of the clipped negative part).

**Saturation** (one definition, used by the run record, the gallery's flat share and the
properties table): an activation *saturates* on a tail when f'(z) tends to 0 as z → −∞ ("-")
or z → +∞ ("+"); ``Activation.saturates`` lists those tails. A pre-activation z is
*saturated* when it lies in such a tail beyond the point from which |f'| stays below
``SATURATION_FRACTION`` of max |f'| all the way out (``Activation.saturation_bounds``). An
interior flat point (the minimum of GELU, SiLU and Mish, where f' = 0 at one z) is not
saturation, a Leaky ReLU's negative side (f' = α) is not flat, and ReLU's negative side is
its *zero-gradient (dead) side* (``Activation.zero_side``), which is not saturation either.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .kernels import (  # noqa: F401  (f and f' re-exported: ``activations.sigmoid`` etc.)
    SELU_ALPHA,
    SELU_SCALE,
    Bwd,
    Fwd,
    d_elu,
    d_gelu,
    d_identity,
    d_leaky_relu,
    d_maxout,
    d_mish,
    d_relu,
    d_selu,
    d_sigmoid,
    d_silu,
    d_softplus,
    d_tanh,
    elu,
    gelu,
    generic_backward,
    generic_forward,
    identity,
    identity_backward,
    leaky_backward,
    leaky_relu,
    maxout,
    mish,
    relu,
    relu_backward,
    selu,
    sigmoid,
    sigmoid_backward,
    silu,
    softplus,
    tanh,
    tanh_backward,
)
from .registry import Registry
from .texts import lookup
from .texts.activations import TEXT

Array = np.ndarray

#: |f'(z)| below this fraction of max |f'| on a saturating tail counts as saturated
SATURATION_FRACTION = 0.05
#: the tails: "-" (z → −∞) and "+" (z → +∞)
TAILS = ("-", "+")
_SAT_WORDS = {"both": ("-", "+"), "negative": ("-",), "no": ()}
#: (name, id(df), p) -> (lo, hi), see ``Activation.saturation_bounds``
_BOUNDS: dict[tuple, tuple[float, float]] = {}
_BOUND_GRID = np.linspace(-60.0, 60.0, 120_001)


def derivative_peak(f: Callable[..., Array], df: Callable[..., Array], lo: float = -20.0,
                    hi: float = 20.0) -> float:
    """max |f'(z)| over [lo, hi], precise to ~1e-12: the best point of a grid of step 0.001,
    refined by golden-section search between its neighbours (for the registry's ``df_max``
    where it has no closed form: GELU, SiLU, Mish)."""
    def g(z: Array) -> Array:
        return np.abs(df(z, f(z)))

    z = np.linspace(lo, hi, int(round((hi - lo) * 1000)) + 1)
    i = int(np.argmax(g(z)))
    a, b = z[max(i - 1, 0)], z[min(i + 1, len(z) - 1)]
    r = (np.sqrt(5.0) - 1.0) / 2.0
    for _ in range(80):  # the bracket shrinks by 0.618 each step: far below float64 spacing
        c, d = b - r * (b - a), a + r * (b - a)
        gc, gd = g(np.array([c, d]))
        if gc >= gd:
            b = d
        else:
            a = c
    return float(max(g(np.array([0.5 * (a + b)]))[0], g(z[i:i + 1])[0]))


def _text(key: str, lang: str) -> str:
    """``key`` of the activations' text table in exactly ``lang`` ("" if it has none there)."""
    return lookup(TEXT, key, lang) if key in TEXT.get(lang, {}) else ""


@dataclass(frozen=True)
class ParamSpec:
    """A user-set parameter of an activation (stored in a TrainConfig field)."""

    field: str  # TrainConfig field holding the value
    label: str
    symbol: str
    default: float
    lo: float
    hi: float


@dataclass(frozen=True)
class Activation:
    """One activation function.

    Attributes
    ----------
    f : callable ``f(z, p) -> a``
    df : callable ``df(z, a, p) -> f'(z)`` (derivative w.r.t. the pre-activation)
    formula, dformula : LaTeX for f and f'
    output_range : human-readable range of f
    zero_centred : is the output (roughly) centred on zero for zero-centred input?
    saturates : the tails where f' tends to zero: ("-", "+") both, ("-",) z → −∞ only, ()
        none (the words "both", "negative", "no" are accepted too); ``saturating`` is the
        same as a word
    monotonic : is f monotonic?
    can_die : can a unit get exactly zero gradient on a whole data set (dead unit)?
    zero_side : the sides where f' is exactly 0 on a whole half-line (ReLU: ("-",)): a
        zero-gradient (dead) side, which is not saturation
    df_max : max |f'(z)|, the scale for the "saturated" threshold
    param : the user-set parameter, if any
    learned : the parameter is learned per unit (PReLU)
    pieces : a Maxout layer (f is a max over the last axis of k linear pieces)
    recommended_init : initialiser that ``init="auto"`` picks
    sklearn_name : the name MLPClassifier uses, where it has this activation
    f_inplace : ``f`` takes ``out`` (``f(z, p, out)`` writes into it): it is its own forward
        kernel; else the hot path wraps it (``kernels.generic_forward``)
    df_kernel : ``p -> bwd``, an in-place backward kernel faster than the generic one
        (``kernels.generic_backward``, derived from ``df``); None: the generic one
    dead_rule : ``p -> "asleep" | "never" | "check"``, how a dead unit (f' = 0 on every
        point) is found: see ``dead_test``
    df_max_param : max |f'| is max(``df_max``, p) (ELU's α > 1 raises it above 1)
    notes : the one-line note in English; left out (None) it comes from the text table
        ``explorer.texts.activations``, which also holds its translations and the translated
        labels (``label_for`` / ``notes_for``)
    """

    name: str
    label: str
    f: Callable[..., Array]
    df: Callable[..., Array | float]
    formula: str
    dformula: str
    output_range: str
    zero_centred: bool
    saturates: tuple[str, ...] | str
    monotonic: bool
    can_die: bool
    df_max: float
    uses_exp: bool
    param: ParamSpec | None = None
    learned: bool = False
    pieces: bool = False
    recommended_init: str = "xavier_uniform"
    sklearn_name: str | None = None
    notes: str | None = None
    reference: str = ""
    extra: dict = field(default_factory=dict)
    zero_side: tuple[str, ...] = ()
    f_inplace: bool = False
    df_kernel: Callable[[object], Bwd] | None = None
    dead_rule: Callable[[object], str] | None = None
    df_max_param: bool = False

    def __post_init__(self) -> None:
        sat = self.saturates
        tails = _SAT_WORDS[sat] if isinstance(sat, str) else tuple(sat)
        if any(t not in TAILS for t in tails) or any(t not in TAILS for t in self.zero_side):
            raise ValueError(f"{self.name}: tails are '-' and '+', got {sat!r}, "
                             f"{self.zero_side!r}")
        object.__setattr__(self, "saturates", tuple(t for t in TAILS if t in tails))
        object.__setattr__(self, "zero_side", tuple(t for t in TAILS if t in self.zero_side))
        if self.notes is None:
            object.__setattr__(self, "notes", _text(f"notes.{self.name}", "en"))

    def label_for(self, lang: str = "en") -> str:
        """The label shown in ``lang``: the text table's ``label.<name>`` in that language
        where it has one (a label with a descriptive part), else ``label`` (a proper name)."""
        return (_text(f"label.{self.name}", lang) if lang != "en" else "") or self.label

    def notes_for(self, lang: str = "en") -> str:
        """The one-line note in ``lang`` (English where there is no translation)."""
        return (_text(f"notes.{self.name}", lang) if lang != "en" else "") or self.notes

    def forward_kernel(self, p: object) -> tuple[Fwd, tuple]:
        """(fwd, args): the in-place forward kernel for parameter ``p``, called as
        ``fwd(z, *args, out)`` (the registry's own f where it writes into ``out``)."""
        if self.f_inplace:
            return self.f, (p,)
        return generic_forward(self.f, p), ()

    def backward_kernel(self, p: object) -> Bwd:
        """The in-place backward kernel ``bwd(da, z, a, t, mk, out)`` for parameter ``p``:
        δ = f'(z)·da into ``out``."""
        if self.df_kernel is not None:
            return self.df_kernel(p)
        return generic_backward(self.df, p)

    def dead_test(self, p: object) -> str:
        """How to find a dead unit with parameter ``p``: "asleep" (f' = 0 exactly where
        z ≤ 0, so dead = asleep), "never" (f' is never 0; Maxout too) or "check" (test f' on
        the unit's values: the default)."""
        if self.pieces:
            return "never"
        return self.dead_rule(p) if self.dead_rule is not None else "check"

    @property
    def saturating(self) -> str:
        """``saturates`` as a word: "both", "negative" ("-" only), "positive" or "no"."""
        return {("-", "+"): "both", ("-",): "negative", ("+",): "positive",
                (): "no"}[self.saturates]  # type: ignore[index]

    def saturation_bounds(self, p: object = None) -> tuple[float, float]:
        """(lo, hi): z < lo is the saturated negative tail, z > hi the positive one.

        lo is where the tail begins from which |f'(z)| stays below ``SATURATION_FRACTION`` ·
        ``deriv_max(p)`` for every z down to −∞ (found on a grid of step 0.001 over [−60, 60],
        then to 1e-12 by bisection), hi likewise towards +∞; −∞ / +∞ for a tail the
        activation does not saturate on (``saturates``). A learned (array) parameter has no
        saturating tail here (PReLU)."""
        if self.pieces or self.learned or not self.saturates or (
                p is not None and np.ndim(p) > 0):
            return -np.inf, np.inf
        key = (self.name, id(self.df), None if p is None else float(p))  # type: ignore[arg-type]
        hit = _BOUNDS.get(key)
        if hit is not None:
            return hit
        thr = SATURATION_FRACTION * self.deriv_max(p)

        def low(z: Array) -> Array:
            with np.errstate(all="ignore"):
                d = np.broadcast_to(self.df(z, self.f(z, p), p), z.shape)
            return np.abs(d) < thr

        z = _BOUND_GRID
        flat = low(z)
        lo, hi = -np.inf, np.inf
        if "-" in self.saturates and flat[0]:
            i = int(np.argmin(flat)) - 1 if not flat.all() else len(z) - 1
            lo = _edge(low, z[i], z[min(i + 1, len(z) - 1)])
        if "+" in self.saturates and flat[-1]:
            j = len(z) - int(np.argmin(flat[::-1])) if not flat.all() else 0
            hi = _edge(low, z[j], z[max(j - 1, 0)])
        _BOUNDS[key] = (lo, hi)
        return lo, hi

    def saturated(self, z: Array, p: object = None) -> Array:
        """Boolean: z lies on a saturating tail (see ``saturation_bounds``)."""
        lo, hi = self.saturation_bounds(p)
        return (z < lo) | (z > hi)

    def deriv_max(self, p: object = None) -> float:
        """max |f'(z)| for parameter ``p`` (ELU's α > 1 raises it above 1)."""
        if self.df_max_param and p is not None:
            return max(self.df_max, float(p))
        return self.df_max

    def properties(self) -> dict[str, str]:
        """Properties for the gallery table (plain strings)."""
        return {
            "range": self.output_range,
            "zero-centred": "yes" if self.zero_centred else "no",
            "saturating": self.saturating,
            "zero side": "negative" if self.zero_side == ("-",) else (
                "both" if self.zero_side else "no"),
            "monotonic": "yes" if self.monotonic else "no",
            "can die": "yes" if self.can_die else "no",
            "max |f'|": f"{self.df_max:g}",
            "uses exp": "yes" if self.uses_exp else "no",
            "parameters": self.param_text(),
        }

    def param_text(self) -> str:
        if self.pieces:
            return "k pieces (maxout_k), k x weights"
        if self.learned:
            return "slope a per unit, learned (init 0.25, no weight decay)"
        if self.param is not None:
            return f"{self.param.symbol} = {self.param.default:g} ({self.param.field})"
        return "none"


# --------------------------------------------------------------------------------------------
# The registry

ACTIVATIONS: Registry[Activation] = Registry("activation")

ACTIVATIONS.register(Activation(
    "sigmoid", "Sigmoid", sigmoid, d_sigmoid,
    r"\sigma(z)=\frac{1}{1+e^{-z}}", r"\sigma'(z)=\sigma(z)\,(1-\sigma(z))",
    "(0, 1)", False, ("-", "+"), True, False, 0.25, True,
    recommended_init="xavier_uniform", sklearn_name="logistic",
    f_inplace=True, df_kernel=lambda p: sigmoid_backward,
))
ACTIVATIONS.register(Activation(
    "tanh", "tanh", tanh, d_tanh,
    r"\tanh z=\frac{e^{z}-e^{-z}}{e^{z}+e^{-z}}", r"\tanh'(z)=1-\tanh^2 z",
    "(-1, 1)", True, ("-", "+"), True, False, 1.0, True,
    recommended_init="xavier_uniform", sklearn_name="tanh",
    f_inplace=True, df_kernel=lambda p: tanh_backward,
))
ACTIVATIONS.register(Activation(
    "relu", "ReLU", relu, d_relu,
    r"\mathrm{ReLU}(z)=\max(0,z)", r"\mathrm{ReLU}'(z)=[z>0]",
    "[0, inf)", False, (), True, True, 1.0, False,
    recommended_init="he_normal", sklearn_name="relu", zero_side=("-",),
    f_inplace=True, df_kernel=lambda p: relu_backward,
    dead_rule=lambda p: "asleep",
))
ACTIVATIONS.register(Activation(
    "leaky_relu", "Leaky ReLU", leaky_relu, d_leaky_relu,
    r"f(z)=\max(\alpha z, z)", r"f'(z)=1\ (z>0),\ \alpha\ (z\le 0)",
    "(-inf, inf)", False, (), True, False, 1.0, False,
    param=ParamSpec("leaky_slope", "Negative slope", "α", 0.01, 0.0, 1.0),
    recommended_init="he_normal",
    f_inplace=True, df_kernel=leaky_backward,
    dead_rule=lambda p: "asleep" if p == 0 else "never",
))
ACTIVATIONS.register(Activation(
    "prelu", "PReLU", leaky_relu, d_leaky_relu,
    r"f(z)=z\ (z>0),\ a_j z\ (z\le 0)", r"f'(z)=1\ (z>0),\ a_j\ (z\le 0)",
    "(-inf, inf)", False, (), True, False, 1.0, False,
    learned=True, recommended_init="he_normal",
    reference="He et al. 2015",
))
ACTIVATIONS.register(Activation(
    "elu", "ELU", elu, d_elu,
    r"f(z)=z\ (z>0),\ \alpha(e^{z}-1)\ (z\le 0)", r"f'(z)=1\ (z>0),\ \alpha e^{z}\ (z\le 0)",
    "(-α, inf)", True, ("-",), True, False, 1.0, True,
    param=ParamSpec("elu_alpha", "ELU alpha", "α", 1.0, 0.01, 5.0),
    recommended_init="he_normal",
    reference="Clevert et al. 2015",
    df_max_param=True,
))
ACTIVATIONS.register(Activation(
    "selu", "SELU", selu, d_selu,
    r"f(z)=\lambda z\ (z>0),\ \lambda\alpha(e^{z}-1)\ (z\le 0)",
    r"f'(z)=\lambda\ (z>0),\ \lambda\alpha e^{z}\ (z\le 0)",
    "(-1.758, inf)", True, ("-",), True, False, SELU_SCALE * SELU_ALPHA, True,
    recommended_init="lecun_normal",
    reference="Klambauer et al. 2017",
))
ACTIVATIONS.register(Activation(
    "gelu", "GELU (tanh approx.)", gelu, d_gelu,
    r"f(z)\approx\tfrac12 z\,\bigl(1+\tanh(\sqrt{2/\pi}\,(z+0.044715z^{3}))\bigr)",
    r"f'(z)=\tfrac12(1+t)+\tfrac12 z(1-t^{2})\sqrt{2/\pi}(1+0.134145z^{2})",
    "(-0.17, inf)", False, ("-",), False, False, derivative_peak(gelu, d_gelu), True,
    recommended_init="he_normal",
    reference="Hendrycks & Gimpel 2016",
))
ACTIVATIONS.register(Activation(
    "silu", "SiLU / Swish", silu, d_silu,
    r"f(z)=z\,\sigma(z)", r"f'(z)=\sigma(z)\,(1+z(1-\sigma(z)))",
    "(-0.278, inf)", False, ("-",), False, False, derivative_peak(silu, d_silu), True,
    recommended_init="he_normal",
    reference="Ramachandran et al. 2017",
))
ACTIVATIONS.register(Activation(
    "mish", "Mish", mish, d_mish,
    r"f(z)=z\tanh(\ln(1+e^{z}))", r"f'(z)=\tanh(s)+z\,\mathrm{sech}^2(s)\,\sigma(z),\ s=\ln(1+e^{z})",
    "(-0.309, inf)", False, ("-",), False, False, derivative_peak(mish, d_mish), True,
    recommended_init="he_normal",
    reference="Misra 2019",
))
ACTIVATIONS.register(Activation(
    "softplus", "Softplus", softplus, d_softplus,
    r"f(z)=\ln(1+e^{z})", r"f'(z)=\sigma(z)",
    "(0, inf)", False, ("-",), True, False, 1.0, True,
    recommended_init="he_normal",
))
ACTIVATIONS.register(Activation(
    "identity", "Identity (linear)", identity, d_identity,
    r"f(z)=z", r"f'(z)=1",
    "(-inf, inf)", True, (), True, False, 1.0, False,
    recommended_init="xavier_uniform", sklearn_name="identity",
    f_inplace=True, df_kernel=lambda p: identity_backward,
    dead_rule=lambda p: "never",
))
ACTIVATIONS.register(Activation(
    "maxout", "Maxout", maxout, d_maxout,
    r"f(x)=\max_{j=1..k}\,(w_j^{\top}x+b_j)", r"\partial f/\partial z_j=[j=\arg\max]",
    "(-inf, inf)", False, (), False, False, 1.0, False,
    param=ParamSpec("maxout_k", "Maxout pieces k", "k", 2, 2, 5),
    pieces=True, recommended_init="he_normal",
    reference="Goodfellow et al. 2013",
))


def _edge(low: Callable[[Array], Array], inside: float, outside: float) -> float:
    """Bisect between a flat point ``inside`` and a non-flat ``outside`` (50 halvings)."""
    a, b = float(inside), float(outside)
    for _ in range(50):
        m = 0.5 * (a + b)
        if low(np.array([m]))[0]:
            a = m
        else:
            b = m
    return a


def param_value(act: Activation, cfg: object) -> float | None:
    """The user-set parameter of ``act`` read from a config (None if it has none)."""
    if act.param is None or act.pieces:
        return None
    return float(getattr(cfg, act.param.field))
