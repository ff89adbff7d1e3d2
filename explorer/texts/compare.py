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
        "big": "Boundaries only, large",
        "big_help": ("The player shows just the decision boundaries, in as many rows as makes "
                     "them largest while all fit the window (for the back of the room: scroll "
                     "them into view; Space plays or pauses once you click the player); the "
                     "curves come back when off."),
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
        "columns_caption": ("Boundaries (in the player above): background = the network's "
                            "P(class 1) (blue 0 ↔ orange 1), circles = training points, "
                            "diamonds = test points; pausing the player sets the epoch of "
                            "these columns and the URL. Gradient "
                            "histograms: share of each layer's weights per |gradient| decade, "
                            "the same axes in every column; grey bar = exactly zero."),
        "sweep": "Is it real or luck? A seed sweep",
        "sweep_intro": (
            "The lesson quotes ReLU as converging about **6× faster** than tanh (Krizhevsky "
            "et al. 2012: **ReLU vs tanh**, a 4-layer CNN on CIFAR-10 reaching 25% training "
            "error, each network with its own tuned learning rate). One run proves little. The "
            "sweep repeats this comparison with seeds {seed}… (new data, split, initial weights "
            "and batch order each time) and counts the epochs each activation needs to reach "
            "{target}% training accuracy."),
        "protocol": "Reference protocol",
        "protocol_help": (
            "On (default): each activation gets its own learning rate, chosen by a small grid "
            "search on tuning seeds that the sweep never uses, and all use the same "
            "initialiser — as in the lesson's experiment. A rate whose run failed to learn is "
            "never chosen. Off: every activation uses the sidebar's learning rate and "
            "initialiser. URL key: protocol."),
        "sweep.protocol_on": (
            "**Reference protocol.** One initialiser for all: **{init}**. Learning rate per "
            "activation: tried {grid} on {n_tune} tuning seeds ({tseeds}: other data, splits, "
            "initial weights and batches than the sweep's seeds), {tepochs} epochs each, and "
            "kept the rate with the smallest median number of epochs to {target}% training "
            "accuracy among the rates that learned on every tuning seed (reached {target}%, "
            "did not diverge, ended at least {floor}%). A rate that failed to learn on any "
            "tuning seed is never chosen."),
        "sweep.unchosen": ("No learning rate learned on every tuning seed for {acts}: kept "
                           "the sidebar's rate {lr}."),
        "sweep.protocol_init": ("**Reference protocol, without the search.** One initialiser "
                                "for all: **{init}**; every activation uses the sidebar's "
                                "learning rate {lr}."),
        "sweep.protocol_off": (
            "**Quick mode** (not the lesson's protocol): every activation uses the sidebar's "
            "learning rate {lr}, and the initialiser shown in the table. Turn on “Reference "
            "protocol” for a learning rate per activation and one initialiser for all."),
        "sweep.grid_small": ("The full learning-rate search does not fit the work budget with "
                             "these settings: trying {grid} only."),
        "sweep.no_search": ("A learning-rate search does not fit the work budget with these "
                            "settings: every activation uses the sidebar's learning rate."),
        "sweep.tuning_progress": "Learning-rate search on the tuning seeds…",
        "sweep.tuning": "Learning-rate search (tuning seeds {tseeds})",
        "sweep.tune.activation": "Activation",
        "sweep.tune.lr": "Learning rate",
        "sweep.tune.epochs_to": "Median epochs to {target}%",
        "sweep.tune.final_acc": "Median final train acc.",
        "sweep.tune.learned": "Learned on",
        "sweep.tune.seeds": "Tuning seeds",
        "sweep.tune.diverged": "Diverged",
        "sweep.tune.eligible": "Eligible",
        "sweep.tune.chosen": "Chosen",
        "sweep.pair.slower": (
            "**{ref} vs {act}**: {act} needed a median **{ratio}** {ref}'s epochs to reach "
            "{target}% ({cov}% interval over {n} seeds: {ci}): {ref} was faster."),
        "sweep.pair.faster": (
            "**{ref} vs {act}**: {act} needed a median **{ratio}** {ref}'s epochs to reach "
            "{target}% ({cov}% interval over {n} seeds: {ci}): {act} was faster."),
        "sweep.pair.unclear": (
            "**{ref} vs {act}**: {act} needed a median **{ratio}** {ref}'s epochs to reach "
            "{target}% ({cov}% interval over {n} seeds: {ci}): the interval contains 1×, so "
            "no clear winner on these seeds."),
        "sweep.pair.unknown": (
            "**{ref} vs {act}**: too many runs never reached {target}% to bound the median "
            "ratio ({act} on {never_act}, {ref} on {never_ref} of {n} seeds; interval {ci})."),
        "sweep.pair.never": (" Never reached it (counted as more than the budget): {act} on "
                             "{never_act}, {ref} on {never_ref} of {n} seeds."),
        "sweep.lesson_pair": " *(the pair the lesson's 6× is about)*",
        "sweep.lesson": (
            "The lesson's **~6×** is Krizhevsky et al. (2012): **ReLU vs tanh** in a 4-layer "
            "CNN on CIFAR-10 (epochs to 25% training error), each network's learning rate "
            "tuned to train as fast as possible. Why a small MLP on 2-D data shows much less: "
            "there, every one of several layers of saturating tanh units shrank the gradient "
            "on its way back through a large network learning a hard task over many epochs; "
            "here two hidden layers of 16 units learn an easy 2-D boundary in a handful of "
            "epochs, so saturation has few layers to compound over and little time to cost."),
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
        "sweep_too_big": ("These settings are too much work for a sweep: even {min} seeds would "
                          "take {times}× its budget, so the sweep is not run. Fewer epochs, "
                          "fewer points, a smaller network or fewer activations make it fit."),
        "sweep_time": "{n} seeds × {k} activations trained in {secs:.1f} s (engine time).",
        "sweep.verdict_none": (
            "{ref} did not reach {target}% training accuracy on these seeds, so there is no "
            "ratio to report. Try more epochs or a lower target."),
        "sweep.th.activation": "Activation",
        "sweep.th.init": "Init",
        "sweep.th.lr": "Learning rate",
        "sweep.th.ci": "{cov}% interval (sign test)",
        "sweep.th.runs": "Runs",
        "sweep.th.never": "Never reached",
        "sweep.th.diverged": "Diverged",
        "sweep.th.median": "Median epochs",
        "sweep.th.iqr": "Middle half (epochs)",
        "sweep.th.median_ratio": "Median ratio to {ref}",
        "sweep.th.final_acc": "Mean final train acc.",
        "sweep.ratio_note": (
            "Ratio: per seed, this activation's epochs to target divided by {ref}'s on the "
            "same seed, then the median over seeds. A run that never reached the target "
            "within its E epochs needed more than E (“> E”); it is counted on whichever side "
            "it is — this activation's (ratio ≥ (E+1)/{ref}'s epochs) or {ref}'s (ratio ≤ "
            "epochs/(E+1)) — and no seed is dropped. When those bounds decide the median it "
            "is shown as a bound (≥, ≤, or a range). Interval: the exact sign-test interval "
            "for the median over seeds (distribution-free; coverage at least the stated %: "
            "with few seeds it is the whole range from the smallest to the largest)."),
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
        "chart.ratio_title": "Epochs ÷ {ref}'s: median, interval over seeds",
        "chart.ratio_x": "ratio to {ref}",
        "chart.lesson": "lesson: ~6×\n(ReLU vs tanh, CNN)",
        "chart.ci": "interval over seeds",
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
        "act_params": "激活函数参数",
        "training_many": "正在同时训练 {n} 个网络…",
        "verdict.none": "在 {epochs} 轮内没有任何激活函数达到 {target}% 的训练准确率。"
                        "请尝试更多轮数、更大的学习率或更低的目标。",
        "verdict.one": "只有 {ref} 达到了 {target}% 的训练准确率（用了 {e_ref} 轮）；"
                       "{never} 在 {epochs} 轮内没有达到。",
        "verdict.slower": "{ref} 用 {e_ref} 轮达到 {target}% 的训练准确率，{other} 用了 "
                          "{e_other} 轮（所用轮数是 {ref} 的 {ratio} 倍）。",
        "verdict.faster": "{ref} 用 {e_ref} 轮达到 {target}% 的训练准确率，{other} 只用了 "
                          "{e_other} 轮（{ref} 所用轮数是它的 {ratio} 倍）。",
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
        "big": "只显示边界（放大）",
        "big_help": "播放器只显示决策边界，按能让它们最大且全部放进窗口的行数排列（方便教室后排观看：把它们滚动到视野中；点击播放器后按空格键播放或暂停）；关闭后曲线重新出现。",
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
        "columns_caption": ("决策边界（上方播放器）：背景为网络给出的 P(类别 1)（蓝 0 ↔ 橙 1），圆点为训练样本，"
                            "菱形为测试样本；暂停播放器时，这些列和网址随之切换到该轮。"
                            "梯度直方图：每层权重按 |梯度| 数量级的占比，各列坐标轴相同；灰色条表示恰为零。"),
        "sweep": "是真实差异还是运气？多种子扫描",
        "sweep_intro": (
            "课程中提到 ReLU 的收敛速度约为 tanh 的 **6 倍**（Krizhevsky 等人 2012：**ReLU 对比 "
            "tanh**，一个 4 层卷积网络在 CIFAR-10 上达到 25% 训练误差，每个网络各自调好学习率）。"
            "单次运行说明不了什么。扫描用种子 {seed}… 重复这个对比（每次都换新的数据、划分、"
            "初始权重和批次顺序），统计每个激活函数达到 {target}% 训练准确率所需的轮数。"),
        "protocol": "参考实验方案",
        "protocol_help": (
            "打开（默认）：每个激活函数使用各自的学习率——在扫描从不使用的调参种子上用一个小网格搜索"
            "选出——并且全部使用同一种初始化，与课程中的实验一致。没能学会的学习率绝不会被选中。"
            "关闭：所有激活函数都使用侧边栏中的学习率和初始化。URL 参数：protocol。"),
        "sweep.protocol_on": (
            "**参考实验方案。** 所有激活函数使用同一种初始化：**{init}**。每个激活函数各自的学习率："
            "在 {n_tune} 个调参种子（{tseeds}：数据、划分、初始权重和批次都与扫描的种子不同）上尝试了 "
            "{grid}，每次训练 {tepochs} 轮；在每个调参种子上都学会了的学习率中（达到 {target}%、"
            "没有发散、最终不低于 {floor}%），选达到 {target}% 训练准确率所需轮数中位数最小的那个。"
            "在任何一个调参种子上没能学会的学习率绝不会被选中。"),
        "sweep.unchosen": "{acts} 没有在每个调参种子上都学会的学习率：沿用侧边栏中的学习率 {lr}。",
        "sweep.protocol_init": ("**参考实验方案（不含学习率搜索）。** 所有激活函数使用同一种初始化："
                                "**{init}**；都使用侧边栏中的学习率 {lr}。"),
        "sweep.protocol_off": (
            "**快速模式**（不是课程中的实验方案）：所有激活函数都使用侧边栏中的学习率 {lr}，"
            "初始化见表格。打开“参考实验方案”可让每个激活函数使用各自的学习率并统一初始化。"),
        "sweep.grid_small": "在这些设置下完整的学习率搜索超出计算预算：只尝试 {grid}。",
        "sweep.no_search": "在这些设置下学习率搜索超出计算预算：所有激活函数都使用侧边栏中的学习率。",
        "sweep.tuning_progress": "正在调参种子上搜索学习率…",
        "sweep.tuning": "学习率搜索（调参种子 {tseeds}）",
        "sweep.tune.activation": "激活函数",
        "sweep.tune.lr": "学习率",
        "sweep.tune.epochs_to": "达到 {target}% 所需轮数的中位数",
        "sweep.tune.final_acc": "最终训练准确率的中位数",
        "sweep.tune.learned": "学会的种子数",
        "sweep.tune.seeds": "调参种子数",
        "sweep.tune.diverged": "发散",
        "sweep.tune.eligible": "可选",
        "sweep.tune.chosen": "选中",
        "sweep.pair.slower": (
            "**{ref} 对比 {act}**：{act} 达到 {target}% 所需轮数的中位数是 {ref} 的 **{ratio}**"
            "（{n} 个种子上的 {cov}% 区间：{ci}）：{ref} 更快。"),
        "sweep.pair.faster": (
            "**{ref} 对比 {act}**：{act} 达到 {target}% 所需轮数的中位数是 {ref} 的 **{ratio}**"
            "（{n} 个种子上的 {cov}% 区间：{ci}）：{act} 更快。"),
        "sweep.pair.unclear": (
            "**{ref} 对比 {act}**：{act} 达到 {target}% 所需轮数的中位数是 {ref} 的 **{ratio}**"
            "（{n} 个种子上的 {cov}% 区间：{ci}）：区间包含 1 倍，在这些种子上分不出快慢。"),
        "sweep.pair.unknown": (
            "**{ref} 对比 {act}**：没有达到 {target}% 的运行太多，无法给比值的中位数定界"
            "（{act} {never_act} 个、{ref} {never_ref} 个种子没有达到，共 {n} 个；区间 {ci}）。"),
        "sweep.pair.never": "始终没有达到的种子数（按超过轮数预算计入）：{act} {never_act} 个，{ref} {never_ref} 个（共 {n} 个）。",
        "sweep.lesson_pair": " *（课程中 6 倍说的正是这一对）*",
        "sweep.lesson": (
            "课程中的 **约 6 倍** 来自 Krizhevsky 等人（2012）：在 CIFAR-10 上的 4 层卷积网络中 **ReLU "
            "对比 tanh**（达到 25% 训练误差所需的轮数），每个网络的学习率都调到训练最快。"
            "为什么二维数据上的小型多层感知机差得少得多：那里是一个大网络在困难任务上训练许多轮，"
            "多层饱和的 tanh 单元每层都让回传的梯度变小；这里两层各 16 个单元的隐藏层几轮之内就学会"
            "一条简单的二维边界，饱和可叠加的层数少，能拖慢的时间也短。"),
        "seeds": "种子数",
        "seeds_help": "扫描重复对比的种子个数（2–20）。URL 参数：seeds。",
        "run_sweep": "运行扫描",
        "run_sweep_help": "每个种子把所选的激活函数各训练一次（有缓存：相同设置再次打开会立即显示）。"
                          "URL 参数：sweep。",
        "sweep_off": "打开“运行扫描”，在 {n} 个种子上训练这个对比。",
        "sweep_progress": "多种子扫描：已完成 {done} / {n} 个种子…",
        "sweep_capped": "这些设置每个种子的计算量很大：为保持响应，扫描只运行 {n} 个种子而不是 {asked} 个"
                        "（减少轮数或缩小网络即可运行更多）。",
        "sweep_too_big": "这些设置对扫描来说计算量太大：即使只用 {min} 个种子也需要预算的 {times} 倍，"
                         "因此不运行扫描。减少轮数、数据点、网络规模或激活函数个数即可运行。",
        "sweep_time": "{n} 个种子 × {k} 个激活函数，训练耗时 {secs:.1f} 秒（引擎时间）。",
        "sweep.verdict_none": (
            "{ref} 在这些种子上没有达到 {target}% 的训练准确率，因此无法给出比值。"
            "请尝试更多轮数或更低的目标。"),
        "sweep.th.activation": "激活函数",
        "sweep.th.init": "初始化",
        "sweep.th.lr": "学习率",
        "sweep.th.ci": "{cov}% 区间（符号检验）",
        "sweep.th.runs": "运行次数",
        "sweep.th.never": "未达到",
        "sweep.th.diverged": "发散",
        "sweep.th.median": "轮数中位数",
        "sweep.th.iqr": "中间一半（轮）",
        "sweep.th.median_ratio": "与 {ref} 之比的中位数",
        "sweep.th.final_acc": "平均最终训练准确率",
        "sweep.ratio_note": (
            "比值：在每个种子上，用该激活函数达到目标的轮数除以 {ref} 在同一种子上的轮数，再取各种子的"
            "中位数。在 E 轮内始终没有达到目标的运行需要的轮数多于 E（“> E”）；无论它在哪一边都计入——"
            "在该激活函数一边（比值 ≥ (E+1)/{ref} 的轮数）或在 {ref} 一边（比值 ≤ 轮数/(E+1)）——"
            "不丢弃任何种子。当这些界决定了中位数时，以界的形式显示（≥、≤ 或一个范围）。区间：各种子上"
            "中位数的精确符号检验区间（不依赖分布；覆盖率至少为所标的百分比；种子很少时就是从最小值到最大值"
            "的整个范围）。"),
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
        "chart.ratio_title": "轮数 ÷ {ref}：中位数与各种子上的区间",
        "chart.ratio_x": "与 {ref} 之比",
        "chart.lesson": "课程：约 6 倍\n（ReLU 对比 tanh，卷积网络）",
        "chart.ci": "各种子上的区间",
        "chart.activation": "激活函数",
        "chart.ratio": "比值中位数",
    },
}
