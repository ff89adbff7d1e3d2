"""The definitions of the run record's statistics, in one place (``explorer.record`` states
them formally and takes its ``DEFINITIONS`` from here; page help strings are built from these).

Keys ``def.<statistic>``; ``fmt.undefined`` is how a page shows a statistic that is undefined
(NaN: e.g. same-sign with no unit that has a nonzero gradient).
"""

#: what makes one pre-activation z *saturated*: the one wording, used by ``def.saturated`` (the
#: layer table) and the network diagram's caption (its saturated units)
_SAT_POINT = {
    "en": ("on a saturating tail, where |f′| stays below 5% of its maximum all the way to "
           "z → ±∞"),
    "zh": "落在饱和尾部（在该尾部直到 z → ±∞，|f′| 始终低于其最大值的 5%）",
}

TEXT = {
    "en": {
        "def.train_loss": ("Training loss: the mean data loss (cross-entropy) on the training set, "
                           "without the L2 penalty."),
        "def.test_loss": "Test loss: the mean data loss on the test set, without the L2 penalty.",
        "def.train_objective": ("Objective: the training loss plus the L2 penalty λ/2·Σ‖W‖² "
                                "(weights only), the number gradient descent minimises."),
        "def.dead": ("Dead: a hidden unit whose derivative f′(z) is exactly 0 on every "
                     "training point, so its incoming weights get exactly zero gradient."),
        "def.asleep": ("Asleep: a hidden unit whose pre-activation z is ≤ 0 on every training "
                       "point, for an activation with a constant small slope α there (ReLU: "
                       "α = 0, Leaky ReLU: its α), so only α of the gradient reaches it. A dead "
                       "ReLU is asleep; an asleep Leaky ReLU still learns through α and can wake "
                       "up. Activations without such a side (sigmoid, tanh, ELU, Maxout, …) are "
                       "never asleep (shown as —)."),
        "def.diverged": ("Diverged: the training loss became NaN or infinite, or it ended above "
                         "{factor:g}× the larger of ln K (a guess over K classes) and its value "
                         "at epoch 0. Nothing is concluded from a diverged run."),
        "def.revived": ("Revivals: dead → alive transitions from one epoch to the next, "
                        "counted every epoch (not only at snapshots); woken: the same for "
                        "asleep → awake."),
        "def.saturated": ("Saturated: share of (training point, unit) pre-activations "
                          + _SAT_POINT["en"] + " (sigmoid/tanh: both ends; ELU, softplus, GELU, "
                          "SiLU, Mish: z → −∞). An interior flat point, Leaky ReLU's slope α "
                          "and ReLU's zero-gradient side do not count."),
        "point.saturated": _SAT_POINT["en"],
        "def.same_sign": ("Same-sign (batch): among the units whose full-set weight gradient "
                          "is not all zero, the share whose nonzero components all have one "
                          "sign. By chance, for a unit with d inputs and independent signs: "
                          "2^(1−d) (50% for 2 inputs)."),
        "def.same_sign_sample": ("Same-sign (per sample): among the nonzero per-sample "
                                 "updates x·δ of a unit (δ ≠ 0 and x ≠ 0), the share whose "
                                 "nonzero components all have one sign — every one after a "
                                 "ReLU or sigmoid layer, whose outputs are all ≥ 0."),
        "def.same_sign_chance": ("Chance level of same-sign for the layer's fan-in d: "
                                 "2^(1−d)."),
        "fmt.undefined": "—",
    },
    "zh": {
        "def.train_loss": "训练损失：训练集上的平均数据损失（交叉熵），不含 L2 惩罚项。",
        "def.test_loss": "测试损失：测试集上的平均数据损失，不含 L2 惩罚项。",
        "def.train_objective": ("目标函数：训练损失加上 L2 惩罚 λ/2·Σ‖W‖²（只含权重），"
                                "即梯度下降真正最小化的量。"),
        "def.dead": "死亡：隐藏单元的导数 f′(z) 在每个训练样本上都恰好为 0，其输入权重的梯度恰好为零。",
        "def.asleep": ("沉睡：隐藏单元的输入 z 在每个训练样本上都 ≤ 0，且激活函数在该侧是一个小的常数斜率 α"
                       "（ReLU：α = 0；Leaky ReLU：它的 α），因此只有 α 倍的梯度能传到它。死亡的 ReLU "
                       "一定沉睡；沉睡的 Leaky ReLU 仍通过 α 学习，可以醒来。没有这种一侧的激活函数"
                       "（sigmoid、tanh、ELU、Maxout 等）从不沉睡（显示为 —）。"),
        "def.diverged": ("发散：训练损失变成 NaN 或无穷大，或结束时高于 ln K（对 K 个类别随机猜测的损失）与第 0 轮"
                         "损失中较大者的 {factor:g} 倍。发散的运行不用来得出任何结论。"),
        "def.revived": ("复活：相邻两轮之间由死亡变为存活的次数，每一轮都统计（不只在快照时）；"
                        "醒来：同理，由沉睡变为清醒的次数。"),
        "def.saturated": ("饱和：（训练样本, 单元）输入中" + _SAT_POINT["zh"] + "的比例"
                          "（sigmoid/tanh：两端；ELU、softplus、GELU、"
                          "SiLU、Mish：z → −∞）。内部的平坦点、Leaky ReLU 的斜率 α 以及 ReLU "
                          "的零梯度一侧都不算饱和。"),
        "point.saturated": _SAT_POINT["zh"],
        "def.same_sign": ("同号（整批）：在全训练集权重梯度不全为零的单元中，其非零分量同号的比例。"
                          "若符号相互独立，d 个输入的单元同号的概率为 2^(1−d)（2 个输入时为 50%）。"),
        "def.same_sign_sample": ("同号（逐样本）：在某单元非零的逐样本更新 x·δ（δ ≠ 0 且 x ≠ 0）中，"
                                 "非零分量同号的比例——在 ReLU 或 sigmoid 层之后（输出都 ≥ 0）"
                                 "每一个都同号。"),
        "def.same_sign_chance": "该层输入数 d 下同号的随机水平：2^(1−d)。",
        "fmt.undefined": "—",
    },
}
