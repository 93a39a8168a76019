"""`keras.ops`: Keras's operations on torch tensors, which also record nodes on KerasTensors.

The flat namespace holds the ops of `ops.numpy`, `ops.nn`, `ops.linalg`, `ops.math` and the
core ops (`cond`, `scan`, `convert_to_tensor`, ...), as Keras's does; `ops.image` is a
submodule only. Every op takes tensors, NumPy arrays or Python values, follows Keras's
argument names, defaults and dtype promotion, and returns torch tensors. Called on
KerasTensors, it records a node in the functional graph.

Floor 2 of DESIGN §10: it imports only `common/` and `graph/`. Importing it installs the
Python operators of `KerasTensor`.

Example:
    >>> import torch
    >>> from kerastorch import ops
    >>> ops.concatenate([torch.ones(1, 2), torch.zeros(1, 2)], axis=-1).tolist()
    [[1.0, 1.0, 0.0, 0.0]]
"""

from kerastorch.common import registry
from kerastorch.ops import core, einops, image, linalg, math, nn, numpy  # noqa: F401  (image: submodule)
from kerastorch.ops.keras_op import OP_CLASSES

_FLAT = (numpy, nn, linalg, math, core, einops)
for _group in _FLAT:
    globals().update({name: getattr(_group, name) for name in _group.__all__})

__all__ = sorted(
    {name for group in _FLAT for name in group.__all__}
    | {"core", "image", "linalg", "math", "nn", "numpy"}
)

registry.register_namespace("ops", OP_CLASSES, list(OP_CLASSES))
