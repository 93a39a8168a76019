"""Output specs of a layer call on KerasTensors, inferred by running it on the `meta` device.

`compute_output_spec_by_tracing` replaces every KerasTensor by a `meta` tensor (no data,
no memory), swaps the layer's parameters and buffers for `meta` copies with
`torch.func.functional_call` (so BatchNorm statistics stay untouched) and runs `call`.
Where the meta device cannot run `call` (it creates a CPU tensor, reads a value), it runs
`call` on CPU zeros instead, on copies of the weights, as Keras falls back to eager
execution.
Unknown sizes (`None`, the batch among them) are traced twice with different placeholder
sizes: an output size that follows the placeholder is reported as `None`.

A torch error raised while tracing is re-raised as Keras's "Exception encountered when
calling ..." message, naming the layer and the arguments it received.

Example:
    >>> import kerastorch as keras
    >>> keras.layers.Dense(4)(keras.Input((3,))).shape
    (None, 4)
"""

from __future__ import annotations

from typing import Any

import torch
from torch.func import functional_call

from kerastorch.common import tree
from kerastorch.common.dtypes import standardize_dtype, to_torch_dtype
from kerastorch.common.scopes import SymbolicScope
from kerastorch.graph.keras_tensor import KerasTensor

# Two sets of placeholder sizes for unknown dimensions (distinct primes, large enough for
# kernels and pools); index i of a tensor's unknown dims takes the i-th value.
_PLACEHOLDERS = ((83, 89, 97, 101, 103), (107, 109, 113, 127, 131))


def output_shape_from_input_shape(
    layer: Any, args: tuple[Any, ...], kwargs: dict, dtype: str
) -> Any:
    """`compute_output_shape` by tracing: input shapes (of `dtype`) in, output shapes out."""
    specs = tuple(
        tree.map_shape_structure(lambda s: KerasTensor(s, dtype), a)
        if tree.is_shape(a) or isinstance(a, (list, dict))
        else a
        for a in args
    )
    outputs = compute_output_spec_by_tracing(layer, specs, kwargs)
    return tree.map_structure(lambda t: t.shape if isinstance(t, KerasTensor) else t, outputs)


def compute_output_spec_by_tracing(layer: Any, args: tuple[Any, ...], kwargs: dict) -> Any:
    """Trace twice on meta tensors, in a `SymbolicScope`; sizes that follow the placeholders
    are unknown."""
    with SymbolicScope():
        runs = [_trace(layer, args, kwargs, sizes) for sizes in _PLACEHOLDERS]
    return tree.pack_sequence_as(
        runs[0],
        [_merge(a, b) for a, b in zip(tree.flatten(runs[0]), tree.flatten(runs[1]), strict=True)],
    )


def shapes_of(structure: Any) -> Any:
    """The shapes of the KerasTensors in `structure` (other leaves as they are)."""
    return tree.map_structure(lambda x: x.shape if isinstance(x, KerasTensor) else x, structure)


def specs_from_shapes(shapes: Any, dtype: str) -> Any:
    """KerasTensors of `dtype` for a (nested) structure of shapes."""
    return tree.map_shape_structure(lambda s: KerasTensor(s, dtype), shapes)


def _merge(a: Any, b: Any) -> Any:
    """Two traced outputs -> one KerasTensor; sizes that differ between runs are unknown."""
    if not isinstance(a, torch.Tensor):
        return a
    shape = tuple(x if x == y else None for x, y in zip(a.shape, b.shape, strict=False))
    return KerasTensor(shape, standardize_dtype(a.dtype))


def _placeholder(x: Any, sizes: tuple[int, ...], device: str) -> Any:
    """A KerasTensor -> an empty `meta` tensor, or zeros on `device`, of placeholder sizes."""
    if not isinstance(x, KerasTensor):
        return x
    unknown = iter(sizes)
    shape = [next(unknown) if d is None else d for d in x.shape]
    if device == "meta":
        return torch.empty(shape, dtype=to_torch_dtype(x.dtype), device="meta")
    return torch.zeros(shape, dtype=to_torch_dtype(x.dtype), device=device)


def _trace(layer: Any, args: tuple[Any, ...], kwargs: dict[str, Any], sizes: tuple) -> Any:
    meta_args = tree.map_structure(lambda x: _placeholder(x, sizes, "meta"), args)
    meta_kwargs = tree.map_structure(lambda x: _placeholder(x, sizes, "meta"), kwargs)
    # A sublayer built during an attempt gets real (CPU) weights, which meta inputs
    # cannot meet: try again while attempts keep creating weights.
    while True:
        state = {
            name: torch.empty_like(t, device="meta")
            for name, t in (*layer.named_parameters(), *layer.named_buffers())
        }
        try:
            with torch.no_grad():
                return _run(layer, state, meta_args, meta_kwargs)
        except Exception:
            if _count_tensors(layer) == len(state):
                break
    # The meta device cannot run this `call` (it makes a CPU tensor, reads a value, uses an
    # op without a meta kernel): run it for real, as Keras falls back to eager execution.
    return _trace_eagerly(layer, args, kwargs, sizes)


def _trace_eagerly(layer: Any, args: tuple[Any, ...], kwargs: dict[str, Any], sizes: tuple) -> Any:
    """Run `call` on CPU zeros of the placeholder sizes, without gradients, on copies of the
    layer's weights and buffers (BatchNorm statistics stay untouched). A sublayer built
    here draws its initial weights as it would on the meta path (the generator is not
    rewound: later layers must not draw the same numbers)."""
    cpu_args = tree.map_structure(lambda x: _placeholder(x, sizes, "cpu"), args)
    cpu_kwargs = tree.map_structure(lambda x: _placeholder(x, sizes, "cpu"), kwargs)
    while True:
        count = _count_tensors(layer)
        try:
            state = {
                name: t.detach().to("cpu", copy=True)
                for name, t in (*layer.named_parameters(), *layer.named_buffers())
            }
            with torch.no_grad():
                return _run(layer, state, cpu_args, cpu_kwargs)
        except Exception as error:
            if _count_tensors(layer) == count:
                raise _call_error(layer, args, kwargs, error) from error


def _count_tensors(layer: Any) -> int:
    return sum(1 for _ in layer.named_parameters()) + sum(1 for _ in layer.named_buffers())


def _run(layer: Any, state: dict[str, torch.Tensor], args: Any, kwargs: Any) -> Any:
    # functional_call runs `layer(*args)`: our __call__ sees meta tensors and runs eagerly.
    # It swaps tensors in by path and back; a module reachable by two paths (a model and a
    # feature extractor over it) would keep meta tensors, so every entry is restored here.
    saved = [
        (store, name, tensor)
        for module in layer.modules()
        for store in (module._parameters, module._buffers)
        for name, tensor in store.items()
    ]
    try:
        return functional_call(layer, state, tuple(args), dict(kwargs), strict=False)
    finally:
        for store, name, tensor in saved:
            store[name] = tensor


def _call_error(layer: Any, args: Any, kwargs: Any, error: Exception) -> Exception:
    if isinstance(error, (ValueError, TypeError)) and "Exception encountered when" in str(error):
        return error
    received = "\n".join(
        f"  • {name}={_describe(value)}"
        for name, value in [*(("inputs" if i == 0 else f"args[{i}]", a) for i, a in
                              enumerate(args)), *kwargs.items()]
    )  # fmt: skip
    message = (
        f"Exception encountered when calling layer '{layer.name}' ({type(layer).__name__}).\n\n"
        f"{error}\n\n"
        f"Arguments received by {type(layer).__name__}.call():\n{received}"
    )
    kind = error.__class__ if isinstance(error, (ValueError, TypeError)) else ValueError
    try:
        return kind(message)
    except TypeError:
        return ValueError(message)


def _describe(value: Any) -> str:
    if isinstance(value, KerasTensor):
        return f"KerasTensor(shape={value.shape}, dtype={value.dtype})"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_describe(v) for v in value) + "]"
    return repr(value)
