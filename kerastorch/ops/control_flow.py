"""Keras's control-flow ops on torch: `cond`, `switch`, `scan`, `associative_scan`, `map`,
`vectorized_map`, `fori_loop`, `while_loop` and the `custom_gradient` decorator.

Eagerly they are Python control flow around torch calls. `cond` and `switch` read their
tensor predicate/index on the host (one sync, inherent in picking a Python branch), as does
`while_loop` once per iteration. `vectorized_map` is `torch.vmap` (no loop), so `function`
must be vmap-compatible (no data-dependent Python control flow, no `.item()`).
Called on KerasTensors, each records a node (classes named as Keras's, in
`keras.src.ops.core`) whose output spec comes from running the op on placeholder tensors;
the callables are held in the node's config, so, as in Keras, such graphs do not serialize.

Example:
    >>> import torch
    >>> carry, ys = scan(lambda c, x: (c + x, c * x), torch.tensor(0.0), torch.arange(1.0, 4.0))
    >>> carry.item(), ys.tolist()
    (6.0, [0.0, 2.0, 9.0])
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

from kerastorch.common import tree
from kerastorch.ops.conversion import convert_to_tensor
from kerastorch.ops.keras_op import keras_op


def _callable(op: str, name: str, f: Any) -> None:
    if not callable(f):
        raise TypeError(f"{op}: `{name}` should be a callable. Received: {name}={f!r}")


@keras_op("core", tensors=("pred",))
def cond(pred: Any, true_fn: Callable[[], Any], false_fn: Callable[[], Any]) -> Any:
    """`true_fn()` if `pred` else `false_fn()`; a tensor `pred` is read on the host."""
    _callable("cond", "true_fn", true_fn)
    _callable("cond", "false_fn", false_fn)
    if isinstance(pred, torch.Tensor) and pred.device.type == "meta":
        return true_fn()  # spec inference: Keras also takes the true branch's spec
    return true_fn() if bool(pred) else false_fn()


@keras_op("core", tensors=("operands",))
def switch(index: Any, branches: list[Callable[..., Any]], *operands: Any) -> Any:
    """`branches[index](*operands)`, `index` clipped to the valid range (read on the host)."""
    if not branches:
        raise ValueError("switch: `branches` must hold at least one callable. Received: []")
    if isinstance(index, torch.Tensor) and index.device.type == "meta":
        return branches[0](*operands)  # spec inference: Keras uses the first branch's spec
    position = int(index)
    return branches[min(max(position, 0), len(branches) - 1)](*operands)


@keras_op("core", tensors=("init", "xs"))
def scan(
    f: Callable[[Any, Any], tuple[Any, Any]],
    init: Any,
    xs: Any = None,
    length: int | None = None,
    reverse: bool = False,
    unroll: int | bool = 1,
) -> tuple[Any, Any]:
    """Loop `carry, y = f(carry, x)` over the leading axis of `xs`; returns the final carry
    and the stacked `y`s. `unroll` is accepted for Keras's signature (a Python loop here).
    """
    _callable("scan", "f", f)
    if not isinstance(unroll, bool) and (not isinstance(unroll, int) or unroll < 1):
        raise ValueError(
            f"scan: `unroll` must be a positive integer or boolean. Received: unroll={unroll}"
        )
    if xs is None and length is None:
        raise ValueError("scan: got no `xs` to scan over and `length` not provided.")
    xs_flat = [] if xs is None else [convert_to_tensor(x) for x in tree.flatten(xs)]
    n = int(length) if length is not None else xs_flat[0].shape[0]
    init_flat = [convert_to_tensor(v) for v in tree.flatten(init)]
    carry = tree.pack_sequence_as(init, init_flat) if tree.is_nested(init) else init_flat[0]
    ys = []
    steps = range(n - 1, -1, -1) if reverse else range(n)
    for i in steps:
        x = None
        if xs_flat:
            sliced = [v[i] for v in xs_flat]
            x = tree.pack_sequence_as(xs, sliced) if tree.is_nested(xs) else sliced[0]
        carry, y = f(carry, x)
        ys.append([torch.zeros_like(v) for v in init_flat] if y is None else y)
    if reverse:
        ys.reverse()
    return carry, tree.map_structure(lambda *parts: torch.stack(parts), *ys)


@keras_op("core", tensors=("elems",), class_name="AssociativeScan")
def associative_scan(f: Callable[[Any, Any], Any], elems: Any, reverse: bool = False,
                     axis: int = 0) -> Any:  # fmt: skip
    """The inclusive scan of `elems` along `axis` with the associative `f(a, b)`.

    A log-depth (Hillis-Steele) scan: `f` is called about `log2(n)` times on whole slices,
    so it must be element-wise over the other positions, as Keras requires.

    Example:
        >>> import torch
        >>> associative_scan(lambda a, b: a + b, torch.arange(1.0, 6.0)).tolist()
        [1.0, 3.0, 6.0, 10.0, 15.0]
    """
    _callable("associative_scan", "f", f)
    flat = [convert_to_tensor(e) for e in tree.flatten(elems)]
    sizes = {e.shape[axis] for e in flat}
    if len(sizes) != 1:
        raise ValueError(
            f"associative_scan: array inputs must have the same size along `axis`. Saw: "
            f"{[tuple(e.shape) for e in flat]}"
        )
    n = sizes.pop()
    if reverse:
        flat = [e.flip(axis) for e in flat]

    def pack(values: list[torch.Tensor]) -> Any:
        return tree.pack_sequence_as(elems, values) if tree.is_nested(elems) else values[0]

    shift = 1
    while shift < n:
        head = [e.narrow(axis, 0, shift) for e in flat]
        combined = f(pack([e.narrow(axis, 0, n - shift) for e in flat]),
                     pack([e.narrow(axis, shift, n - shift) for e in flat]))  # fmt: skip
        flat = [
            torch.cat([h, c], dim=axis) for h, c in zip(head, tree.flatten(combined), strict=True)
        ]
        shift *= 2
    if reverse:
        flat = [e.flip(axis) for e in flat]
    return pack(flat)


@keras_op("core", tensors=("xs",))
def map(f: Callable[[Any], Any], xs: Any) -> Any:
    """`f` applied to each slice of `xs` along its leading axis, the results stacked."""
    _callable("map", "f", f)
    _, ys = scan(lambda _, x: ((), f(x)), (), xs)
    return ys


@keras_op("core", tensors=("elements",), class_name="VectorizedMap")
def vectorized_map(function: Callable[[Any], Any], elements: Any) -> Any:
    """`function` mapped over the leading axis of `elements` with `torch.vmap` (no loop)."""
    _callable("vectorized_map", "function", function)
    elements = tree.map_structure(convert_to_tensor, elements)
    return torch.vmap(function)(elements)


@keras_op("core", tensors=("init_val",), class_name="ForiLoop")
def fori_loop(lower: int, upper: int, body_fun: Callable[[int, Any], Any], init_val: Any) -> Any:
    """`val = body_fun(i, val)` for `i` in `range(lower, upper)`; returns the last `val`."""
    _callable("fori_loop", "body_fun", body_fun)
    val = init_val
    for i in range(int(lower), int(upper)):
        val = body_fun(i, val)
    return val


@keras_op("core", tensors=("loop_vars",), class_name="WhileLoop")
def while_loop(cond: Callable[..., Any], body: Callable[..., Any], loop_vars: Any,
               maximum_iterations: int | None = None) -> Any:  # fmt: skip
    """Repeat `loop_vars = body(*loop_vars)` while `cond(*loop_vars)` (read on the host each
    iteration) and fewer than `maximum_iterations` ran. A tuple/list `loop_vars` gives a
    tuple; a single value gives a single value, as Keras on torch.
    """
    _callable("while_loop", "cond", cond)
    _callable("while_loop", "body", body)
    is_tuple = isinstance(loop_vars, (tuple, list))
    values = tuple(loop_vars) if is_tuple else (loop_vars,)
    values = tree.map_structure(convert_to_tensor, values)
    if any(isinstance(v, torch.Tensor) and v.device.type == "meta" for v in tree.flatten(values)):
        return values if is_tuple else values[0]  # spec inference: the loop keeps the specs
    count = 0
    while (maximum_iterations is None or count < maximum_iterations) and bool(cond(*values)):
        values = body(*values)
        values = tuple(values) if isinstance(values, (list, tuple)) else (values,)
        count += 1
    return values if is_tuple else values[0]


class _CustomGradient(torch.autograd.Function):
    @staticmethod
    def forward(ctx: Any, forward_fn: Callable[..., Any], *args: Any) -> Any:
        output, ctx.grad_fn = forward_fn(*args)
        ctx.save_for_backward(*args)
        return output

    @staticmethod
    def backward(ctx: Any, *upstream: Any) -> Any:
        grads = ctx.grad_fn(*ctx.saved_tensors, upstream=upstream[0] if len(upstream) == 1
                            else upstream)  # fmt: skip
        return (None, *(grads if isinstance(grads, tuple) else (grads,)))


def custom_gradient(f: Callable[..., Any]) -> Callable[..., Any]:
    """Decorate `f(*args) -> (output, grad_fn)` to use `grad_fn` as its gradient.

    On torch (as in Keras's torch backend) `grad_fn(*args, upstream)` receives the inputs
    and the upstream gradient as keyword `upstream`, and returns one gradient per input.

    Example:
        >>> import torch
        >>> @custom_gradient
        ... def double(x):
        ...     return x * 2, lambda x, upstream: upstream * 10
        >>> x = torch.tensor(1.0, requires_grad=True)
        >>> double(x).backward()
        >>> x.grad.item()
        10.0
    """
    _callable("custom_gradient", "f", f)

    def wrapped(*args: Any) -> Any:
        return _CustomGradient.apply(f, *args)

    return wrapped


__all__ = [
    "associative_scan",
    "cond",
    "custom_gradient",
    "fori_loop",
    "map",
    "scan",
    "switch",
    "vectorized_map",
    "while_loop",
]
