"""`keras.ops.image`: Keras's image ops on torch tensors, also recorded on KerasTensors.

Each file holds one group of ops (resizing, geometric warps, sampling, colour, patches,
filters); this namespace gathers their `__all__`. Images are `(H, W, C)` or `(N, H, W, C)`
(`data_format="channels_last"`, the default of `config.image_data_format()`) or the
channels-first equivalents, and stay on their device.

Example:
    >>> import torch
    >>> from kerastorch.ops import image
    >>> image.resize(torch.ones(2, 8, 8, 3), (4, 4)).shape
    torch.Size([2, 4, 4, 3])
"""

from kerastorch.ops.image import color, filters, geometry, patches, resizing, sampling

_GROUPS = (color, filters, geometry, patches, resizing, sampling)
for _group in _GROUPS:
    globals().update({name: getattr(_group, name) for name in _group.__all__})

__all__ = sorted(name for group in _GROUPS for name in group.__all__)
