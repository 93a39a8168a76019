"""What an `EinsumDense` equation implies: weight shapes, output shape, quantization axes.

Equations take one of three forms (Keras's): `"ab,bc->ac"`, `"...b,bc->...c"` (ellipsis on
the left) and `"ab...,bc->ac..."` (on the right).

Example:
    >>> spec = analyze_einsum("abc,cd->abd", "d", (None, 3, 4), (3, 5))
    >>> spec.kernel_shape, spec.bias_shape, spec.output_shape
    ([4, 5], [5], [None, 3, 5])
"""

from __future__ import annotations

import dataclasses
import re
import string

_FORMS = (
    ("([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)", None),
    ("0([a-zA-Z]+),([a-zA-Z]+)->0([a-zA-Z]+)", "left"),
    ("([a-zA-Z]{2,})0,([a-zA-Z]+)->([a-zA-Z]+)0", "right"),
)


def split_equation(equation: str) -> tuple[str, str, str, str | None]:
    """`(input, weight, output, elided side)` labels of an equation (`"..."` removed)."""
    replaced = re.sub(r"\.\.\.", "0", equation)
    for pattern, side in _FORMS:
        match = re.match(pattern, replaced)
        if match:
            return match.group(1), match.group(2), match.group(3), side
    raise ValueError(
        f"Invalid einsum equation '{equation}'. Equations must be in the form "
        "[X],[Y]->[Z], ...[X],[Y]->...[Z], or [X]...,[Y]->[Z]...."
    )


@dataclasses.dataclass
class EinsumSpec:
    kernel_shape: list[int]
    bias_shape: list[int] | None
    output_shape: list[int | None]
    input_axes: list[int]
    output_axes: list[int]


def analyze_einsum(
    equation: str, bias_axes: str | None, input_shape: tuple, partial_output_shape: tuple
) -> EinsumSpec:
    """The kernel, bias and full output shapes for inputs of `input_shape`."""
    input_spec, weight_spec, output_spec, side = split_equation(equation)
    left = side == "left"
    elided = len(input_shape) - len(input_spec)
    output_shape: list = [input_shape[0], *partial_output_shape]
    if elided > 0 and left:
        for i in range(1, elided):
            output_shape.insert(1, input_shape[i])
    elif elided > 0:
        output_shape.extend(input_shape[len(input_shape) - elided :])
    if left:
        input_map = {d: i + elided - len(input_shape) for i, d in enumerate(input_spec)}
        output_map = {d: i + elided for i, d in enumerate(output_spec)}
    else:
        input_map = {d: i for i, d in enumerate(input_spec)}
        output_map = {d: i for i, d in enumerate(output_spec)}
    for dim in input_spec:
        if dim in output_map:
            out_dim, in_dim = output_shape[output_map[dim]], input_shape[input_map[dim]]
            if out_dim is not None and out_dim != in_dim:
                raise ValueError(
                    f"Input shape and output shape do not match at shared dimension '{dim}'. "
                    f"Input shape is {in_dim}, and output shape is {out_dim}."
                )
    for dim in output_spec:
        if dim not in input_spec and dim not in weight_spec:
            raise ValueError(
                f"Dimension '{dim}' was specified in the output '{output_spec}' but has no "
                f"corresponding dim in the input spec '{input_spec}' or weight spec "
                f"'{output_spec}'"
            )
    kernel_shape, input_axes, output_axes = [], [], []
    for i, dim in enumerate(weight_spec):
        if dim in output_map:
            kernel_shape.append(output_shape[output_map[dim]])
            output_axes.append(i)
        elif dim in input_map:
            kernel_shape.append(input_shape[input_map[dim]])
            input_axes.append(i)
        else:
            raise ValueError(
                f"Weight dimension '{dim}' did not have a match in either the input spec "
                f"'{input_spec}' or the output spec '{output_spec}'. For this layer, the "
                "weight must be fully specified."
            )
    bias_shape = None
    if bias_axes is not None:
        offset = elided if left else 0
        sizes = {c: output_shape[i + offset] for i, c in enumerate(output_spec)}
        for char in bias_axes:
            if char not in output_spec:
                raise ValueError(
                    f"Bias dimension '{char}' was requested, but is not part of the output "
                    f"spec '{output_spec}'"
                )
        first = min(output_spec.find(c) for c in bias_axes)
        bias_shape = [sizes[c] if c in bias_axes else 1 for c in output_spec[first:]]
        if not left:
            bias_shape.extend([1] * max(elided, 0))
    return EinsumSpec(kernel_shape, bias_shape, output_shape, input_axes, output_axes)


@dataclasses.dataclass
class QuantizationAxes:
    """How per-channel scales line up with an equation's operands (Keras's layout)."""

    input_reduced: list[int]
    kernel_reduced: list[int]
    input_transpose: list[int]
    kernel_transpose: list[int]
    input_expand: list[int]
    kernel_expand: list[int]
    input_squeeze: list[int]
    kernel_squeeze: list[int]


def full_specs(equation: str, input_ndim: int) -> tuple[str, str, str]:
    """Input, weight and output labels with the ellipsis replaced by fresh labels."""
    input_spec, weight_spec, output_spec, side = split_equation(equation)
    if side is None:
        return input_spec, weight_spec, output_spec
    free = sorted(set(string.ascii_letters) - set(input_spec) - set(weight_spec) - set(output_spec))
    extra = "".join(free[: input_ndim - len(input_spec)])
    if side == "left":
        return extra + input_spec, weight_spec, extra + output_spec
    return input_spec + extra, weight_spec, output_spec + extra


def quantization_axes(equation: str, input_ndim: int) -> QuantizationAxes:
    """The reduced axes of inputs and kernel and how their scales map onto the output."""
    input_spec, weight_spec, output_spec = full_specs(equation, input_ndim)
    # Keras's rule, kept exactly: a reduced axis with no expanded output axis left to take is
    # squeezed and inserted at the previous insertion index (carried across both operands,
    # starting from the output position of the weight's last label).
    index = output_spec.find(weight_spec[-1])
    parts = []
    for spec in (input_spec, weight_spec):
        reduced = [i for i, label in enumerate(spec) if label not in output_spec]
        expand = [i for i, label in enumerate(output_spec) if label not in spec]
        transpose = [spec.find(label) for label in output_spec if label in spec]
        squeeze = []
        for axis in reduced:
            if expand:
                index = expand.pop(0)
            else:
                squeeze.append(axis)
            transpose.insert(index, axis)
        parts.append((reduced, transpose, expand, squeeze))
    (ir, it, ie, isq), (kr, kt, ke, ksq) = parts
    return QuantizationAxes(ir, kr, it, kt, ie, ke, isq, ksq)
