"""Lecture presets (``explorer.presets``): ``<preset>.title`` and ``<preset>.description``."""

TEXT = {
    "en": {
        "sigmoid_vanishes.title": "Sigmoid vanishes in a deep net",
        "sigmoid_vanishes.description": ("Six sigmoid layers. σ′ ≤ 1/4: through every layer "
                                         "the derivative alone multiplies the backward signal "
                                         "by at most a quarter (the weights multiply it too): "
                                         "compare the gradient norms in the histogram titles of "
                                         "the first and the last layer, and look at the flat "
                                         "loss curve."),
        "zero_init_relu.title": "Zero init freezes a ReLU net",
        "zero_init_relu.description": ("All weights start at 0. Every hidden pre-activation is "
                                       "0, ReLU′(0) = 0, so no weight ever gets a gradient: the "
                                       "histograms show only the “exactly 0” bar and every unit "
                                       "is dead. Switch the initialiser to He or Xavier to "
                                       "bring the net to life."),
        "large_lr_kills_relu.title": "A large learning rate kills ReLUs",
        "large_lr_kills_relu.description": ("Plain SGD with learning rate 3. The big steps push "
                                            "many ReLUs to a region where they are negative on "
                                            "every training point. While a unit is dead the data "
                                            "send it no gradient, so its own weights stop; the "
                                            "layers below it still move and can open it again "
                                            "(a revival). Drag the epoch slider and watch the "
                                            "dead-unit column of the table."),
        "leaky_keeps_alive.title": "Leaky ReLU keeps them alive",
        "leaky_keeps_alive.description": ("Plain SGD with a large learning rate (2.5) and Leaky "
                                          "ReLU with slope 0.01: a negative input still passes "
                                          "1% of the gradient, so a unit pushed below zero on "
                                          "every point is asleep, not dead: it keeps learning "
                                          "and can wake up, and the net trains. "
                                          "Switch the activation to ReLU to see units die at "
                                          "the same learning rate."),
        "maxout_spirals.title": "Maxout on spirals",
        "maxout_spirals.description": ("Two interleaved spirals learned by Maxout units (the "
                                       "max of k = 2 linear pieces): twice the weights of ReLU, "
                                       "but no unit can die or saturate. Compare the parameter "
                                       "count and the boundary with ReLU by switching the "
                                       "activation."),
    },
    "zh": {
        "sigmoid_vanishes.title": "深层 sigmoid 网络的梯度消失",
        "sigmoid_vanishes.description": ("六个 sigmoid 隐藏层。σ′ ≤ 1/4：反向传播每经过一层，仅导数这一项就让信号至多乘以四分之一（权重也会乘进来）："
                                         "对比直方图标题中第一层与最后一层的梯度范数，再看几乎不降的损失曲线。"),
        "zero_init_relu.title": "全零初始化冻结 ReLU 网络",
        "zero_init_relu.description": ("所有权重初始为 0。每个隐藏单元的输入都是 0，而 ReLU′(0) = 0，于是没有任何权重得到梯度："
                                       "直方图只剩“恰为 0”那一柱，所有单元都是死的。把初始化换成 He 或 Xavier，网络就活过来了。"),
        "large_lr_kills_relu.title": "过大的学习率杀死 ReLU",
        "large_lr_kills_relu.description": ("学习率 3 的普通 SGD。过大的步子把许多 ReLU 推到对所有训练样本都为负的区域，"
                                            "单元死亡期间数据不给它任何梯度，它自己的权重停住了；但它下面的层仍在变化，可能让它重新打开（复活）。"
                                            "拖动轮次滑块，看表格中“死亡单元”一栏。"),
        "leaky_keeps_alive.title": "Leaky ReLU 让它们活着",
        "leaky_keeps_alive.description": ("学习率较大（2.5）的普通 SGD，配合斜率 0.01 的 Leaky ReLU：负输入仍能传回 1% "
                                          "的梯度，即使某个单元对所有样本都为负，它也只是沉睡而非死亡：仍在学习、可以醒来，网络照常训练。把激活函数换成 ReLU，"
                                          "看看同样的学习率下单元如何死亡。"),
        "maxout_spirals.title": "Maxout 学螺旋",
        "maxout_spirals.description": ("用 Maxout 单元（k = 2 个线性函数取最大）学习两条交错的螺旋：参数是 ReLU 的两倍，"
                                       "但没有单元会死亡或饱和。切换激活函数，对比参数量和决策边界。"),
    },
}
