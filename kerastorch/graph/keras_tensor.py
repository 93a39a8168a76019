"""`KerasTensor`: a symbolic tensor (shape with `None` batch, dtype, history); holds no data.

Arithmetic, comparisons and slicing on KerasTensors are recorded as operations (`add`,
`get_item`, ...), as in Keras 3: `kerastorch.ops` defines those operations and installs the
Python operators on this class (the graph floor cannot import the ops floor above it).

Example:
    >>> import kerastorch as keras
    >>> x = keras.Input((28, 28))
    >>> x.shape, x.dtype
    ((None, 28, 28), 'float32')
    >>> (x * 2)[:, 0].shape
    (None, 28)
"""

from __future__ import annotations

from typing import Any

from kerastorch.common import naming, tree


class KerasTensor:
    """A symbolic tensor: `shape` (a tuple, `None` for unknown sizes), `dtype` (a string).

    Args:
        shape: the shape, `None` for unknown sizes (the batch size, usually).
        dtype: the dtype's name.
        sparse: whether the tensor is sparse.
        ragged: accepted for Keras's signature; kerastorch has no ragged tensors.
        name: the tensor's name; `keras_tensor`, `keras_tensor_1`, ... by default, as Keras.

    `_keras_history` is `KerasHistory(layer, node_index, tensor_index)`: the layer call that
    produced it, or None for a free-standing tensor.
    """

    def __init__(
        self,
        shape: tuple[int | None, ...],
        dtype: str = "float32",
        sparse: bool = False,
        ragged: bool = False,
        *,
        name: str | None = None,
    ):
        if ragged:
            raise ValueError(
                "kerastorch has no ragged tensors: KerasTensor(ragged=True) is not supported. "
                "Received: ragged=True"
            )
        self.shape = tuple(None if d is None else int(d) for d in shape)
        self.dtype = dtype
        self.sparse = sparse
        self.ragged = False
        self.name = name or naming.uniquify("keras_tensor")
        self._keras_history = None

    @property
    def ndim(self) -> int:
        return len(self.shape)

    def __repr__(self) -> str:
        return (
            f"<KerasTensor shape={self.shape}, dtype={self.dtype}, sparse={self.sparse}, "
            f"ragged={self.ragged}, name={self.name}>"
        )

    def __hash__(self) -> int:
        return id(self)

    def __iter__(self):
        raise TypeError(
            "A KerasTensor is symbolic: it cannot be iterated over. It is a placeholder for "
            "data that the model receives when it is called."
        )

    def __bool__(self) -> bool:
        raise TypeError(
            "A KerasTensor is symbolic: it has no truth value. You may be trying to use "
            "Python control flow on a model input; move that logic into a layer's call()."
        )

    def __len__(self) -> int:
        raise TypeError("A KerasTensor is symbolic: use `.shape` instead of len().")

    def numpy(self) -> Any:
        raise ValueError(
            "A KerasTensor is symbolic: it holds no data and cannot be converted to NumPy."
        )

    __array__ = numpy


def any_symbolic(args: Any, kwargs: Any = None) -> bool:
    """Whether any leaf of `args` / `kwargs` is a KerasTensor."""
    return any(isinstance(x, KerasTensor) for x in tree.flatten((args, kwargs or {})))
