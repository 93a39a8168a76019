"""Keras's Fourier ops (`fft`, `fft2`, `ifft2`, `rfft`, `irfft`, `stft`, `istft`) on torch.

Complex values travel as `(real, imag)` tuples of float tensors, as in Keras; the ops are
recorded as `keras.src.ops.math` classes and gathered into `ops.math`.

Example:
    >>> import torch
    >>> real, imag = rfft(torch.tensor([1.0, 0.0, 0.0, 0.0]))
    >>> real.tolist(), imag.tolist()
    ([1.0, 1.0, 1.0], [0.0, 0.0, 0.0])
"""

from __future__ import annotations

import math
from typing import Any

import torch

from kerastorch.common.dtypes import standardize_dtype
from kerastorch.ops.conversion import convert_to_tensor
from kerastorch.ops.keras_op import keras_op


def _complex(op: str, x: Any) -> torch.Tensor:
    if not isinstance(x, (tuple, list)) or len(x) != 2:
        raise ValueError(
            f"{op}: input `x` should be a tuple of two tensors - real and imaginary. "
            f"Received: x={x}"
        )
    real, imag = convert_to_tensor(x[0]), convert_to_tensor(x[1])
    if real.shape != imag.shape:
        raise ValueError(
            f"{op}: the real and imaginary parts of `x` should have the same shape. Received: "
            f"x[0].shape={tuple(real.shape)}, x[1].shape={tuple(imag.shape)}"
        )
    if not real.is_floating_point() or not imag.is_floating_point():
        raise ValueError(
            f"{op}: the parts of `x` must be float tensors. Received dtypes: "
            f"{standardize_dtype(real.dtype)}, {standardize_dtype(imag.dtype)}"
        )
    return torch.complex(real, imag)


def _split(z: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    return z.real, z.imag


@keras_op("math", class_name="FFT")
def fft(x: Any) -> tuple[torch.Tensor, torch.Tensor]:
    """The FFT along the last axis of `x = (real, imag)`, as `(real, imag)`."""
    return _split(torch.fft.fft(_complex("fft", x)))


@keras_op("math", class_name="FFT2")
def fft2(x: Any) -> tuple[torch.Tensor, torch.Tensor]:
    """The 2-D FFT along the last two axes of `x = (real, imag)`, as `(real, imag)`."""
    return _split(torch.fft.fft2(_complex("fft2", x)))


@keras_op("math", class_name="IFFT2")
def ifft2(x: Any) -> tuple[torch.Tensor, torch.Tensor]:
    """The inverse 2-D FFT along the last two axes of `x = (real, imag)`."""
    return _split(torch.fft.ifft2(_complex("ifft2", x)))


@keras_op("math", class_name="RFFT")
def rfft(x: Any, fft_length: int | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """The FFT of real `x` along its last axis: `fft_length // 2 + 1` bins, as `(real, imag)`."""
    return _split(torch.fft.rfft(convert_to_tensor(x), n=fft_length, dim=-1))


@keras_op("math", class_name="IRFFT")
def irfft(x: Any, fft_length: int | None = None) -> torch.Tensor:
    """The real inverse of `rfft` along the last axis of `x = (real, imag)`."""
    return torch.fft.irfft(_complex("irfft", x), n=fft_length, dim=-1)


def _window(op: str, window: Any, sequence_length: int, dtype: torch.dtype, device: Any) -> Any:
    if window is None:
        return None
    if isinstance(window, str):
        if window not in ("hann", "hamming"):
            raise ValueError(
                f'{op}: a string `window` must be one of "hann", "hamming". Received: '
                f"window={window}"
            )
        make = torch.hann_window if window == "hann" else torch.hamming_window
        return make(sequence_length, periodic=True, dtype=dtype, device=device)
    win = convert_to_tensor(window).to(dtype)
    if win.ndim != 1 or win.shape[-1] != sequence_length:
        raise ValueError(
            f"{op}: the shape of `window` must be equal to [sequence_length]. Received: "
            f"window shape={tuple(win.shape)}"
        )
    return win


@keras_op("math", class_name="STFT")
def stft(
    x: Any,
    sequence_length: int,
    sequence_stride: int,
    fft_length: int,
    window: Any = "hann",
    center: bool = True,
) -> tuple[torch.Tensor, torch.Tensor]:
    """The short-time Fourier transform along the last axis, as `(real, imag)` of shape
    `(..., num_sequences, fft_length // 2 + 1)`.
    """
    x = convert_to_tensor(x)
    if standardize_dtype(x.dtype) not in ("float32", "float64"):
        raise TypeError(
            f"stft: `x` must be float32 or float64. Received: x.dtype={standardize_dtype(x.dtype)}"
        )
    if fft_length < sequence_length:
        raise ValueError(
            f"stft: `fft_length` must be >= `sequence_length`. Received: "
            f"sequence_length={sequence_length}, fft_length={fft_length}"
        )
    win = _window("stft", window, sequence_length, x.dtype, x.device)
    if win is None:
        win = torch.ones(sequence_length, dtype=x.dtype, device=x.device)
    *batch, samples = x.shape
    z = torch.stft(
        x.reshape(math.prod(batch), samples) if len(batch) > 1 else x,
        n_fft=fft_length,
        hop_length=sequence_stride,
        win_length=sequence_length,
        window=win,
        center=center,
        return_complex=True,
    )
    z = z.reshape(*batch, *z.shape[-2:]).swapaxes(-2, -1)
    return z.real, z.imag


def _overlap_add(x: torch.Tensor, stride: int) -> torch.Tensor:
    *batch, count, length = x.shape
    frames = x.reshape(-1, count, length)
    out = torch.zeros(
        frames.shape[0], stride * (count - 1) + length, dtype=x.dtype, device=x.device
    )
    for i in range(count):
        out[:, i * stride : i * stride + length] += frames[:, i]
    return out.reshape(*batch, -1)


@keras_op("math", class_name="ISTFT")
def istft(
    x: Any,
    sequence_length: int,
    sequence_stride: int,
    fft_length: int,
    length: int | None = None,
    window: Any = "hann",
    center: bool = True,
) -> torch.Tensor:
    """The inverse of `stft` from `x = (real, imag)` of shape `(..., frames, bins)`."""
    z = _complex("istft", x)
    win = _window("istft", window, sequence_length, z.real.dtype, z.device)
    if sequence_length == fft_length and center and win is not None:
        *batch, frames, bins = z.shape
        y = torch.istft(
            z.reshape(-1, frames, bins).swapaxes(-2, -1),
            n_fft=fft_length,
            hop_length=sequence_stride,
            win_length=sequence_length,
            window=win,
            center=center,
            length=length,
        )
        return y.reshape(*batch, y.shape[-1])
    y = torch.fft.irfft(z, fft_length, dim=-1)
    if win is not None:
        left = (fft_length - sequence_length) // 2
        win = torch.nn.functional.pad(win, (left, fft_length - sequence_length - left))
        overlaps = -(-fft_length // sequence_stride)
        denom = torch.nn.functional.pad(win.square(), (0, overlaps * sequence_stride - fft_length))
        denom = denom.reshape(overlaps, sequence_stride).sum(0, keepdim=True)
        denom = denom.tile(overlaps, 1).reshape(-1)[:fft_length]
        y = y * (win / denom)
    expected = fft_length + sequence_stride * (y.shape[-2] - 1)
    y = _overlap_add(y, sequence_stride)
    start = fft_length // 2 if center else 0
    if length is not None:
        end = start + length
    else:
        end = y.shape[-1] - fft_length // 2 if center else expected
    return y[..., start:end]


__all__ = ["fft", "fft2", "ifft2", "irfft", "istft", "rfft", "stft"]
