"""Texts of the activation registry (``explorer.activations``): each activation's one-line
note (``notes.<name>``) and, where the English label has a descriptive part, its label
(``label.<name>``; the family names ReLU, GELU, Mish, ... are proper names and stay as they
are). Read through ``explorer.texts.lookup`` by ``Activation.label_for`` / ``notes_for``."""

TEXT = {
    "en": {
        "notes.sigmoid": "Squashes to (0,1); f' <= 1/4 and ~0 at both ends; outputs are all positive.",
        "notes.tanh": "Zero-centred, but still saturates at both ends.",
        "notes.relu": "Cheap, no saturation for z > 0; a unit negative on all data is dead.",
        "notes.leaky_relu": "A small slope on the negative side keeps a gradient, so units do not die.",
        "notes.prelu": "Leaky ReLU whose slope a_j is learned per unit (init 0.25, no weight decay).",
        "notes.elu": "Smooth, nearly zero-centred, saturates only for large negative z.",
        "notes.selu": "Scaled ELU (λ≈1.0507, α≈1.6733) that self-normalises with LeCun init.",
        "label.gelu": "GELU (tanh approx.)",
        "label.silu": "SiLU / Swish",
        "notes.gelu": "The tanh approximation of z·Φ(z) (as in BERT/GPT-2); not monotonic.",
        "notes.silu": "Smooth, non-monotonic ReLU-like curve.",
        "notes.mish": "Smooth, non-monotonic; similar to Swish.",
        "notes.softplus": "A smooth ReLU; its derivative is the sigmoid.",
        "label.identity": "Identity (linear)",
        "notes.identity": "No non-linearity: any depth is one linear map, so boundaries stay straight.",
        "notes.maxout": "Max of k linear pieces: never dies, never saturates, k times the weights.",
    },
    "zh": {
        "notes.sigmoid": "压缩到 (0,1)；导数最大 1/4，两端趋近 0；输出恒为正（非零中心）。",
        "notes.tanh": "以零为中心，但两端仍会饱和。",
        "notes.relu": "计算便宜，正区间不饱和；若对所有数据都为负，神经元就“死”了。",
        "notes.leaky_relu": "负半轴保留一个小斜率，梯度不为零，神经元不会死亡。",
        "notes.prelu": "负斜率 a_j 按神经元学习的 Leaky ReLU（初值 0.25，不做权重衰减）。",
        "notes.elu": "平滑、接近零中心，只在负值很大时饱和。",
        "notes.selu": "缩放的 ELU（λ≈1.0507, α≈1.6733），配合 LeCun 初始化可自归一化。",
        "label.gelu": "GELU（tanh 近似）",
        "label.silu": "SiLU（Swish）",
        "notes.gelu": "z·Φ(z) 的 tanh 近似（BERT/GPT-2 所用）；非单调。",
        "notes.silu": "平滑、非单调、形似 ReLU。",
        "notes.mish": "平滑、非单调，与 Swish 相似。",
        "notes.softplus": "平滑版 ReLU，导数正是 sigmoid。",
        "label.identity": "恒等（线性）",
        "notes.identity": "没有非线性：再深也只是一个线性映射，决策边界始终是直线。",
        "notes.maxout": "k 个线性函数取最大：不会死亡、不会饱和，但参数是 k 倍。",
    },
}
