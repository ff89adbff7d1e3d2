"""Text of the home page."""

TEXT = {
    "en": {
        "title": "Activation Explorer",
        "intro": (
            "Train small neural networks on 2-D data sets and **see why the activation function "
            "matters**: loss curves, decision boundaries and per-layer gradient histograms from "
            "real training runs, side by side. Every claim of the lesson on sigmoid, tanh, ReLU, "
            "Leaky ReLU and Maxout is a measurement here, not a drawing. Every setting lives in "
            "the address bar, so a link reproduces exactly what you see."),
        "about.lesson": "A guided tour: every claim of the lesson, one step each, on real runs.",
        "about.playground": "Train one network and watch it learn; replay any epoch.",
        "about.compare": "Several activations on the same data and the same start; seed sweeps.",
        "about.gallery": "f and f′ of every activation, their properties and measured cost.",
        "about.vanishing": "Per-layer gradient norms of deep sigmoid vs ReLU networks.",
        "about.zigzag": "Why all-positive inputs make the weights zig-zag (sigmoid vs tanh).",
        "about.dead_relu": "Units that die from bad init or a large learning rate — and revive.",
        "footer": "Source lesson: CS231n lecture 6 on activation functions (Chinese notes).",
    },
    "zh": {
        "title": "激活函数实验室",
        "intro": (
            "在二维数据集上训练小型神经网络，**亲眼看到激活函数为什么重要**：损失曲线、决策边界、"
            "逐层梯度直方图，全部来自真实的训练过程，并排展示。课程中关于 sigmoid、tanh、ReLU、"
            "Leaky ReLU 和 Maxout 的每个论断，在这里都是测量结果而不是示意图。所有设置都保存在地址栏中，"
            "分享链接即可完全复现你看到的内容。"),
        "about.lesson": "导览：逐条走过课程中的每个结论，每一步都基于真实训练。",
        "about.playground": "训练一个网络，观察它学习的过程；可回放任意一轮。",
        "about.compare": "在相同数据、相同初始值下比较多个激活函数；多随机种子扫描。",
        "about.gallery": "每个激活函数的 f 与 f′、性质表以及实测计算开销。",
        "about.vanishing": "深层 sigmoid 与 ReLU 网络的逐层梯度范数。",
        "about.zigzag": "为什么全正的输入会让权重之字形更新（sigmoid 对比 tanh）。",
        "about.dead_relu": "因初始化不当或学习率过大而死亡的神经元，以及它们的复活。",
        "footer": "课程来源：CS231n 第 6 讲激活函数（中文笔记）。",
    },
}
