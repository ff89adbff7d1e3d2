"""Text of the Compare page and its charts (explorer/charts/compare.py), English and 简体中文."""

TEXT = {
    "en": {
        "title": "Compare activations",
        "intro": (
            "The same data, the same network shape, the same seed and the same optimiser — "
            "only the activation function differs. The networks are trained together (those "
            "with the same weight shapes in one stacked array), so every difference below comes "
            "from the activation (and, with *init = auto*, from the initialiser it picks)."),
        "acts": "Activations (2–6)",
        "acts_help": "Which activations to compare, one column each. URL key: acts.",
        "acts_count": "Choose between 2 and 6 activations; showing the previous selection.",
        "target": "Target training accuracy (%)",
        "target_help": ("Epochs to reach this training accuracy are counted for the table, "
                        "the verdict and the seed sweep. URL key: target."),
        "epoch": "Replay: epoch",
        "epoch_help": ("Moves every column (boundary, gradient histograms, dead and saturated "
                       "figures) to the same snapshot. URL key: epoch."),
        "act_params": "Activation parameters",
        "training_many": "Training {n} networks together…",
        "verdict.none": ("No activation reached {target}% training accuracy within {epochs} "
                         "epochs. Try more epochs, a larger learning rate or a lower target."),
        "verdict.one": ("Only {ref} reached {target}% training accuracy (in {e_ref} epochs); "
                        "{never} did not within {epochs} epochs."),
        "verdict.slower": ("{ref} reached {target}% training accuracy in {e_ref} epochs, "
                           "{other} in {e_other} ({ratio}× slower)."),
        "verdict.faster": ("{ref} reached {target}% training accuracy in {e_ref} epochs, "
                           "{other} in {e_other} ({ratio}× faster)."),
        "verdict.same": ("{ref} and {other} both reached {target}% training accuracy in "
                         "{e_ref} epochs."),
        "verdict.never": " {never} never reached it within {epochs} epochs.",
        "verdict.diverged": " {diverged} diverged.",
        "same_start": (
            "Same seed {seed} for every column: the same data, split and batch order. With "
            "*init = auto* each activation gets its recommended initialiser (shown in its "
            "column): columns with the same initialiser start from identical weights. Pick one "
            "initialiser in the sidebar to give every column the same start."),
        "col.init_line": "init: {init}",
        "col.params": "{n} parameters",
        "col.params_more": "{n} parameters ({k}× weights per unit)",
        "col.acc": "train {train} · test {test}",
        "col.dead_sat": "dead {dead} · saturated {sat}",
        "col.diverged": "Diverged at epoch {epoch}: the loss became NaN or infinite; showing "
                        "what was recorded before that.",
        "col.reached": "{target}% reached at epoch {epoch}",
        "col.not_reached": "{target}% not reached",
        "curves": "Loss and accuracy of every network",
        "curves_caption": ("Solid: training set; dashed: test set; colours as in the column "
                           "headers. The grey dashed rule marks the replayed epoch."),
        "log_loss": "Log-scale loss",
        "loss_title": "Loss",
        "acc_title": "Accuracy",
        "summary": "Summary",
        "th.label": "Activation",
        "th.init": "Init",
        "th.n_params": "Parameters",
        "th.train_loss": "Train loss",
        "th.test_loss": "Test loss",
        "th.train_acc": "Train acc.",
        "th.test_acc": "Test acc.",
        "th.epochs_to": "Epochs to {target}%",
        "th.seconds_to": "s to {target}%",
        "th.time": "s per model",
        "th.dead_frac": "Dead %",
        "th.saturated_frac": "Saturated %",
        "th.diverged_at": "Diverged",
        "never": "never",
        "time_note.stack": ("{names} were trained together in one stack: they share one "
                            "measured wall time ({secs:.2f} s), shown divided by {n}."),
        "time_note.alone": "{name} was trained on its own ({secs:.2f} s).",
        "params_note": ("Maxout has {k}× the weights of the other activations (each unit is the "
                        "max of {k} linear pieces), so it has more parameters to fit."),
        "table_note": ("Final numbers are at the last recorded epoch; dead and saturated "
                       "shares at the last snapshot. Seconds to target assume equal time per "
                       "epoch."),
        "layers_expander": "Per-layer figures at epoch {epoch}",
        "col.boundary": "Boundary · epoch {epoch}",
        "columns_caption": ("Boundary: background = the network's P(class 1) (blue 0 ↔ orange "
                            "1), circles = training points, diamonds = test points. Gradient "
                            "histograms: share of each layer's weights per |gradient| decade, "
                            "the same axes in every column; grey bar = exactly zero."),
        "sweep": "Is it real or luck? A seed sweep",
        "sweep_intro": (
            "The lesson quotes ReLU as converging about **6× faster** than sigmoid/tanh "
            "(Krizhevsky et al. 2012: a 4-layer CNN on CIFAR-10 reaching 25% training error). "
            "One run proves little. The sweep repeats this comparison with seeds {seed}… "
            "(new data, split, initial weights and batch order each time) and counts the epochs "
            "each activation needs to reach {target}% training accuracy."),
        "seeds": "Seeds",
        "seeds_help": "How many seeds the sweep repeats the comparison over (2–20). URL key: "
                      "seeds.",
        "run_sweep": "Run the sweep",
        "run_sweep_help": ("Trains every selected activation once per seed (cached: turning it "
                           "on again with the same settings is instant). URL key: sweep."),
        "sweep_off": "Turn on “Run the sweep” to train the comparison over {n} seeds.",
        "sweep_progress": "Seed sweep: {done} of {n} seeds…",
        "sweep_capped": ("These settings are a lot of work per seed: the sweep runs {n} seeds "
                         "instead of {asked} to stay responsive (fewer epochs or a smaller "
                         "network allow more)."),
        "sweep_time": "{n} seeds × {k} activations trained in {secs:.1f} s (engine time).",
        "sweep.verdict": (
            "Over {runs} seeds, {act} needed a median **{ratio}×** as many epochs as {ref} to "
            "reach {target}% training accuracy ({never} of {n} runs never did). The lesson's "
            "figure is about 6× (for a CNN on CIFAR-10)."),
        "sweep.verdict_never": (
            "Over {runs} seeds, {act} did not reach {target}% training accuracy on most seeds "
            "({never} of {n} runs never did), while {ref} did: the median ratio is unbounded "
            "on this budget."),
        "sweep.verdict_none": (
            "{ref} did not reach {target}% training accuracy on these seeds, so there is no "
            "ratio to report. Try more epochs or a lower target."),
        "sweep.th.activation": "Activation",
        "sweep.th.runs": "Runs",
        "sweep.th.never": "Never reached",
        "sweep.th.diverged": "Diverged",
        "sweep.th.median": "Median epochs",
        "sweep.th.iqr": "Middle half (epochs)",
        "sweep.th.median_ratio": "Median ratio to {ref}",
        "sweep.th.final_acc": "Mean final train acc.",
        "sweep.ratio_note": ("Ratio: per seed, this activation's epochs to target divided by "
                             "{ref}'s on the same seed; the median over seeds. A run that never "
                             "reached the target counts as ∞ (“never”), not dropped; seeds on "
                             "which {ref} itself never got there give no ratio."),
        # charts
        "chart.grad_title": "Weight gradients (epoch {epoch})",
        "chart.grad_x": "|gradient|, log scale (0: exactly 0)",
        "chart.layer": "{layer} · ‖g‖ {norm}",
        "chart.layer_sub": "dead {dead} · sat. {sat}",
        "chart.layer_sub_out": "{zero} exactly 0",
        "chart.sweep_title": "Epochs to reach {target}% training accuracy, one dot per seed",
        "chart.sweep_x": "epochs to target",
        "chart.never": "never",
        "chart.median": "median",
        "chart.seed": "seed",
        "chart.epochs": "epochs",
        "chart.final_acc": "final train acc.",
        "chart.ratio_title": "Median epochs to target ÷ {ref}'s (log scale)",
        "chart.ratio_x": "ratio to {ref}",
        "chart.lesson": "lesson: ~6×",
        "chart.activation": "activation",
        "chart.ratio": "median ratio",
    },
    "zh": {
        "title": "激活函数对比",
        "intro": (
            "相同的数据、相同的网络结构、相同的随机种子、相同的优化器——只有激活函数不同。"
            "这些网络一起训练（权重形状相同的放在同一个堆叠数组中），因此下面的所有差异都来自激活函数"
            "（以及在初始化设为*自动*时它所选用的初始化方法）。"),
        "acts": "激活函数（2–6 个）",
        "acts_help": "要比较哪些激活函数，每个占一列。URL 参数：acts。",
        "acts_count": "请选择 2 到 6 个激活函数；当前显示上一次的选择。",
        "target": "目标训练准确率（%）",
        "target_help": "表格、结论和多种子扫描都统计达到这一训练准确率所需的轮数。URL 参数：target。",
        "epoch": "回放：轮次",
        "epoch_help": "把每一列（决策边界、梯度直方图、死亡与饱和数据）移到同一个快照。URL 参数：epoch。",
        "act_params": "激活函数参数",
        "training_many": "正在同时训练 {n} 个网络…",
        "verdict.none": "在 {epochs} 轮内没有任何激活函数达到 {target}% 的训练准确率。"
                        "请尝试更多轮数、更大的学习率或更低的目标。",
        "verdict.one": "只有 {ref} 达到了 {target}% 的训练准确率（用了 {e_ref} 轮）；"
                       "{never} 在 {epochs} 轮内没有达到。",
        "verdict.slower": "{ref} 用 {e_ref} 轮达到 {target}% 的训练准确率，{other} 用了 "
                          "{e_other} 轮（慢 {ratio} 倍）。",
        "verdict.faster": "{ref} 用 {e_ref} 轮达到 {target}% 的训练准确率，{other} 只用了 "
                          "{e_other} 轮（快 {ratio} 倍）。",
        "verdict.same": "{ref} 和 {other} 都用 {e_ref} 轮达到了 {target}% 的训练准确率。",
        "verdict.never": "{never} 在 {epochs} 轮内始终没有达到。",
        "verdict.diverged": "{diverged} 发散了。",
        "same_start": (
            "每一列都使用相同的种子 {seed}：相同的数据、划分和批次顺序。在初始化设为*自动*时，"
            "每个激活函数使用其推荐的初始化方法（显示在各列中）：初始化方法相同的列从完全相同的权重出发。"
            "在侧边栏中指定一种初始化方法，即可让所有列从同一起点出发。"),
        "col.init_line": "初始化：{init}",
        "col.params": "{n} 个参数",
        "col.params_more": "{n} 个参数（每个单元 {k} 倍权重）",
        "col.acc": "训练 {train} · 测试 {test}",
        "col.dead_sat": "死亡 {dead} · 饱和 {sat}",
        "col.diverged": "在第 {epoch} 轮发散：损失变成了 NaN 或无穷大；下面显示发散之前记录的内容。",
        "col.reached": "第 {epoch} 轮达到 {target}%",
        "col.not_reached": "未达到 {target}%",
        "curves": "所有网络的损失与准确率",
        "curves_caption": "实线：训练集；虚线：测试集；颜色与各列标题相同。灰色虚线标出回放的轮次。",
        "log_loss": "损失用对数坐标",
        "loss_title": "损失",
        "acc_title": "准确率",
        "summary": "汇总",
        "th.label": "激活函数",
        "th.init": "初始化",
        "th.n_params": "参数量",
        "th.train_loss": "训练损失",
        "th.test_loss": "测试损失",
        "th.train_acc": "训练准确率",
        "th.test_acc": "测试准确率",
        "th.epochs_to": "达到 {target}% 轮数",
        "th.seconds_to": "达到 {target}% 秒数",
        "th.time": "每个模型秒数",
        "th.dead_frac": "死亡 %",
        "th.saturated_frac": "饱和 %",
        "th.diverged_at": "发散轮次",
        "never": "从未",
        "time_note.stack": "{names} 在同一个堆叠中一起训练：它们共享一次实测耗时（{secs:.2f} 秒），"
                           "表中显示的是它除以 {n} 的值。",
        "time_note.alone": "{name} 单独训练（{secs:.2f} 秒）。",
        "params_note": "Maxout 的权重是其他激活函数的 {k} 倍（每个单元取 {k} 个线性分段的最大值），"
                       "因此要拟合的参数更多。",
        "table_note": "最终数值取最后记录的轮次；死亡与饱和比例取最后一个快照。达到目标的秒数假设每轮耗时相同。",
        "layers_expander": "第 {epoch} 轮的逐层数据",
        "col.boundary": "边界 · 第 {epoch} 轮",
        "columns_caption": ("决策边界：背景为网络给出的 P(类别 1)（蓝 0 ↔ 橙 1），圆点为训练样本，菱形为测试样本。"
                            "梯度直方图：每层权重按 |梯度| 数量级的占比，各列坐标轴相同；灰色条表示恰为零。"),
        "sweep": "是真实差异还是运气？多种子扫描",
        "sweep_intro": (
            "课程中提到 ReLU 的收敛速度约为 sigmoid/tanh 的 **6 倍**（Krizhevsky 等人 2012："
            "一个 4 层 CNN 在 CIFAR-10 上达到 25% 训练误差）。单次运行说明不了什么。扫描用种子 "
            "{seed}… 重复这个对比（每次都换新的数据、划分、初始权重和批次顺序），"
            "统计每个激活函数达到 {target}% 训练准确率所需的轮数。"),
        "seeds": "种子数",
        "seeds_help": "扫描重复对比的种子个数（2–20）。URL 参数：seeds。",
        "run_sweep": "运行扫描",
        "run_sweep_help": "每个种子把所选的激活函数各训练一次（有缓存：相同设置再次打开会立即显示）。"
                          "URL 参数：sweep。",
        "sweep_off": "打开“运行扫描”，在 {n} 个种子上训练这个对比。",
        "sweep_progress": "多种子扫描：已完成 {done} / {n} 个种子…",
        "sweep_capped": "这些设置每个种子的计算量很大：为保持响应，扫描只运行 {n} 个种子而不是 {asked} 个"
                        "（减少轮数或缩小网络即可运行更多）。",
        "sweep_time": "{n} 个种子 × {k} 个激活函数，训练耗时 {secs:.1f} 秒（引擎时间）。",
        "sweep.verdict": (
            "在 {runs} 个种子上，{act} 达到 {target}% 训练准确率所需轮数的中位数是 {ref} 的 "
            "**{ratio} 倍**（{n} 次运行中有 {never} 次始终没有达到）。课程给出的数字约为 6 倍"
            "（CIFAR-10 上的 CNN）。"),
        "sweep.verdict_never": (
            "在 {runs} 个种子上，{act} 在大多数种子上都没有达到 {target}% 的训练准确率"
            "（{n} 次运行中有 {never} 次没有达到），而 {ref} 达到了：在这个轮数预算下比值的中位数没有上界。"),
        "sweep.verdict_none": (
            "{ref} 在这些种子上没有达到 {target}% 的训练准确率，因此无法给出比值。"
            "请尝试更多轮数或更低的目标。"),
        "sweep.th.activation": "激活函数",
        "sweep.th.runs": "运行次数",
        "sweep.th.never": "未达到",
        "sweep.th.diverged": "发散",
        "sweep.th.median": "轮数中位数",
        "sweep.th.iqr": "中间一半（轮）",
        "sweep.th.median_ratio": "与 {ref} 之比的中位数",
        "sweep.th.final_acc": "平均最终训练准确率",
        "sweep.ratio_note": ("比值：在每个种子上，用该激活函数达到目标的轮数除以 {ref} 在同一种子上的轮数，"
                             "再取各种子的中位数。始终未达到目标的运行记为 ∞（“从未”），不会被丢弃；"
                             "{ref} 自身未达到目标的种子不计算比值。"),
        "chart.grad_title": "权重梯度（第 {epoch} 轮）",
        "chart.grad_x": "|梯度|，对数坐标（0：恰为零）",
        "chart.layer": "{layer} · ‖g‖ {norm}",
        "chart.layer_sub": "死亡 {dead} · 饱和 {sat}",
        "chart.layer_sub_out": "{zero} 恰为 0",
        "chart.sweep_title": "达到 {target}% 训练准确率所需的轮数，每个点是一个种子",
        "chart.sweep_x": "达到目标的轮数",
        "chart.never": "从未",
        "chart.median": "中位数",
        "chart.seed": "种子",
        "chart.epochs": "轮数",
        "chart.final_acc": "最终训练准确率",
        "chart.ratio_title": "达到目标的轮数中位数 ÷ {ref}（对数坐标）",
        "chart.ratio_x": "与 {ref} 之比",
        "chart.lesson": "课程：约 6 倍",
        "chart.activation": "激活函数",
        "chart.ratio": "比值中位数",
    },
}
