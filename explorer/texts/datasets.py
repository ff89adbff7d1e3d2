"""Data sets (``explorer.datasets``): ``<name>.label``, ``<name>.description``, the classes'
names ``<name>.class.<i>`` where a real data set names them (English: the names the data carry),
and the principal-component axes ``pca.<i>`` of the reduced real data sets."""

TEXT = {
    "en": {
        "moons.label": "Two moons",
        "moons.description": "Two interleaving half circles that need a curved decision boundary.",
        "circles.label": "Circles",
        "circles.description": ("A small circle inside a larger one, which no straight line can "
                                "separate."),
        "blobs.label": "Blobs",
        "blobs.description": "Gaussian clusters, one per class, whose spread grows with the noise.",
        "classification.label": "Classification",
        "classification.description": ("Random Gaussian clusters from scikit-learn's "
                                       "make_classification, where noise moves the classes "
                                       "closer together and flips a few labels."),
        "gaussian_quantiles.label": "Gaussian quantiles",
        "gaussian_quantiles.description": ("One Gaussian cloud cut into concentric rings of "
                                           "equal size, one class per ring."),
        "xor.label": "XOR",
        "xor.description": ("Points in a square labelled by the sign of x times y, so opposite "
                            "quadrants share a class."),
        "spiral.label": "Spiral",
        "spiral.description": ("Interleaved spiral arms, one per class, with noise jittering "
                               "the angle."),
        "spiral_cs231n.label": "Spiral (CS231n)",
        "spiral_cs231n.description": ("CS231n's spiral exactly: 3 arms, each turning 4 rad from "
                                      "angle 4j, noise 0.2 on the angle at the default, not "
                                      "standardised; 300 points is their 100 per class."),
        "iris.label": "Iris (PCA 2-D)",
        "iris.description": ("150 iris flowers of 3 species, with 4 measurements reduced to 2 "
                             "principal components."),
        "iris.class.0": "setosa",
        "iris.class.1": "versicolor",
        "iris.class.2": "virginica",
        "wine.label": "Wine (PCA 2-D)",
        "wine.description": ("178 wines from 3 cultivars, with 13 chemical measurements reduced "
                             "to 2 principal components."),
        "wine.class.0": "cultivar 1",
        "wine.class.1": "cultivar 2",
        "wine.class.2": "cultivar 3",
        "breast_cancer.label": "Breast cancer (PCA 2-D)",
        "breast_cancer.description": ("569 malignant or benign tumour samples, with 30 features "
                                      "reduced to 2 principal components."),
        "breast_cancer.class.0": "malignant",
        "breast_cancer.class.1": "benign",
        "pca.0": "PC1",
        "pca.1": "PC2",
    },
    "zh": {
        "moons.label": "双月",
        "moons.description": "两个相互交错的半圆，需要弯曲的决策边界。",
        "circles.label": "同心圆",
        "circles.description": "一个小圆套在一个大圆里，任何直线都无法把它们分开。",
        "blobs.label": "高斯团",
        "blobs.description": "每个类别一个高斯团，噪声越大，团越分散。",
        "classification.label": "随机分类",
        "classification.description": "由 scikit-learn 的随机分类数据生成器生成的高斯簇，噪声会让类别靠得更近，并随机翻转少量标签。",
        "gaussian_quantiles.label": "高斯分位数",
        "gaussian_quantiles.description": "一个高斯点云被切成大小相同的同心环，每个环是一个类别。",
        "xor.label": "异或",
        "xor.description": "正方形中的点按 x 与 y 乘积的符号分类，相对的象限属于同一类别。",
        "spiral.label": "螺旋",
        "spiral.description": "相互交错的螺旋臂，每个类别一条，噪声会扰动角度。",
        "spiral_cs231n.label": "螺旋（CS231n 原版）",
        "spiral_cs231n.description": ("与 CS231n 完全相同的螺旋：3 条臂，第 j 条从角度 4j 起转 4 弧度，默认角度噪声 0.2，"
                                      "不做标准化；300 个点即其每类 100 个。"),
        "iris.label": "鸢尾花（主成分二维）",
        "iris.description": "3 个品种的 150 朵鸢尾花，4 项测量值经主成分分析降为 2 个主成分。",
        "iris.class.0": "山鸢尾",
        "iris.class.1": "变色鸢尾",
        "iris.class.2": "维吉尼亚鸢尾",
        "wine.label": "葡萄酒（主成分二维）",
        "wine.description": "来自 3 个葡萄品种的 178 款葡萄酒，13 项化学指标经主成分分析降为 2 个主成分。",
        "wine.class.0": "品种 1",
        "wine.class.1": "品种 2",
        "wine.class.2": "品种 3",
        "breast_cancer.label": "乳腺癌（主成分二维）",
        "breast_cancer.description": "569 个恶性或良性肿瘤样本，30 个特征经主成分分析降为 2 个主成分。",
        "breast_cancer.class.0": "恶性",
        "breast_cancer.class.1": "良性",
        "pca.0": "主成分 1",
        "pca.1": "主成分 2",
    },
}
