"""Text of the vanishing-gradients lab (pages/vanishing.py and explorer/charts/vanishing.py)."""

TEXT = {
    "en": {
        "title": "Vanishing gradients",
        "intro": (
            "Backpropagation multiplies, layer by layer, the activation's derivative f′(z) and "
            "the weights. Sigmoid's derivative is **at most 0.25** (and near 0 when it "
            "saturates), so in a deep, narrow network the gradient that reaches the first "
            "layers shrinks roughly geometrically with depth and those layers barely learn. "
            "tanh (f′ ≤ 1) and ReLU (f′ = 1 where active, with He initialisation) keep it "
            "level. Below, every chosen activation trains the **same** network shape on the "
            "same data, in the same batch order, from the same seed. With *init = auto* each "
            "activation gets its recommended initialiser (ReLU He, sigmoid and tanh Xavier), "
            "so their initial weights differ; pick one initialiser in the sidebar to start "
            "them all from the same weights. The charts show each layer's weight-gradient "
            "norm ‖∂L/∂W‖ on the whole training set."),
        "acts": "Activations to compare",
        "acts_help": ("Each one trains the same network shape (same data, batches and seed; "
                      "the same initial weights only with one initialiser chosen, not with "
                      "init = auto)."),
        "depth": "Hidden layers (depth)",
        "depth_help": ("Number of hidden layers. The engine allows at most {max} "
                       "(config.MAX_LAYERS)."),
        "width": "Units per hidden layer (width)",
        "width_help": "A narrow network makes the shrinking easiest to see.",
        "need_act": "Choose at least one activation to train.",
        "epochs_cut": ("This network is too big for {epochs_asked} epochs within the work "
                       "budget; all runs use {epochs} epochs."),
        "diverged_act": ("{act} diverged at epoch {epoch} (loss became NaN or infinite); "
                         "its “after training” numbers are from the last snapshot before."),
        "verdict": "What this run shows",
        "v.vanish": (
            "**Gradients vanish with {acts}:** at the start the first layer gets less than "
            "{threshold} of the output layer's gradient norm — for {worst} only {ratio}."),
        "v.none": ("**No vanishing here:** every activation's first layer starts with at least "
                   "{threshold} of the output layer's gradient norm."),
        "v.hold": "**{acts}** keep the level (first/output ratio ≥ {threshold}).",
        "v.line": ("{act}: first-layer gradient norm = **{start}** of the output layer's at "
                   "epoch 0, {end} at epoch {epoch}; training loss {loss}, accuracy {acc}."),
        "v.line_div": ("{act}: first/output = **{start}** at epoch 0, {end} at epoch {epoch} "
                       "(diverged at epoch {div})."),
        "table": "First-layer / output-layer gradient norm",
        "col.act": "Activation",
        "col.start": "Ratio at start",
        "col.end": "Ratio after training",
        "col.start_norms": "‖g₁‖ / ‖g_out‖ at start",
        "col.end_norms": "‖g₁‖ / ‖g_out‖ after",
        "col.loss": "Train loss",
        "col.acc": "Train acc.",
        "loss_title": "Loss",
        "acc_title": "Accuracy",
        "hist_header": "Gradient histograms, layer by layer",
        "hist_act": "Histograms of",
        "hist_help": "Which activation's per-layer gradient histograms to show.",
        "hist_start": "At the start (epoch 0)",
        "hist_end": "After training (epoch {epoch})",
        "hist_caption": ("Share of each layer's weights per gradient magnitude (log scale, the "
                         "same bins for every layer and run). A histogram sliding left from the "
                         "output towards hidden 1 is the vanishing gradient."),
        "zero_dropped": ("Not drawn on the log scale (gradient exactly 0): {items}."),
        "run_time": "Trained {n} networks in {secs:.1f} s (cached afterwards).",
        # chart text
        "chart.start": "At the start (epoch 0)",
        "chart.end": "After training (epoch {epoch})",
        "chart.y": "‖∂L/∂W‖ of the layer (log scale)",
        "chart.x": "layer (input → output)",
        "chart.act": "activation",
        "chart.norm": "gradient norm",
    },
    "zh": {
        "title": "梯度消失",
        "intro": (
            "反向传播时，梯度逐层乘上激活函数的导数 f′(z) 和权重。sigmoid 的导数**最大只有 0.25**"
            "（饱和时接近 0），因此在又深又窄的网络里，传到前面几层的梯度随深度大致按几何级数缩小，"
            "这些层几乎学不动。tanh（f′ ≤ 1）和 ReLU（激活时 f′ = 1，配合 He 初始化）则能让梯度"
            "保持在同一量级。下面每个选中的激活函数都训练**同一个**结构的网络：相同的数据、相同的批次顺序、"
            "相同的种子。初始化设为*自动*时每个激活函数使用各自推荐的初始化（ReLU 用 He，sigmoid 和 tanh "
            "用 Xavier），因此初始权重不同；在侧边栏中选定一种初始化即可让它们从相同的权重出发。"
            "图中是每层权重梯度在整个训练集上的范数 ‖∂L/∂W‖。"),
        "acts": "要比较的激活函数",
        "acts_help": ("每个激活函数训练同一个结构的网络（相同的数据、批次和种子；只有选定一种初始化时"
                      "初始权重才相同，初始化设为自动时不同）。"),
        "depth": "隐藏层数（深度）",
        "depth_help": "隐藏层的个数。引擎最多允许 {max} 层。",
        "width": "每层单元数（宽度）",
        "width_help": "网络越窄，梯度的缩小越容易看出来。",
        "need_act": "请至少选择一个激活函数进行训练。",
        "epochs_cut": "在计算预算内，这个网络无法训练 {epochs_asked} 轮；所有运行都改用 {epochs} 轮。",
        "diverged_act": ("{act} 在第 {epoch} 轮发散（损失变成 NaN 或无穷大）；"
                         "其“训练后”的数字取自发散前的最后一个快照。"),
        "verdict": "这次运行说明了什么",
        "v.vanish": (
            "**{acts} 出现梯度消失**：训练开始时，第一层的梯度范数不到输出层的 {threshold}——"
            "{worst} 只有 {ratio}。"),
        "v.none": "**这里没有梯度消失**：每个激活函数第一层的初始梯度范数都至少是输出层的 {threshold}。",
        "v.hold": "**{acts}** 保持了梯度量级（第一层/输出层之比 ≥ {threshold}）。",
        "v.line": ("{act}：第一层梯度范数在第 0 轮是输出层的 **{start}**，第 {epoch} 轮为 {end}；"
                   "训练损失 {loss}，准确率 {acc}。"),
        "v.line_div": ("{act}：第一层/输出层在第 0 轮为 **{start}**，第 {epoch} 轮为 {end}"
                       "（在第 {div} 轮发散）。"),
        "table": "第一层 / 输出层 梯度范数之比",
        "col.act": "激活函数",
        "col.start": "初始比值",
        "col.end": "训练后比值",
        "col.start_norms": "初始 ‖g₁‖ / ‖g_out‖",
        "col.end_norms": "训练后 ‖g₁‖ / ‖g_out‖",
        "col.loss": "训练损失",
        "col.acc": "训练准确率",
        "loss_title": "损失",
        "acc_title": "准确率",
        "hist_header": "逐层梯度直方图",
        "hist_act": "直方图对应的激活函数",
        "hist_help": "显示哪个激活函数的逐层梯度直方图。",
        "hist_start": "训练开始（第 0 轮）",
        "hist_end": "训练后（第 {epoch} 轮）",
        "hist_caption": ("各层权重按梯度大小的占比（对数坐标，所有层和运行使用相同的分箱）。"
                         "从输出层到第 1 隐藏层，直方图不断向左移动，这就是梯度消失。"),
        "zero_dropped": "梯度恰好为 0，无法画在对数坐标上：{items}。",
        "run_time": "训练了 {n} 个网络，用时 {secs:.1f} 秒（之后会缓存）。",
        "chart.start": "训练开始（第 0 轮）",
        "chart.end": "训练后（第 {epoch} 轮）",
        "chart.y": "该层的 ‖∂L/∂W‖（对数坐标）",
        "chart.x": "层（输入 → 输出）",
        "chart.act": "激活函数",
        "chart.norm": "梯度范数",
    },
}
