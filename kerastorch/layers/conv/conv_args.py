"""The constructor argument checks every convolution layer makes, with Keras's messages.

Example:
    >>> standardize_tuple(3, 2, "kernel_size")
    (3, 3)
    >>> standardize_padding("SAME")
    'same'
"""

from __future__ import annotations

from typing import Any


def standardize_tuple(value: Any, n: int, name: str, allow_zero: bool = False) -> tuple[int, ...]:
    """An int or `n` ints -> a tuple of `n` ints, each `> 0` (`>= 0` with `allow_zero`).

    Example:
        >>> standardize_tuple(3, 2, "kernel_size")
        (3, 3)
    """
    error = f"The `{name}` argument must be a tuple of {n} integers. Received {name}={value}"
    if isinstance(value, int) and not isinstance(value, bool):
        values: tuple[Any, ...] = (value,) * n
    else:
        try:
            values = tuple(value)
        except TypeError:
            raise ValueError(error) from None
        if len(values) != n:
            raise ValueError(error)
        for v in values:
            try:
                int(v)
            except (ValueError, TypeError):
                raise ValueError(f"{error}including element {v} of type {type(v)}") from None
    values = tuple(int(v) for v in values)
    bad = {v for v in values if (v < 0 if allow_zero else v <= 0)}
    if bad:
        requirement = ">= 0" if allow_zero else "> 0"
        raise ValueError(
            f"{error}, including values {bad} that do not satisfy `value {requirement}`"
        )
    return values


def standardize_padding(value: Any, allow_causal: bool = False) -> str:
    """`"valid"` / `"same"` (/ `"causal"` where allowed), case-insensitive."""
    allowed = ("valid", "same", "causal") if allow_causal else ("valid", "same")
    padding = value.lower() if isinstance(value, str) else value
    if padding not in allowed:
        raise ValueError(
            f"The `padding` argument must be one of {', '.join(map(repr, allowed))}. "
            f"Received: padding={value!r}"
        )
    return padding


def check_positive(value: Any, name: str) -> None:
    """Raise Keras's error unless `value` is None or `> 0`."""
    if value is not None and value <= 0:
        raise ValueError(
            f"Invalid value for argument `{name}`. Expected a strictly positive value. "
            f"Received {name}={value}."
        )


def check_conv_args(
    kernel_size: tuple[int, ...],
    strides: tuple[int, ...],
    dilation_rate: tuple[int, ...],
    *,
    filters: int | None = None,
    depth_multiplier: int | None = None,
    check_strides_and_dilation: bool = True,
) -> None:
    """The constructor checks Keras makes on every convolution layer."""
    check_positive(filters, "filters")
    check_positive(depth_multiplier, "depth_multiplier")
    if not all(kernel_size):
        raise ValueError(
            f"The argument `kernel_size` cannot contain 0. Received kernel_size={kernel_size}."
        )
    if not all(strides):
        raise ValueError(f"The argument `strides` cannot contains 0. Received strides={strides}")
    if check_strides_and_dilation and max(strides) > 1 and max(dilation_rate) > 1:
        raise ValueError(
            "`strides > 1` not supported in conjunction with `dilation_rate > 1`. "
            f"Received: strides={strides} and dilation_rate={dilation_rate}"
        )
