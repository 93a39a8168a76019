"""`InputLayer` and `Input()`: the entry points of functional models.

Example:
    >>> import kerastorch as keras
    >>> x = keras.Input(shape=(28, 28), name="pixels")
    >>> x.shape, x._keras_history.layer.name
    ((None, 28, 28), 'pixels')
"""

from __future__ import annotations

from typing import Any

import numpy as np

from kerastorch.common import naming
from kerastorch.common.dtypes import standardize_dtype
from kerastorch.graph.keras_tensor import KerasTensor
from kerastorch.graph.node import Node
from kerastorch.layers.layer import Layer


class InputLayer(Layer):
    """The layer behind `Input()`: holds the input's shape and dtype; passes data through.

    Args:
        shape: the shape of one sample (no batch dimension); `None` for unknown sizes.
        batch_size: a fixed batch size, or None.
        dtype: the input's dtype (`"float32"` by default).
        sparse: accepted for compatibility; inputs are dense torch tensors.
        batch_shape: the full shape, batch included (instead of `shape` + `batch_size`).
        input_tensor: a KerasTensor to use instead of creating one.
        optional: whether the input may be `None`.
        name: the layer's name (`input_layer`, `input_layer_1`, ... by default).
    """

    def __init__(
        self,
        shape: Any = None,
        batch_size: int | None = None,
        dtype: Any = None,
        sparse: bool | None = None,
        batch_shape: Any = None,
        input_tensor: KerasTensor | None = None,
        optional: bool = False,
        name: str | None = None,
        **kwargs: Any,
    ):
        if "input_shape" in kwargs:  # tf.keras spelling
            shape = kwargs.pop("input_shape")
        if "batch_input_shape" in kwargs:
            batch_shape = kwargs.pop("batch_input_shape")
        kwargs.pop("ragged", None)
        super().__init__(name=name, dtype=dtype, **kwargs)
        if shape is not None and batch_shape is not None:
            raise ValueError(
                "You cannot pass both `shape` and `batch_shape` at the same time. "
                f"Received: shape={shape}, batch_shape={batch_shape}"
            )
        if shape is None and batch_shape is None and input_tensor is None:
            raise ValueError("You must pass a `shape` argument.")
        if isinstance(shape, (int, np.integer)):
            shape = (shape,)
        if input_tensor is not None:
            batch_shape = input_tensor.shape
        elif batch_shape is None:
            _check_dims("shape", shape, tuple(shape))
            _check_dims("batch_size", batch_size, (batch_size,))
            batch_shape = (batch_size, *tuple(shape))
        else:
            _check_dims("batch_shape", batch_shape, tuple(batch_shape))
        self.batch_shape = tuple(None if d is None else int(d) for d in batch_shape)
        self.sparse = bool(sparse)
        self.optional = optional
        self.built = True
        tensor = input_tensor or KerasTensor(
            self.batch_shape,
            dtype=standardize_dtype(dtype),
            sparse=self.sparse,
            name=name or naming.uniquify("keras_tensor"),  # Keras names it after the layer
        )
        self._input_tensor = tensor
        Node(self, (), {}, tensor)

    @property
    def dtype(self) -> str:
        return self._input_tensor.dtype

    def call(self, inputs: Any) -> Any:
        return inputs

    def get_config(self) -> dict[str, Any]:
        return {
            "batch_shape": self.batch_shape,
            "dtype": self.dtype,
            "sparse": self.sparse,
            "ragged": False,
            "name": self.name,
            "optional": self.optional,
        }

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> InputLayer:
        return cls(**config)


def _check_dims(argument: str, value: Any, dims: tuple[Any, ...]) -> None:
    """Raise a ValueError unless every entry of `dims` is None or a positive integer."""
    for dim in dims:
        if dim is None:
            continue
        if not isinstance(dim, (int, np.integer)) or isinstance(dim, bool):
            problem = f"the dimension {dim!r} is not an integer"
        elif dim <= 0:
            problem = f"the dimension {dim} is not positive"
        else:
            continue
        raise ValueError(
            f"`{argument}` must hold positive integers or None (for a size not known in "
            f"advance), but {problem}. Received: {argument}={value!r}"
        )


def Input(
    shape: Any = None,
    batch_size: int | None = None,
    dtype: Any = None,
    sparse: bool | None = None,
    batch_shape: Any = None,
    name: str | None = None,
    tensor: KerasTensor | None = None,
    optional: bool = False,
) -> KerasTensor:
    """A symbolic input (`KerasTensor`) for a functional or Sequential model.

    Args:
        shape: shape of one sample, without the batch dimension, e.g. `(28, 28)`.
        batch_size: optional fixed batch size.
        dtype: `"float32"` by default.
        sparse: accepted for compatibility.
        batch_shape: full shape including the batch dimension.
        name: the input layer's name.
        tensor: an existing KerasTensor to wrap.
        optional: whether the input may be `None`.

    Example:
        >>> import kerastorch as keras
        >>> keras.Input((4,)).shape
        (None, 4)
    """
    layer = InputLayer(
        shape=shape,
        batch_size=batch_size,
        dtype=dtype,
        sparse=sparse,
        batch_shape=batch_shape,
        name=name,
        input_tensor=tensor,
        optional=optional,
    )
    return layer._input_tensor
