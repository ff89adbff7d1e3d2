"""Text of the zig-zag page (English and 简体中文)."""

TEXT = {
    "en": {
        "title": "Zig-zag updates",
        "intro": (
            "Why zero-centred activations matter. One neuron with two weights and no bias learns "
            "from targets made by **w\\* = (2, −2)**: one weight must go up, the other down. It "
            "is trained by per-sample SGD from (0, 0). Each update is the input times one number "
            "δ, so if both inputs are **positive** (they come from a sigmoid layer) both weights "
            "move the same way — both up or both down — and the path becomes a staircase. With "
            "**zero-centred** inputs (from a tanh layer) an update can point anywhere. Both input "
            "kinds are made from the same Gaussian draws g: x = sigmoid(g) or x = tanh(g)."),
        "sec_neuron": "Two-weight neuron",
        "nlr": "Learning rate η",
        "nlr_help": "Step size of the per-sample SGD updates of the two-weight neuron.",
        "steps": "SGD steps",
        "steps_help": "Number of per-sample updates (batch size 1).",
        "inputs": "Inputs",
        "inputs_help": "All-positive inputs (like a sigmoid layer's outputs), zero-centred ones "
                       "(like tanh's), or both side by side.",
        "out": "Output and loss",
        "out_help": "Linear output with squared error, or sigmoid output with cross-entropy "
                    "(soft targets). The gradient is x·δ either way.",
        "out.linear": "linear · squared error",
        "out.sigmoid": "sigmoid · cross-ent.",
        "kind.positive": "all-positive x = sigmoid(g)",
        "kind.centred": "zero-centred x = tanh(g)",
        "kind_short.positive": "all-positive (sigmoid)",
        "kind_short.centred": "zero-centred (tanh)",
        "seed_note": "Seed (sidebar → Data) drives both the neuron's data and the network.",
        "none_selected": "Choose at least one kind of input.",
        "verdict_header": "What the numbers say",
        "verdict.reach": "{kind}: {result} to get within {tol:g} of w\\*.",
        "result.reached": "**{n} steps**",
        "result.missed": "**not reached in {budget} steps**",
        "verdict.ratio": "The all-positive inputs needed **{ratio:.1f}×** as many steps.",
        "verdict.same": (
            "**{pos:.0f}%** of the all-positive updates have both components of one sign "
            "(the staircase: both weights up or both down), against {cen:.0f}% of the "
            "zero-centred ones."),
        "verdict.same_one": "**{pct:.0f}%** of the updates ({kind}) have both components of one sign.",
        "verdict.sweep": (
            "On seeds {first}–{last} the all-positive inputs needed more steps **{slower} times "
            "out of {n}** (median {mp} vs {mc} steps)."),
        "verdict.cond": (
            "Why: with all-positive inputs (mean ≈ ({m0:.2f}, {m1:.2f})) the loss is a long, "
            "narrow valley — the curvature ratio of E[x xᵀ] is {cp:.1f}, against {cc:.1f} for "
            "the zero-centred ones — steep along (1, 1) and shallow along (1, −1), exactly the "
            "direction to w\\*."),
        "diverged": "The {kind} run diverged at step {step}: lower the learning rate.",
        "contour.sub_reached": "loss over (w₀, w₁) · within {tol:g} of w* after {n} steps",
        "contour.sub_missed": "loss over (w₀, w₁) · not within {tol:g} of w* in {budget} steps",
        "chart.distance": "Distance to the optimum",
        "chart.distance_sub": "‖w − w*‖ after each step (log scale); dashed: tolerance {tol:g}",
        "chart.quadrants": "Direction of each update",
        "chart.quadrants_sub": "sign quadrant of (Δw₀, Δw₁), share of all steps",
        "chart.sweep": "Steps to reach w* on other seeds",
        "chart.sweep_sub": "faded and “—”: not reached within the step budget",
        "axis.step": "step",
        "axis.distance": "‖w − w*‖",
        "axis.quadrant": "(sign Δw₀, sign Δw₁)",
        "axis.share": "share of updates",
        "axis.seed": "seed",
        "axis.steps": "steps to w*",
        "axis.inputs": "inputs",
        "axis.same_sign": "same-sign share",
        "axis.activation": "activation",
        "axis.layer": "layer",
        "tip.mark": "point",
        "layer.hidden": "hidden {n}",
        "layer.output": "output",
        "legend.loss": "log₁₀ loss",
        "legend.loss_raw": "loss",
        "mark.start": "start (0, 0)",
        "mark.opt": "optimum w* = (2, −2)",
        "net_header": "In a real network: sigmoid vs tanh, layer by layer",
        "about_net": "About this comparison",
        "net_intro": (
            "The same effect inside a trained network: the same data, widths, initial seed and "
            "schedule, once with sigmoid and once with tanh in every hidden layer. For each "
            "layer: how many of the per-sample weight updates x·δ of a unit have all components "
            "of one sign. Layer 1 reads the (zero-centred) data in both networks; every deeper "
            "layer reads the previous layer's activations."),
        "chart.sample": "Per-sample updates with all components of one sign",
        "chart.sample_sub": "share of (sample, unit) updates x·δ, mean over checkpoints",
        "chart.batch": "Whole-batch gradients with all components of one sign",
        "chart.batch_sub": "share of units whose full-training-set weight gradient is one-signed",
        "net.verdict_first": (
            "Layer 1 reads the zero-centred data in both: **{s:.0f}%** (sigmoid) and **{t:.0f}%** "
            "(tanh) of its per-sample updates are one-signed."),
        "net.verdict_deep": (
            "Deeper layers read the previous layer's outputs: **{s:.0f}%** one-signed after "
            "sigmoid, **{t:.0f}%** after tanh."),
        "net.verdict_batch": (
            "Summed over the whole training set the constraint loosens: {s:.0f}% of the "
            "sigmoid units' full gradients are one-signed ({t:.0f}% for tanh) — the staircase "
            "is a per-sample effect that averaging softens (and zero-centring removes)."),
        "net_caption": (
            "Network: hidden layers {hidden}, {dataset}, {epochs} epochs, batch {batch}, "
            "learning rate {lr:g}, seed {seed}; final training accuracy {acc_s:.0%} (sigmoid) "
            "and {acc_t:.0%} (tanh). Change the network in the sidebar."),
        "net_failed": "The network runs could not be trained: {error}",
    },
    "zh": {
        "title": "之字形更新",
        "intro": (
            "为什么激活函数要以零为中心。一个只有两个权重、没有偏置的神经元，学习由 **w\\* = (2, −2)** "
            "生成的目标：一个权重要变大，另一个要变小。它从 (0, 0) 出发，按单样本 SGD 训练。"
            "每次更新都是输入乘以同一个数 δ，所以如果两个输入都是**正的**（来自 sigmoid 层），"
            "两个权重只能同向移动——同时变大或同时变小——路径就成了阶梯。若输入**以零为中心**"
            "（来自 tanh 层），更新可以指向任何方向。两种输入来自同一组高斯样本 g：x = sigmoid(g) 或 x = tanh(g)。"),
        "sec_neuron": "两权重神经元",
        "nlr": "学习率 η",
        "nlr_help": "两权重神经元单样本 SGD 更新的步长。",
        "steps": "SGD 步数",
        "steps_help": "单样本更新的次数（批大小为 1）。",
        "inputs": "输入",
        "inputs_help": "全正的输入（类似 sigmoid 层的输出）、以零为中心的输入（类似 tanh 的输出），或两者并排。",
        "out": "输出与损失",
        "out_help": "线性输出配平方误差，或 sigmoid 输出配交叉熵（软目标）。两种情况下梯度都是 x·δ。",
        "out.linear": "线性 · 平方误差",
        "out.sigmoid": "sigmoid · 交叉熵",
        "kind.positive": "全正 x = sigmoid(g)",
        "kind.centred": "零中心 x = tanh(g)",
        "kind_short.positive": "全正 x = sigmoid(g)",
        "kind_short.centred": "零中心 x = tanh(g)",
        "seed_note": "随机种子（侧栏 → 数据）同时决定神经元的数据和网络。",
        "none_selected": "请至少选择一种输入。",
        "verdict_header": "数据告诉我们什么",
        "verdict.reach": "{kind}：{result}到达 w\\* 的 {tol:g} 范围内。",
        "result.reached": "用了 **{n} 步**",
        "result.missed": "**{budget} 步内未能**",
        "verdict.ratio": "全正输入所需的步数是零中心输入的 **{ratio:.1f} 倍**。",
        "verdict.same": (
            "全正输入的更新中有 **{pos:.0f}%** 两个分量同号（阶梯：两个权重同时变大或同时变小），"
            "零中心输入则为 {cen:.0f}%。"),
        "verdict.same_one": "（{kind}）有 **{pct:.0f}%** 的更新两个分量同号。",
        "verdict.sweep": (
            "在种子 {first}–{last} 上，全正输入有 **{n} 次中的 {slower} 次**需要更多步数"
            "（中位数 {mp} 对 {mc} 步）。"),
        "verdict.cond": (
            "原因：全正输入（均值 ≈ ({m0:.2f}, {m1:.2f})）使损失成为一条狭长的山谷——E[x xᵀ] 的曲率比为 "
            "{cp:.1f}，而零中心输入只有 {cc:.1f}——沿 (1, 1) 方向陡峭，沿 (1, −1) 方向平缓，"
            "而后者正是通往 w\\* 的方向。"),
        "diverged": "{kind} 的训练在第 {step} 步发散：请降低学习率。",
        "contour.sub_reached": "(w₀, w₁) 上的损失 · {n} 步后进入 w* 的 {tol:g} 范围",
        "contour.sub_missed": "(w₀, w₁) 上的损失 · {budget} 步内未进入 w* 的 {tol:g} 范围",
        "chart.distance": "到最优点的距离",
        "chart.distance_sub": "每一步后的 ‖w − w*‖（对数坐标）；虚线：容差 {tol:g}",
        "chart.quadrants": "每次更新的方向",
        "chart.quadrants_sub": "(Δw₀, Δw₁) 的符号象限，占全部步数的比例",
        "chart.sweep": "其他随机种子下到达 w* 的步数",
        "chart.sweep_sub": "淡色且标“—”：在步数预算内未到达",
        "axis.step": "步",
        "axis.distance": "‖w − w*‖",
        "axis.quadrant": "(Δw₀ 符号, Δw₁ 符号)",
        "axis.share": "更新所占比例",
        "axis.seed": "随机种子",
        "axis.steps": "到达 w* 的步数",
        "axis.inputs": "输入",
        "axis.same_sign": "同号比例",
        "axis.activation": "激活函数",
        "axis.layer": "层",
        "tip.mark": "标记点",
        "layer.hidden": "隐藏层 {n}",
        "layer.output": "输出层",
        "legend.loss": "log₁₀ 损失",
        "legend.loss_raw": "损失",
        "mark.start": "起点 (0, 0)",
        "mark.opt": "最优点 w* = (2, −2)",
        "net_header": "在真实网络中：sigmoid 对比 tanh，逐层来看",
        "about_net": "关于这个对比",
        "net_intro": (
            "训练好的网络里同样有这种效应：相同的数据、宽度、初始种子和训练安排，一次所有隐藏层用 sigmoid，"
            "一次用 tanh。对每一层统计：一个神经元的单样本权重更新 x·δ 中，所有分量同号的比例。"
            "两个网络的第 1 层读取的都是（以零为中心的）数据；更深的层读取的是上一层的激活值。"),
        "chart.sample": "所有分量同号的单样本更新",
        "chart.sample_sub": "(样本, 神经元) 更新 x·δ 中的比例，对各检查点取平均",
        "chart.batch": "所有分量同号的整批梯度",
        "chart.batch_sub": "在整个训练集上权重梯度同号的神经元比例",
        "net.verdict_first": (
            "两个网络的第 1 层读取的都是零中心的数据：单样本更新中同号的比例为 **{s:.0f}%**（sigmoid）"
            "和 **{t:.0f}%**（tanh）。"),
        "net.verdict_deep": (
            "更深的层读取上一层的输出：sigmoid 之后 **{s:.0f}%** 同号，tanh 之后 **{t:.0f}%**。"),
        "net.verdict_batch": (
            "在整个训练集上求和后约束变松：sigmoid 网络中 {s:.0f}% 的神经元整体梯度同号（tanh 为 {t:.0f}%）"
            "——阶梯是单样本层面的效应，平均会减弱它（而零中心会消除它）。"),
        "net_caption": (
            "网络：隐藏层 {hidden}，数据集 {dataset}，{epochs} 轮，批大小 {batch}，学习率 {lr:g}，种子 {seed}；"
            "最终训练准确率 {acc_s:.0%}（sigmoid）和 {acc_t:.0%}（tanh）。可在侧栏中修改网络。"),
        "net_failed": "无法训练这两个网络：{error}",
    },
}
