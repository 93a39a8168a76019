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

import json
import warnings
from typing import Any

from torch import nn

from kerastorch.common import registry, serialization, tree
from kerastorch.export import export_model
from kerastorch.graph.keras_tensor import KerasTensor
from kerastorch.graph.operation import Operation
from kerastorch.graph.tracing import compute_output_spec_by_tracing
from kerastorch.layers.core.quantize_layers import quantize_layers
from kerastorch.layers.core.torch_module_wrapper import TorchModuleWrapper
from kerastorch.layers.layer import Layer
from kerastorch.models.functional_config import (
    functional_from_config,
    functional_like_constructor,
)
from kerastorch.saving import saving_api
from kerastorch.trainers.trainer import Trainer
from kerastorch.utils import summary_utils


def _is_functional_init(args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
    return (
        (len(args) == 2)
        or (len(args) == 1 and "outputs" in kwargs)
        or ("inputs" in kwargs and "outputs" in kwargs)
    )


_FUNCTIONAL_SUBCLASSES: dict[type, type] = {}


class Model(Trainer, Layer):
    """A model: layers grouped with training (`compile`/`fit`), saving and `summary`."""

    _keras_module = "keras"
    _unbuilt_if_build_overridden = False  # a functional model is built by construction

    def __new__(cls, *args: Any, **kwargs: Any) -> Model:
        # `Functional` subclasses `Model`: found through the registry, not imported here.
        functional = registry.builtin_object("keras", "Functional")
        if issubclass(cls, functional) or not _is_functional_init(args, kwargs):
            return super().__new__(cls)
        if cls is Model:
            return super().__new__(functional)
        # `class CustomModel(Model)` built as `CustomModel(inputs, outputs)` (Keras's guide
        # for custom train_step): the subclass becomes functional, as Keras makes it.
        if cls not in _FUNCTIONAL_SUBCLASSES:
            namespace = {"__module__": cls.__module__, "__qualname__": cls.__qualname__}
            _FUNCTIONAL_SUBCLASSES[cls] = type(cls.__name__, (cls, functional), namespace)
        return super().__new__(_FUNCTIONAL_SUBCLASSES[cls])

    def __init__(self, *args: Any, **kwargs: Any):
        if args or "inputs" in kwargs:
            raise TypeError(
                "Model() takes `inputs` and `outputs` together (functional API), or no "
                "positional argument (subclassing)."
            )
        super().__init__(**kwargs)

    # -- the structure interface: what the trainer, summary and saving read ------------------
    @property
    def layers(self) -> list[Layer]:
        """The model's direct sublayers, in order."""
        return self._flatten_layers(include_self=False, recursive=False)

    @layers.setter
    def layers(self, _: Any) -> None:
        raise AttributeError(
            "`Model.layers` attribute is reserved and should not be used. Please use another name."
        )

    @property
    def operations(self) -> list[Operation] | None:
        """The graph's operations in execution order (layers and weightless ops such as the
        `add` of `x + 1`); `None` for a subclassed model, whose structure is its attributes."""
        return None

    @property
    def inputs(self) -> list[KerasTensor] | None:
        """The symbolic inputs, flat; `None` while the model has no graph (subclassed, or a
        `Sequential` whose input shape is not known yet)."""
        return None

    @property
    def outputs(self) -> list[KerasTensor] | None:
        """The symbolic outputs, flat; `None` while the model has no graph."""
        return None

    @property
    def output_names(self) -> list[str]:
        """The names of the layers that produce the outputs; `[]` without a graph."""
        return [x._keras_history.layer.name for x in self.outputs or []]

    def get_layer(self, name: str | None = None, index: int | None = None) -> Layer:
        """A sublayer by `name` or by `index` into `model.layers`."""
        if index is not None and name is not None:
            raise ValueError(
                f"Provide only a layer name or a layer index. Received: index={index}, name={name}."
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

        def spec(shape: Any) -> KerasTensor:
            return KerasTensor((None, *tuple(shape)[1:]), self.compute_dtype)

        inputs = tree.map_shape_structure(spec, input_shape)
        self.built = True
        compute_output_spec_by_tracing(self, (inputs,), {})

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

    @classmethod
    def from_config(cls, config: dict[str, Any], custom_objects: Any = None) -> Model:
        """Create the model from `get_config()`'s output: a functional config (ours or
        Keras's) rebuilds the graph, any other config is passed to the constructor."""
        functional = registry.builtin_object("keras", "Functional")
        is_functional_config = all(
            key in config for key in ("name", "layers", "input_layers", "output_layers")
        )
        if is_functional_config and (
            cls in (Model, functional) or functional_like_constructor(cls)
        ):
            return functional_from_config(cls, config, custom_objects=custom_objects)
        try:
            return super().from_config(config)  # `cls(**config)`, a dtype policy read
        except TypeError as error:
            raise TypeError(
                "Unable to revive model from config. When overriding the `get_config()` "
                "method, make sure that the returned config contains all items used as "
                f"arguments in the constructor to {cls}, which is the default behavior. You "
                "can override this default behavior by defining a `from_config(cls, config)` "
                f"class method to specify how to create an instance of {cls.__name__} from "
                f"its config.\n\nReceived config={config}\n\nError encountered during "
                f"deserialization: {error}"
            ) from error

    # ---------------------------------------------------------------------------------------
    # A plain torch module assigned to a subclassed model becomes a layer (as in Keras)
    # ---------------------------------------------------------------------------------------
    def __setattr__(self, name: str, value: Any) -> None:
        reserved = getattr(type(self), "layers", None) if name == "layers" else None
        if isinstance(reserved, property) and reserved.fset is not None:
            reserved.fset(self, value)  # raises: torch would register a list of layers
        if not name.startswith("_") and name != "loss" and _needs_torch_wrapper(value):
            value = TorchModuleWrapper(value)
        super().__setattr__(name, value)

    # ---------------------------------------------------------------------------------------
    # Compile config (saved in `.keras` files so that a loaded model is compiled again)
    # ---------------------------------------------------------------------------------------
    def get_compile_config(self) -> dict[str, Any]:
        """The `compile()` arguments, serialized as Keras's `get_compile_config()` does."""
        if not getattr(self, "compiled", False) or not hasattr(self, "_compile_config"):
            return {}
        config = dict(self._compile_config)
        config["optimizer"] = self.optimizer
        config.update(
            run_eagerly=bool(getattr(self, "run_eagerly", False)),
            steps_per_execution=getattr(self, "steps_per_execution", 1),
            jit_compile=bool(getattr(self, "jit_compile", False)),
        )
        return serialization.serialize_dict(config)

    def compile_from_config(self, config: dict[str, Any]) -> None:
        """Compile the model from `get_compile_config()`'s output (ours or Keras's)."""
        if type(self).compile is not Trainer.compile:
            warnings.warn(
                "`compile()` was not called as part of model loading because the model's "
                "`compile()` method is custom. All subclassed Models that have `compile()` "
                "overridden should also override `get_compile_config()` and "
                "`compile_from_config(config)`. Alternatively, you can call `compile()` "
                "manually after loading.",
                stacklevel=2,
            )
            return
        config = serialization.deserialize_keras_object(config)
        config = {k: v for k, v in config.items() if k != "jit_compile" or v is True}
        self.compile(**config)
        if self.built and getattr(self, "optimizer", None) is not None:
            self.optimizer.build(self.trainable_weights)

    # ---------------------------------------------------------------------------------------
    # Saving
    # ---------------------------------------------------------------------------------------
    def to_json(self, **kwargs: Any) -> str:
        """The model's config as a JSON string (`models.model_from_json` reads it back).

        Args:
            **kwargs: passed on to `json.dumps()`.
        """
        return json.dumps(serialization.serialize_keras_object(self), **kwargs)

    def save(self, filepath: Any, overwrite: bool = True, zipped: bool | None = None,
             **kwargs: Any) -> None:  # fmt: skip
        """Save the model as a Keras 3 `.keras` archive (or a tf.keras `.h5` file).

        Args:
            filepath: a path ending in `.keras` (or `.h5`).
            overwrite: whether to replace an existing file (else ask on the console).
            zipped: accepted for compatibility; `.keras` files are always zipped.
        """
        saving_api.save_model(self, filepath, overwrite=overwrite, zipped=zipped, **kwargs)

    def save_weights(self, filepath: Any, overwrite: bool = True,
                     max_shard_size: Any = None) -> None:  # fmt: skip
        """Save the weights in Keras's `.weights.h5` layout (loadable by Keras too)."""
        saving_api.save_weights(self, filepath, overwrite=overwrite, max_shard_size=max_shard_size)

    def load_weights(self, filepath: Any, skip_mismatch: bool = False, **kwargs: Any) -> None:
        """Load weights from a `.weights.h5`, `.keras` or tf.keras `.h5` file."""
        saving_api.load_weights(self, filepath, skip_mismatch=skip_mismatch, **kwargs)

    # -- tf.keras 2.x methods that no longer exist -----------------------------------------
    def predict_classes(self, x: Any, *args: Any, **kwargs: Any) -> Any:
        """Removed in tf.keras 2.6 and Keras 3: raises, naming the replacement."""
        raise AttributeError(
            "`Model.predict_classes` was removed (tf.keras 2.6, Keras 3). Use "
            "`np.argmax(model.predict(x), axis=-1)` for a softmax output, or "
            "`(model.predict(x) > 0.5).astype('int32')` for a sigmoid output."
        )

    def predict_proba(self, x: Any, *args: Any, **kwargs: Any) -> Any:
        """Removed in tf.keras 2.6 and Keras 3: raises, naming the replacement."""
        raise AttributeError(
            "`Model.predict_proba` was removed (tf.keras 2.6, Keras 3). Use `model.predict(x)`, "
            "which returns the probabilities of a softmax or sigmoid output."
        )

    def export(self, filepath: Any, format: str = "tf_saved_model", verbose: bool | None = None,
               input_signature: Any = None, **kwargs: Any) -> Any:  # fmt: skip
        """Export the model for inference (Keras's formats; the default needs TensorFlow).

        `format="torch"` writes a `torch.export` program (`.pt2`, loads with
        `torch.export.load` without kerastorch), `format="onnx"` an ONNX file. Keras's
        default `"tf_saved_model"`, `"litert"` and `"openvino"` raise, naming these two.
        """
        return export_model(self, filepath, format=format, verbose=verbose,
                            input_signature=input_signature, **kwargs)  # fmt: skip

    def quantize(self, mode: str | None = None, config: Any = None, filters: Any = None,
                 **kwargs: Any) -> None:  # fmt: skip
        """Quantize the weights of the quantizable layers in place (`"int8"`): see
        `kerastorch.layers.core.quantize_layers`."""
        quantize_layers(self, mode, config, filters, **kwargs)


def _needs_torch_wrapper(value: Any) -> bool:
    """A plain `torch.nn.Module` with state, from outside kerastorch, holding no layer."""
    if not isinstance(value, nn.Module) or isinstance(value, (Layer, nn.ModuleList, nn.ModuleDict)):
        return False
    if (type(value).__module__ or "").startswith("kerastorch"):
        return False
    if any(isinstance(m, Layer) for m in value.modules()):
        return False
    return any(True for _ in value.parameters()) or any(True for _ in value.buffers())
