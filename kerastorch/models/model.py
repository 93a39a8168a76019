"""`Model`: a Layer that can be trained, saved and summarised.

`Model(inputs, outputs)` returns a `Functional` model; `class MyModel(Model)` with layers
assigned in `__init__` and a `call()` is a subclassed model.

Example:
    >>> import torch, kerastorch as keras
    >>> class TwoLayers(keras.Model):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.hidden = keras.layers.Dense(8, activation="relu")
    ...         self.out = keras.layers.Dense(1)
    ...     def call(self, x):
    ...         return self.out(self.hidden(x))
    >>> model = TwoLayers()
    >>> model(torch.ones(2, 3)).shape
    torch.Size([2, 1])
    >>> [layer.name for layer in model.layers]
    ['dense', 'dense_1']
"""

from __future__ import annotations

from typing import Any

from kerastorch.layers.layer import Layer
from kerastorch.trainers.trainer import Trainer
from kerastorch.utils import tree


def _is_functional_init(args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
    return (len(args) == 2) or (len(args) == 1 and "outputs" in kwargs) or (
        "inputs" in kwargs and "outputs" in kwargs
    )


class Model(Trainer, Layer):
    """A model: layers grouped with training (`compile`/`fit`), saving and `summary`."""

    def __new__(cls, *args: Any, **kwargs: Any) -> Model:
        if cls is Model and _is_functional_init(args, kwargs):
            from kerastorch.models.functional import Functional

            return super().__new__(Functional)
        return super().__new__(cls)

    def __init__(self, *args: Any, **kwargs: Any):
        if args or "inputs" in kwargs:
            raise TypeError(
                "Model() takes `inputs` and `outputs` together (functional API), or no "
                "positional argument (subclassing)."
            )
        super().__init__(**kwargs)

    @property
    def layers(self) -> list[Layer]:
        """The model's direct sublayers, in order."""
        from kerastorch.graph.operation import Operation

        return [
            layer
            for layer in self._flatten_layers(include_self=False, recursive=False)
            if not isinstance(layer, Operation)
        ]

    def get_layer(self, name: str | None = None, index: int | None = None) -> Layer:
        """A sublayer by `name` or by `index` into `model.layers`."""
        if index is not None and name is not None:
            raise ValueError(
                f"Provide only a layer name or a layer index. Received: index={index}, "
                f"name={name}."
            )
        layers = self.layers
        if index is not None:
            if len(layers) <= index:
                raise ValueError(
                    f"Was asked to retrieve layer at index {index} but model only has "
                    f"{len(layers)} layers."
                )
            return layers[index]
        if name is not None:
            for layer in layers:
                if layer.name == name:
                    return layer
            raise ValueError(
                f"No such layer: {name}. Existing layers are: {[layer.name for layer in layers]}."
            )
        raise ValueError("Provide either a layer name or layer index at `get_layer`.")

    def _build_from_call(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        if type(self).build is Model.build:
            # A subclassed model needs no build of its own: its sublayers build on first use.
            self.built = True
            return
        super()._build_from_call(args, kwargs)

    def build(self, input_shape: Any = None) -> None:
        """Build a subclassed model by tracing `call` on symbolic inputs of `input_shape`."""
        if self.built or input_shape is None:
            self.built = True
            return
        from kerastorch.graph.keras_tensor import KerasTensor
        from kerastorch.graph.tracing import compute_output_spec

        def spec(shape: Any) -> KerasTensor:
            return KerasTensor((None, *tuple(shape)[1:]), self.compute_dtype)

        inputs = tree.map_shape_structure(spec, input_shape)
        self.built = True
        compute_output_spec(self, (inputs,), {})

    def summary(
        self,
        line_length: int | None = None,
        positions: list[float] | None = None,
        print_fn: Any = None,
        expand_nested: bool = False,
        show_trainable: bool = False,
        layer_range: Any = None,
    ) -> None:
        """Print Keras's table of layers, output shapes and parameter counts."""
        from kerastorch.utils import summary_utils

        summary_utils.print_summary(
            self,
            line_length=line_length,
            positions=positions,
            print_fn=print_fn,
            expand_nested=expand_nested,
            show_trainable=show_trainable,
            layer_range=layer_range,
        )

    def get_config(self) -> dict[str, Any]:
        return {"name": self.name, "trainable": self.trainable}

