"""`Layer`: a `torch.nn.Module` with Keras's contract (`__init__` / `build` / `call`).

A layer stores its weights as `nn.Parameter`s and buffers in torch's layout (often inside a
wrapped torch module such as `nn.Linear`) and exposes them to Keras code through
`Variable` views in Keras's layout (`weights`, `kernel`, `get_weights()`).

`__call__` on torch tensors (or NumPy arrays) builds the layer on first use, checks the input
spec, resolves `training` and masks, and runs `forward` -> `call` (the eager path of the
training loop: kept short); on KerasTensors it builds the layer from the input shapes, infers
the output spec and records a `Node` (the functional API). Weights get Keras's paths (the
name scopes, the layer's name: sublayers built in `build` nest under it, the weight's name).

Example:
    >>> import torch
    >>> from kerastorch.layers import Layer
    >>> class Scale(Layer):
    ...     def build(self, input_shape):
    ...         shape = (input_shape[-1],)
    ...         self.scale = self.add_weight(shape=shape, initializer="ones", name="scale")
    ...     def call(self, inputs):
    ...         return inputs * self.scale
    >>> layer = Scale()
    >>> layer(torch.ones(2, 3)).shape
    torch.Size([2, 3])
    >>> [w.name for w in layer.weights], layer.count_params()
    (['scale'], 3)
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, ClassVar

import torch
from torch import nn
from torch.nn.modules import module as torch_module

from kerastorch import mixed_precision, regularizers
from kerastorch.common import tree
from kerastorch.common.arguments import check_kwargs
from kerastorch.common.dtypes import to_torch_dtype
from kerastorch.common.scopes import current_path, name_scope
from kerastorch.graph.keras_tensor import KerasTensor, any_symbolic
from kerastorch.graph.operation import Operation
from kerastorch.graph.remat import rematerialized_call
from kerastorch.graph.tracing import (
    compute_output_spec_by_tracing,
    output_shape_from_input_shape,
    shapes_of,
    specs_from_shapes,
)
from kerastorch.layers.call_arguments import (
    attach_masks,
    collect_masks,
    input_shape_from_kwargs,
    mark_built,
    outer_autocast,
    shapes_for_build,
)
from kerastorch.layers.input_conversion import convert_inputs
from kerastorch.layers.input_spec import InputSpec, assert_input_compatibility, mismatch
from kerastorch.layers.layer_weights import REGULARIZERS_EXIST, LayerWeights, get_regularizer
from kerastorch.layers.tracking import LayerType, track_modules
from kerastorch.variables import Variable

_ALLOWED_BASE_KWARGS = ("input_dim", "input_shape", "batch_input_shape", "batch_size", "weights")


class _CallContext:
    """The state of the layer call in progress: the `training` flag and the nesting depth."""

    def __init__(self) -> None:
        # Instance attributes from the start (a compiled step guards on where they live).
        self.training: bool | None = None
        self.depth = 0


CALL_CONTEXT = _CallContext()
_LAYERS_WITH_LOSSES: list[Layer] = []  # layers whose add_loss() list needs clearing
# torch's global module hooks: while there are none (and no hooks on the layer), a layer
# call skips `nn.Module.__call__` and runs `call` itself, as torch's own fast path does.
_GLOBAL_HOOKS = (
    torch_module._global_forward_pre_hooks, torch_module._global_forward_hooks,
    torch_module._global_backward_pre_hooks, torch_module._global_backward_hooks,
)  # fmt: skip


class Layer(LayerWeights, Operation, metaclass=LayerType):
    """Base class of all layers: a `torch.nn.Module` with Keras's API.

    Args:
        activity_regularizer: regularizer applied to the layer's outputs; its penalty,
            divided by the batch size (as Keras does), is added to `losses`.
        trainable: whether the layer's weights are updated by training.
        dtype: dtype of the weights (`"float32"` by default).
        autocast: cast floating inputs to the layer's dtype, as Keras does.
        name: the layer's name; by default the class name in snake_case, made unique.
        input_shape / batch_input_shape / input_dim / batch_size: tf.keras-style input
            declarations, honoured on the first layer of a `Sequential`.

    Subclasses implement `build(input_shape)` (create weights with `add_weight` or by
    assigning torch modules) and `call(inputs, training=None, mask=None)`.
    """

    _keras_module: ClassVar[str] = "keras.layers"
    _parent_path: str | None = None  # the name scopes open at the first build
    _call_has_training: ClassVar[bool] = False
    _call_has_mask: ClassVar[bool] = False
    _overrides_compute_mask: ClassVar[bool] = False
    _build_arg_names: ClassVar[tuple[str, ...]] = ("input_shape",)
    # Keras's `_build_at_init` rule (see `LayerType`): a layer built in `__init__` whose
    # class overrides `build` waits for its first call. Models decide their own state.
    _overrides_build: ClassVar[bool] = False
    _unbuilt_if_build_overridden: ClassVar[bool] = True
    _plain_forward: ClassVar[bool] = True  # `forward` is Operation's (it runs `call`)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        params = inspect.signature(cls.call).parameters
        cls._call_has_training = "training" in params
        cls._call_has_mask = "mask" in params
        cls._overrides_compute_mask = cls.compute_mask is not Layer.compute_mask
        if "build" in cls.__dict__:
            cls.build = mark_built(cls.__dict__["build"])
            build_params = list(inspect.signature(cls.__dict__["build"]).parameters)[1:]
            cls._build_arg_names = tuple(build_params)
        cls._overrides_build = cls.build is not Layer.build
        cls._plain_forward = cls.forward is Operation.forward

    def __init__(
        self,
        *,
        activity_regularizer: Any = None,
        trainable: bool = True,
        dtype: Any = None,
        autocast: bool = True,
        name: str | None = None,
        **kwargs: Any,
    ):
        if kwargs.keys() - set(_ALLOWED_BASE_KWARGS):
            own = tuple(inspect.signature(type(self).__init__).parameters)
            base = ("activity_regularizer", "trainable", "dtype", "autocast", "name")
            check_kwargs(type(self).__name__, kwargs, _ALLOWED_BASE_KWARGS, own + base)
        super().__init__(name=name)
        self._dtype = mixed_precision.policy_name(dtype)
        self.autocast = autocast
        # Float inputs are cast to this dtype (None: mixed precision, where torch.autocast
        # chooses each op's dtype).
        self._cast_dtype = (
            None if not autocast or self._dtype.startswith("mixed") else to_torch_dtype(self._dtype)
        )
        self.built = False
        self.input_spec: Any = None
        self.supports_masking = False
        self._trainable = bool(trainable)
        self._trainable_variables: list[Variable] = []
        self._non_trainable_variables: list[Variable] = []
        self._weight_regularizers: list[tuple[Variable, Callable[..., torch.Tensor]]] = []
        self._losses: list[torch.Tensor] = []
        self._build_shapes: Any = None
        self._initial_weights = kwargs.get("weights")
        self.activity_regularizer = get_regularizer(activity_regularizer)
        self._input_shape_arg = input_shape_from_kwargs(kwargs)

    # ---------------------------------------------------------------------------------------
    # Construction helpers for subclasses
    # ---------------------------------------------------------------------------------------
    def build(self, input_shape: Any = None) -> None:
        """Create the layer's weights, knowing the input shape. The default creates none."""
        self.built = True

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, Variable):
            # A Keras view: keep it out of nn.Module's registries (its tensor is registered).
            object.__setattr__(self, name, value)
            return
        if not name.startswith("_") and isinstance(value, (list, tuple, dict)):
            value = track_modules(value)  # torch does not track plain containers of modules
        super().__setattr__(name, value)

    # ---------------------------------------------------------------------------------------
    # __call__: eager and symbolic
    # ---------------------------------------------------------------------------------------
    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        inputs = args[0] if args else next(iter(kwargs.values()), None)
        if not isinstance(inputs, torch.Tensor):
            if any_symbolic(args, kwargs):
                return self.symbolic_call(*args, **kwargs)
            if args:
                args = (self._convert_inputs(inputs), *args[1:])
                inputs = args[0]
        elif inputs.dtype != self._cast_dtype is not None and inputs.is_floating_point():
            inputs = inputs.to(self._cast_dtype)  # Keras casts float inputs to the layer dtype
            args = (inputs, *args[1:])
        if CALL_CONTEXT.depth == 0 and (autocast := outer_autocast(self, inputs)) is not None:
            with autocast:
                return self.__call__(*args, **kwargs)
        if not self.built:
            self._build_from_call(args, kwargs)
        spec = self.input_spec
        fast = type(spec) is InputSpec and isinstance(inputs, torch.Tensor)
        if spec is not None and not (fast and mismatch(spec, inputs.shape) is None):
            assert_input_compatibility(self, inputs)

        ctx = CALL_CONTEXT
        training = kwargs.get("training")
        if self._call_has_training:
            if training is None:
                kwargs["training"] = ctx.training
        elif "training" in kwargs:
            del kwargs["training"]
        mask = None
        if self._call_has_mask or self.supports_masking:
            mask = kwargs.get("mask")
            if mask is None:
                tensor = isinstance(inputs, torch.Tensor)
                mask = getattr(inputs, "_keras_mask", None) if tensor else collect_masks(inputs)
            if mask is not None and self._call_has_mask:
                kwargs["mask"] = mask

        outer_training = ctx.training
        if training is not None:
            ctx.training = bool(training)
        if ctx.depth == 0 and _LAYERS_WITH_LOSSES:
            _clear_call_losses()
        ctx.depth += 1
        try:
            if self._plain_forward and not (
                self._forward_pre_hooks or self._forward_hooks or self._backward_pre_hooks
                or self._backward_hooks or self._compiled_call_impl is not None
                or any(_GLOBAL_HOOKS) or torch._C._get_tracing_state()
            ):  # fmt: skip
                if self._remat_mode is None:
                    outputs = self.call(*args, **kwargs)  # torch's path without hooks
                else:
                    outputs = rematerialized_call(self, self.call, args, kwargs)
            else:
                outputs = nn.Module.__call__(self, *args, **kwargs)  # (Operation's is symbolic)
        finally:
            ctx.depth -= 1
            ctx.training = outer_training

        if self.activity_regularizer is not None:
            for output in tree.flatten(outputs):
                if isinstance(output, torch.Tensor):
                    batch = output.shape[0] if output.ndim else 1
                    self.add_loss(self.activity_regularizer(output) / batch)
        if mask is not None or self._overrides_compute_mask:
            attach_masks(outputs, self.compute_mask(inputs, mask))
        return outputs

    def _convert_inputs(self, inputs: Any) -> Any:
        """NumPy arrays and Python lists of numbers -> tensors on the layer's device."""
        return convert_inputs(self, inputs)

    def _build_from_call(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        """Build from the shapes of the call's tensor arguments (Keras's `_maybe_build`)."""
        shapes = shapes_for_build(self, args, kwargs)
        if self._parent_path is None:  # later weights (e.g. `quantize`) keep this path
            self._parent_path = current_path()
        with name_scope(self.name, caller=self):  # the paths of sublayers' weights, as Keras
            if isinstance(shapes, dict):
                self.build(**shapes)
            else:
                self.build(shapes)
        self.built = True
        # Weights made by `build` live on the CPU; follow the data (unless tracing on meta).
        first = next((t for t in tree.flatten(args) if isinstance(t, torch.Tensor)), None)
        if first is not None and first.device.type not in ("cpu", "meta"):
            self.to(first.device)
        if self._initial_weights is not None:
            self.set_weights(self._initial_weights)
            self._initial_weights = None

    def symbolic_call(self, *args: Any, **kwargs: Any) -> Any:
        """Build from the input shapes, check them, infer the outputs and record a `Node`."""
        inputs = args[0] if args else next(iter(kwargs.values()))
        if not self.built:
            self._build_from_call(args, kwargs)
        assert_input_compatibility(self, inputs)
        return super().symbolic_call(*args, **kwargs)

    def compute_output_spec(self, *args: Any, **kwargs: Any) -> Any:
        """Output KerasTensor(s) for symbolic inputs: from `compute_output_shape` where the
        layer defines it, else by tracing `call` on the `meta` device."""
        if type(self).compute_output_shape is Layer.compute_output_shape:
            return compute_output_spec_by_tracing(self, args, kwargs)
        # Keras passes only the shapes of the tensor arguments (never `training=` & co).
        tensor_args = [a for a in args if any_symbolic(a)]
        shapes = self.compute_output_shape(*shapes_of(tuple(tensor_args)))
        return specs_from_shapes(shapes, self._output_dtype(args))

    def compute_output_shape(self, *args: Any, **kwargs: Any) -> Any:
        """Output shape(s) for the given input shape(s), inferred by tracing by default."""
        return output_shape_from_input_shape(self, args, kwargs, self.compute_dtype)

    def _output_dtype(self, args: Any) -> str:
        """The dtype of float outputs: the compute dtype, or the input's without autocast."""
        for x in tree.flatten(args):
            if isinstance(x, KerasTensor) and "float" in x.dtype:
                return self.compute_dtype if self.autocast else x.dtype
        return self.compute_dtype

    def compute_mask(self, inputs: Any, previous_mask: Any = None) -> Any:
        """The mask of the outputs: the input mask when the layer supports masking."""
        return previous_mask if self.supports_masking else None

    # ---------------------------------------------------------------------------------------
    # Losses
    # ---------------------------------------------------------------------------------------
    def add_loss(self, loss: Any) -> None:
        """Add a scalar loss (cleared at the start of the next outermost call)."""
        if not self._losses:
            _LAYERS_WITH_LOSSES.append(self)
        self._losses.append(loss)

    @property
    def losses(self) -> list[torch.Tensor]:
        """`add_loss` losses of this call, then weight regularization penalties."""
        if not _LAYERS_WITH_LOSSES and not REGULARIZERS_EXIST[0]:
            return []
        layers = self._flatten_layers(include_self=True, recursive=True)
        result = [loss for layer in layers for loss in layer._losses]
        for layer in layers:
            if not layer.trainable:
                continue
            for variable, regularizer in layer._weight_regularizers:
                if variable.trainable:
                    p = regularizer(variable.value)  # of a sharded weight: the whole sum
                    result.append(p.full_tensor() if hasattr(p, "full_tensor") else p)
        return result

    # ---------------------------------------------------------------------------------------
    # Structure
    # ---------------------------------------------------------------------------------------
    def _flatten_layers(self, include_self: bool = True, recursive: bool = True) -> list[Layer]:
        """Sublayers in assignment order (through ModuleLists/Dicts and plain modules)."""
        result = [self] if include_self else []
        seen = {id(self)}

        def visit(module: nn.Module) -> None:
            for child in module.children():
                if id(child) in seen:
                    continue
                seen.add(id(child))
                if isinstance(child, Layer):
                    result.append(child)
                    if recursive:
                        visit(child)
                else:
                    visit(child)

        visit(self)
        return result

    # ---------------------------------------------------------------------------------------
    # Config
    # ---------------------------------------------------------------------------------------
    def get_config(self) -> dict[str, Any]:
        """The layer's constructor arguments, as Keras's `get_config` returns them."""
        cfg: dict[str, Any] = {
            "name": self.name,
            "trainable": self.trainable,
            "dtype": {
                "module": "keras",
                "class_name": "DTypePolicy",
                "config": {"name": self._dtype},
                "registered_name": None,
            },
        }
        if self.activity_regularizer is not None:
            cfg["activity_regularizer"] = regularizers.serialize(self.activity_regularizer)
        return cfg

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Layer:
        """Create a layer from `get_config()`'s output."""
        config = dict(config)
        dtype = config.get("dtype")
        if isinstance(dtype, dict):
            config["dtype"] = dtype.get("config", {}).get("name")
        return cls(**config)

    def get_build_config(self) -> dict[str, Any] | None:
        """`{"input_shape": ...}`, or `{"shapes_dict": {...}}` for several build arguments."""
        shapes = self._build_shapes
        if shapes is None:
            return None
        if isinstance(shapes, dict):
            if len(shapes) == 1:
                return {"input_shape": next(iter(shapes.values()))}
            return {"shapes_dict": dict(shapes)}
        return {"input_shape": shapes}

    def build_from_config(self, config: dict[str, Any] | None) -> None:
        if not config or self.built:
            return
        if "input_shape" in config:
            self.build(config["input_shape"])
        elif "shapes_dict" in config:
            self.build(**config["shapes_dict"])

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"

    def extra_repr(self) -> str:
        return f"name={self.name!r}"


# -------------------------------------------------------------------------------------------
# Helpers
# -------------------------------------------------------------------------------------------
def _clear_call_losses() -> None:
    for layer in _LAYERS_WITH_LOSSES:
        layer._losses = []
    _LAYERS_WITH_LOSSES.clear()
