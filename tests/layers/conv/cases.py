"""Test-case helpers shared by the convolution and pooling tests."""

from typing import Any

FORMATS = ("channels_last", "channels_first")


def alternate_formats(cases: list[Any]) -> list[tuple[Any, ...]]:
    """Each case once, with data formats alternating: both formats, half the runs."""
    result = []
    for i, case in enumerate(cases):
        fields = case if isinstance(case, tuple) else (case,)
        result.append((*fields, FORMATS[i % 2]))
    return result


def input_shape(data_format: str, batch: int, spatial: tuple[int, ...], channels: int) -> tuple:
    """`(batch, *spatial, channels)` or `(batch, channels, *spatial)`."""
    if data_format == "channels_last":
        return (batch, *spatial, channels)
    return (batch, channels, *spatial)
