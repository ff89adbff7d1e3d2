"""Lecture presets: one click sets a page's controls to a configuration that shows one claim.

A preset is a name, a title and a description in English and Simplified Chinese, and the
config fields it changes relative to the page's base config. Every page may use them (e.g.
``ui.apply_preset(page, BASE, PRESETS["sigmoid_vanishes"].changes, SHOWN)`` as a button's
``on_click``). The effect each preset is meant to show is verified on real runs in
``tests/test_page_playground.py`` (numbers in the docstrings below come from those runs).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .config import TrainConfig
from .registry import Registry


@dataclass(frozen=True)
class Preset:
    name: str
    title_en: str
    title_zh: str
    description_en: str
    description_zh: str
    changes: Mapping[str, Any] = field(default_factory=dict)
    claims: tuple[int, ...] = ()  # rows of /work/shared/seed/CLAIMS.md it demonstrates

    @property
    def label(self) -> str:
        return self.title_en

    def title(self, lang: str = "en") -> str:
        return self.title_zh if lang == "zh" else self.title_en

    def description(self, lang: str = "en") -> str:
        return self.description_zh if lang == "zh" else self.description_en

    def config(self, base: TrainConfig | None = None) -> TrainConfig:
        """The preset applied to ``base`` (default: the global defaults)."""
        return (base or TrainConfig()).replace(**dict(self.changes))

    def matches(self, cfg: TrainConfig, base: TrainConfig | None = None) -> bool:
        """Is ``cfg`` exactly this preset applied to ``base``?"""
        return cfg == self.config(base)


PRESETS: Registry[Preset] = Registry("preset")

# Measured with seed 0 on the default moons data (see the tests): first-layer gradient norm
# ~1/1400 of the output layer's at epoch 0, training accuracy stays at 50%.
PRESETS.register(Preset(
    "sigmoid_vanishes",
    "Sigmoid vanishes in a deep net", "深层 sigmoid 网络的梯度消失",
    "Six sigmoid layers. σ′ ≤ 1/4, so every layer multiplies the backward signal by at most "
    "a quarter: look at the gradient norms in the histogram titles, which shrink layer by "
    "layer toward the input, and at the flat loss curve.",
    "六个 sigmoid 隐藏层。σ′ ≤ 1/4，反向传播每经过一层信号至多乘以四分之一：看直方图标题中的"
    "梯度范数如何一层层向输入端缩小，以及几乎不降的损失曲线。",
    {"activation": "sigmoid", "hidden": (16, 16, 16, 16, 16, 16)},
    claims=(1, 2),
))
# All 32 hidden units dead from epoch 0 on; every weight gradient exactly 0; accuracy 50%.
PRESETS.register(Preset(
    "zero_init_relu",
    "Zero init freezes a ReLU net", "全零初始化冻结 ReLU 网络",
    "All weights start at 0. Every hidden pre-activation is 0, ReLU′(0) = 0, so no weight "
    "ever gets a gradient: the histograms show only the “exactly 0” bar and every unit is "
    "dead. Switch the initialiser to He or Xavier to bring the net to life.",
    "所有权重初始为 0。每个隐藏单元的输入都是 0，而 ReLU′(0) = 0，于是没有任何权重得到梯度："
    "直方图只剩“恰为 0”那一柱，所有单元都是死的。把初始化换成 He 或 Xavier，网络就活过来了。",
    {"init": "zeros"},
    claims=(8,),
))
# Dead hidden units: 1 of 32 at epoch 0, 24 of 32 at the end; accuracy falls to 50%.
PRESETS.register(Preset(
    "large_lr_kills_relu",
    "A large learning rate kills ReLUs", "过大的学习率杀死 ReLU",
    "Plain SGD with learning rate 3. The first big steps push many ReLUs to a region where "
    "they are negative on every training point; watch the dead-unit column of the table jump "
    "as you drag the epoch slider, and the loss get stuck.",
    "学习率 3 的普通 SGD。开始的几大步把许多 ReLU 推到对所有训练样本都为负的区域；拖动轮次"
    "滑块，看表格中“死亡单元”一栏如何猛增，损失如何卡住不动。",
    {"activation": "relu", "lr": 3.0},
    claims=(7, 9, 10),
))
# The same run with Leaky ReLU (slope 0.01): 0 dead units, ~97% training accuracy.
PRESETS.register(Preset(
    "leaky_keeps_alive",
    "Leaky ReLU keeps them alive", "Leaky ReLU 让它们活着",
    "The same learning rate 3 as the previous preset, but Leaky ReLU with slope 0.01: a "
    "negative input still passes 1% of the gradient, so no unit dies and the net learns.",
    "与上一个预设相同的学习率 3，但换成斜率 0.01 的 Leaky ReLU：负输入仍能传回 1% 的梯度，"
    "所以没有单元死亡，网络照常学习。",
    {"activation": "leaky_relu", "leaky_slope": 0.01, "lr": 3.0},
    claims=(11,),
))
# Two-arm spiral, Maxout k=2: ~100% training accuracy, 0 dead units, nothing saturated.
PRESETS.register(Preset(
    "maxout_spirals",
    "Maxout on spirals", "Maxout 学螺旋",
    "Two interleaved spirals learned by Maxout units (the max of k = 2 linear pieces): twice "
    "the weights of ReLU, but no unit can die or saturate. Compare the parameter count and "
    "the boundary with ReLU by switching the activation.",
    "用 Maxout 单元（k = 2 个线性函数取最大）学习两条交错的螺旋：参数是 ReLU 的两倍，但没有"
    "单元会死亡或饱和。切换激活函数，对比参数量和决策边界。",
    {"dataset": "spiral", "activation": "maxout", "maxout_k": 2, "epochs": 300},
    claims=(12,),
))


def matching_preset(cfg: TrainConfig, base: TrainConfig | None = None) -> Preset | None:
    """The preset whose configuration ``cfg`` is exactly (None if it is none of them)."""
    for p in PRESETS:
        if p.matches(cfg, base):
            return p
    return None
