r"""Activation functions: one small object each, registered in ``ACTIVATIONS``.

Convention (the same for every entry, Maxout included): ``df`` is the derivative of the
output with respect to the **pre-activation** ``z`` (elementwise), evaluated from ``z``, the
already computed output ``a = f(z)`` and the activation's parameter ``p`` (Leaky slope, ELU
alpha, PReLU slopes; ``None`` where there is none). At a kink we take the right-hand
derivative of the *inactive* side, as JAX and PyTorch do: ``relu'(0) = 0``.

Adding an activation is one ``Activation(...)`` object and one ``ACTIVATIONS.register`` line;
the pages, the gallery, the tests and the docs all read this table.

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
    notes, zh_notes, zh_label : the one-line note in English and Chinese, and the label in
        Chinese where it is not the English one (``label_for``); left out (None) they come
        from the text table ``explorer.texts.activations`` ("" where it has none)
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
    zh_notes: str | None = None
    zh_label: str | None = None
    reference: str = ""
    extra: dict = field(default_factory=dict)
    zero_side: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        sat = self.saturates
        tails = _SAT_WORDS[sat] if isinstance(sat, str) else tuple(sat)
        if any(t not in TAILS for t in tails) or any(t not in TAILS for t in self.zero_side):
            raise ValueError(f"{self.name}: tails are '-' and '+', got {sat!r}, "
                             f"{self.zero_side!r}")
        object.__setattr__(self, "saturates", tuple(t for t in TAILS if t in tails))
        object.__setattr__(self, "zero_side", tuple(t for t in TAILS if t in self.zero_side))
        for attr, key, lang in (("notes", "notes", "en"), ("zh_notes", "notes", "zh"),
                                ("zh_label", "label", "zh")):
            if getattr(self, attr) is None:
                object.__setattr__(self, attr, _text(f"{key}.{self.name}", lang))

    def label_for(self, lang: str = "en") -> str:
        """The label shown in ``lang``: ``zh_label`` in Chinese where there is one, the text
        table's in another language where it has one, else ``label``."""
        if lang == "zh":
            return self.zh_label or self.label
        return (_text(f"label.{self.name}", lang) if lang != "en" else "") or self.label

    def notes_for(self, lang: str = "en") -> str:
        """The one-line note in ``lang`` (English where there is no translation)."""
        if lang == "zh":
            return self.zh_notes or self.notes
        return (_text(f"notes.{self.name}", lang) if lang != "en" else "") or self.notes

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
        if self.name == "elu" and p is not None:
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
# Primitive functions


def sigmoid(z: Array, p: object = None, out: Array | None = None) -> Array:
    r""":math:`\sigma(z) = 1/(1+e^{-z})`, stable and to full relative precision for every
    finite z: with :math:`t = e^{-|z|}` (never overflows), :math:`\sigma(z) = 1/(1+t)` for
    z ≥ 0 and :math:`t/(1+t)` for z < 0 (so σ(−40) ≈ e^{−40} to the last digit instead of the
    absolute-precision ½(1+tanh(z/2)), which is exactly 0 below z ≈ −38).

    ``out``: optional array to write the result into (must not be ``z``)."""
    z = np.asarray(z, dtype=np.float64)
    if z.ndim == 0:
        value = sigmoid(z.reshape(1))[0]
        if out is None:
            return value
        out[...] = value
        return out
    t = np.abs(z)
    np.negative(t, out=t)
    np.exp(t, out=t)
    out = np.add(t, 1.0, out=out)
    np.divide(1.0, out, out=out)
    np.multiply(t, out, out=t)  # t/(1+t), the value for z < 0
    np.copyto(out, t, where=z < 0)
    return out


def d_sigmoid(z: Array, a: Array, p: object = None) -> Array:
    r""":math:`\sigma'(z) = \sigma(z)(1-\sigma(z))`, at most 1/4."""
    return a * (1.0 - a)


def tanh(z: Array, p: object = None, out: Array | None = None) -> Array:
    r""":math:`\tanh z = (e^z-e^{-z})/(e^z+e^{-z})`."""
    return np.tanh(z, out=out)


def d_tanh(z: Array, a: Array, p: object = None) -> Array:
    r""":math:`1-\tanh^2 z`."""
    return 1.0 - a * a


def relu(z: Array, p: object = None, out: Array | None = None) -> Array:
    r""":math:`\max(0, z)`."""
    return np.maximum(z, 0.0, out=out)


def d_relu(z: Array, a: Array, p: object = None) -> Array:
    r""":math:`[z>0]` (we take relu'(0) = 0)."""
    return (z > 0).astype(np.float64)


def leaky_relu(z: Array, p: float | Array = 0.01, out: Array | None = None) -> Array:
    r""":math:`z` for z > 0, :math:`\alpha z` otherwise.

    With ``out`` (an array other than ``z``) and a scalar slope in [0, 1] (Leaky ReLU's range)
    this is :math:`\max(z, \alpha z)`, the same values (for finite z) in two operations; a slope
    outside [0, 1] (PReLU's learned one can be) keeps the ``where`` form."""
    if out is None:
        if isinstance(p, (int, float)) and 0.0 < p <= 1.0:  # same values, two passes, no mask
            out = np.multiply(z, p)
            return np.maximum(z, out, out=out)
        return np.where(z > 0, z, p * z)
    if isinstance(p, (int, float)) and 0.0 <= p <= 1.0:
        np.multiply(z, p, out=out)
        return np.maximum(z, out, out=out)
    out[...] = np.where(z > 0, z, p * z)
    return out


def d_leaky_relu(z: Array, a: Array, p: float | Array = 0.01) -> Array:
    return np.where(z > 0, 1.0, p)


def elu(z: Array, p: float = 1.0) -> Array:
    r""":math:`z` for z > 0, :math:`\alpha(e^z-1)` otherwise (Clevert et al. 2015)."""
    return np.where(z > 0, z, p * np.expm1(np.minimum(z, 0.0)))


def d_elu(z: Array, a: Array, p: float = 1.0) -> Array:
    r""":math:`1` for z > 0, :math:`\alpha e^z = f(z)+\alpha` otherwise."""
    return np.where(z > 0, 1.0, a + p)


SELU_ALPHA = 1.6732632423543772
SELU_SCALE = 1.0507009873554805


def selu(z: Array, p: object = None) -> Array:
    r""":math:`\lambda z` for z > 0, :math:`\lambda\alpha(e^z-1)` otherwise
    (Klambauer et al. 2017, λ ≈ 1.0507, α ≈ 1.6733)."""
    return SELU_SCALE * np.where(z > 0, z, SELU_ALPHA * np.expm1(np.minimum(z, 0.0)))


def d_selu(z: Array, a: Array, p: object = None) -> Array:
    return np.where(z > 0, SELU_SCALE, a + SELU_SCALE * SELU_ALPHA)


_GELU_C = np.sqrt(2.0 / np.pi)


def gelu(z: Array, p: object = None) -> Array:
    r"""GELU, **tanh approximation** (Hendrycks & Gimpel 2016):
    :math:`\tfrac12 z\,(1+\tanh(\sqrt{2/\pi}(z+0.044715z^3)))`."""
    zc = np.clip(z, -1e6, 1e6)  # z**3 must not overflow; tanh is flat long before
    return 0.5 * z * (1.0 + np.tanh(_GELU_C * (zc + 0.044715 * zc * zc * zc)))


def d_gelu(z: Array, a: Array, p: object = None) -> Array:
    zc = np.clip(z, -1e6, 1e6)
    t = np.tanh(_GELU_C * (zc + 0.044715 * zc * zc * zc))
    return 0.5 * (1.0 + t) + 0.5 * zc * (1.0 - t * t) * _GELU_C * (1.0 + 3 * 0.044715 * zc * zc)


def silu(z: Array, p: object = None) -> Array:
    r"""SiLU / Swish: :math:`z\,\sigma(z)` (Ramachandran et al. 2017)."""
    return z * sigmoid(z)


def d_silu(z: Array, a: Array, p: object = None) -> Array:
    r""":math:`\sigma(z)(1+z(1-\sigma(z)))`."""
    s = sigmoid(z)
    return s * (1.0 + z * (1.0 - s))


def softplus(z: Array, p: object = None) -> Array:
    r""":math:`\ln(1+e^z)`, computed as ``logaddexp(0, z)``."""
    return np.logaddexp(0.0, z)


def d_softplus(z: Array, a: Array, p: object = None) -> Array:
    r""":math:`\sigma(z)`."""
    return sigmoid(z)


def mish(z: Array, p: object = None) -> Array:
    r"""Mish: :math:`z\tanh(\ln(1+e^z))` (Misra 2019)."""
    return z * np.tanh(np.logaddexp(0.0, z))


def d_mish(z: Array, a: Array, p: object = None) -> Array:
    r""":math:`\tanh(sp) + z\,\mathrm{sech}^2(sp)\,\sigma(z)` with sp = softplus(z)."""
    t = np.tanh(np.logaddexp(0.0, z))
    return t + z * (1.0 - t * t) * sigmoid(z)


def identity(z: Array, p: object = None, out: Array | None = None) -> Array:
    r""":math:`z` (a linear network: no non-linearity at all)."""
    if out is not None:
        np.copyto(out, z)
        return out
    return np.array(z, dtype=np.float64, copy=True)


def d_identity(z: Array, a: Array, p: object = None) -> Array:
    return np.ones_like(z)


def maxout(z: Array, p: object = None) -> Array:
    r"""Maxout (Goodfellow et al. 2013): :math:`\max_{j\le k}(w_j^\top x + b_j)`.

    ``z`` has the k pieces on its last axis; the result drops that axis.
    """
    return z.max(axis=-1)


def d_maxout(z: Array, a: Array, p: object = None) -> Array:
    """One-hot of the winning piece: the gradient flows only to it (ties: first piece)."""
    win = z.argmax(axis=-1)[..., None]
    out = np.zeros_like(z)
    np.put_along_axis(out, win, 1.0, axis=-1)
    return out


# --------------------------------------------------------------------------------------------
# The registry

ACTIVATIONS: Registry[Activation] = Registry("activation")

ACTIVATIONS.register(Activation(
    "sigmoid", "Sigmoid", sigmoid, d_sigmoid,
    r"\sigma(z)=\frac{1}{1+e^{-z}}", r"\sigma'(z)=\sigma(z)\,(1-\sigma(z))",
    "(0, 1)", False, ("-", "+"), True, False, 0.25, True,
    recommended_init="xavier_uniform", sklearn_name="logistic",
))
ACTIVATIONS.register(Activation(
    "tanh", "tanh", tanh, d_tanh,
    r"\tanh z=\frac{e^{z}-e^{-z}}{e^{z}+e^{-z}}", r"\tanh'(z)=1-\tanh^2 z",
    "(-1, 1)", True, ("-", "+"), True, False, 1.0, True,
    recommended_init="xavier_uniform", sklearn_name="tanh",
))
ACTIVATIONS.register(Activation(
    "relu", "ReLU", relu, d_relu,
    r"\mathrm{ReLU}(z)=\max(0,z)", r"\mathrm{ReLU}'(z)=[z>0]",
    "[0, inf)", False, (), True, True, 1.0, False,
    recommended_init="he_normal", sklearn_name="relu", zero_side=("-",),
))
ACTIVATIONS.register(Activation(
    "leaky_relu", "Leaky ReLU", leaky_relu, d_leaky_relu,
    r"f(z)=\max(\alpha z, z)", r"f'(z)=1\ (z>0),\ \alpha\ (z\le 0)",
    "(-inf, inf)", False, (), True, False, 1.0, False,
    param=ParamSpec("leaky_slope", "Negative slope", "α", 0.01, 0.0, 1.0),
    recommended_init="he_normal",
))
ACTIVATIONS.register(Activation(
    "prelu", "PReLU", leaky_relu, d_leaky_relu,
    r"f(z)=\max(a_j z, z)", r"f'(z)=1\ (z>0),\ a_j\ (z\le 0)",
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
    "(-0.17, inf)", False, ("-",), False, False, 1.1289, True,
    recommended_init="he_normal",
    reference="Hendrycks & Gimpel 2016",
))
ACTIVATIONS.register(Activation(
    "silu", "SiLU / Swish", silu, d_silu,
    r"f(z)=z\,\sigma(z)", r"f'(z)=\sigma(z)\,(1+z(1-\sigma(z)))",
    "(-0.278, inf)", False, ("-",), False, False, 1.0998, True,
    recommended_init="he_normal",
    zh_label="SiLU（Swish）",  # full-width brackets, no Chinese word: not in the text table
    reference="Ramachandran et al. 2017",
))
ACTIVATIONS.register(Activation(
    "mish", "Mish", mish, d_mish,
    r"f(z)=z\tanh(\ln(1+e^{z}))", r"f'(z)=\tanh(s)+z\,\mathrm{sech}^2(s)\,\sigma(z),\ s=\ln(1+e^{z})",
    "(-0.309, inf)", False, ("-",), False, False, 1.0886, True,
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
