"""Text shared by every page: sidebar field labels and help, notices. English and 简体中文.

Field help in English comes from ``explorer.config.FIELDS`` (one source); here only labels and
the Chinese help live, so adding a field means one line in each language below.
"""

from ..config import MAX_LAYERS, MAX_UNITS

TEXT = {
    "en": {
        "app_title": "Activation Explorer",
        "language": "Language / 语言",
        "settings": "Settings",
        "data": "Data",
        "network": "Network",
        "training": "Training",
        "url_notice": "Some settings in the link were not valid and were replaced by defaults:",
        "setting_notice": "A setting was not valid and was replaced by a safe value:",
        "train_failed": "Training could not run with these settings: {error}",
        "training_progress": "Training… epoch {epoch} of {total}",
        "waiting_other": "The same run is being trained for another visitor; waiting for it…",
        "queue_place": ("Waiting for a training slot: place {place} in the queue, about "
                        "{seconds} s (the server trains a few runs at a time for everyone)."),
        "page_queue": ("The server is busy: your page is number {place} in the queue (first "
                       "come, first served)."),
        "queue_full": ("The server is busy: {waiting} runs are waiting already. Try again in a "
                       "minute."),
        "queue_full_session": ("You have {waiting} runs waiting or training already. Wait for "
                               "them to finish, then try again."),
        "diverged": ("Training diverged at epoch {epoch}: the loss became NaN or infinite. "
                     "Showing what was recorded before that. Try a smaller learning rate."),
        "custom_layers": "Per-layer activations (advanced)",
        "layer_n": "Layer {n}",
        "projector": "Projector mode",
        "projector_help": "Larger fonts and charts; hides controls not needed in a demo.",
        "share_hint": "Every setting is in the address bar: copy the URL to share this view.",
        "field.dataset": "Dataset", "field.n_samples": "Samples", "field.noise": "Noise",
        "field.test_fraction": "Test fraction", "field.n_classes": "Classes",
        "field.hidden": "Hidden layers (widths)", "field.activation": "Activation",
        "field.layer_activations": "Per-layer activations", "field.leaky_slope": "Leaky slope α",
        "field.elu_alpha": "ELU α", "field.maxout_k": "Maxout pieces k",
        "field.init": "Weight initialisation", "field.init_scale": "Init scale",
        "field.bias_init": "Initial bias", "field.optimizer": "Optimiser",
        "field.lr": "Learning rate", "field.momentum": "Momentum", "field.batch_size": "Batch size",
        "field.epochs": "Epochs", "field.l2": "L2 penalty λ", "field.seed": "Seed",
        "field.n_checkpoints": "Snapshots", "field.grid_size": "Boundary resolution",
        "field.features": "Input features",
        "init.auto": "auto (He for ReLU family, Xavier otherwise)",
        "export": "Export",
        "export_history": "History (CSV)",
        "export_layers": "Per-layer statistics (CSV)",
        "export_config": "Settings (JSON)",
        "export_history_help": "Loss and accuracy (training and test) at every epoch.",
        "export_layers_help": ("Per snapshot and layer: gradient norm, dead, saturated and "
                               "same-sign shares."),
        "export_config_help": ("Every setting of this view; load it again with “Load settings "
                               "(JSON)” in the sidebar."),
        "export_charts": ("Charts: point at a chart and use the icons at its top right: "
                          "“Download as PNG” for an image, “SVG” for a vector drawing."),
        "save_svg": "Save as SVG",
        "skip.player": "Skip to the player",
        "skip.chart": "Skip to the charts",
        "skip.main": "Skip to the page's content",
        "chart.generic": "Chart",
        "chart.table": "Data as a table: {name}",
        "chart.table_part": "part",
        "chart.table_text": "label",
        "chart.table_x": "x axis",
        "chart.table_y": "y axis",
        "chart.table_color": "colour",
        "chart.table_value": "value",
        "chart.table_thinned": ("One row in {step} of its {rows} rows is shown (the whole table is too long "
                                "to read here)."),
        "chart.table_export": ("Every number of the runs (per epoch and per layer) is in the "
                                "page’s export:"),
        "chart.table_player": "The player's numbers as a table",
        "chart.table_player_note": ("Per epoch: loss and accuracy (training and test); at each snapshot: "
                                    "every layer’s gradient norm ‖g‖ (none between snapshots)."),
        "chart.table_boundary": ("The decision boundary at the last snapshot: at each point of the grid "
                                 "the class the network predicts and its probability."),
        "load_config": "Load settings (JSON)",
        "load_config_help": "A settings file saved with “Settings (JSON)” on any page.",
        "load_config_bad": "That settings file could not be used fully:",
        "load_config_done": "Settings loaded from {name}.",
        "about_page": "About this page",
        "data_source": "Data source",
        "data_source_help": ("Train on a built-in scikit-learn data set, or on your own CSV file "
                             "(two numeric columns and a label column)."),
        "upload_epochs_cut": ("{epochs} epochs on {n} uploaded points is too much work for one "
                              "run; training {max} epochs instead."),
        "page_capped": ("Capped: this page trains {n} networks for one view; to keep it quick "
                        "and small for everyone using the app at the same time, these settings "
                        "were reduced (the page shows what it trained with them):"),
        "page_capped_one": ("Capped: to keep this run quick and small for everyone using the "
                            "app at the same time, these settings were reduced (the page shows "
                            "what it trained with them):"),
        "capped_item": "{name}: {asked} → {used}",
        "capped_models": ("Networks: {asked} → {used} (only the first {used} of the chosen "
                          "activations are trained and shown)"),
        "capped_grid": "{name}: {asked} → {used} (no decision boundary is drawn on this page)",
        "train_error": "These settings could not be trained ({reason}); please change them.",
        "source.builtin": "Built-in data set",
        "source.upload": "Upload a CSV",
        "upload_file": "CSV file",
        "upload_help": ("Two numeric feature columns and one label column; at most {rows} rows, "
                        "{classes} classes, {mb} MB ({bytes} bytes). The file stays in your session only."),
        "upload_x": "Feature on the x axis",
        "upload_y": "Feature on the y axis",
        "upload_label": "Label column",
        "upload_example": "Download an example CSV",
        "upload_wait": "Upload a CSV file to train on your own data.",
        "upload_ok": "{n_train} training and {n_test} test points, {k} classes (features standardised).",
        "upload_encoding": "Read as {encoding} text.",
        "upload_link": ("This link was made with uploaded data, which is never stored or shared: "
                        "upload the file again to see the same view."),
        "list_sep": ", ",
    },
    "zh": {
        "app_title": "激活函数实验室",
        "language": "Language / 语言",
        "settings": "设置",
        "data": "数据",
        "network": "网络",
        "training": "训练",
        "url_notice": "链接中的部分设置无效，已替换为默认值：",
        "setting_notice": "有一项设置无效，已替换为安全值：",
        "train_failed": "无法按这些设置训练：{error}",
        "training_progress": "训练中… 第 {epoch} / {total} 轮",
        "waiting_other": "另一位访问者正在训练同样的设置，等待其完成…",
        "queue_place": "正在等待训练名额：排在第 {place} 位，约 {seconds} 秒（服务器为所有人每次只训练少数几个运行）。",
        "page_queue": "服务器繁忙：你的页面排在第 {place} 位（先来先处理）。",
        "queue_full": "服务器繁忙：已有 {waiting} 个运行在等待。请一分钟后再试。",
        "queue_full_session": "你已有 {waiting} 个运行在等待或训练中。请等它们完成后再试。",
        "diverged": ("训练在第 {epoch} 轮发散：损失变成了 NaN 或无穷大。"
                     "下面显示发散之前记录的内容。请尝试更小的学习率。"),
        "custom_layers": "逐层激活函数（高级）",
        "layer_n": "第 {n} 层",
        "projector": "投影模式",
        "projector_help": "放大字体和图表，隐藏演示时不需要的控件。",
        "share_hint": "所有设置都在地址栏里：复制网址即可分享当前视图。",
        "field.dataset": "数据集", "field.n_samples": "样本数", "field.noise": "噪声",
        "field.test_fraction": "测试集比例", "field.n_classes": "类别数",
        "field.hidden": "隐藏层（宽度）", "field.activation": "激活函数",
        "field.layer_activations": "逐层激活函数", "field.leaky_slope": "Leaky ReLU 斜率 α",
        "field.elu_alpha": "ELU α", "field.maxout_k": "Maxout 分段数 k",
        "field.init": "权重初始化", "field.init_scale": "初始化尺度",
        "field.bias_init": "初始偏置", "field.optimizer": "优化器",
        "field.lr": "学习率", "field.momentum": "动量", "field.batch_size": "批大小",
        "field.epochs": "训练轮数", "field.l2": "L2 正则 λ", "field.seed": "随机种子",
        "field.n_checkpoints": "快照数", "field.grid_size": "边界分辨率",
        "field.features": "输入特征",
        "init.auto": "自动（ReLU 系用 He，其余用 Xavier）",
        "export": "导出",
        "export_history": "训练历史（CSV）",
        "export_layers": "逐层统计（CSV）",
        "export_config": "设置（JSON）",
        "export_history_help": "每一轮的损失和准确率（训练集与测试集）。",
        "export_layers_help": "每个快照、每一层的梯度范数、死亡比例、饱和比例和同号比例。",
        "export_config_help": "当前视图的全部设置；可在侧边栏用“载入设置（JSON）”重新载入。",
        "export_charts": "图表：把鼠标移到图表上，使用右上角的图标：下载图标保存为 PNG 图片，“SVG”图标保存为矢量图。",
        "save_svg": "保存为 SVG",
        "skip.player": "跳到播放器",
        "skip.chart": "跳到图表",
        "skip.main": "跳到页面内容",
        "chart.generic": "图表",
        "chart.table": "以表格查看数据：{name}",
        "chart.table_part": "部分",
        "chart.table_text": "标注",
        "chart.table_x": "横轴",
        "chart.table_y": "纵轴",
        "chart.table_color": "颜色",
        "chart.table_value": "数值",
        "chart.table_thinned": "共 {rows} 行，此处每 {step} 行显示一行（完整表格太长，不便在此阅读）。",
        "chart.table_export": "这些运行的全部数值（每轮及每层）可在本页的导出中下载：",
        "chart.table_player": "以表格查看播放器的数据",
        "chart.table_player_note": ("每轮：损失与准确率（训练和测试）；每个快照：各层的梯度范数 ‖g‖"
                                    "（快照之间为空）。"),
        "chart.table_boundary": "最后一个快照时的决策边界：网格上每一点网络预测的类别及其概率。",
        "load_config": "载入设置（JSON）",
        "load_config_help": "在任意页面用“设置（JSON）”保存的设置文件。",
        "load_config_bad": "该设置文件无法完全使用：",
        "load_config_done": "已从 {name} 载入设置。",
        "about_page": "关于本页",
        "data_source": "数据来源",
        "data_source_help": "使用内置的 scikit-learn 数据集，或使用你自己的 CSV 文件（两列数值特征和一列标签）。",
        "upload_epochs_cut": "在 {n} 个上传的数据点上训练 {epochs} 轮，单次运行的计算量太大；改为训练 {max} 轮。",
        "page_capped": "已限制：本页一次要训练 {n} 个网络；为了让同时使用本应用的每个人都能快速得到结果并节省"
                       "内存，以下设置已被调低（页面显示的是按调低后的设置训练的结果）：",
        "page_capped_one": "已限制：为了让同时使用本应用的每个人都能快速得到结果并节省内存，以下设置已被调低"
                           "（页面显示的是按调低后的设置训练的结果）：",
        "capped_item": "{name}：由 {asked} 改为 {used}",
        "capped_models": "网络个数：由 {asked} 改为 {used}（只训练并显示所选激活函数中的前 {used} 个）",
        "capped_grid": "{name}：由 {asked} 改为 {used}（本页不绘制决策边界）",
        "train_error": "这些设置无法训练（{reason}）；请修改设置。",
        "source.builtin": "内置数据集",
        "source.upload": "上传 CSV",
        "upload_file": "CSV 文件",
        "upload_help": "两列数值特征和一列标签；最多 {rows} 行、{classes} 个类别、{mb} MB（{bytes} 字节）。文件只保存在你的会话中。",
        "upload_x": "x 轴特征",
        "upload_y": "y 轴特征",
        "upload_label": "标签列",
        "upload_example": "下载示例 CSV",
        "upload_wait": "上传 CSV 文件即可用自己的数据训练。",
        "upload_ok": "训练点 {n_train} 个、测试点 {n_test} 个，共 {k} 类（特征已标准化）。",
        "upload_encoding": "已按 {encoding} 编码读取。",
        "upload_link": "该链接使用的是上传的数据，数据不会被保存或分享：请重新上传该文件以看到相同的视图。",
        "list_sep": "、",
    },
}

#: Chinese help for each config field (English help is FIELDS[name].help)
FIELD_HELP_ZH = {
    "dataset": "要学习的 scikit-learn 数据集（二维，便于画出决策边界）。",
    "n_samples": "生成的样本点数（固定大小的真实数据集忽略此项）。",
    "noise": "类别之间的重叠或抖动程度。",
    "test_fraction": "留作测试、用来衡量测试损失和准确率的样本比例。",
    "n_classes": "类别数（仅对可选类别数的数据集有效，如高斯团、螺旋）。",
    "hidden": f"各隐藏层的宽度，例如 16-16（最多 {MAX_LAYERS} 层，每层最多 {MAX_UNITS} 个单元）。",
    "activation": "每个隐藏层使用的非线性函数。",
    "layer_activations": "高级：为每个隐藏层分别指定激活函数（覆盖上一项）。",
    "leaky_slope": "Leaky ReLU 在负输入时的斜率（为 0 即普通 ReLU）。",
    "elu_alpha": "ELU 的 α：z → -∞ 时函数趋近的值的大小。",
    "maxout_k": "每个 Maxout 单元的线性分段数（参数量为 k 倍）。",
    "init": "权重的初始方式。自动：ReLU 系用 He，sigmoid/tanh 用 Xavier。",
    "init_scale": "初始化的旋钮：正态分布的 σ、均匀分布的 a、常数的值、Xavier/He/LeCun 的增益。",
    "bias_init": "所有隐藏层偏置的初始值（取负值可能让 ReLU 死亡）。",
    "optimizer": "参数更新规则。",
    "lr": "学习率 η（步长）。",
    "momentum": "动量 μ（用于动量和 Nesterov 动量优化器）。",
    "batch_size": "每次更新使用的样本数；不小于训练集大小即为全批量。",
    "epochs": "遍历训练集的次数。",
    "lr_changes": "训练中改变学习率：(e, η) 表示从第 e 轮起学习率为 η（写作 e_η，多个用 '-' 分隔）。"
                  "修改之前的训练与未修改时完全相同。",
    "l2": "L2 正则 λ：在平均损失上加 λ/2·Σ‖W‖²（只对权重）。",
    "seed": "所有随机性的种子：数据、划分、初始权重、批次顺序。",
    "n_checkpoints": "为回放记录多少个快照（边界、直方图）。",
    "grid_size": "决策边界网格的分辨率。",
    "features": "网络看到的点 (x1, x2) 的哪些量：坐标本身、它们的平方、乘积和正弦。",
}

#: Chinese labels of registry entries shown as options (English uses the registry's label)
OPTION_ZH = {
    "init.zeros": "全零",
    "init.constant": "常数",
    "init.normal": "正态分布 N(0, σ²)",
    "init.uniform": "均匀分布 U(-a, a)",
    "init.xavier_uniform": "Xavier/Glorot（均匀）",
    "init.xavier_normal": "Xavier/Glorot（正态）",
    "init.he_uniform": "He/Kaiming（均匀）",
    "init.he_normal": "He/Kaiming（正态）",
    "init.lecun_normal": "LeCun（正态）",
    "opt.sgd": "SGD",
    "opt.momentum": "SGD + 动量",
    "opt.nesterov": "SGD + Nesterov 动量",
    "opt.adam": "Adam",
}

#: Chinese for the engine's English setting notices (explorer/config.py): (regex, template).
#: Tried in order on each "name: reason" line; the first match is used, and a line no
#: pattern matches keeps only its "name: value" part (see explorer.app.lang.notice_line).
NOTICE_ZH = [
    (r"^(?P<name>\w+): (?P<value>.*) is not allowed; expected a number from (?P<lo>\S+) to "
     r"(?P<hi>\S+)$", "{name}: {value} 无效；应为 {lo} 到 {hi} 之间的数"),
    (r"^(?P<name>\w+): (?P<value>.*) is not allowed; expected one of (?P<items>.*)$",
     "{name}: {value} 无效；应为以下之一：{items}"),
    (r"^(?P<name>\w+): (?P<value>.*) is not allowed; expected true or false$",
     "{name}: {value} 无效；应为 true 或 false"),
    (r"^(?P<name>\w+): (?P<value>.*) is not allowed; expected up to (?P<n>\d+) layer widths "
     r"between (?P<lo>\d+) and (?P<hi>\d+), written like (?P<ex>\S+)$",
     "{name}: {value} 无效；应为最多 {n} 个 {lo} 到 {hi} 之间的层宽，写法如 {ex}"),
    (r"^(?P<name>\w+): (?P<value>.*) is not allowed; expected activation names separated by "
     r"'-', one per hidden layer \(or empty\)$",
     "{name}: {value} 无效；应为用 '-' 分隔的激活函数名，每个隐藏层一个（或留空）"),
    (r"^(?P<name>\w+): (?P<value>.*) is not allowed; expected one or more feature names "
     r"separated by '-' from (?P<items>.*)$",
     "{name}: {value} 无效；应为用 '-' 分隔的一个或多个特征名，可选：{items}"),
    (r"^n_samples: (?P<n>\d+) points with test fraction (?P<f>\S+) leave (?P<t>\d+) test "
     r"points, too few for (?P<k>\d+) classes(?P<safe> \(using a safe value\))?$",
     "n_samples: {n} 个样本、测试比例 {f} 只留下 {t} 个测试样本，少于 {k} 个类别{safe}"),
    (r"^epochs: (?P<e>\d+) epochs of this network on (?P<n>\d+) points is too much work for "
     r"one run; at most (?P<m>\d+) epochs fit the budget(?P<safe> \(using a safe value\))?$",
     "epochs: 该网络在 {n} 个样本上训练 {e} 轮，单次运行的计算量太大；最多只能训练 {m} 轮{safe}"),
    (r"^n_classes: (?P<d>\w+) allows (?P<lo>\d+) to (?P<hi>\d+) classes, not (?P<k>\d+)"
     r"(?P<safe> \(using a safe value\))?$",
     "n_classes: 数据集 {d} 只允许 {lo} 到 {hi} 个类别，而不是 {k}{safe}"),
    (r"^layer_activations: (?P<a>\d+) names given for (?P<h>\d+) hidden layers; give one per "
     r"layer or none(?P<safe> \(using a safe value\))?$",
     "layer_activations: 给出了 {a} 个激活函数，但有 {h} 个隐藏层；请每层给一个或都不给{safe}"),
    (r"^not an Activation Explorer config \(nested more than (?P<n>\d+) levels deep\)$",
     "不是 Activation Explorer 的设置文件（嵌套超过 {n} 层）"),
    (r"^not an Activation Explorer config \(a number with more than (?P<n>\d+) digits\)$",
     "不是 Activation Explorer 的设置文件（有超过 {n} 位的数）"),
]
NOTICE_ZH_SAFE = "（已改用安全值）"

#: the per-language tables of this module that are not ``{lang: {key: str}}`` text: a field's
#: help (English: ``FIELDS[name].help``), a registry option's label (English: the registry's),
#: the patterns that translate the engine's English notices, and the "safe value" suffix. A
#: language without an entry shows the English.
FIELD_HELP = {"zh": FIELD_HELP_ZH}
OPTION = {"zh": OPTION_ZH}
NOTICES = {"zh": NOTICE_ZH}
NOTICE_SAFE = {"zh": NOTICE_ZH_SAFE}
