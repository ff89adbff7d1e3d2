"""Page list and navigation titles (English and 简体中文) — one table for the app shell."""

#: (file name in pages/, icon) in navigation order
PAGES = [
    ("home", ":material/home:"),
    ("lesson", ":material/school:"),
    ("playground", ":material/tune:"),
    ("compare", ":material/compare:"),
    ("gallery", ":material/functions:"),
    ("vanishing", ":material/trending_down:"),
    ("zigzag", ":material/timeline:"),
    ("dead_relu", ":material/heart_broken:"),
]

TITLES = {
    "en": {"home": "Home", "lesson": "Lesson", "playground": "Playground",
           "compare": "Compare activations",
           "gallery": "Activation gallery", "vanishing": "Vanishing gradients",
           "zigzag": "Zig-zag updates", "dead_relu": "Dead ReLUs"},
    "zh": {"home": "首页", "lesson": "课程", "playground": "训练场", "compare": "激活函数对比",
           "gallery": "激活函数图鉴", "vanishing": "梯度消失",
           "zigzag": "之字形更新", "dead_relu": "ReLU 死亡"},
}


def nav_title(name: str, lang: str) -> str:
    return TITLES.get(lang, TITLES["en"]).get(name, TITLES["en"][name])
