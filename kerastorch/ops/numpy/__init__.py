"""`keras.ops.numpy`: Keras's NumPy-style ops on torch tensors, also recorded on KerasTensors.

Each file holds one group of ops; this namespace gathers their `__all__`. Importing it
installs the Python operators of `KerasTensor` (`operators.py`).

Example:
    >>> import torch
    >>> from kerastorch.ops import numpy as knp
    >>> knp.add(torch.ones(2, dtype=torch.int32), 1.5).tolist()
    [2.5, 2.5]
"""

from kerastorch.ops.numpy import (
    arithmetic,
    bitwise,
    creation,
    exponential,
    indexing,
    joining,
    linear,
    logic,
    manipulation,
    operators,
    reductions,
    sorting,
    statistics,
    trigonometry,
)

_GROUPS = (arithmetic, bitwise, creation, exponential, indexing, joining, linear, logic,
           manipulation, operators, reductions, sorting, statistics, trigonometry)  # fmt: skip
for _group in _GROUPS:
    globals().update({name: getattr(_group, name) for name in _group.__all__})

__all__ = sorted(name for group in _GROUPS for name in group.__all__)
