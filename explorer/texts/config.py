"""Run names (``explorer.config``): the linear model's label. The English label is also the key
records, lab tables and cached lesson results carry (``TrainConfig.label()``)."""

TEXT = {
    "en": {
        "linear": "Linear (no hidden layer)",
    },
    "zh": {
        "linear": "线性（无隐藏层）",
    },
}
