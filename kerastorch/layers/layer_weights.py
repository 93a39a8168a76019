"""The weights side of `Layer`: Keras's views of the torch parameters and buffers.

`weights` lists every `Variable` in Keras's order (own trainable, own non-trainable, then
sublayers'); `get_weights` / `set_weights` speak Keras's layouts; `trainable` freezes.

Example:
    >>> from kerastorch import layers
    >>> dense = layers.Dense(2)
    >>> dense.build((None, 3))
    >>> [w.shape for w in dense.weights], dense.count_params()
    ([(3, 2), (2,)], 8)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from kerastorch.mixed_precision import DTypePolicy
from kerastorch.variables import Variable


class LayerWeights:
    """Mixed into `Layer`: reads `_trainable_variables`, `_non_trainable_variables`, `_dtype`
    and `_flatten_layers`, which `Layer` defines."""

    @property
    def trainable(self) -> bool:
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        value = bool(value)
        self._trainable = value
        for variable in self._trainable_variables:
            variable.trainable = value
        for layer in self._flatten_layers(include_self=False, recursive=False):
            layer.trainable = value

    @property
    def weights(self) -> list[Variable]:
        """Every weight in Keras order: own trainable, own non-trainable, then sublayers'."""
        seen: set[int] = set()
        result = []
        own = self._trainable_variables + self._non_trainable_variables
        sublayers = self._flatten_layers(include_self=False, recursive=False)
        for layer_weights in (own, *(layer.weights for layer in sublayers)):
            for w in layer_weights:
                if id(w) not in seen:
                    seen.add(id(w))
                    result.append(w)
        return result

    @property
    def trainable_weights(self) -> list[Variable]:
        return [w for w in self.weights if w.trainable] if self.trainable else []

    @property
    def non_trainable_weights(self) -> list[Variable]:
        return [w for w in self.weights if not w.trainable] if self.trainable else self.weights

    @property
    def variables(self) -> list[Variable]:
        return self.weights

    @property
    def trainable_variables(self) -> list[Variable]:
        return self.trainable_weights

    @property
    def non_trainable_variables(self) -> list[Variable]:
        return self.non_trainable_weights

    def get_weights(self) -> list[np.ndarray]:
        """The weights as NumPy arrays, in Keras's layout and order."""
        return [w.numpy() for w in self.weights]

    def set_weights(self, weights: list[Any]) -> None:
        """Set the weights from arrays in Keras's layout and order (as `get_weights` returns)."""
        variables = self.weights
        if len(weights) != len(variables):
            raise ValueError(
                f"Layer '{self.name}' ({type(self).__name__}) expects {len(variables)} "
                f"weights, but received {len(weights)} weights. Expected shapes: "
                f"{[v.shape for v in variables]}"
            )
        for variable, value in zip(variables, weights, strict=False):
            shape = tuple(np.shape(value))
            if shape != variable.shape:
                raise ValueError(
                    f"Layer '{self.name}' ({type(self).__name__}) weight '{variable.name}' has "
                    f"shape {variable.shape}, but received a value of shape {shape}."
                )
        for variable, value in zip(variables, weights, strict=False):
            variable.assign(value)

    def count_params(self) -> int:
        """The number of scalars in the weights, as Keras counts them."""
        if not self.built:
            raise ValueError(
                f"You tried to call `count_params` on layer '{self.name}', but the layer isn't "
                "built. You can build it manually via: `layer.build(input_shape)`."
            )
        return int(sum(np.prod(w.shape, dtype=np.int64) for w in self.weights))

    @property
    def dtype(self) -> str:
        """The dtype of the layer's weights."""
        return "float32" if self._dtype.startswith("mixed_") else self._dtype

    @property
    def compute_dtype(self) -> str:
        """The dtype of the layer's computations."""
        return self._dtype.split("_", 1)[1] if self._dtype.startswith("mixed_") else self._dtype

    @property
    def variable_dtype(self) -> str:
        return self.dtype

    @property
    def dtype_policy(self) -> DTypePolicy:
        """The layer's `DTypePolicy` (Keras's object: `name`, `compute_dtype`, `variable_dtype`)."""
        return DTypePolicy(self._dtype)
