"""Text of the activation gallery page (English and 简体中文)."""

TEXT = {
    "en": {
        "title": "Activation gallery",
        "intro": (
            "Every registered activation: its function **f** and derivative **f′**, formula, "
            "properties and **measured** cost. The grey hill is the distribution of the "
            "pre-activations z that reach a unit; the red band is a saturated tail, where |f′| stays "
            "below 5% of its maximum all the way out — inputs that land there pass almost no "
            "gradient back. Move μ and σ to see how much of the input falls into each "
            "function's saturated tails (an interior flat point such as GELU's minimum is not "
            "one, and ReLU's negative side is its zero-gradient side: counted as f′ = 0)."),
        "sec_params": "Activation parameters",
        "sec_inputs": "Input distribution z ~ N(μ, σ²)",
        "sec_view": "View",
        "mean": "Mean μ",
        "mean_help": "Centre of the pre-activations z that reach the unit.",
        "sd": "Spread σ",
        "sd_help": ("Standard deviation of z. Large weights or unnormalised inputs give a large "
                    "σ, which pushes saturating functions into their flat ends."),
        "view": "Layout",
        "view_help": "One chart per activation, or all curves overlaid on two charts.",
        "view.grid": "Small multiples",
        "view.overlay": "Overlaid",
        "acts": "Activations shown",
        "acts_help": "Every registered activation is listed; remove some to declutter.",
        "param.leaky_slope": "Leaky ReLU slope α",
        "param.elu_alpha": "ELU α",
        "param.maxout_k": "Maxout pieces k",
        "param_help": "{label}: from {lo:g} to {hi:g} (default {default:g}).",
        "none_selected": "Choose at least one activation to show.",
        "verdict_header": "What the numbers say",
        "verdict.peak": (
            "**{label}**'s derivative never exceeds **{peak:.4f}** (its maximum, at "
            "z = {z:.2f}): through every layer of it, the derivative alone scales the backward "
            "signal by at most 1/{gain:.0f} (the layer's weights multiply it too, so a whole "
            "layer can shrink it by less or by more)."),
        "verdict.sat": (
            "With z ~ N({mean:g}, {sd:g}²), the share of inputs where a both-ends-saturating "
            "function is saturated (on a tail where |f′| stays below 5% of its maximum): "
            "**{items}**."),
        "verdict.zero": "Share of inputs that get **exactly zero** gradient: **{items}**.",
        "verdict.free": ("No input is saturated or gets f′ = 0 for: {items}."),
        "verdict.cost": (
            "Forward + derivative on this server ({when}): the exp-based activations "
            "cost a median **{ratio:.1f}× ReLU** ({n} of them), the exp-free ones "
            "{lin_ratio:.1f}× ({n_lin}, ReLU included); the slowest, {slow}, {slow_ratio:.1f}×."),
        "verdict.cost_noexp": (
            "The slowest activation shown, {slow}, costs {slow_ratio:.1f}× ReLU on this server "
            "({when})."),
        "when.now": "measured at {time} UTC, less than a minute ago",
        "when.min": "measured at {time} UTC, {m} min ago",
        "when.hours": "measured at {time} UTC, {h} h {m} min ago",
        "stat.median": "median",
        "stat.min": "minimum",
        "cost_order": ("Measured order, cheapest first: {order} (≈: within a factor {tie:g} of "
                       "the previous one, closer than two server starts reproduce)."),
        "cost_split.holds": ("Every exp-free activation shown is cheaper than every exp-based "
                             "one here, as the lesson says."),
        "cost_split.fails": ("Not every exp-based activation is clearly dearer here: {items} "
                             "cost less than {tie:g}× {dear}, which needs no exp."),
        "grid_caption": (
            "Solid: f(z). Dashed: f′(z). Grey: density of z ~ N(μ, σ²), scaled to height 1. "
            "Red band: saturated tail (|f′| < 5% of its maximum from there to ±∞). All panels "
            "share the same axes (values outside "
            "−2…3 are cut)."),
        "maxout_caption": (
            "Maxout here: the max of k = {k} example lines (thin grey); f′ is the slope of the "
            "winning line. The gradient reaching the winning piece itself is always 1, so "
            "Maxout neither saturates nor dies."),
        "prelu_caption": "Drawn at a = {a:g}, the initial value of its learned slope.",
        "flat_share": "{flat} of inputs saturated · f′ = 0 for {zero}",
        "overlay_f": "f(z)",
        "overlay_df": "f′(z) over the input density",
        "formulas": "Formulas",
        "numbers_header": "Saturated share and cost",
        "chart.flat": "Share of inputs saturated or with f′ = 0",
        "chart.zero": "f′ exactly 0",
        "chart.cost": "Forward + derivative cost, relative to ReLU (log scale)",
        "axis.z": "z (pre-activation)",
        "axis.value": "value",
        "axis.share": "share of z ~ N(μ, σ²)",
        "axis.relative": "× ReLU (measured)",
        "axis.activation": "activation",
        "legend.curve": "curve",
        "legend.f": "f",
        "legend.df": "f′",
        "legend.kind": "share",
        "legend.flat": "saturated tail",
        "legend.zero": "f′ = 0",
        "tip.ns": "ns / element",
        "tip.q1": "lower quartile of the rounds",
        "tip.q3": "upper quartile of the rounds",
        "table_header": "Properties (from the registry)",
        "measured_header": "Measured here (this input distribution, this server)",
        "cost_caption": (
            "Cost benchmark on this server, {when}. What is timed: the same code for every "
            "activation (the registry's numpy f, then f′ from z and f) on {n:,} float64 "
            "standard-normal values (Maxout: {n:,} units of k pieces), in blocks of {block:,} "
            "values, which stay in the processor's cache, so what counts is the arithmetic and "
            "the number of passes over the array, not memory allocation; this thread's CPU "
            "time, so other visitors' trainings do not count. {rounds} rounds after a warm-up, "
            "every activation timed once per round in a rotating order; a bar is the "
            "{stat} over the rounds of its time divided by ReLU's time in the same round, the "
            "black line spans the middle half of the rounds (quartiles). numpy's exp costs "
            "little more per element than max; sigmoid is dear because its formula takes "
            "several passes over the array."),
        "measuring": "Measuring the cost of each activation on this server…",
        "col.label": "Activation",
        "col.range": "Range",
        "col.zero-centred": "Zero-centred",
        "col.saturating": "Saturates",
        "col.zero side": "Zero-gradient side",
        "col.monotonic": "Monotonic",
        "col.can die": "Can die",
        "col.max |f'|": "max |f′| (registry)",
        "col.parameters": "Parameters",
        "col.peak": "max |f′| (where)",
        "col.flat": "saturated",
        "col.zero": "f′ = 0",
        "col.ns": "ns per element",
        "col.relative": "× ReLU",
        "val.yes": "yes",
        "val.no": "no",
        "val.both": "both ends",
        "val.negative": "negative side",
        "val.none": "none",
        "param.pieces": "k = {k} (k× weights)",
        "param.learned": "a per unit, learned (starts at {a:g})",
    },
    "zh": {
        "title": "激活函数图鉴",
        "intro": (
            "所有已注册的激活函数：函数 **f** 与导数 **f′**、公式、性质，以及**实测**计算开销。"
            "灰色的小山是到达神经元的预激活值 z 的分布；红色区域是饱和尾部——从那里一直到无穷远，"
            "|f′| 都低于其最大值的 5%，落在那里的输入几乎传不回梯度。调节 μ 和 σ，看看有多少输入"
            "落进每个函数的饱和尾部（GELU 最小值那样的内部平坦点不算；ReLU 的负半轴是零梯度一侧，"
            "记为 f′ = 0）。"),
        "sec_params": "激活函数参数",
        "sec_inputs": "输入分布 z ~ N(μ, σ²)",
        "sec_view": "视图",
        "mean": "均值 μ",
        "mean_help": "到达神经元的预激活值 z 的中心。",
        "sd": "标准差 σ",
        "sd_help": "z 的标准差。权重过大或输入未归一化都会让 σ 变大，把会饱和的函数推进平坦的两端。",
        "view": "布局",
        "view_help": "每个激活函数一张小图，或把所有曲线叠加在两张图上。",
        "view.grid": "小图网格",
        "view.overlay": "叠加",
        "acts": "显示的激活函数",
        "acts_help": "列出了所有已注册的激活函数；去掉一些可以让图更清楚。",
        "param.leaky_slope": "Leaky ReLU 斜率 α",
        "param.elu_alpha": "ELU α",
        "param.maxout_k": "Maxout 分段数 k",
        "param_help": "{label}：取值 {lo:g} 到 {hi:g}（默认 {default:g}）。",
        "none_selected": "请至少选择一个激活函数。",
        "verdict_header": "数据告诉我们什么",
        "verdict.peak": (
            "**{label}** 的导数从不超过 **{peak:.4f}**（最大值出现在 z = {z:.2f}）："
            "每经过一层这样的函数，仅导数这一项就让反向传播的信号至多变为原来的 1/{gain:.0f}"
            "（该层的权重也会乘进来，所以整层缩小的倍数可能更小，也可能更大）。"),
        "verdict.sat": (
            "当 z ~ N({mean:g}, {sd:g}²) 时，两端饱和的函数中处于饱和尾部（|f′| 始终低于其最大值 5%）的输入比例："
            "**{items}**。"),
        "verdict.zero": "梯度**恰好为零**的输入比例：**{items}**。",
        "verdict.free": "没有任何输入饱和或得到 f′ = 0 的函数：{items}。",
        "verdict.cost": (
            "本服务器上前向 + 导数的耗时（{when}）：基于 exp 的激活函数耗时的中位数为 **ReLU 的 "
            "{ratio:.1f} 倍**（{n} 个），不用 exp 的为 {lin_ratio:.1f} 倍（{n_lin} 个，含 ReLU）；"
            "最慢的 {slow} 耗时为 ReLU 的 {slow_ratio:.1f} 倍。"),
        "verdict.cost_noexp": "所显示的函数中最慢的 {slow} 耗时为 ReLU 的 {slow_ratio:.1f} 倍（本服务器，{when}）。",
        "when.now": "测于协调世界时 {time}，不到一分钟前",
        "when.min": "测于协调世界时 {time}，{m} 分钟前",
        "when.hours": "测于协调世界时 {time}，{h} 小时 {m} 分钟前",
        "stat.median": "中位数",
        "stat.min": "最小值",
        "cost_order": "实测顺序（从最省时起）：{order}（≈：与前一个相差不到 {tie:g} 倍，比两次启动服务器之间的差别还小）。",
        "cost_split.holds": "这里每个不用 exp 的激活函数都比每个基于 exp 的更省时，与课程所说一致。",
        "cost_split.fails": "这里并非每个基于 exp 的激活函数都明显更耗时：{items} 的耗时不到不用 exp 的 {dear} 的 {tie:g} 倍。",
        "grid_caption": (
            "实线：f(z)。虚线：f′(z)。灰色：z ~ N(μ, σ²) 的密度（缩放到高度 1）。"
            "红色区域：饱和尾部（从那里到 ±∞，|f′| < 最大值的 5%）。所有小图坐标轴相同（超出 −2…3 的部分被截断）。"),
        "maxout_caption": (
            "这里的 Maxout：k = {k} 条示例直线（灰色细线）的最大值；f′ 是胜出那条直线的斜率。"
            "传到胜出那一段本身的梯度恒为 1，所以 Maxout 既不饱和也不会死亡。"),
        "prelu_caption": "按 a = {a:g} 绘制，这是其可学习斜率的初始值。",
        "flat_share": "{flat} 的输入饱和 · {zero} 的输入 f′ = 0",
        "overlay_f": "f(z)",
        "overlay_df": "f′(z) 与输入密度",
        "formulas": "公式",
        "numbers_header": "饱和比例与计算开销",
        "chart.flat": "饱和或 f′ = 0 的输入比例",
        "chart.zero": "f′ 恰好为 0",
        "chart.cost": "前向 + 导数的开销，相对于 ReLU（对数坐标）",
        "axis.z": "z（预激活值）",
        "axis.value": "数值",
        "axis.share": "z ~ N(μ, σ²) 中的比例",
        "axis.relative": "× ReLU（实测）",
        "axis.activation": "激活函数",
        "legend.curve": "曲线",
        "legend.f": "f",
        "legend.df": "f′",
        "legend.kind": "比例",
        "legend.flat": "饱和尾部",
        "legend.zero": "f′ = 0",
        "tip.ns": "纳秒 / 元素",
        "tip.q1": "各轮的下四分位数",
        "tip.q3": "各轮的上四分位数",
        "table_header": "性质（来自注册表）",
        "measured_header": "此处实测（当前输入分布、本服务器）",
        "cost_caption": (
            "本服务器上的开销基准测试，{when}。计时内容：每个激活函数用同一段代码（注册表中的 NumPy f，"
            "再由 z 和 f 计算 f′），输入是 {n:,} 个标准正态 float64 数（Maxout：{n:,} 个单元，每个 k 段），"
            "按每块 {block:,} 个数分块计算：数据留在处理器缓存中，所以计入的是算术和遍历数组的次数，"
            "而不是内存分配；计的是本线程占用的处理器时间，其他访客的训练不计在内。预热之后共 {rounds} 轮，"
            "每轮按轮换的顺序给每个函数各计时一次；每根柱子是各轮中"
            "“该函数耗时 ÷ 同一轮 ReLU 耗时”的{stat}，黑线覆盖中间一半的轮次（四分位数）。"
            "NumPy 的 exp 每个元素只比 max 稍贵；sigmoid 贵是因为它的公式要遍历数组好几次。"),
        "measuring": "正在本服务器上测量每个激活函数的开销…",
        "col.label": "激活函数",
        "col.range": "值域",
        "col.zero-centred": "零中心",
        "col.saturating": "饱和",
        "col.zero side": "零梯度一侧",
        "col.monotonic": "单调",
        "col.can die": "会死亡",
        "col.max |f'|": "max |f′|（注册表）",
        "col.parameters": "参数",
        "col.peak": "max |f′|（位置）",
        "col.flat": "饱和",
        "col.zero": "f′ = 0",
        "col.ns": "每元素纳秒",
        "col.relative": "× ReLU",
        "val.yes": "是",
        "val.no": "否",
        "val.both": "两端",
        "val.negative": "负半轴",
        "val.none": "无",
        "param.pieces": "k = {k} 段（k 倍权重）",
        "param.learned": "每个单元学习 a（初值 {a:g}）",
    },
}
