"""A NumPy reference of TensorFlow's pooling semantics (the ground truth for `"same"`).

TF pads `"same"` windows by `max((ceil(n / s) - 1) * s + k - n, 0)` in total, the odd element
at the end, and padded positions never count: max ignores them and the average divides by
the number of real elements in the window.
"""

import math

import numpy as np


def tf_pool(x, pool_size, strides, padding, mode, data_format="channels_last"):
    """Pool the channels-last (or channels-first) array `x` as TensorFlow does."""
    if data_format == "channels_first":
        x = np.moveaxis(x, 1, -1)
    spatial = x.shape[1:-1]
    windows = []
    for n, k, s in zip(spatial, pool_size, strides, strict=True):
        if padding == "valid":
            out, before = (n - k) // s + 1, 0
        else:
            out = math.ceil(n / s)
            before = max((out - 1) * s + k - n, 0) // 2
        windows.append([(max(o * s - before, 0), min(o * s - before + k, n)) for o in range(out)])
    result = np.empty((x.shape[0], *(len(w) for w in windows), x.shape[-1]), x.dtype)
    axes = tuple(range(1, len(spatial) + 1))
    reduce = np.max if mode == "max" else np.mean
    for index in np.ndindex(*(len(w) for w in windows)):
        region = tuple(slice(*windows[i][j]) for i, j in enumerate(index))
        result[(slice(None), *index)] = reduce(x[(slice(None), *region)], axis=axes)
    if data_format == "channels_first":
        result = np.moveaxis(result, -1, 1)
    return result
