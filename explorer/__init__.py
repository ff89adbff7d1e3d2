"""Activation Explorer's engine: small numpy MLPs that record everything the app draws.

>>> from explorer import TrainConfig, train, train_many, ACTIVATIONS
>>> rec = train(TrainConfig(activation="tanh", epochs=50))
>>> rec.history.tail(1)
"""

from .activations import ACTIVATIONS, Activation
from .config import FIELDS, TrainConfig
from .datasets import DATASETS, Dataset, make_data
from .initialisers import INITIALISERS
from .losses import LOSSES
from .network import MLP
from .optimisers import OPTIMISERS
from .record import RunRecord
from .train import data_for, iter_train, train, train_many

__all__ = [
    "ACTIVATIONS", "DATASETS", "FIELDS", "INITIALISERS", "LOSSES", "MLP", "OPTIMISERS",
    "Activation", "Dataset", "RunRecord", "TrainConfig", "data_for", "iter_train", "make_data",
    "train", "train_many",
]
