"""`STFTSpectrogram`: spectrograms of 1D signals from STFT convolution kernels (Keras's layer).

The real and imaginary DFT rows, windowed and scaled, are the layer's (trainable) weights
`real_kernel` / `imag_kernel` of Keras's shape `(frame_length, 1, fft_length // 2 + 1)`;
they are stored in `conv1d`'s layout and run as one strided `conv1d` (both kernels stacked).

Windows: a name of `scipy.signal.get_window` without parameters (`"hann"`, `"hamming"`,
`"blackman"`, `"tukey"`, ...: see `signal_windows`, computed without SciPy; only `"taylor"`
is missing), an array of `frame_length` values, or None.

Example:
    >>> import torch
    >>> layer = STFTSpectrogram(frame_length=16, frame_step=8, fft_length=16)
    >>> layer(torch.randn(2, 64, 1)).shape
    torch.Size([2, 7, 9])
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from kerastorch import config
from kerastorch.common.dtypes import standardize_dtype
from kerastorch.initializers.signal_windows import get_window
from kerastorch.initializers.stft import STFT
from kerastorch.layers.conv.conv_shapes import conv_output_shape, pad_same
from kerastorch.layers.conv.kernel_layout import kernel_permutation
from kerastorch.layers.input_spec import InputSpec
from kerastorch.layers.layer import Layer
from kerastorch.variables import Variable

Tensor = torch.Tensor

_MODES = ("log", "magnitude", "psd", "real", "imag", "angle", "stft")


class STFTSpectrogram(Layer):
    """Spectrograms (log, magnitude, PSD, real, imaginary, angle, or both parts) of signals.

    The short-time Fourier transform as a strided convolution with (trainable) DFT kernels:
    each input channel is transformed on its own.

    Args:
        mode: `"log"` (default), `"magnitude"`, `"psd"`, `"real"`, `"imag"`, `"angle"` or
            `"stft"` (real and imaginary parts stacked along the frequency axis).
        frame_length: samples per frame (window), default 256.
        frame_step: hop between frames (default `frame_length // 2`); in
            `[1, frame_length]`.
        fft_length: FFT size, `>= frame_length` (default: the next power of two).
        window: a SciPy window name (see `signal_windows`), an array of `frame_length`
            values, or None.
        periodic: use the periodic window (else the symmetric one).
        scaling: `"density"` (divide by the window's L2 norm), `"spectrum"` (L1) or None.
        padding: `"valid"` or `"same"`.
        expand_dims: output `(time, freq, channels)` images instead of flattened
            `channels * freq` features.
        data_format: `"channels_last"` (`(batch, time, channels)`) or `"channels_first"`.

    Input shape:
        `(batch, time, channels)` or `(batch, channels, time)` (channels_first), float.
    Output shape:
        channels_last: `(batch, frames, channels * bins)` or, with `expand_dims`,
        `(batch, frames, bins, channels)`; channels_first: `(batch, channels * bins,
        frames)` or `(batch, channels, frames, bins)`. `bins = fft_length // 2 + 1`
        (twice that for `"stft"`).
    Weights:
        `real_kernel` (not in `"imag"` mode) and `imag_kernel` (not in `"real"` mode), each
        `(frame_length, 1, bins)`.

    Example:
        >>> import torch
        >>> layer = STFTSpectrogram(mode="stft", frame_length=8, padding="same",
        ...                         expand_dims=True)
        >>> layer(torch.randn(2, 32, 3)).shape
        torch.Size([2, 8, 10, 3])
    """

    def __init__(
        self,
        mode: str = "log",
        frame_length: int = 256,
        frame_step: int | None = None,
        fft_length: int | None = None,
        window: Any = "hann",
        periodic: bool = False,
        scaling: str | None = "density",
        padding: str = "valid",
        expand_dims: bool = False,
        data_format: str | None = None,
        **kwargs: Any,
    ):
        if frame_step is not None and (frame_step > frame_length or frame_step < 1):
            raise ValueError(
                "`frame_step` should be a positive integer not greater than `frame_length`. "
                f"Received frame_step={frame_step}, frame_length={frame_length}"
            )
        if fft_length is not None and fft_length < frame_length:
            raise ValueError(
                "`fft_length` should be not less than `frame_length`. "
                f"Received fft_length={fft_length}, frame_length={frame_length}"
            )
        if fft_length is not None and (fft_length & -fft_length) != fft_length:
            warnings.warn(
                "`fft_length` is recommended to be a power of two. "
                f"Received fft_length={fft_length}",
                stacklevel=2,
            )
        if mode not in _MODES:
            raise ValueError(
                f"Output mode is invalid, it must be one of {', '.join(_MODES)}. "
                f"Received: mode={mode}"
            )
        if scaling is not None and scaling not in ("density", "spectrum"):
            raise ValueError(
                "Scaling is invalid, it must be `None`, 'density' or 'spectrum'. "
                f"Received scaling={scaling}"
            )
        if padding not in ("valid", "same"):
            raise ValueError(
                f"Padding is invalid, it should be 'valid', 'same'. Received: padding={padding}"
            )
        if isinstance(window, str):
            get_window(window, 1)
        super().__init__(**kwargs)
        self.mode = mode
        self.frame_length = frame_length
        self.frame_step = frame_step
        self._frame_step = frame_step or frame_length // 2
        self.fft_length = fft_length
        self._fft_length = fft_length or 2 ** math.ceil(math.log2(frame_length))
        self.window = window
        self.periodic = periodic
        self.scaling = scaling
        self.padding = padding
        self.expand_dims = expand_dims
        self.data_format = config.standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=3)
        # The kernels this mode needs, in Keras's weight order.
        self._sides = {"real": ("real",), "imag": ("imag",)}.get(mode, ("real", "imag"))

    def build(self, input_shape: tuple) -> None:
        shape = (self.frame_length, 1, self._fft_length // 2 + 1)
        to_keras, from_keras = kernel_permutation(1)
        for side in self._sides:
            value = STFT(side, self.window, self.scaling, self.periodic)(shape, self.dtype)
            attr = f"{side}_weight"  # torch layout (bins, 1, frame_length)
            setattr(self, attr, nn.Parameter(from_keras(value).contiguous()))
            variable = Variable(
                self, attr, f"{side}_kernel", to_keras=to_keras, from_keras=from_keras
            )
            setattr(self, f"{side}_kernel", self.track_variable(variable))

    def call(self, inputs: Tensor) -> Tensor:
        dtype = standardize_dtype(inputs.dtype)
        if dtype not in ("float16", "float32", "float64"):
            raise TypeError(
                "Invalid input type. Expected `float16`, `float32` or `float64`. "
                f"Received: input type={dtype}"
            )
        x = inputs.transpose(1, 2) if self.data_format == "channels_last" else inputs
        batch, channels, length = x.shape
        x = x.reshape(batch * channels, 1, length)
        weights = [getattr(self, f"{side}_weight") for side in self._sides]
        weight = (weights[0] if len(weights) == 1 else torch.cat(weights)).to(x.dtype)
        pad: tuple[int, ...] = (0,)
        if self.padding == "same":
            x, pad = pad_same(x, (self.frame_length,), (self._frame_step,), (1,))
        y = F.conv1d(x, weight, None, self._frame_step, pad)
        y = y.reshape(batch, channels, y.shape[1], y.shape[2])  # (B, C, sides * bins, frames)
        if self.mode in ("real", "imag", "stft"):
            return self._adjust_shapes(y)
        real, imag = y.chunk(2, dim=2)
        if self.mode == "angle":
            return self._adjust_shapes(torch.atan2(imag, real))
        power = torch.square(real) + torch.square(imag)
        if self.mode == "psd":
            return self._adjust_shapes(power + F.pad(power[:, :, 1:-1, :], (0, 0, 1, 1)))
        eps = config.epsilon()
        linear = self._adjust_shapes(torch.sqrt(torch.clamp(power, min=eps)))
        if self.mode == "magnitude":
            return linear
        return torch.log(torch.clamp(linear, min=eps))

    def _adjust_shapes(self, outputs: Tensor) -> Tensor:
        """`(B, C, F, T)` -> the output layout of `data_format` / `expand_dims`."""
        batch, channels, freq, frames = outputs.shape
        if self.expand_dims:
            return outputs.permute(0, 3, 2, 1) if self.data_format == "channels_last" else (
                outputs.transpose(2, 3)
            )  # fmt: skip
        outputs = outputs.reshape(batch, channels * freq, frames)
        return outputs.transpose(1, 2) if self.data_format == "channels_last" else outputs

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        channels = input_shape[-1] if self.data_format == "channels_last" else input_shape[1]
        freq = (self._fft_length // 2 + 1) * (2 if self.mode == "stft" else 1)
        shape = conv_output_shape(
            input_shape, freq * channels if channels is not None else None,
            (self.frame_length,), (self._frame_step,), self.padding, self.data_format, (1,),
        )  # fmt: skip
        frames = shape[1] if self.data_format == "channels_last" else shape[2]
        if not self.expand_dims:
            return shape
        if self.data_format == "channels_last":
            return (shape[0], frames, freq, channels)
        return (shape[0], channels, frames, freq)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "mode": self.mode,
            "frame_length": self.frame_length,
            "frame_step": self.frame_step,
            "fft_length": self.fft_length,
            "window": self.window,
            "periodic": self.periodic,
            "scaling": self.scaling,
            "padding": self.padding,
            "data_format": self.data_format,
            "expand_dims": self.expand_dims,
        }
