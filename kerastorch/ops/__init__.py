"""`keras.ops`: Keras's operations on torch tensors, which also record nodes on KerasTensors.

Floor 2 of DESIGN §10: it imports only `common/` and `graph/`. Importing it installs the
Python operators of `KerasTensor` (`ops.numpy`).
"""

from kerastorch.ops import numpy

__all__ = ["numpy"]
