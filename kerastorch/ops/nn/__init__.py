"""`keras.ops.nn`: Keras's neural-network ops on torch tensors, also recorded on KerasTensors.

Each file holds one group of ops (activations, softmax, conv, pooling, normalization,
crossentropy, ctc, attention, encoding, rearrange, signal); this namespace gathers their
`__all__`. Image ops take Keras's layouts: `data_format` (`"channels_last"` by default) and
kernels `(*spatial, in_channels, out_channels)`.

Example:
    >>> import torch
    >>> from kerastorch.ops import nn
    >>> nn.one_hot(torch.tensor([2]), 3).tolist()
    [[0.0, 0.0, 1.0]]
"""

from kerastorch.ops.nn import (
    activations,
    attention,
    conv,
    crossentropy,
    ctc,
    encoding,
    normalization,
    pooling,
    rearrange,
    signal,
    softmax,
)

_GROUPS = (activations, attention, conv, crossentropy, ctc, encoding, normalization, pooling,
           rearrange, signal, softmax)  # fmt: skip
for _group in _GROUPS:
    globals().update({name: getattr(_group, name) for name in _group.__all__})

__all__ = sorted(name for group in _GROUPS for name in group.__all__)
