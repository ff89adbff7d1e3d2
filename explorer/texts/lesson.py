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
        "seed_help": ("Every verdict is counted on seeds 0–4 and the page says on how many it "
                      "holds (data, split, initial weights and batch order all change with the "
                      "seed)."),
        "working": "Training the runs of this step…",
        "failed": "This step could not be computed: {error}",
        "holds": "The claim holds on this run.",
        "fails": "The claim does not show on this run (try another seed).",
        "tally": "Holds on **{k} of {n}** seeds ({seeds}; this run is seed {seed}).",
        "tally_fails": "Does not show on seed {seeds}.",
        "tally_diverged": "Diverged (loss NaN or infinite) on seed {seeds}: nothing is claimed there.",
        "tally_unseeded": "No random draws: the same on every seed.",
        "tally_working": "Checking the other seeds…",
        "v.diverged": "This run diverged: {runs}. Nothing is claimed from it.",
        "v.diverged_run": "{run} (loss NaN or infinite at epoch {epoch})",
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
        "chart.fast": "Training accuracy until every run reaches {target}",
        "chart.fast_sub": "One initialiser for all: {init} · tuned learning rates: {lrs}",
        "chart.fast_x": "epoch",
        "chart.fast_y": "training accuracy",
        "chart.fast_target": "target {target}",
        "chart.fast_tip": "epochs to target",
        "chart.fast_mark": "{name}: {n}",
        "chart.unit_map": "ReLU units over epochs, learning rate {lr}",
        "chart.unit_map_revived": " (green: {n} revivals, see step 10)",
        "chart.zero": "Loss: zero initialisation vs He initialisation (ReLU)",
        "label.zeros": "ReLU · zero init",
        "label.he": "ReLU · He init",
        "label.lr": "ReLU · lr {lr}",
        "chart.tanh_flat": "tanh (solid), tanh′ (dashed): flat for |z| > {edge}",
        "chart.tanh_flat_sub": "shaded: tanh′ below {flat} of its peak",
        "chart.dead_lr": "Dead ReLU units per layer: small vs large learning rate",
        "chart.dead_leaky": ("Learning rate {lr}: dead (solid) and asleep (dashed) hidden units, "
                             "ReLU vs Leaky ReLU"),
        "chart.maxout": "Loss: training (solid), test (dashed)",
        "chart.maxout_dead": "Dead units per layer, hidden biases starting at {bias}",
        "chart.practice": "Loss of the lesson's activations (log scale)",
        "chart.variants": "Inputs N(0, {sd}²): share on a saturated tail (light), f′ = 0 (dark)",
        # --- verdicts (numbers filled from the run)
        "v.sigmoid": ("σ′ peaks at **{peak}** (at z = {z}) and is below {flat} of that for "
                      "|z| > **{edge}**; σ stays in ({lo}, {hi}) on ±{zmax}."),
        "v.saturation": ("Sigmoid: first-layer gradient **{sig}** of the output layer's at "
                         "the start ({depth} hidden layers): **{mean}** smaller per layer on "
                         "average, from {lo} to {hi} (the weights enter too, not only "
                         "σ′ ≤ ¼); tanh **{tanh}**, ReLU **{relu}**."),
        "v.zigzag": ("All-positive inputs: **{pos_same}** same-sign updates, w* after "
                     "**{pos_steps}** steps; zero-centred: {cen_same}, **{cen_steps}** steps "
                     "({ratio} fewer)."),
        "v.cost": ("Forward + derivative per element on this machine: sigmoid **{sig}** ReLU's "
                   "time ({sig_ns} vs {relu_ns} ns), tanh **{tanh}**."),
        "v.cost_order": "Measured order, cheapest first: {order}.",
        "v.cost_when.now": "Measured at {time} UTC, less than a minute ago.",
        "v.cost_when.min": "Measured at {time} UTC, {m} min ago.",
        "v.cost_when.hours": "Measured at {time} UTC, {h} h {m} min ago.",
        "v.tanh": ("Same-sign updates in the deeper layers: sigmoid **{sig}**, tanh **{tanh}**; "
                   "but tanh′ is still below {flat} of its peak for |z| > **{edge}**."),
        "v.fast": ("Epochs to {target} training accuracy (one initialiser for all, named "
                   "above the chart; each learning rate tuned on other seeds): ReLU **{relu}**, "
                   "tanh **{tanh}**, sigmoid **{sig}**."),
        "v.fast_diverged": "{name} diverged (its loss became NaN or infinite): no verdict here.",
        "v.fast_relu_never": ("ReLU did not reach it within {budget} epochs: the claim does "
                              "not show here."),
        "v.fast_never": "{name} did not reach it within **{budget}** epochs.",
        "v.fast_tanh_slower": "tanh needed **{r_tanh}** ReLU's epochs: ReLU was faster.",
        "v.fast_tanh_not_slower": ("tanh needed **{r_tanh}** ReLU's epochs: on this seed "
                                   "ReLU was not faster than tanh."),
        "v.fast_sig": "Sigmoid needed **{r_sig}** ReLU's epochs.",
        "v.fast_check": ("A seed counts as holding when ReLU reaches the target before sigmoid; "
                         "the tanh ratio is shown, not claimed (it goes either way on one seed)."),
        "v.fast_paper": "(The paper's 6× is for a deep CNN on CIFAR-10: see above why.)",
        "v.dead": ("Learning rate {lr}: **{dead} of {units}** hidden ReLU units "
                   "(**{share}**) are dead after {epochs} epochs; {zero} of all weight "
                   "gradients are exactly 0."),
        "v.zero": ("Zero init: **{zero}** of the weight gradients are exactly 0 at every one of "
                   "{snaps} snapshots, so no weight leaves 0 and the units of a layer stay "
                   "identical; the loss stays between {lo} and {hi} for {epochs} epochs "
                   "(ln 2 = {ln2}). He init: loss {he_start} → **{he_end}**."),
        "v.lr": ("Learning rate {big}: up to **{peak}** of a hidden layer's ReLU units dead "
                 "(hidden {layer}, {dead} of {units}, epoch {epoch}); learning rate {small}: "
                 "at most **{small_peak}** in any layer."),
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
                     "(**{times}**); dead units in any hidden layer at most **{dead_max}** vs "
                     "ReLU's **{dead_relu}** (hidden {layer}); final loss **{loss_max}** vs "
                     "{loss_relu}."),
        "v.practice": ("After {epochs} epochs the lowest training loss of the five is "
                       "**{best}**'s (**{best_loss}**); the highest of the ReLU family "
                       "{fam}'s {fam_loss}, tanh {tanh}, sigmoid **{sig}** ({times} the "
                       "lowest)."),
        "v.variants": ("**{n}** more activations, on inputs N(0, {sd}²): f′ = 0 on **{relu}** "
                       "for ReLU, on at most **{zero}** for a variant. {m} of them ({names}) "
                       "still saturate, on the negative side only: **{lo}–{hi}** of the "
                       "inputs fall on that flat tail, {pos} on a positive one."),
        "v.variants_none": ("**{n}** more activations, on inputs N(0, {sd}²): f′ = 0 on "
                            "**{relu}** for ReLU, on at most **{zero}** for a variant; none "
                            "saturates ({pos} of the inputs on a flat positive tail)."),
        # --- steps
        "step.sigmoid.title": "Sigmoid squashes, and its slope is at most ¼",
        "step.sigmoid.claim": ("σ(z) = 1/(1+e⁻ᶻ) maps every input into (0, 1); its derivative "
                               "σ′(z) = σ(z)(1−σ(z)) is never larger than 0.25."),
        "step.sigmoid.explain": (
            "The dashed curve is σ′. Its peak is ¼ at z = 0, and in the shaded regions it "
            "is nearly 0: a unit whose input lands there passes almost no gradient back."),
        "step.saturation.title": "Sigmoid: σ′ ≤ ¼ compounds, gradients vanish toward the input",
        "step.saturation.claim": ("At both ends σ′ ≈ 0, so ∂L/∂w ≈ 0 and the weights of the "
                                  "early layers barely move."),
        "step.saturation.explain": (
            "Gradient norm ‖∂L/∂W‖ of every layer of a deep, narrow network at the start of "
            "training (log scale). Backpropagation multiplies by σ′ (at most ¼, near 0 in the "
            "saturated ends) and by the layer's weights once per layer, so sigmoid's line "
            "falls toward layer 1 even before any unit saturates; tanh and ReLU stay level."),
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
            "Measured on this server (the verdict says when): the time of f(z) plus its "
            "derivative per element, relative to ReLU. Every round times each activation once, "
            "interleaved; a bar is the median over the rounds of its time divided by ReLU's in "
            "the same round, the black line spans the middle half of the rounds. numpy's exp "
            "costs little more per element than max: sigmoid is dear because its formula "
            "passes over the array several times."),
        "step.tanh.title": "tanh is zero-centred, but still saturates",
        "step.tanh.claim": ("tanh = (eᶻ − e⁻ᶻ)/(eᶻ + e⁻ᶻ) is zero-centred, so the zig-zag "
                            "goes away, but it still saturates at both ends."),
        "step.tanh.explain": (
            "Two real networks (3 hidden layers of 16) trained on the same data: the share of "
            "per-sample weight updates whose components all have one sign. Behind sigmoid "
            "layers (hidden 2, 3, output) every update is one-signed; behind tanh layers "
            "almost none. Right: tanh itself still has flat ends, shaded where tanh′ is "
            "nearly 0."),
        "step.relu_fast.title": "ReLU converges faster than sigmoid; tanh is close here",
        "step.relu_fast.claim": ("ReLU = max(0, z) is cheap and one-sided, and was reported to "
                                 "converge about 6× faster than sigmoid/tanh."),
        "step.relu_fast.explain": (
            "The same network, data, batches and initialiser (named above the chart) for all "
            "three; each activation trains with its own learning rate, tuned as Krizhevsky "
            "et al. tuned theirs (the fastest rate that learns, chosen on other seeds than "
            "the ones shown). The markers show when each run's training accuracy first "
            "reaches the dashed target. Expect ReLU and tanh to be close here: the paper's 6× "
            "comes from a 4-layer CNN on CIFAR-10, where several layers of saturating tanh "
            "units shrink the gradient over a long, hard training; two hidden layers of 16 "
            "units learn this 2-D boundary in a few epochs, with little room for saturation "
            "to cost. The seed sweep on Compare gives the ratio over many seeds."),
        "step.dead.title": "Dead ReLUs",
        "step.dead.claim": ("A unit whose input is negative on the whole data set outputs 0, "
                            "gets zero gradient and stops learning."),
        "step.dead.explain": (
            "Each row is one hidden unit, each column a snapshot: red = dead (ReLU′ = 0 on "
            "every training point), grey = alive, green = revived (dead at the snapshot "
            "before, alive again: the layers below it moved; step 10 is about them). While "
            "red, a unit's incoming weights receive exactly zero gradient."),
        "step.zero_init.title": "Cause 1: a bad initialisation (all zeros)",
        "step.zero_init.claim": ("With all weights zero every unit computes the same "
                                 "(zero) output and the net cannot learn; use Gaussian / "
                                 "Xavier / He instead."),
        "step.zero_init.explain": (
            "Same network and data. With zero weights every hidden unit outputs 0 and passes "
            "back 0, so no weight gets a gradient and every unit of a layer stays the same; "
            "only the output's bias learns the class balance, so the loss stays near ln 2 "
            "(it predicts about ½ for everything). The He-initialised run learns."),
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
            "Maxout always has one winning piece with slope 1 and keeps learning. Left: dead "
            "share of each hidden layer over the epochs; right: the loss."),
        "step.practice.title": "In practice: the ReLU family",
        "step.practice.claim": ("People use ReLU-family activations; sigmoid is rare in "
                                "hidden layers."),
        "step.practice.explain": (
            "Five activations trained side by side on the same data, the same initial weights "
            "(one initialiser for all: Xavier, normal) and the same batches (momentum SGD). "
            "Solid: training loss, dashed: test loss."),
        "step.variants.title": "…and many more variants",
        "step.variants.claim": "There are many more variants (left for later).",
        "step.variants.explain": (
            "ELU, SELU, GELU, SiLU, Mish, Softplus, PReLU and the identity are in the app "
            "too. The bars: for inputs spread like N(0, 3²), the share that lands where the "
            "derivative is flat (light) and where it is exactly 0 (dark, ReLU's closed side). "
            "The smooth variants never reach exactly 0 but flatten out for very negative "
            "inputs; the gallery shows each one's curves and cost."),
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
        "seed_help": "每条结论都在种子 0–4 上统计，页面会说明在其中几个上成立（数据、划分、初始权重和批次顺序都随种子变化）。",
        "working": "正在训练这一步的网络…",
        "failed": "这一步无法计算：{error}",
        "holds": "在这次运行中结论成立。",
        "fails": "在这次运行中看不到这条结论（换一个种子试试）。",
        "tally": "在 **{n} 个种子中的 {k} 个**上成立（种子 {seeds}；本次运行是种子 {seed}）。",
        "tally_fails": "在种子 {seeds} 上看不到。",
        "tally_diverged": "在种子 {seeds} 上发散（损失为 NaN 或无穷大）：那里不作任何结论。",
        "tally_unseeded": "没有随机抽样：每个种子都相同。",
        "tally_working": "正在检验其他种子…",
        "v.diverged": "这次运行发散了：{runs}。不从它得出任何结论。",
        "v.diverged_run": "{run}（第 {epoch} 轮损失为 NaN 或无穷大）",
        "chart.sigmoid": "Sigmoid σ(z)（实线）及其导数 σ′(z)（虚线）",
        "chart.sigmoid_sub": "阴影：σ′ 低于峰值的 {pct}（饱和区）",
        "chart.peak": "σ′ 的峰值 = {peak}",
        "axis.z": "z（预激活值）",
        "tip.curve": "曲线",
        "tip.value": "数值",
        "chart.zig_reached": "{n} 步后到达 w*",
        "chart.zig_missed": "{n} 步内未到达 w*",
        "chart.acc": "训练（实线）与测试（虚线）准确率",
        "chart.fast": "训练准确率，直到每个网络都达到 {target}",
        "chart.fast_sub": "所有网络使用同一种初始化：{init} · 各自调好的学习率：{lrs}",
        "chart.fast_x": "轮数",
        "chart.fast_y": "训练准确率",
        "chart.fast_target": "目标 {target}",
        "chart.fast_tip": "达到目标的轮数",
        "chart.fast_mark": "{name}：{n}",
        "chart.unit_map": "ReLU 单元随训练轮数的状态，学习率 {lr}",
        "chart.unit_map_revived": "（绿色：{n} 次复活，见第 10 步）",
        "chart.zero": "损失：零初始化对比 He 初始化（ReLU）",
        "label.zeros": "ReLU · 零初始化",
        "label.he": "ReLU · He 初始化",
        "label.lr": "ReLU · 学习率 {lr}",
        "chart.tanh_flat": "tanh（实线）、tanh′（虚线）：|z| > {edge} 时平坦",
        "chart.tanh_flat_sub": "阴影：tanh′ 低于峰值的 {flat}",
        "chart.dead_lr": "各层死亡 ReLU 单元比例：小学习率对比大学习率",
        "chart.dead_leaky": "学习率 {lr}：死亡（实线）与沉睡（虚线）的隐藏单元，ReLU 对比 Leaky ReLU",
        "chart.maxout": "损失：训练（实线），测试（虚线）",
        "chart.maxout_dead": "各层死亡单元，隐藏层偏置初始为 {bias}",
        "chart.practice": "课程中各激活函数的损失（对数坐标）",
        "chart.variants": "输入 N(0, {sd}²)：落在饱和尾部（浅色）、f′ = 0（深色）的比例",
        "v.sigmoid": ("σ′ 的峰值为 **{peak}**（在 z = {z} 处），当 |z| > **{edge}** 时低于峰值的 "
                      "{flat}；在 ±{zmax} 内 σ 始终位于 ({lo}, {hi})。"),
        "v.saturation": ("Sigmoid：训练开始时第一层的梯度是输出层的 **{sig}**（{depth} 个隐藏层）："
                         "平均每层缩小 **{mean}**，范围 {lo} 到 {hi}（权重也起作用，不只是 σ′ ≤ ¼）；"
                         "tanh **{tanh}**，ReLU **{relu}**。"),
        "v.zigzag": ("全正输入：**{pos_same}** 的更新同号，**{pos_steps}** 步到达 w*；"
                     "零中心输入：{cen_same}，**{cen_steps}** 步（全正输入的步数是其 {ratio}）。"),
        "v.cost": ("本机上每个元素前向 + 导数的耗时：sigmoid 是 ReLU 的 **{sig}**"
                   "（{sig_ns} 对 {relu_ns} ns），tanh **{tanh}**。"),
        "v.cost_order": "实测顺序（从最省时起）：{order}。",
        "v.cost_when.now": "测于协调世界时 {time}，不到一分钟前。",
        "v.cost_when.min": "测于协调世界时 {time}，{m} 分钟前。",
        "v.cost_when.hours": "测于协调世界时 {time}，{h} 小时 {m} 分钟前。",
        "v.tanh": ("较深各层中同号更新的比例：sigmoid **{sig}**，tanh **{tanh}**；"
                   "但当 |z| > **{edge}** 时 tanh′ 仍低于峰值的 {flat}。"),
        "v.fast": ("训练准确率达到 {target} 所需轮数（所有网络同一种初始化，写在图的上方；学习率各自在其他种子上调好）："
                   "ReLU **{relu}**，tanh **{tanh}**，sigmoid **{sig}**。"),
        "v.fast_diverged": "{name} 发散了（损失变为 NaN 或无穷大）：这里不下结论。",
        "v.fast_relu_never": "ReLU 在 {budget} 轮内没有达到：这里看不出这个结论。",
        "v.fast_never": "{name} 在 **{budget}** 轮内没有达到。",
        "v.fast_tanh_slower": "tanh 所需轮数是 ReLU 的 **{r_tanh}**：ReLU 更快。",
        "v.fast_tanh_not_slower": ("tanh 所需轮数是 ReLU 的 **{r_tanh}**：在这个种子上 ReLU "
                                   "并不比 tanh 快。"),
        "v.fast_sig": "Sigmoid 所需轮数是 ReLU 的 **{r_sig}**。",
        "v.fast_check": "判定本种子成立的条件：ReLU 比 sigmoid 先达到目标；与 tanh 的比值只列出、不作结论（单个种子上哪个更快都有可能）。",
        "v.fast_paper": "（论文中的 6 倍来自 CIFAR-10 上的深层卷积网络：原因见上面的说明。）",
        "v.dead": ("学习率 {lr}：训练 {epochs} 轮后 **{units} 个中有 {dead} 个**隐藏 ReLU 单元"
                   "（**{share}**）死亡；所有权重梯度中 {zero} 恰好为 0。"),
        "v.zero": ("零初始化：在全部 {snaps} 个快照中 **{zero}** 的权重梯度恰好为 0，所以没有权重离开 0，"
                   "同一层的单元始终完全相同；{epochs} 轮内损失始终在 {lo} 与 {hi} 之间"
                   "（ln 2 = {ln2}）。He 初始化：损失 {he_start} → **{he_end}**。"),
        "v.lr": ("学习率 {big}：某一隐藏层中最多 **{peak}** 的 ReLU 单元死亡（隐藏层 {layer}，"
                 "{units} 个中 {dead} 个，第 {epoch} 轮）；学习率 {small}：任何一层至多 **{small_peak}**。"),
        "v.revive": ("统计到 **{revived}** 次复活：单元在一个快照中死亡、在下一个快照中又恢复"
                     "（学习率 {lr}；死亡比例最高 {peak}，结束时 {end}）。"),
        "v.leaky": ("学习率 {lr}：死亡单元比例最高 ReLU **{relu}**，Leaky ReLU **{leaky}**（斜率 {slope}）"
                    "——但最多有 **{asleep}** 的 Leaky ReLU 单元处于沉睡（在每个样本上 z ≤ 0，第 {epoch} 轮）；"
                    "醒来 {woke} 次。"),
        "v.leaky_learn": ("仍在学习：第 {epoch} 轮时，**{n} 个中有 {learning} 个**沉睡的 Leaky ReLU 单元得到非零梯度"
                          "（按 α 缩小）；沉睡的 ReLU 单元 {relu_n} 个中有 {relu_learning} 个。"),
        "v.leaky_diverged": "学习率 {lr}：发散——{runs}（损失在该轮变成 NaN、无穷大或爆炸）。此种子不作任何结论。",
        "v.maxout": ("Maxout（k = {k}）：**{p_max}** 个参数，ReLU 为 {p_relu}（**{times}**）；"
                     "任何隐藏层中的死亡单元至多 **{dead_max}**，ReLU 为 **{dead_relu}**（隐藏层 {layer}）；"
                     "最终损失 **{loss_max}** 对 {loss_relu}。"),
        "v.practice": ("{epochs} 轮后五者中训练损失最低的是 **{best}**（**{best_loss}**）；"
                       "ReLU 家族中最高的是 {fam}（{fam_loss}），tanh {tanh}，sigmoid **{sig}**"
                       "（是最低者的 {times}）。"),
        "v.variants": ("还有 **{n}** 种激活函数，输入服从 N(0, {sd}²)：ReLU 在 **{relu}** 的输入上 "
                       "f′ = 0，各变体至多 **{zero}**。其中 {m} 种（{names}）仍会饱和，但只在负半边："
                       "**{lo}–{hi}** 的输入落在该平坦尾部，落在正半边平坦尾部的为 {pos}。"),
        "v.variants_none": ("还有 **{n}** 种激活函数，输入服从 N(0, {sd}²)：ReLU 在 **{relu}** 的输入上 "
                            "f′ = 0，各变体至多 **{zero}**；没有一种饱和（正半边平坦尾部 {pos}）。"),
        "step.sigmoid.title": "Sigmoid 把输入压扁，斜率至多为 ¼",
        "step.sigmoid.claim": ("σ(z) = 1/(1+e⁻ᶻ) 把任何输入映射到 (0, 1)；它的导数 "
                               "σ′(z) = σ(z)(1−σ(z)) 永远不超过 0.25。"),
        "step.sigmoid.explain": (
            "虚线是 σ′。它在 z = 0 处取峰值 ¼，在阴影区域几乎为 0：输入落在那里的单元几乎不向后"
            "传递梯度。"),
        "step.saturation.title": "Sigmoid：σ′ ≤ ¼ 逐层累积，梯度向输入层逐渐消失",
        "step.saturation.claim": "两端 σ′ ≈ 0，于是 ∂L/∂w ≈ 0，前面几层的权重几乎不更新。",
        "step.saturation.explain": (
            "一个又深又窄的网络在训练开始时每一层的梯度范数 ‖∂L/∂W‖（对数坐标）。反向传播每经过"
            "一层就乘一次 σ′（至多 ¼，在饱和的两端接近 0）和该层的权重，所以即使还没有单元饱和，"
            "sigmoid 的曲线也朝第 1 层下降；tanh 和 ReLU 基本持平。"),
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
            "在这台服务器上测量（测量时间见结论）：每个元素计算 f(z) 及其导数的时间，相对于 ReLU。"
            "每一轮给每个激活函数交替各计时一次；每根柱子是各轮中“该函数耗时 ÷ 同一轮 ReLU 耗时”"
            "的中位数，黑线覆盖中间一半的轮次。NumPy 的 exp 每个元素只比 max 稍贵：sigmoid "
            "贵是因为它的公式要遍历数组好几次。"),
        "step.tanh.title": "tanh 是零中心的，但仍会饱和",
        "step.tanh.claim": ("tanh = (eᶻ − e⁻ᶻ)/(eᶻ + e⁻ᶻ) 是零中心的，之字形消失了，"
                            "但两端仍然饱和。"),
        "step.tanh.explain": (
            "两个真实网络（3 个 16 单元的隐藏层）在同样的数据上训练：逐样本权重更新中所有分量"
            "同号的比例。在 sigmoid 层之后（隐藏层 2、3 和输出层）每次更新都同号；在 tanh 层之后"
            "几乎没有。右：tanh 本身两端仍然平坦，阴影处 tanh′ 几乎为 0。"),
        "step.relu_fast.title": "ReLU 比 sigmoid 收敛更快；这里 tanh 与它相近",
        "step.relu_fast.claim": ("ReLU = max(0, z) 计算便宜、单侧激活，据报道收敛速度约为 "
                                 "sigmoid/tanh 的 6 倍。"),
        "step.relu_fast.explain": (
            "三个网络的结构、数据、批次和初始化（写在图的上方）都相同；每个激活函数使用各自的学习率，"
            "像 Krizhevsky 等人那样调好（能学会的最快的学习率，在与这里显示的不同的种子上选出）。"
            "标记表示每个网络的训练准确率第一次达到虚线目标的轮数。这里 ReLU 和 tanh 会很接近："
            "论文中的 6 倍来自 CIFAR-10 上的 4 层卷积网络，多层饱和的 tanh 单元在漫长而困难的训练中"
            "不断缩小梯度；而两层各 16 个单元的隐藏层几轮就学会这条二维边界，饱和没有多少机会拖慢。"
            "对比页的多种子扫描给出多个种子上的比值。"),
        "step.dead.title": "ReLU 死亡",
        "step.dead.claim": "如果一个单元在整个数据集上的输入都为负，它输出 0、梯度为 0，不再学习。",
        "step.dead.explain": (
            "每一行是一个隐藏单元，每一列是一个快照：红色 = 死亡（在所有训练点上 ReLU′ = 0），"
            "灰色 = 存活，绿色 = 复活（上一个快照中死亡、现在又存活：它下面的层变了；第 10 步专门讲它）。"
            "变红期间，该单元的输入权重得到的梯度恰好为 0。"),
        "step.zero_init.title": "原因一：糟糕的初始化（全零）",
        "step.zero_init.claim": ("所有权重为零时，每个单元的输出都相同（为零），网络无法学习；"
                                 "应改用高斯 / Xavier / He 初始化。"),
        "step.zero_init.explain": (
            "同样的网络和数据。权重全为零时，每个隐藏单元输出 0、向后传回 0，所以没有权重得到梯度，"
            "同一层的单元始终相同；只有输出层的偏置学到类别比例，所以损失停在 ln 2 附近"
            "（对所有点都预测约 ½）。He 初始化的网络正常学习。"),
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
            "为 1 的片段胜出，于是继续学习。左：各隐藏层死亡单元比例随训练轮数的变化；右：损失。"),
        "step.practice.title": "实践中：ReLU 家族",
        "step.practice.claim": "实践中人们使用 ReLU 家族的激活函数；隐藏层中很少用 sigmoid。",
        "step.practice.explain": (
            "五种激活函数在同样的数据、同样的初始权重（统一使用一种初始化：Xavier 正态）和同样的"
            "批次下并排训练（动量 SGD）。实线：训练损失，虚线：测试损失。"),
        "step.variants.title": "……还有很多变体",
        "step.variants.claim": "还有许多其他变体（留待以后）。",
        "step.variants.explain": (
            "ELU、SELU、GELU、SiLU、Mish、Softplus、PReLU 和恒等函数也都在本应用中。条形图：输入按 "
            "N(0, 3²) 分布时，落在导数平坦处（浅色）和导数恰好为 0 处（深色，ReLU 关闭的一侧）的比例。"
            "平滑的变体永远不会恰好为 0，但在很负的输入上变得平坦；图鉴页展示每一种的曲线和开销。"),
    },
}
