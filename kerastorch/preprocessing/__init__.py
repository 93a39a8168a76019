"""`keras.preprocessing`: the legacy namespace aliasing the data utilities of `keras.utils`.

Example:
    >>> from kerastorch import preprocessing
    >>> preprocessing.sequence.pad_sequences([[1, 2], [3]]).tolist()
    [[1, 2], [0, 3]]
"""

from kerastorch.preprocessing import image, sequence
from kerastorch.utils.image_dataset import image_dataset_from_directory
from kerastorch.utils.text_dataset import text_dataset_from_directory
from kerastorch.utils.timeseries_dataset import timeseries_dataset_from_array

__all__ = [
    "image",
    "image_dataset_from_directory",
    "sequence",
    "text_dataset_from_directory",
    "timeseries_dataset_from_array",
]
