"""Text of the network diagram (explorer/charts/network.py) and the input features
(English and 简体中文)."""

TEXT = {
    "en": {
        "title": "Epoch {epoch}: what each unit computes over the input plane",
        "thinned": ("Weights are kept at {kept} of {total} snapshots for a network this size: "
                    "showing epoch {epoch}, the nearest."),
        "section": "The network",
        "details": ("The network in detail at the epoch shown (the live player above animates "
                    "it; here every unit and link has its full tooltip, Maxout's pieces too)"),
        "caption": ("Columns are layers, from the input features on the left to the output on "
                    "the right; each square is what one unit computes over the input plane "
                    "(the boundary chart's axes). Teal is positive, brown negative, each unit "
                    "scaled to its own largest value; the output shows the class probability "
                    "as the boundary chart does. Links are weights: teal positive, brown "
                    "negative, thicker for larger |w|. A grey, crossed square is a dead unit "
                    "(zero gradient on every training point); a purple frame marks a "
                    "saturated unit: at least {share} of its training points saturated, as the "
                    "layer table counts them ({point}). Point at a unit for its numbers."),
        "inputs": "inputs",
        "more": "+{k} more",
        "n_units": "{n} units",
        "n_features": "{n} features",
        "n_classes": "{n} classes",
        "more_dead": "{d} dead",
        "unit_name": "{layer}, unit {n}",
        "tip.unit": "unit",
        "tip.what": "computes",
        "tip.mean": "mean activation (training points)",
        "tip.range": "range over the plane",
        "tip.bias": "bias",
        "tip.weights": "incoming weights",
        "tip.weights_maxout": "incoming weights (the piece of largest |w|)",
        "thinned_one": "weights of epoch {epoch}, the nearest kept",
        "legend.dead": "dead unit (zero gradient on every training point)",
        "legend.saturated": "saturated unit",
        "legend.links": "links: teal w > 0, brown w < 0, thicker for larger |w|",
        "tip.state": "state",
        "tip.saturated": "saturated share",
        "state.dead": "dead",
        "state.saturated": "saturated",
        "state.alive": "active",
        "piece": "piece {n}",
        "out.binary": "probability of class 1",
        "out.class": "probability of class {k}",
        "feature.x1": "the first coordinate x₁",
        "feature.x2": "the second coordinate x₂",
        "feature.x1sq": "the square of x₁",
        "feature.x2sq": "the square of x₂",
        "feature.x1x2": "the product of x₁ and x₂",
        "feature.sinx1": "the sine of x₁",
        "feature.sinx2": "the sine of x₂",
        "features_help": ("What the network sees of a point (x₁, x₂). With x₁² and x₂² a "
                          "circle is a straight line for the network: no hidden layer needed."),
    },
    "zh": {
        "title": "第 {epoch} 轮：每个单元在输入平面上计算的结果",
        "thinned": "网络较大，只在 {total} 个快照中的 {kept} 个保存了权重：显示最近的第 {epoch} 轮。",
        "section": "网络结构",
        "details": "当前轮次的网络细节（上方的实时播放器会播放它的动画；这里每个单元和连接都有完整的提示，包括 Maxout 的每一段）",
        "caption": ("每一列是一层：最左边是输入特征，最右边是输出；每个小方块是一个单元在输入平面"
                    "（即决策边界图的坐标）上的输出。青色为正、棕色为负，每个单元按自身的最大值"
                    "缩放；输出单元与决策边界图一样显示类别概率。连线是权重：青色为正、棕色为负，"
                    "|w| 越大线越粗。灰色打叉的方块是死亡单元（对所有训练样本梯度都为零）；紫色方"
                    "框表示饱和单元：至少 {share} 的训练样本处于饱和状态，与各层统计表的定义相同（{point}）。把鼠标移到单元上"
                    "可查看数值。"),
        "inputs": "输入",
        "more": "另有 {k} 个",
        "n_units": "{n} 个单元",
        "n_features": "{n} 个特征",
        "n_classes": "{n} 个类别",
        "more_dead": "其中 {d} 个死亡",
        "unit_name": "{layer}，单元 {n}",
        "tip.unit": "单元",
        "tip.what": "计算",
        "tip.mean": "平均激活值（训练样本）",
        "tip.range": "在平面上的取值范围",
        "tip.bias": "偏置",
        "tip.weights": "输入权重",
        "tip.weights_maxout": "输入权重（|w| 最大的一段）",
        "thinned_one": "使用最近保存的第 {epoch} 轮的权重",
        "legend.dead": "死亡单元（对所有训练样本梯度都为零）",
        "legend.saturated": "饱和单元",
        "legend.links": "连线：青色 w > 0，棕色 w < 0，|w| 越大线越粗",
        "tip.state": "状态",
        "tip.saturated": "饱和比例",
        "state.dead": "死亡",
        "state.saturated": "饱和",
        "state.alive": "活跃",
        "piece": "第 {n} 段",
        "out.binary": "属于类别 1 的概率",
        "out.class": "属于类别 {k} 的概率",
        "feature.x1": "第一个坐标 x₁",
        "feature.x2": "第二个坐标 x₂",
        "feature.x1sq": "x₁ 的平方",
        "feature.x2sq": "x₂ 的平方",
        "feature.x1x2": "x₁ 与 x₂ 的乘积",
        "feature.sinx1": "x₁ 的正弦",
        "feature.sinx2": "x₂ 的正弦",
        "features_help": "网络看到的点 (x₁, x₂) 的哪些量。加上 x₁² 和 x₂² 后，圆对网络来说就是一条直线：不需要隐藏层。",
    },
}
