"""Small datasets to learn with, as `keras.datasets`: `load_data()` returns NumPy arrays.

Files are downloaded once with `kerastorch.utils.get_file` into Keras's own cache
(`$KERAS_HOME/datasets`, else `~/.keras/datasets`, under Keras's file names and hashes), so
a dataset Keras downloaded is reused here and the other way round. Offline, with no cached
file, the error names the URL and the exact path where to copy the file by hand.

Example:
    >>> from kerastorch import datasets
    >>> sorted(datasets.__all__)[:3]
    ['boston_housing', 'california_housing', 'cifar10']
"""

from kerastorch.datasets import (
    boston_housing,
    california_housing,
    cifar10,
    cifar100,
    fashion_mnist,
    imdb,
    mnist,
    reuters,
)

__all__ = [
    "boston_housing",
    "california_housing",
    "cifar10",
    "cifar100",
    "fashion_mnist",
    "imdb",
    "mnist",
    "reuters",
]
