r"""The activation functions' numbers: f and f′ of every registered activation, and the
in-place kernels the training hot path calls (as scikit-learn's ``neural_network._base``:
small functions writing into preallocated arrays).

Conventions (``explorer.activations`` registers these in ``ACTIVATIONS``):

* ``f(z, p) -> a`` and ``df(z, a, p) -> f'(z)`` (the derivative with respect to the
  pre-activation, from z, the output a = f(z) and the activation's parameter p);
* an in-place **forward kernel** is called ``fwd(z, *args, out)`` and writes f(z) into
  ``out``; a registry ``f`` that takes ``out`` (sigmoid, tanh, relu, identity, leaky_relu) is
  its own kernel with ``args = (p,)`` (see ``Activation.forward_kernel``);
* an in-place **backward kernel** ``bwd(da, z, a, t, mk, out)`` writes δ = f'(z)·∂L/∂a into
  ``out`` (which may be ``da`` itself), with float scratch ``t`` and bool scratch ``mk``;
  ``Activation.backward`` is a factory ``p -> bwd`` where an activation has a faster one;
* an activation with neither gets the generic kernels :func:`generic_forward` /
  :func:`generic_backward` derived from its f and df, so a new activation registered with
  only f and df trains through the same fast path.

PReLU (slopes learned per unit, :func:`prelu_kernels`) and Maxout (k pieces per unit,
:func:`maxout_kernels`) change the layer's shape or parameters, so the hot path builds their
kernels from the layer (``Activation.learned`` / ``pieces``), not from a name.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import numpy as np

Array = np.ndarray
#: forward kernel fwd(z, *args, out) and backward kernel bwd(da, z, a, t, mk, out)
Fwd = Callable[..., object]
Bwd = Callable[..., object]

# --------------------------------------------------------------------------------------------
# f and f'

def sigmoid(z: Array, p: object = None, out: Array | None = None) -> Array:
    r""":math:`\sigma(z) = 1/(1+e^{-z})`, stable and to full relative precision for every
    finite z: with :math:`t = e^{-|z|}` (never overflows), :math:`\sigma(z) = 1/(1+t)` for
    z ≥ 0 and :math:`t/(1+t)` for z < 0 (so σ(−40) ≈ e^{−40} to the last digit instead of the
    absolute-precision ½(1+tanh(z/2)), which is exactly 0 below z ≈ −38).

    ``out``: optional array to write the result into (must not be ``z``)."""
    if type(z) is not np.ndarray or z.dtype != np.float64:
        z = np.asarray(z, dtype=np.float64)
    if z.ndim == 0:
        value = sigmoid(z.reshape(1))[0]
        if out is None:
            return value
        out[...] = value
        return out
    t = np.copysign(z, -1.0)  # −|z|
    np.exp(t, out=t)
    out = np.add(t, 1.0, out=out)
    np.divide(1.0, out, out=out)
    np.multiply(t, out, out=t)  # t/(1+t), the value for z < 0
    np.copyto(out, t, where=z < 0)  # (faster than a masked multiply)
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
# In-place kernels


def generic_forward(f: Callable[..., Array], p: object) -> Fwd:
    """The forward kernel of any ``f(z, p)``: its values copied into ``out``."""
    def fwd(z: Array, out: Array) -> None:
        out[...] = f(z, p)

    return fwd


def generic_backward(df: Callable[..., Array | float], p: object) -> Bwd:
    """The backward kernel of any ``df(z, a, p)``: δ = ∂L/∂a · f'(z)."""
    def bwd(da, z, a, t, mk, out):
        np.multiply(da, df(z, a, p), out=out)

    return bwd


def sigmoid_backward(da, z, a, t, mk, out):
    """δ = da · a(1 − a)."""
    np.subtract(1.0, a, out=t)
    np.multiply(a, t, out=t)
    np.multiply(da, t, out=out)


def tanh_backward(da, z, a, t, mk, out):
    """δ = da · (1 − a²)."""
    np.multiply(a, a, out=t)
    np.subtract(1.0, t, out=t)
    np.multiply(da, t, out=out)


def relu_backward(da, z, a, t, mk, out):
    """δ = da · [z > 0], the indicator as sign(a) from a = max(z, 0) (a float factor: a bool
    one is slower)."""
    np.sign(a, out=t)
    np.multiply(da, t, out=out)


def identity_backward(da, z, a, t, mk, out):
    """δ = da."""
    if out is not da:
        np.copyto(out, da)


def slopes_kernels(s: float) -> tuple[Fwd, Bwd]:
    """Leaky ReLU max(z, s·z) for a slope ``s`` in [0, 1]; its f' is 1 (z > 0) else s,
    computed as max(sign z, s): the numbers of where(z > 0, 1, s) for every non-NaN z."""
    def fwd(z, a):
        np.multiply(z, s, out=a)
        np.maximum(z, a, out=a)

    def bwd(da, z, a, t, mk, out):
        np.sign(z, out=t)
        np.maximum(t, s, out=t)
        np.multiply(da, t, out=out)

    fwd.ops = lambda z, a, t, mk: [  # type: ignore[attr-defined]
        (np.multiply, (z, s, a)), (_maximum(a), (z, a))]
    bwd.ops = lambda da, z, a, t, mk, out: [  # type: ignore[attr-defined]
        (np.sign, (z, t)), (_maximum(t), (t, s)), (np.multiply, (da, t, out))]
    return fwd, bwd


def leaky_backward(p: float) -> Bwd:
    """Leaky ReLU's backward kernel: the two-operation form for a slope in [0, 1], else the
    generic one (``where``)."""
    if 0.0 <= p <= 1.0:
        return slopes_kernels(p)[1]
    return generic_backward(d_leaky_relu, p)


def prelu_kernels(alphaT: Array, galphaT: Array) -> tuple[Fwd, Bwd]:
    """PReLU with learned slopes ``alphaT`` (…, units, 1) (views of P; any sign); the backward
    kernel also writes the slopes' gradient into ``galphaT``."""
    def fwd(z, a):
        np.copyto(a, np.where(z > 0, z, alphaT * z))

    def bwd(da, z, a, t, mk, out):
        np.minimum(z, 0.0, out=t)
        np.multiply(t, da, out=t)
        np.sum(t, axis=-1, keepdims=True, out=galphaT)
        np.multiply(da, np.where(z > 0, 1.0, alphaT), out=out)

    return fwd, bwd


def maxout_kernels(u: int, k: int) -> tuple[Fwd, Bwd]:
    """Maxout on piece-major z (…, k·u, n); δ (…, k·u, n): the first piece equal to the max
    takes all of ∂L/∂a (da is used as scratch). Called with the k pieces of z and of δ
    (views cut once per batch size by the hot path)."""
    def fwd(zs, a):
        np.maximum(zs[0], zs[1], out=a)
        for zj in zs[2:]:
            np.maximum(a, zj, out=a)

    def bwd(da, zs, a, mk, outs):
        for j in range(k - 1):
            np.equal(zs[j], a, out=mk)
            np.multiply(da, mk, out=outs[j])
            # what the later pieces can still get; the last piece gets the rest
            np.subtract(da, outs[j], out=da if j < k - 2 else outs[k - 1])

    def fwd_ops(zs, a, t, mk):
        return [(_maximum(a), (zs[0], zs[1]))] + [(_maximum(a), (a, zj)) for zj in zs[2:]]

    def bwd_ops(da, zs, a, mk, outs):
        return [op for j in range(k - 1) for op in (
            (np.equal, (zs[j], a, mk)), (np.multiply, (da, mk, outs[j])),
            (np.subtract, (da, outs[j], da if j < k - 2 else outs[k - 1])))]

    fwd.ops, bwd.ops = fwd_ops, bwd_ops  # type: ignore[attr-defined]
    return fwd, bwd


# --------------------------------------------------------------------------------------------
# Kernels as the ufunc calls they make
#
# A kernel may carry ``ops``: a function of its call's arguments (and, for a forward kernel, the
# layer's float and bool scratch) returning the (function, args) calls it makes, in order, with
# the same operations on the same values. The hot path lists those instead of the kernel (one
# Python call less per kernel, and no temporaries); a kernel without ``ops`` is called as is.


def expand(kernel: Callable[..., object], args: tuple, scratch: tuple = ()) -> list[tuple]:
    """``kernel(*args)`` as a list of (function, args) calls: its ``ops`` if it has them."""
    ops = getattr(kernel, "ops", None)
    if ops is None:
        return [(kernel, args)]
    return ops(*args, *scratch)


def _maximum(out: Array) -> Callable[..., object]:
    """np.maximum writing into ``out`` (a keyword: numpy deprecates a positional one here)."""
    return partial(np.maximum, out=out)


#: arrays up to this size take sigmoid's t/(1+t) for z < 0 in one masked multiply (one call
#: less); larger ones by a multiply and a masked copy (faster per element)
SMALL_MASKED = 4096


def _sigmoid_ops(z, p, out, t, mk):  # sigmoid(z, p, out), with t and mk as its temporaries
    ops = [(np.copysign, (z, -1.0, t)), (np.exp, (t, t)), (np.add, (t, 1.0, out)),
           (np.divide, (1.0, out, out)), (np.less, (z, 0.0, mk))]
    if out.size <= SMALL_MASKED:  # the same product t·(1/(1+t)), only where z < 0
        return ops + [(partial(np.multiply, out=out, where=mk), (t, out))]
    return ops + [(np.multiply, (t, out, t)), (np.copyto, (out, t, "same_kind", mk))]


def _leaky_ops(z, p, out, t, mk):
    if isinstance(p, (int, float)) and 0.0 <= p <= 1.0:  # as leaky_relu's two-operation form
        return [(np.multiply, (z, p, out)), (_maximum(out), (z, out))]
    return [(leaky_relu, (z, p, out))]


def _identity_backward_ops(da, z, a, t, mk, out):
    return [] if out is da else [(np.copyto, (out, da))]


sigmoid.ops = _sigmoid_ops  # type: ignore[attr-defined]
tanh.ops = lambda z, p, out, t, mk: [(np.tanh, (z, out))]  # type: ignore[attr-defined]
relu.ops = lambda z, p, out, t, mk: [(_maximum(out), (z, 0.0))]  # type: ignore[attr-defined]
leaky_relu.ops = _leaky_ops  # type: ignore[attr-defined]
identity.ops = lambda z, p, out, t, mk: [(np.copyto, (out, z))]  # type: ignore[attr-defined]
sigmoid_backward.ops = lambda da, z, a, t, mk, out: [  # type: ignore[attr-defined]
    (np.subtract, (1.0, a, t)), (np.multiply, (a, t, t)), (np.multiply, (da, t, out))]
tanh_backward.ops = lambda da, z, a, t, mk, out: [  # type: ignore[attr-defined]
    (np.multiply, (a, a, t)), (np.subtract, (1.0, t, t)), (np.multiply, (da, t, out))]
relu_backward.ops = lambda da, z, a, t, mk, out: [  # type: ignore[attr-defined]
    (np.sign, (a, t)), (np.multiply, (da, t, out))]
identity_backward.ops = _identity_backward_ops  # type: ignore[attr-defined]
