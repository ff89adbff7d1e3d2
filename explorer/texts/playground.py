"""Text of the Playground page (English and 简体中文)."""

from .stats import TEXT as _DEF

#: the layer table's statistics, defined in explorer/texts/stats.py
_TABLE_DEFS = ("def.dead", "def.asleep", "def.saturated", "def.same_sign")

TEXT = {
    "en": {
        "title": "Playground",
        "intro": (
            "Train one small network on 2-D data and watch it learn. Change any setting in the "
            "sidebar: the run is retrained (and cached) and the player animates it as it trains. "
            "Play, pause, step or reset it, or drag its epoch scrubber to any snapshot without "
            "retraining (keys, once you click the player: Space, ← / →, Home): the boundary, the gradient histograms, the table and the marker on the "
            "loss curve move together."),
        "presets": "Lecture presets",
        "presets_help": "One click sets every control (and the URL) to show one claim of the "
                        "lesson.",
        "reset": "Reset to defaults",
        "reset_help": "Every control back to its default value.",
        "preset_active": "**Preset: {title}.** {description}",
        "preset_run": "**This run:** {text}",
        "verdict.sigmoid_vanishes": (
            "at epoch 0 the first layer's gradient norm is {ratio0} of the output layer's "
            "({ratio_end} at the end); training accuracy {acc0} at the start, {acc_end} at the "
            "end."),
        "verdict.zero_init_relu": (
            "{dead_end} of {units} hidden units dead from the first snapshot to the last; the "
            "largest layer gradient norm is {norm_max}; training accuracy {acc_end}."),
        "verdict.large_lr_stuck": (
            "{dead0} of {units} hidden units dead at epoch 0, {dead_peak} at most (epoch "
            "{peak_epoch}), {dead_end} at the end, {revived} revivals (dead units opened again "
            "by the layers below). Training accuracy ends at {acc_end} and the "
            "loss at {loss_end} (lowest {loss_min}): with too few live units the net stopped "
            "learning."),
        "verdict.large_lr_survive": (
            "{dead0} of {units} hidden units dead at epoch 0, {dead_peak} at most (epoch "
            "{peak_epoch}), {dead_end} at the end, {revived} revivals (dead units opened again "
            "by the layers below). The surviving units still fit the data: "
            "training accuracy {acc_end}, loss {loss_end}. Other seeds end worse: try a few."),
        "verdict.leaky_keeps_alive": (
            "{dead_end} of {units} hidden units dead (a leaky unit always passes {slope} of the "
            "gradient) and none ever asleep; training accuracy {acc_end}, loss {loss_end}."),
        "verdict.leaky_asleep": (
            "{dead_end} of {units} hidden units dead — but up to {asleep_peak} of them asleep "
            "(z ≤ 0 on every training point, epoch {asleep_epoch}), {asleep_end} at the end, "
            "{woke} wake-ups. At epoch {sleep_epoch}, {sleep_learning} of the {sleep_units} "
            "asleep units get a nonzero gradient (only {slope} of it passes): they still learn. "
            "Training accuracy {acc_end}, loss {loss_end}."),
        "verdict.leaky_asleep_between": (
            "{dead_end} of {units} hidden units dead — but up to {asleep_peak} of them asleep "
            "(z ≤ 0 on every training point, epoch {asleep_epoch}; between snapshots), "
            "{asleep_end} at the end, {woke} wake-ups. Training accuracy {acc_end}, loss "
            "{loss_end}."),
        "verdict.diverged": (
            "this run diverged at epoch {epoch} (its loss became NaN or infinite): it shows "
            "nothing about the preset's point."),
        "verdict.blowup": (
            "this run diverged at epoch {epoch} (from there on its loss stayed above {factor}× "
            "its start): it shows nothing about the preset's point."),
        "preset_seeds": "**Over seeds:** the point holds on **{k} of {n}** seeds ({seeds}).",
        "seed_status.holds": "{seed}: holds",
        "seed_status.fails": "{seed}: fails",
        "seed_status.diverged": "{seed}: diverged",
        "seed_shown": "{item} (shown)",
        "verdict.maxout_spirals": (
            "training accuracy {acc_end} on the spirals; {dead_end} dead units; {n_params} "
            "parameters (k = {k} pieces per unit)."),
        "show_test": "Show test points",
        "show_test_help": "Test points (diamonds with a dark outline) are never trained on.",
        "log_scale": "Log-scale loss",
        "log_scale_help": "A log scale shows the late, slow part of training and flat curves.",
        "signed": "Signed histograms",
        "signed_help": ("Positive gradients up (purple), negative down (orange): when all the "
                        "weights of a layer move the same way, one side dominates."),
        "grads_title": "Weight gradients per layer (full training set)",
        "grads_caption": ("One histogram per layer, on the same axes: magnitude of each weight's "
                          "gradient on a log scale; the grey bar at the far left counts "
                          "gradients that are exactly zero. The title gives the layer's "
                          "gradient norm ‖g‖."),
        "table_title": "Layer statistics",
        "static_charts": ("The player's charts with tooltips and PNG / SVG export (boundary, "
                          "loss, accuracy, gradient histograms at the epoch shown)"),
        # the statistics' definitions, from their one statement (explorer/texts/stats.py)
        "table_caption": " ".join(_DEF["en"][k] for k in _TABLE_DEFS),
        "summary": "**Summary.** {text}",
        "params": "{n} trainable parameters · trained in {seconds:.1f} s",
        "diverged_recorded": ("Recorded before divergence: epochs 0–{last} ({n} snapshots); "
                              "last finite training loss {loss:.4g}."),
        "no_history": "Nothing was recorded: the run diverged before its first epoch.",
        "training_upload": "Training on the uploaded data…",
        "per_layer": "**Per-layer activations, from the input up:** {layers} → output",
        "per_layer_item": "hidden {n} {act}",
    },
    "zh": {
        "title": "训练场",
        "intro": (
            "在二维数据上训练一个小网络，观察它的学习过程。在侧边栏修改任何设置，都会重新训练"
            "（并缓存结果），播放器在训练时同步播放。可以播放、暂停、单步或重置，也可拖动播放器的轮次进度条回放任意快照而无需重新训练（点击播放器后可用按键：空格、← / →、Home）："
            "决策边界、梯度直方图、表格和损失曲线上的标记会一起移动。"),
        "presets": "课堂预设",
        "presets_help": "一键把所有控件（以及网址）设置为展示课程中某个论断的配置。",
        "reset": "恢复默认",
        "reset_help": "所有控件恢复为默认值。",
        "preset_active": "**预设：{title}。** {description}",
        "preset_run": "**本次运行：** {text}",
        "verdict.sigmoid_vanishes": (
            "第 0 轮时第一层的梯度范数是输出层的 {ratio0}（结束时为 {ratio_end}）；训练准确率开始时 "
            "{acc0}，结束时 {acc_end}。"),
        "verdict.zero_init_relu": (
            "从第一个快照到最后一个快照，{units} 个隐藏单元中有 {dead_end} 个是死的；最大的层梯度范数为 "
            "{norm_max}；训练准确率 {acc_end}。"),
        "verdict.large_lr_stuck": (
            "{units} 个隐藏单元中，第 0 轮有 {dead0} 个死亡，最多时 {dead_peak} 个（第 {peak_epoch} 轮），"
            "结束时 {dead_end} 个，复活 {revived} 次（下面的层把死亡单元重新打开）。训练准确率最终为 {acc_end}，损失为 {loss_end}（最低 {loss_min}）："
            "活着的单元太少，网络不再学习。"),
        "verdict.large_lr_survive": (
            "{units} 个隐藏单元中，第 0 轮有 {dead0} 个死亡，最多时 {dead_peak} 个（第 {peak_epoch} 轮），"
            "结束时 {dead_end} 个，复活 {revived} 次（下面的层把死亡单元重新打开）。幸存的单元仍能拟合数据：训练准确率 {acc_end}，损失 {loss_end}。"
            "换几个种子试试，有的结果更差。"),
        "verdict.leaky_keeps_alive": (
            "{units} 个隐藏单元中有 {dead_end} 个死亡（Leaky ReLU 单元总能传回 {slope} 倍的梯度），"
            "也从未有单元沉睡；训练准确率 {acc_end}，损失 {loss_end}。"),
        "verdict.leaky_asleep": (
            "{units} 个隐藏单元中有 {dead_end} 个死亡——但最多有 {asleep_peak} 个沉睡（在每个训练样本上 z ≤ 0，"
            "第 {asleep_epoch} 轮），结束时 {asleep_end} 个，醒来 {woke} 次。第 {sleep_epoch} 轮时，"
            "{sleep_units} 个沉睡单元中有 {sleep_learning} 个得到非零梯度（只传回 {slope} 倍）：它们仍在学习。"
            "训练准确率 {acc_end}，损失 {loss_end}。"),
        "verdict.leaky_asleep_between": (
            "{units} 个隐藏单元中有 {dead_end} 个死亡——但最多有 {asleep_peak} 个沉睡（在每个训练样本上 z ≤ 0，"
            "第 {asleep_epoch} 轮，在两个快照之间），结束时 {asleep_end} 个，醒来 {woke} 次。"
            "训练准确率 {acc_end}，损失 {loss_end}。"),
        "verdict.diverged": "本次运行在第 {epoch} 轮发散（损失变成 NaN 或无穷大）：它不能说明该预设的论点。",
        "verdict.blowup": "本次运行在第 {epoch} 轮发散（此后损失一直高于开始时的 {factor} 倍）：它不能说明该预设的论点。",
        "preset_seeds": "**多个种子：** 该论点在 **{n} 个种子中的 {k} 个**上成立（{seeds}）。",
        "seed_status.holds": "{seed}：成立",
        "seed_status.fails": "{seed}：不成立",
        "seed_status.diverged": "{seed}：发散",
        "seed_shown": "{item}（当前）",
        "verdict.maxout_spirals": (
            "螺旋数据上的训练准确率 {acc_end}；死亡单元 {dead_end} 个；参数 {n_params} 个"
            "（每个单元 k = {k} 个分段）。"),
        "show_test": "显示测试点",
        "show_test_help": "测试点（深色描边的菱形）从不参与训练。",
        "log_scale": "损失用对数坐标",
        "log_scale_help": "对数坐标能看清训练后期缓慢的下降和平坦的曲线。",
        "signed": "区分正负号",
        "signed_help": "正梯度向上（紫色），负梯度向下（橙色）：若一层的权重都朝同一方向移动，某一侧会占主导。",
        "grads_title": "逐层权重梯度（全体训练集）",
        "grads_caption": ("每层一个直方图，坐标轴相同：横轴是每个权重梯度大小的对数；最左边的灰色柱统计"
                          "恰好为零的梯度。标题给出该层的梯度范数 ‖g‖。"),
        "table_title": "逐层统计",
        "static_charts": "带提示和 PNG / SVG 导出的图表（当前轮次的边界、损失、准确率和梯度直方图）",
        "table_caption": "".join(_DEF["zh"][k] for k in _TABLE_DEFS),
        "summary": "**小结。** {text}",
        "params": "可训练参数 {n} 个 · 训练用时 {seconds:.1f} 秒",
        "diverged_recorded": "发散前的记录：第 0–{last} 轮（{n} 个快照）；最后一个有限的训练损失为 {loss:.4g}。",
        "no_history": "没有任何记录：训练在第一轮之前就发散了。",
        "training_upload": "正在用上传的数据训练…",
        "per_layer": "**逐层激活函数（从输入端往上）：** {layers} → 输出层",
        "per_layer_item": "隐藏层 {n} {act}",
    },
}
