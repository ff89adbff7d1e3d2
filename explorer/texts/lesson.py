"""Text of the guided lesson (pages/lesson.py and explorer/lesson.py), English and 简体中文.

Per step ``<name>``: ``step.<name>.title`` (the selector and the heading), ``.claim`` (what the
lesson says) and ``.explain`` (how to read the chart). ``v.*`` are the verdict templates: every
number in them is filled from the run the step shows.
"""

TEXT = {
    "en": {
        "title": "Lesson: activation functions, claim by claim",
        "intro": (
            "A guided tour through the lesson's claims, in order. Each step trains (or "
            "measures) a small real run when you arrive, shows the one chart that makes the "
            "point and a verdict computed from that run. Use **Back** / **Next** or the "
            "arrow keys ← →; the step is in the address bar (`?step=3`)."),
        "about_page": "About this page",
        "back": "Back",
        "next": "Next",
        "step_select": "Step",
        "step_option": "{n} / {total} · {title}",
        "claim_n": "Claim {claims}",
        "claims_n": "Claims {claims}",
        "lesson_says": "The lesson says",
        "verdict": "Measured",
        "how_to_read": "How to read it",
        "open_in": "Open in {page}",
        "open_help": "The same setting on the lab page, with every control to change it.",
        "keys_hint": "Keys ← → move between steps.",
        "seed": "Seed",
        "seed_help": ("Every verdict is checked on seeds 0–4 (data, split, initial weights and "
                      "batch order all change with it)."),
        "working": "Training the runs of this step…",
        "failed": "This step could not be computed: {error}",
        "holds": "The claim holds on this run.",
        "fails": "The claim does not show on this run (try another seed).",
        # --- chart texts
        "chart.sigmoid": "Sigmoid σ(z) (solid) and its derivative σ′(z) (dashed)",
        "chart.sigmoid_sub": "shaded: σ′ below {pct} of its peak (saturated)",
        "chart.peak": "peak of σ′ = {peak}",
        "axis.z": "z (pre-activation)",
        "tip.curve": "curve",
        "tip.value": "value",
        "chart.zig_reached": "w* reached after {n} steps",
        "chart.zig_missed": "w* not reached in {n} steps",
        "chart.acc": "Training (solid) and test (dashed) accuracy",
        "chart.unit_map": "ReLU units over epochs, learning rate {lr}",
        "chart.zero": "Loss: zero initialisation vs He initialisation (ReLU)",
        "label.zeros": "ReLU · zero init",
        "label.he": "ReLU · He init",
        "label.lr": "ReLU · lr {lr}",
        "chart.dead_lr": "Dead ReLU units per layer: small vs large learning rate",
        "chart.dead_leaky": ("Learning rate {lr}: dead (solid) and asleep (dashed) hidden units, "
                             "ReLU vs Leaky ReLU"),
        "chart.maxout": "Loss with every hidden bias starting at {bias}: ReLU vs Maxout",
        "chart.practice": "Loss of the lesson's activations (log scale)",
        "chart.variants": "More variants: f(z), with ReLU for reference",
        # --- verdicts (numbers filled from the run)
        "v.sigmoid": ("σ′ peaks at **{peak}** (at z = {z}) and is below {flat} of that for "
                      "|z| > **{edge}**; σ stays in ({lo}, {hi}) on ±{zmax}."),
        "v.saturation": ("Sigmoid: first-layer gradient **{sig}** of the output layer's at "
                         "the start ({depth} hidden layers); tanh **{tanh}**, ReLU **{relu}**."),
        "v.zigzag": ("All-positive inputs: **{pos_same}** same-sign updates, w* after "
                     "**{pos_steps}** steps; zero-centred: {cen_same}, **{cen_steps}** steps "
                     "({ratio} fewer)."),
        "v.cost": ("Forward + derivative per element on this machine: sigmoid **{sig}** ReLU's "
                   "time ({sig_ns} vs {relu_ns} ns), tanh **{tanh}**."),
        "v.tanh": ("Same-sign updates in the deeper layers: sigmoid **{sig}**, tanh **{tanh}**; "
                   "but tanh′ is still below {flat} of its peak for |z| > **{edge}**."),
        "v.fast": ("Epochs to {target} training accuracy: ReLU **{relu}**, tanh **{tanh}** "
                   "({r_tanh}), sigmoid **{sig}** (**{r_sig}** ReLU's)."),
        "v.fast_never": ("Epochs to {target} training accuracy: ReLU **{relu}**, tanh "
                         "**{tanh}** ({r_tanh}); sigmoid not within **{budget}** epochs."),
        "v.dead": ("Learning rate {lr}: **{dead} of {units}** hidden ReLU units "
                   "(**{share}**) are dead after {epochs} epochs; {zero} of all weight "
                   "gradients are exactly 0."),
        "v.zero": ("Zero init: the loss stays between **{lo}** and **{hi}** for {epochs} epochs "
                   "(ln 2 = {ln2}), {zero} of the weight gradients are exactly 0; He init: "
                   "{he_start} → **{he_end}**."),
        "v.lr": ("Learning rate {big}: up to **{peak}** of all hidden ReLU units dead "
                 "(epoch {epoch}); learning rate {small}: at most **{small_peak}**."),
        "v.revive": ("**{revived}** revivals counted: units dead at one snapshot and alive at "
                     "the next (learning rate {lr}; dead share at most {peak}, {end} at the end)."),
        "v.leaky": ("Learning rate {lr}: dead units at most **{relu}** with ReLU, **{leaky}** "
                    "with Leaky ReLU (slope {slope}) — but up to **{asleep}** of the Leaky "
                    "units are asleep (z ≤ 0 on every point, epoch {epoch}); {woke} wake-ups."),
        "v.leaky_learn": ("Still learning: at epoch {epoch}, **{learning} of {n}** asleep Leaky "
                          "units get a nonzero gradient (α-scaled); {relu_learning} of {relu_n} "
                          "asleep ReLU units do."),
        "v.leaky_diverged": ("Learning rate {lr}: diverged — {runs} (loss NaN, infinite or "
                             "blown up at that epoch). No claim is made from this seed."),
        "v.maxout": ("Maxout (k = {k}): **{p_max}** parameters vs ReLU's {p_relu} "
                     "(**{times}**), dead units {dead_max} vs {dead_relu}, final loss "
                     "**{loss_max}** vs {loss_relu}."),
        "v.practice": ("After {epochs} epochs the lowest training loss is **{best}**'s "
                       "(**{best_loss}**); tanh {tanh}, sigmoid **{sig}** ({times} higher)."),
        "v.variants": ("**{n}** more activations. Share of inputs N(0, {sd}²) where f′ = 0: "
                       "ReLU **{relu}**, every variant at most **{worst_zero}** ({worst})."),
        "v.variants_none": ("**{n}** more activations. Share of inputs N(0, {sd}²) where "
                            "f′ = 0: ReLU **{relu}**, each variant **{worst_zero}**: none has a "
                            "flat zero side."),
        # --- steps
        "step.sigmoid.title": "Sigmoid squashes, and its slope is at most ¼",
        "step.sigmoid.claim": ("σ(z) = 1/(1+e⁻ᶻ) maps every input into (0, 1); its derivative "
                               "σ′(z) = σ(z)(1−σ(z)) is never larger than 0.25."),
        "step.sigmoid.explain": (
            "The dashed curve is σ′. Its peak is ¼ at z = 0, and in the shaded regions it "
            "is nearly 0: a unit whose input lands there passes almost no gradient back."),
        "step.saturation.title": "Sigmoid saturates: gradients vanish toward the input",
        "step.saturation.claim": ("At both ends σ′ ≈ 0, so ∂L/∂w ≈ 0 and the weights of the "
                                  "early layers barely move."),
        "step.saturation.explain": (
            "Gradient norm ‖∂L/∂W‖ of every layer of a deep, narrow network at the start of "
            "training (log scale). Backpropagation multiplies by σ′ ≤ ¼ once per layer, so "
            "sigmoid's line falls steeply toward layer 1; tanh and ReLU stay level."),
        "step.zigzag.title": "Not zero-centred: all-positive inputs make the weights zig-zag",
        "step.zigzag.claim": (
            "If all inputs of a neuron are positive (they come from a sigmoid layer), every "
            "∂L/∂wᵢ has the sign of ∂L/∂f: the weights can only all go up or all go down, and "
            "the path zig-zags."),
        "step.zigzag.explain": (
            "One neuron with two weights learns w* = (2, −2): one weight must go up and the "
            "other down. Left: inputs sigmoid(g) > 0, the path is a staircase. Right: the "
            "same draws through tanh, zero-centred, the path goes straight."),
        "step.cost.title": "exp costs time",
        "step.cost.claim": "Sigmoid needs exp, which is more expensive to compute than max(0, z).",
        "step.cost.explain": (
            "Measured now, on this server: time of f(z) plus its derivative per element, "
            "relative to ReLU (best of several rounds; a busy machine adds noise)."),
        "step.tanh.title": "tanh is zero-centred, but still saturates",
        "step.tanh.claim": ("tanh = (eᶻ − e⁻ᶻ)/(eᶻ + e⁻ᶻ) is zero-centred, so the zig-zag "
                            "goes away, but it still saturates at both ends."),
        "step.tanh.explain": (
            "Two real networks (3 hidden layers of 16) trained on the same data: the share of "
            "per-sample weight updates whose components all have one sign. Behind sigmoid "
            "layers (hidden 2, 3, output) every update is one-signed; behind tanh layers "
            "almost none."),
        "step.relu_fast.title": "ReLU converges faster",
        "step.relu_fast.claim": ("ReLU = max(0, z) is cheap and one-sided, and was reported to "
                                 "converge about 6× faster than sigmoid/tanh."),
        "step.relu_fast.explain": (
            "The same network, data, initial draws and batches, only the activation differs. "
            "The verdict counts epochs until the training accuracy first reaches the target. "
            "(The lesson's 6× is for a CNN on CIFAR-10; the seed sweep on Compare gives the "
            "ratio over many seeds.)"),
        "step.dead.title": "Dead ReLUs",
        "step.dead.claim": ("A unit whose input is negative on the whole data set outputs 0, "
                            "gets zero gradient and stops learning."),
        "step.dead.explain": (
            "Each row is one hidden unit, each column a snapshot: red = dead (ReLU′ = 0 on "
            "every training point), grey = alive, green = revived. Once red, a unit's "
            "incoming weights receive exactly zero gradient."),
        "step.zero_init.title": "Cause 1: a bad initialisation (all zeros)",
        "step.zero_init.claim": ("With all weights zero every unit computes the same "
                                 "(zero) output and the net cannot learn; use Gaussian / "
                                 "Xavier / He instead."),
        "step.zero_init.explain": (
            "Same network and data: the zero-initialised run's loss stays flat at ln 2 (it "
            "predicts ½ for everything), the He-initialised one learns."),
        "step.large_lr.title": "Cause 2: a learning rate that is too large",
        "step.large_lr.claim": ("A too large step pushes the weights so far that units never "
                                "open again."),
        "step.large_lr.explain": (
            "Share of dead units per hidden layer over the epochs, for the same ReLU network "
            "at a small and a large learning rate."),
        "step.revival.title": "Dead units can revive",
        "step.revival.claim": ("The lesson disputes “dead ReLUs never recover”: sometimes "
                               "they come back."),
        "step.revival.explain": (
            "Green cells: a unit dead at the previous snapshot that is alive again. A dead "
            "unit's own weights do not move, but the layers below it do, and its input can "
            "become positive again."),
        "step.leaky.title": "Leaky ReLU keeps a gradient",
        "step.leaky.claim": ("Leaky ReLU has a small slope (0.01, adjustable) for z < 0, so "
                             "units keep a gradient and do not die."),
        "step.leaky.explain": (
            "The same run as before, with Leaky ReLU beside ReLU (same data, initial draws "
            "and batches), all hidden units together. Solid: dead (f′ = 0 on every point). "
            "Dashed: asleep (z ≤ 0 on every point, so only the slope α of the gradient "
            "passes). Leaky ReLU is never dead by definition; the dashed line shows how many "
            "of its units sleep, and the verdict checks that they still get a gradient. The "
            "slope is a control on the Dead ReLUs page."),
        "step.maxout.title": "Maxout: more parameters, no dying",
        "step.maxout.claim": ("Maxout takes the max of k linear pieces: it neither dies nor "
                              "saturates, at the price of k× the parameters."),
        "step.maxout.explain": (
            "Every hidden bias starts at −2, so many ReLU units start closed and stay so. "
            "Maxout always has one winning piece with slope 1 and keeps learning."),
        "step.practice.title": "In practice: the ReLU family",
        "step.practice.claim": ("People use ReLU-family activations; sigmoid is rare in "
                                "hidden layers."),
        "step.practice.explain": (
            "Five activations trained side by side on the same data, initial draws and "
            "batches (momentum SGD). Solid: training loss, dashed: test loss."),
        "step.variants.title": "…and many more variants",
        "step.variants.claim": "There are many more variants (left for later).",
        "step.variants.explain": (
            "ELU, SELU, GELU, SiLU, Mish, Softplus, PReLU and the identity are in the app "
            "too: the gallery shows each one's derivative, flat regions and cost."),
    },
    "zh": {
        "title": "课程：逐条验证激活函数的结论",
        "intro": (
            "按顺序逐条走过课程中的结论。每一步在进入时训练（或测量）一个小的真实实验，展示最能"
            "说明问题的一张图，以及根据这次运行计算出的结论。用 **上一步** / **下一步** 或方向键 "
            "← → 切换；当前步骤写在地址栏中（`?step=3`）。"),
        "about_page": "关于本页",
        "back": "上一步",
        "next": "下一步",
        "step_select": "步骤",
        "step_option": "第 {n} / {total} 步 · {title}",
        "claim_n": "结论 {claims}",
        "claims_n": "结论 {claims}",
        "lesson_says": "课程中说",
        "verdict": "实测",
        "how_to_read": "怎么看这张图",
        "open_in": "在「{page}」中打开",
        "open_help": "在实验页面中打开同样的设置，可以调整每个参数。",
        "keys_hint": "方向键 ← → 切换步骤。",
        "seed": "随机种子",
        "seed_help": "每条结论都在种子 0–4 上检验过（数据、划分、初始权重和批次顺序都随种子变化）。",
        "working": "正在训练这一步的网络…",
        "failed": "这一步无法计算：{error}",
        "holds": "在这次运行中结论成立。",
        "fails": "在这次运行中看不到这条结论（换一个种子试试）。",
        "chart.sigmoid": "Sigmoid σ(z)（实线）及其导数 σ′(z)（虚线）",
        "chart.sigmoid_sub": "阴影：σ′ 低于峰值的 {pct}（饱和区）",
        "chart.peak": "σ′ 的峰值 = {peak}",
        "axis.z": "z（预激活值）",
        "tip.curve": "曲线",
        "tip.value": "数值",
        "chart.zig_reached": "{n} 步后到达 w*",
        "chart.zig_missed": "{n} 步内未到达 w*",
        "chart.acc": "训练（实线）与测试（虚线）准确率",
        "chart.unit_map": "ReLU 单元随训练轮数的状态，学习率 {lr}",
        "chart.zero": "损失：零初始化对比 He 初始化（ReLU）",
        "label.zeros": "ReLU · 零初始化",
        "label.he": "ReLU · He 初始化",
        "label.lr": "ReLU · 学习率 {lr}",
        "chart.dead_lr": "各层死亡 ReLU 单元比例：小学习率对比大学习率",
        "chart.dead_leaky": "学习率 {lr}：死亡（实线）与沉睡（虚线）的隐藏单元，ReLU 对比 Leaky ReLU",
        "chart.maxout": "所有隐藏层偏置初始为 {bias} 时的损失：ReLU 对比 Maxout",
        "chart.practice": "课程中各激活函数的损失（对数坐标）",
        "chart.variants": "更多变体：f(z)，以 ReLU 作参照",
        "v.sigmoid": ("σ′ 的峰值为 **{peak}**（在 z = {z} 处），当 |z| > **{edge}** 时低于峰值的 "
                      "{flat}；在 ±{zmax} 内 σ 始终位于 ({lo}, {hi})。"),
        "v.saturation": ("Sigmoid：训练开始时第一层的梯度是输出层的 **{sig}**（{depth} 个隐藏层）；"
                         "tanh **{tanh}**，ReLU **{relu}**。"),
        "v.zigzag": ("全正输入：**{pos_same}** 的更新同号，**{pos_steps}** 步到达 w*；"
                     "零中心输入：{cen_same}，**{cen_steps}** 步（全正输入的步数是其 {ratio}）。"),
        "v.cost": ("本机上每个元素前向 + 导数的耗时：sigmoid 是 ReLU 的 **{sig}**"
                   "（{sig_ns} 对 {relu_ns} ns），tanh **{tanh}**。"),
        "v.tanh": ("较深各层中同号更新的比例：sigmoid **{sig}**，tanh **{tanh}**；"
                   "但当 |z| > **{edge}** 时 tanh′ 仍低于峰值的 {flat}。"),
        "v.fast": ("训练准确率达到 {target} 所需轮数：ReLU **{relu}**，tanh **{tanh}**"
                   "（{r_tanh}），sigmoid **{sig}**（ReLU 的 **{r_sig}**）。"),
        "v.fast_never": ("训练准确率达到 {target} 所需轮数：ReLU **{relu}**，tanh **{tanh}**"
                         "（{r_tanh}）；sigmoid 在 **{budget}** 轮内未达到。"),
        "v.dead": ("学习率 {lr}：训练 {epochs} 轮后 **{units} 个中有 {dead} 个**隐藏 ReLU 单元"
                   "（**{share}**）死亡；所有权重梯度中 {zero} 恰好为 0。"),
        "v.zero": ("零初始化：{epochs} 轮内损失始终在 **{lo}** 与 **{hi}** 之间（ln 2 = {ln2}），"
                   "{zero} 的权重梯度恰好为 0；He 初始化：{he_start} → **{he_end}**。"),
        "v.lr": ("学习率 {big}：全部隐藏 ReLU 单元中最多 **{peak}** 死亡（第 {epoch} 轮）；"
                 "学习率 {small}：至多 **{small_peak}**。"),
        "v.revive": ("统计到 **{revived}** 次复活：单元在一个快照中死亡、在下一个快照中又恢复"
                     "（学习率 {lr}；死亡比例最高 {peak}，结束时 {end}）。"),
        "v.leaky": ("学习率 {lr}：死亡单元比例最高 ReLU **{relu}**，Leaky ReLU **{leaky}**（斜率 {slope}）"
                    "——但最多有 **{asleep}** 的 Leaky ReLU 单元处于沉睡（在每个样本上 z ≤ 0，第 {epoch} 轮）；"
                    "醒来 {woke} 次。"),
        "v.leaky_learn": ("仍在学习：第 {epoch} 轮时，**{n} 个中有 {learning} 个**沉睡的 Leaky ReLU 单元得到非零梯度"
                          "（按 α 缩小）；沉睡的 ReLU 单元 {relu_n} 个中有 {relu_learning} 个。"),
        "v.leaky_diverged": "学习率 {lr}：发散——{runs}（损失在该轮变成 NaN、无穷大或爆炸）。此种子不作任何结论。",
        "v.maxout": ("Maxout（k = {k}）：**{p_max}** 个参数，ReLU 为 {p_relu}（**{times}**）；"
                     "死亡单元 {dead_max} 对 {dead_relu}，最终损失 **{loss_max}** 对 {loss_relu}。"),
        "v.practice": ("{epochs} 轮后训练损失最低的是 **{best}**（**{best_loss}**）；"
                       "tanh {tanh}，sigmoid **{sig}**（是其 {times}）。"),
        "v.variants": ("还有 **{n}** 种激活函数。输入服从 N(0, {sd}²) 时 f′ = 0 的比例："
                       "ReLU **{relu}**，各变体至多 **{worst_zero}**（{worst}）。"),
        "v.variants_none": ("还有 **{n}** 种激活函数。输入服从 N(0, {sd}²) 时 f′ = 0 的比例："
                            "ReLU **{relu}**，每个变体都是 **{worst_zero}**：没有一个有导数恒为零的一侧。"),
        "step.sigmoid.title": "Sigmoid 把输入压扁，斜率至多为 ¼",
        "step.sigmoid.claim": ("σ(z) = 1/(1+e⁻ᶻ) 把任何输入映射到 (0, 1)；它的导数 "
                               "σ′(z) = σ(z)(1−σ(z)) 永远不超过 0.25。"),
        "step.sigmoid.explain": (
            "虚线是 σ′。它在 z = 0 处取峰值 ¼，在阴影区域几乎为 0：输入落在那里的单元几乎不向后"
            "传递梯度。"),
        "step.saturation.title": "Sigmoid 饱和：梯度向输入层逐渐消失",
        "step.saturation.claim": "两端 σ′ ≈ 0，于是 ∂L/∂w ≈ 0，前面几层的权重几乎不更新。",
        "step.saturation.explain": (
            "一个又深又窄的网络在训练开始时每一层的梯度范数 ‖∂L/∂W‖（对数坐标）。反向传播每经过"
            "一层就乘一次 σ′ ≤ ¼，所以 sigmoid 的曲线朝第 1 层急剧下降；tanh 和 ReLU 基本持平。"),
        "step.zigzag.title": "非零中心：全正的输入让权重走之字形",
        "step.zigzag.claim": (
            "如果一个神经元的输入全为正（例如来自 sigmoid 层），每个 ∂L/∂wᵢ 都与 ∂L/∂f 同号："
            "权重只能一起增大或一起减小，路径呈之字形。"),
        "step.zigzag.explain": (
            "一个有两个权重的神经元学习 w* = (2, −2)：一个权重要增大、另一个要减小。左：输入 "
            "sigmoid(g) > 0，路径像台阶。右：同样的随机数经过 tanh，零中心，路径直达。"),
        "step.cost.title": "exp 要花时间",
        "step.cost.claim": "Sigmoid 需要计算 exp，比 max(0, z) 更耗时。",
        "step.cost.explain": (
            "就在此刻、在这台服务器上测量：每个元素计算 f(z) 及其导数的时间，相对于 ReLU"
            "（取多轮中最好的一次；机器繁忙时会有波动）。"),
        "step.tanh.title": "tanh 是零中心的，但仍会饱和",
        "step.tanh.claim": ("tanh = (eᶻ − e⁻ᶻ)/(eᶻ + e⁻ᶻ) 是零中心的，之字形消失了，"
                            "但两端仍然饱和。"),
        "step.tanh.explain": (
            "两个真实网络（3 个 16 单元的隐藏层）在同样的数据上训练：逐样本权重更新中所有分量"
            "同号的比例。在 sigmoid 层之后（隐藏层 2、3 和输出层）每次更新都同号；在 tanh 层之后"
            "几乎没有。"),
        "step.relu_fast.title": "ReLU 收敛更快",
        "step.relu_fast.claim": ("ReLU = max(0, z) 计算便宜、单侧激活，据报道收敛速度约为 "
                                 "sigmoid/tanh 的 6 倍。"),
        "step.relu_fast.explain": (
            "同样的网络、数据、初始随机数和批次，只有激活函数不同。结论统计训练准确率首次达到目标"
            "所需的轮数。（课程中的 6 倍来自 CIFAR-10 上的卷积网络；对比页的多种子实验给出多个"
            "种子上的比值。）"),
        "step.dead.title": "ReLU 死亡",
        "step.dead.claim": "如果一个单元在整个数据集上的输入都为负，它输出 0、梯度为 0，不再学习。",
        "step.dead.explain": (
            "每一行是一个隐藏单元，每一列是一个快照：红色 = 死亡（在所有训练点上 ReLU′ = 0），"
            "灰色 = 存活，绿色 = 复活。一旦变红，该单元的输入权重得到的梯度恰好为 0。"),
        "step.zero_init.title": "原因一：糟糕的初始化（全零）",
        "step.zero_init.claim": ("所有权重为零时，每个单元的输出都相同（为零），网络无法学习；"
                                 "应改用高斯 / Xavier / He 初始化。"),
        "step.zero_init.explain": (
            "同样的网络和数据：零初始化的损失一直停在 ln 2（对所有点都预测 ½），He 初始化的"
            "网络正常学习。"),
        "step.large_lr.title": "原因二：学习率过大",
        "step.large_lr.claim": "步长过大会把权重推得太远，使单元再也无法激活。",
        "step.large_lr.explain": "同一个 ReLU 网络在小学习率和大学习率下，各隐藏层死亡单元比例随训练轮数的变化。",
        "step.revival.title": "死亡的单元可以复活",
        "step.revival.claim": "课程质疑“死亡的 ReLU 永远无法恢复”的说法：有时它们会回来。",
        "step.revival.explain": (
            "绿色格子：在上一个快照中死亡、现在又存活的单元。死亡单元自身的权重不变，但它下面的"
            "层在变，它的输入可能重新变为正。"),
        "step.leaky.title": "Leaky ReLU 保留梯度",
        "step.leaky.claim": "Leaky ReLU 在 z < 0 时有一个小斜率（0.01，可调），单元保留梯度，不会死亡。",
        "step.leaky.explain": (
            "与上一步是同一次运行，Leaky ReLU 与 ReLU 并排（同样的数据、初始随机数和批次），统计全部隐藏单元。"
            "实线：死亡（在每个样本上 f′ = 0）。虚线：沉睡（在每个样本上 z ≤ 0，梯度只有斜率 α 那一部分能传回）。"
            "按定义 Leaky ReLU 从不死亡；虚线显示有多少单元在沉睡，结论还检查它们是否仍得到梯度。"
            "斜率可以在“ReLU 死亡”页面调整。"),
        "step.maxout.title": "Maxout：参数更多，但不会死亡",
        "step.maxout.claim": "Maxout 取 k 个线性片段的最大值：既不死亡也不饱和，代价是 k 倍的参数。",
        "step.maxout.explain": (
            "所有隐藏层偏置初始为 −2，许多 ReLU 单元一开始就关闭并一直关闭。Maxout 总有一个斜率"
            "为 1 的片段胜出，于是继续学习。"),
        "step.practice.title": "实践中：ReLU 家族",
        "step.practice.claim": "实践中人们使用 ReLU 家族的激活函数；隐藏层中很少用 sigmoid。",
        "step.practice.explain": (
            "五种激活函数在同样的数据、初始随机数和批次下并排训练（动量 SGD）。实线：训练损失，"
            "虚线：测试损失。"),
        "step.variants.title": "……还有很多变体",
        "step.variants.claim": "还有许多其他变体（留待以后）。",
        "step.variants.explain": (
            "ELU、SELU、GELU、SiLU、Mish、Softplus、PReLU 和恒等函数也都在本应用中：图鉴页展示"
            "每一种的导数、平坦区域和计算开销。"),
    },
}
