"""Utilities as in `keras.utils`: one-hot labels, seeding, datasets by batch, progress bar."""

from kerastorch.common.progbar import Progbar
from kerastorch.utils.numerical import normalize, to_categorical
from kerastorch.utils.py_dataset import PyDataset, Sequence
from kerastorch.utils.random import set_random_seed

__all__ = [
    "Progbar",
    "PyDataset",
    "Sequence",
    "normalize",
    "set_random_seed",
    "to_categorical",
]
