"""`keras.preprocessing.sequence`: `pad_sequences` (the function of `keras.utils`)."""

from kerastorch.utils.sequence_utils import pad_sequences

__all__ = ["pad_sequences"]
