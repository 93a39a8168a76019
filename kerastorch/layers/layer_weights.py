"""The weights side of `Layer`: Keras's views of the torch parameters and buffers.

`add_weight` / `track_variable` create and register them, with Keras's paths (the name
scopes open where the layer was first built, the layer's name, the weight's name); `weights`
lists every `Variable` in Keras's order (own trainable, own non-trainable, then sublayers');
`get_weights` / `set_weights` speak Keras's layouts; `trainable` freezes.

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
import torch
from torch import nn

from kerastorch import constraints, initializers, regularizers
from kerastorch.common.dtypes import standardize_dtype, to_torch_dtype
from kerastorch.common.scopes import current_path, name_scope
from kerastorch.mixed_precision import DTypePolicy
from kerastorch.variables import Variable

# Whether any layer of the session has a weight regularizer: while none has, `losses` is
# known to be empty without walking the model (it is read at every training step).
REGULARIZERS_EXIST = [False]


def get_regularizer(identifier: Any) -> Any:
    """`regularizers.get`, with None kept as None."""
    if identifier is None:
        return None
    return regularizers.get(identifier)


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

    # -- creating weights ----------------------------------------------------------------
    def add_weight(
        self,
        shape: tuple[int, ...] | None = None,
        initializer: Any = None,
        dtype: Any = None,
        trainable: bool = True,
        autocast: bool = True,
        regularizer: Any = None,
        constraint: Any = None,
        aggregation: str = "none",
        overwrite_with_gradient: bool = False,
        name: str | None = None,
    ) -> Variable:
        """Create a weight, as Keras's `Layer.add_weight`, and return its `Variable`.

        Trainable weights become `nn.Parameter`s, non-trainable ones persistent buffers,
        both registered on this layer under `name` (so `state_dict()` holds them).
        `overwrite_with_gradient=True` marks a weight the layer assigns itself (float8
        scales): optimizers keep no saved state for it. `autocast` and `aggregation` are
        accepted as in Keras; `torch.autocast` decides computation dtypes here.
        """
        shape = () if shape is None else tuple(int(d) for d in shape)
        dtype = standardize_dtype(dtype or self.dtype)
        if initializer is None:
            initializer = "glorot_uniform" if "float" in dtype else "zeros"
        value = initializers.get(initializer)(shape, dtype=dtype)
        value = torch.as_tensor(value, dtype=to_torch_dtype(dtype)).reshape(shape)
        device = self._device()
        if device is not None:
            value = value.to(device)
        name = name or "variable"
        attr = self._free_attr_name(name)
        if trainable:
            self.register_parameter(attr, nn.Parameter(value))
        else:
            self.register_buffer(attr, value)
        variable = Variable(
            self,
            attr,
            name,
            path=self._scoped_path(name),
            trainable=trainable and self.trainable,
            constraint=constraints.get(constraint),
        )
        variable.overwrite_with_gradient = bool(overwrite_with_gradient)
        self.track_variable(variable, trainable=trainable, regularizer=regularizer)
        return variable

    def _scoped_path(self, name: str) -> str:
        """`name`'s Keras path: the open name scopes, this layer's name, then `name`."""
        with name_scope(self.name, caller=self):
            return f"{current_path()}/{name}"

    def track_variable(
        self, variable: Variable, *, trainable: bool = True, regularizer: Any = None
    ) -> Variable:
        """Register a `Variable` view (e.g. of a wrapped torch module's weight) in Keras order."""
        variable.path = self._scoped_path(variable.name)
        if trainable:
            self._trainable_variables.append(variable)
            if not self.trainable:
                variable.trainable = False
        else:
            self._non_trainable_variables.append(variable)
        regularizer = get_regularizer(regularizer)
        if regularizer is not None:
            self._weight_regularizers.append((variable, regularizer))
            REGULARIZERS_EXIST[0] = True
        return variable

    def _free_attr_name(self, name: str) -> str:
        base = name.replace(".", "_").replace("/", "_") or "variable"
        if self.__dict__.get(base, 0) is None:  # `self.gamma = None` set before add_weight
            del self.__dict__[base]
        attr, i = base, 0
        while hasattr(self, attr) or attr in self._parameters or attr in self._buffers:
            i += 1
            attr = f"{base}_{i}"
        return attr

    def _device(self) -> torch.device | None:
        for tensor in (*self.parameters(), *self.buffers()):
            return tensor.device
        return None
