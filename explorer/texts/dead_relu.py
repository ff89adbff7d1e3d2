"""Text of the dead-ReLU lab (pages/dead_relu.py and explorer/charts/dead.py)."""

TEXT = {
    "en": {
        "title": "Dead ReLUs",
        "intro": (
            "A ReLU unit whose input z is negative for **every** training point outputs 0 and "
            "has derivative ReLU′(z) = 0 everywhere, so its incoming weights get exactly zero "
            "gradient: the unit is *dead*. The lesson names two causes — a bad initialisation "
            "(e.g. all weights zero, or a strongly negative bias) and a learning rate so large "
            "that one step throws the weights where the unit never opens again — and says dead "
            "units can sometimes revive. Leaky ReLU keeps a small slope α for z < 0, so its "
            "gradient is never exactly zero: a Leaky unit with z ≤ 0 on every point is not "
            "dead but *asleep*, learning only through α (and it can wake up). Here every chosen activation trains the same "
            "network from the same initial draws; a unit counts as dead at a snapshot if its "
            "derivative is exactly 0 on the whole training set."),
        "presets": "One-click experiments",
        "preset.healthy": "Healthy (He init)",
        "preset.zero_init": "Zero init",
        "preset.neg_bias": "Negative bias (−2)",
        "preset.large_lr": "Large learning rate (3)",
        "preset_help.healthy": "He-normal weights, bias 0, learning rate 0.1.",
        "preset_help.zero_init": "All weights 0: every unit starts identical and silent.",
        "preset_help.neg_bias": "Every hidden bias starts at −2: many units start closed.",
        "preset_help.large_lr": "SGD with learning rate 3: big steps knock units out.",
        "acts": "Activations to compare",
        "acts_help": "Each one trains the same network (same data, batches and initial draws).",
        "map_act": "Unit map and histograms of",
        "map_help": "Which activation's unit×epoch map and gradient histograms to show.",
        "leaky_slope": "Leaky ReLU slope α",
        "leaky_help": "Slope for z < 0 (0 turns Leaky ReLU into plain ReLU).",
        "need_act": "Choose at least one activation to train.",
        "epochs_cut": ("These networks are too big for {epochs_asked} epochs within the work "
                       "budget; all runs use {epochs} epochs."),
        "verdict": "What this run shows",
        "init_auto": "auto (per activation)",
        "v.setting": ("Settings: init **{init}** (scale {scale}), hidden bias **{bias}**, "
                      "learning rate **{lr}** ({opt}), {epochs} epochs."),
        "v.diverged": ("**{act}** diverged at epoch {epoch}: the loss became NaN or infinite "
                       "(dead share before that: up to {peak})."),
        "v.blowup": ("**{act}** diverged at epoch {epoch}: from there to the end its training loss "
                     "stayed above {factor}× its start (and ln K), so nothing is concluded from it (dead share before "
                     "that: up to {peak})."),
        "v.frozen_ln2": (
            "**{act}** did not learn at all: the training loss stayed at {loss} = ln 2 "
            "(between {lo} and {hi}) for all {epochs} epochs — a 50/50 guess for every point; "
            "{zero} of the weight gradients are exactly 0 at the end ({dead} of the units "
            "count as dead)."),
        "v.frozen": (
            "**{act}** did not learn at all: the training loss stayed at {loss} (between {lo} "
            "and {hi}) for all {epochs} epochs; {zero} of the weight gradients are exactly 0 at "
            "the end ({dead} of the units count as dead)."),
        "v.dead": (
            "**{act}**: {peak} of the hidden units were dead at epoch {epoch} ({start} at the "
            "start, {end} at the end); {revived} revivals (a dead unit alive again the next "
            "epoch, counted every epoch); final training loss {loss}."),
        "v.dead_start": (
            "**{act}**: {start} of the hidden units were dead from the start, {end} at the "
            "end; {revived} revivals (a dead unit alive again the next epoch, counted every "
            "epoch); final training loss {loss}."),
        "v.never": "**{act}**: no unit was ever dead; final training loss {loss}.",
        "v.asleep": (
            "**{act}**: no unit was ever dead (its gradient never is exactly 0), but {peak} of "
            "the hidden units were asleep at epoch {epoch} — z ≤ 0 on every training point, "
            "learning only through the small negative-side slope — and {end} at the end; "
            "{woke} wake-ups (asleep → awake the next epoch); final training loss {loss}."),
        "v.asleep_learn": (
            "Do asleep **{act}** units still learn? At epoch {epoch}, {learning} of its {n} "
            "asleep units get a nonzero gradient ({ratio} of an awake unit's, on average): "
            "they keep learning through the slope, unlike dead ReLUs."),
        "v.why_zero": (
            "Why zero init freezes: with W = 0 every hidden unit outputs f(0) = 0 and sends "
            "back no error (the weights above it are 0), so every weight gradient — input × "
            "error — is exactly 0 and all units stay identical (symmetry is never broken). "
            "Only the output bias gets a gradient; it jitters around 0 because a mini-batch "
            "is not exactly balanced, which is all the loss curve's wiggle is."),
        "dead_title": "Dead units per layer",
        "loss_title": "Loss (effect on learning)",
        "loss_capped": ("The loss axis stops at {top}: {acts} blew up (their curves leave the "
                        "chart; see the table)."),
        "diverged_note": ("Diverged: {runs}. A diverged run's loss became NaN or infinite or "
                          "ended above {factor}× its start; the table says so instead of its "
                          "last loss."),
        "diverged_item": "{act} (epoch {epoch})",
        "cell.diverged": "diverged (epoch {epoch})",
        "map_title": "Which units are dead: {act}",
        "map_caption": ("One row per hidden unit, one column per snapshot. Red: dead on the "
                        "whole training set; green: alive again after being dead at the "
                        "previous snapshot (a revival); grey: alive. Revivals counted on the "
                        "map: {map_count}; by the engine, every epoch: {engine_count} (more "
                        "when snapshots skip epochs)."),
        "table": "Summary",
        "col.act": "Activation",
        "col.start": "Dead at start",
        "col.peak": "Peak dead @ epoch",
        "col.end": "Dead at end",
        "col.revived": "Revivals",
        "col.asleep": "Asleep peak → end (wake-ups)",
        "col.sleep_grad": "Asleep units learning · gradient vs awake",
        "col.zero": "Exactly-0 gradients (end)",
        "col.loss": "Final train loss",
        "col.acc": "Train acc.",
        "col.div": "Diverged at",
        "hist_header": "Weight-gradient histograms: {act}",
        "hist_start": "At the start (epoch 0)",
        "hist_end": "At the end (epoch {epoch})",
        "hist_caption": ("The grey bar at the far left counts gradients that are exactly 0 — "
                         "the signature of dead (or frozen) units."),
        "run_time": "Trained {n} networks in {secs:.1f} s (cached afterwards).",
        # chart text
        "chart.dead_y": "dead units (share of the layer)",
        "chart.epoch": "epoch",
        "chart.act": "activation",
        "chart.layer": "layer",
        "chart.unit": "unit",
        "chart.state": "state",
        "state.alive": "alive",
        "state.dead": "dead",
        "state.revived": "revived",
        "state.asleep": "asleep (learns via α)",
        "state.woke": "woke up",
        "chart.layer_units": "{layer} ({units} units)",
        "chart.dead_count": "dead units",
        "sleep_title": "Dead and asleep units (all hidden layers)",
        "sleep_caption": ("Solid: dead (f′ = 0 on every training point). Dashed: asleep (z ≤ 0 "
                          "on every training point, so only the slope α of the gradient gets "
                          "through). A ReLU's asleep units are its dead ones; a Leaky ReLU's "
                          "still learn and can wake up (the table counts both)."),
        "chart.units_y": "hidden units (share of all)",
        "chart.count": "units",
        "kind.dead": "dead",
        "kind.asleep": "asleep",
    },
    "zh": {
        "title": "ReLU 死亡",
        "intro": (
            "如果某个 ReLU 单元对**所有**训练样本的输入 z 都是负数，它的输出恒为 0，导数 ReLU′(z) "
            "处处为 0，于是它的输入权重得到的梯度恰好为零：这个单元“死亡”了。课程给出两个原因——"
            "初始化不当（例如权重全为零，或偏置很负），以及学习率过大、一步就把权重推到单元再也打不开"
            "的位置——并指出死亡的单元有时还能复活。Leaky ReLU 在 z < 0 时保留一个小斜率 α，"
            "梯度永远不会恰好为零：对所有样本 z ≤ 0 的 Leaky ReLU 单元不是死亡而是“沉睡”，只通过 α 学习（还能醒来）。这里每个选中的激活函数都从相同的初始随机数训练同一个网络；"
            "若某个单元在整个训练集上导数都恰为 0，就记为该快照时死亡。"),
        "presets": "一键实验",
        "preset.healthy": "健康（He 初始化）",
        "preset.zero_init": "全零初始化",
        "preset.neg_bias": "负偏置（−2）",
        "preset.large_lr": "大学习率（3）",
        "preset_help.healthy": "He 正态初始化权重，偏置 0，学习率 0.1。",
        "preset_help.zero_init": "权重全为 0：所有单元一开始完全相同且没有输出。",
        "preset_help.neg_bias": "所有隐藏层偏置初始为 −2：很多单元一开始就是关闭的。",
        "preset_help.large_lr": "学习率为 3 的 SGD：大步长会把单元打死。",
        "acts": "要比较的激活函数",
        "acts_help": "每个激活函数训练同一个网络（相同的数据、批次和初始随机数）。",
        "map_act": "单元图和直方图对应的激活函数",
        "map_help": "显示哪个激活函数的“单元×轮次”图和梯度直方图。",
        "leaky_slope": "Leaky ReLU 斜率 α",
        "leaky_help": "z < 0 时的斜率（为 0 时 Leaky ReLU 就是普通 ReLU）。",
        "need_act": "请至少选择一个激活函数进行训练。",
        "epochs_cut": "在计算预算内，这些网络无法训练 {epochs_asked} 轮；所有运行都改用 {epochs} 轮。",
        "verdict": "这次运行说明了什么",
        "init_auto": "自动（按激活函数）",
        "v.setting": ("设置：初始化 **{init}**（尺度 {scale}），隐藏层偏置 **{bias}**，"
                      "学习率 **{lr}**（{opt}），共 {epochs} 轮。"),
        "v.diverged": "**{act}** 在第 {epoch} 轮发散：损失变成 NaN 或无穷大（此前死亡比例最高 {peak}）。",
        "v.blowup": ("**{act}** 在第 {epoch} 轮发散：从这一轮到结束训练损失一直高于开始时（以及 ln K）的 {factor} 倍，"
                     "因此不据此得出任何结论（此前死亡比例最高 {peak}）。"),
        "v.frozen_ln2": (
            "**{act}** 完全没有学习：训练损失在全部 {epochs} 轮中都停在 {loss} = ln 2"
            "（介于 {lo} 和 {hi} 之间），即对每个样本都猜 50/50；训练结束时 {zero} 的权重梯度恰好为 0"
            "（{dead} 的单元被记为死亡）。"),
        "v.frozen": (
            "**{act}** 完全没有学习：训练损失在全部 {epochs} 轮中都停在 {loss}（介于 {lo} 和 {hi} "
            "之间）；训练结束时 {zero} 的权重梯度恰好为 0（{dead} 的单元被记为死亡）。"),
        "v.dead": (
            "**{act}**：第 {epoch} 轮时 {peak} 的隐藏单元处于死亡状态（开始时 {start}，结束时 "
            "{end}）；复活 {revived} 次（死亡的单元在下一轮又活过来，每一轮都统计）；最终训练损失 {loss}。"),
        "v.dead_start": (
            "**{act}**：一开始就有 {start} 的隐藏单元处于死亡状态，结束时为 {end}；复活 {revived} 次"
            "（死亡的单元在下一轮又活过来，每一轮都统计）；最终训练损失 {loss}。"),
        "v.never": "**{act}**：从未出现死亡单元；最终训练损失 {loss}。",
        "v.asleep": (
            "**{act}**：从未出现死亡单元（梯度从不恰好为 0），但第 {epoch} 轮时 {peak} 的隐藏单元处于"
            "沉睡状态——在每个训练样本上 z ≤ 0，只能通过负半轴的小斜率学习——结束时为 {end}；"
            "醒来 {woke} 次（下一轮由沉睡变为清醒）；最终训练损失 {loss}。"),
        "v.asleep_learn": (
            "沉睡的 **{act}** 单元还在学习吗？第 {epoch} 轮时，{n} 个沉睡单元中有 {learning} 个得到非零梯度"
            "（平均为清醒单元的 {ratio}）：它们通过斜率继续学习，这与死亡的 ReLU 不同。"),
        "v.why_zero": (
            "为什么全零初始化会冻结：W = 0 时每个隐藏单元输出 f(0) = 0，而且它上面的权重也是 0，"
            "传不回任何误差，所以每个权重梯度（输入 × 误差）都恰好为 0，所有单元始终一模一样"
            "（对称性永远无法打破）。只有输出层偏置有梯度；由于小批次的类别并不完全平衡，"
            "它在 0 附近轻微抖动，损失曲线的微小波动就来自这里。"),
        "dead_title": "各层死亡单元比例",
        "loss_title": "损失（对学习的影响）",
        "loss_capped": "损失坐标轴截止到 {top}：{acts} 的损失爆炸了（曲线超出图表，数值见汇总表）。",
        "diverged_note": ("发散：{runs}。发散的运行其损失变成 NaN 或无穷大，或结束时高于开始时的 {factor} 倍；"
                          "汇总表中显示“发散”而不是最后的损失。"),
        "diverged_item": "{act}（第 {epoch} 轮）",
        "cell.diverged": "发散（第 {epoch} 轮）",
        "map_title": "哪些单元死亡：{act}",
        "map_caption": ("每行是一个隐藏单元，每列是一个快照。红色：在整个训练集上死亡；绿色：上一个"
                        "快照死亡、现在又活过来（复活）；灰色：存活。从图上数出的复活次数：{map_count}；"
                        "引擎逐轮统计：{engine_count}（快照跳过某些轮次时会更多）。"),
        "table": "汇总",
        "col.act": "激活函数",
        "col.start": "开始时死亡",
        "col.peak": "死亡峰值 @ 轮次",
        "col.end": "结束时死亡",
        "col.revived": "复活次数",
        "col.asleep": "沉睡峰值 → 结束（醒来次数）",
        "col.sleep_grad": "仍在学习的沉睡单元 · 梯度与清醒单元之比",
        "col.zero": "恰为 0 的梯度（结束时）",
        "col.loss": "最终训练损失",
        "col.acc": "训练准确率",
        "col.div": "发散轮次",
        "hist_header": "权重梯度直方图：{act}",
        "hist_start": "训练开始（第 0 轮）",
        "hist_end": "训练结束（第 {epoch} 轮）",
        "hist_caption": "最左侧的灰色柱统计恰好为 0 的梯度——这正是单元死亡（或冻结）的标志。",
        "run_time": "训练了 {n} 个网络，用时 {secs:.1f} 秒（之后会缓存）。",
        "chart.dead_y": "死亡单元（占该层比例）",
        "chart.epoch": "轮次",
        "chart.act": "激活函数",
        "chart.layer": "层",
        "chart.unit": "单元",
        "chart.state": "状态",
        "state.alive": "存活",
        "state.dead": "死亡",
        "state.revived": "复活",
        "state.asleep": "沉睡（经 α 学习）",
        "state.woke": "醒来",
        "chart.layer_units": "{layer}（{units} 个单元）",
        "chart.dead_count": "死亡单元数",
        "sleep_title": "死亡与沉睡的单元（全部隐藏层）",
        "sleep_caption": ("实线：死亡（在每个训练样本上 f′ = 0）。虚线：沉睡（在每个训练样本上 z ≤ 0，"
                          "梯度只有斜率 α 那一部分能传回）。ReLU 的沉睡单元就是死亡单元；Leaky ReLU "
                          "的沉睡单元仍在学习，还能醒来（汇总表统计了两者）。"),
        "chart.units_y": "隐藏单元（占全部比例）",
        "chart.count": "单元数",
        "kind.dead": "死亡",
        "kind.asleep": "沉睡",
    },
}
