"""`MelSpectrogram`: audio signals to (decibel) mel spectrograms, as Keras's layer.

`torch.stft` (through `ops.stft`, centered, reflect-padded), the magnitude to the power
`mag_exp`, a matrix product with the HTK mel filterbank (`linear_to_mel_weight_matrix`,
computed once, in float32, with Keras's operations) and optionally decibels clipped at
`max - top_db` (the maximum is taken over the whole batch, as Keras does).

Example:
    >>> import torch
    >>> layer = MelSpectrogram(fft_length=64, sequence_stride=16, num_mel_bins=8,
    ...                        sampling_rate=8000)
    >>> layer(torch.randn(2, 160)).shape
    torch.Size([2, 8, 11])
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.common.dtypes import to_torch_dtype
from kerastorch.layers.layer import Layer
from kerastorch.ops.spectral import stft

Tensor = torch.Tensor

_MEL_BREAK_FREQUENCY_HERTZ = 700.0
_MEL_HIGH_FREQUENCY_Q = 1127.0


def hertz_to_mel(frequencies_hertz: Tensor) -> Tensor:
    """The HTK mel scale: `1127 * log(1 + f / 700)`.

    Example:
        >>> round(float(hertz_to_mel(torch.tensor(700.0))), 3)
        781.177
    """
    return _MEL_HIGH_FREQUENCY_Q * torch.log(1.0 + (frequencies_hertz / _MEL_BREAK_FREQUENCY_HERTZ))


def _linspace(start: Tensor, stop: Tensor, num: int) -> Tensor:
    """Keras's torch `linspace` for tensor end points: `start + arange(num) / (num - 1) * span`."""
    steps = torch.arange(num, dtype=start.dtype) / (num - 1)
    return start.reshape(1) + steps * (stop - start).reshape(1)


def linear_to_mel_weight_matrix(
    num_mel_bins: int = 20,
    num_spectrogram_bins: int = 129,
    sampling_rate: float = 8000,
    lower_edge_hertz: float = 125.0,
    upper_edge_hertz: float = 3800.0,
    dtype: str = "float32",
) -> Tensor:
    """The `(num_spectrogram_bins, num_mel_bins)` matrix from linear bins to mel bands (HTK).

    Triangular filters with peak 1 whose edges are equally spaced on the mel scale between
    `lower_edge_hertz` and `upper_edge_hertz`; the DC bin gets no weight. Computed as Keras
    computes it, so the numbers match.

    Example:
        >>> linear_to_mel_weight_matrix(4, 9, 8000, 100.0, 4000.0).shape
        torch.Size([9, 4])
    """
    dt = to_torch_dtype(dtype)
    sampling_rate_t = torch.tensor(sampling_rate).to(dt)
    lower = torch.tensor(lower_edge_hertz, dtype=dt)
    upper = torch.tensor(upper_edge_hertz, dtype=dt)
    zero = torch.tensor(0.0, dtype=dt)
    linear_frequencies = _linspace(zero, sampling_rate_t / 2.0, num_spectrogram_bins)[1:]
    spectrogram_bins_mel = hertz_to_mel(linear_frequencies).unsqueeze(1)
    edges = _linspace(hertz_to_mel(lower), hertz_to_mel(upper), num_mel_bins + 2)
    lower_edge, center, upper_edge = (edges[i : i + num_mel_bins].reshape(1, -1) for i in range(3))
    lower_slopes = (spectrogram_bins_mel - lower_edge) / (center - lower_edge)
    upper_slopes = (upper_edge - spectrogram_bins_mel) / (upper_edge - center)
    weights = torch.maximum(zero, torch.minimum(lower_slopes, upper_slopes))
    return torch.nn.functional.pad(weights, (0, 0, 1, 0))


class MelSpectrogram(Layer):
    """Converts raw audio signals to mel spectrograms (STFT, power, mel filterbank, dB).

    Args:
        fft_length: FFT size (frame length after zero padding), default 2048.
        sequence_stride: samples between successive frames, default 512.
        sequence_length: window length (default `fft_length`); `<= fft_length`.
        window: `"hann"`, `"hamming"`, an array of `sequence_length` values, or None.
        sampling_rate: sample rate of the signal (Hz), default 16000.
        num_mel_bins: number of mel bands, default 128.
        min_freq / max_freq: frequency range of the bands (default 20 Hz and
            `sampling_rate / 2`).
        power_to_db: convert to decibels `10 * log10(S / ref_power)`, clipped below at
            `max - top_db` (maximum over the whole batch).
        top_db: the dynamic range kept in decibels, default 80.
        mag_exp: exponent of the magnitude (2: power).
        min_power: floor of the power and of `ref_power` before the logarithm.
        ref_power: the reference power of 0 dB.

    Input shape:
        `(samples,)` or `(batch, samples)`.
    Output shape:
        `(num_mel_bins, frames)` or `(batch, num_mel_bins, frames)`, with
        `frames = 1 + samples // sequence_stride`.

    Example:
        >>> import torch
        >>> MelSpectrogram(fft_length=64, sequence_stride=32, num_mel_bins=5)(
        ...     torch.randn(128)).shape
        torch.Size([5, 5])
    """

    def __init__(
        self,
        fft_length: int = 2048,
        sequence_stride: int = 512,
        sequence_length: int | None = None,
        window: Any = "hann",
        sampling_rate: int = 16000,
        num_mel_bins: int = 128,
        min_freq: float = 20.0,
        max_freq: float | None = None,
        power_to_db: bool = True,
        top_db: float = 80.0,
        mag_exp: float = 2.0,
        min_power: float = 1e-10,
        ref_power: float = 1.0,
        **kwargs: Any,
    ):
        self.fft_length = fft_length
        self.sequence_stride = sequence_stride
        self.sequence_length = sequence_length or fft_length
        if self.fft_length < self.sequence_length:
            raise ValueError(
                "`fft_length` must be greater than or equal to  `sequence_length`. Received: "
                f"`sequence_length`={self.sequence_length}, `fft_length`={self.fft_length}."
            )
        self.window = window
        self.sampling_rate = sampling_rate
        self.num_mel_bins = num_mel_bins
        self.min_freq = min_freq
        self.max_freq = max_freq or int(sampling_rate / 2)
        self.power_to_db = power_to_db
        self.top_db = top_db
        self.mag_exp = mag_exp
        self.min_power = min_power
        self.ref_power = ref_power
        super().__init__(**kwargs)
        matrix = linear_to_mel_weight_matrix(
            num_mel_bins=num_mel_bins,
            num_spectrogram_bins=fft_length // 2 + 1,
            sampling_rate=sampling_rate,
            lower_edge_hertz=min_freq,
            upper_edge_hertz=self.max_freq,
        )
        self.register_buffer("mel_matrix", matrix, persistent=False)
        ref = torch.tensor(ref_power).abs().to(torch.float32)
        self._ref_db = float(10.0 * torch.log10(torch.clamp(ref, min=min_power)))

    def call(self, inputs: Tensor) -> Tensor:
        compute = self.compute_dtype if self.compute_dtype in ("float32", "float64") else None
        x = inputs.to(to_torch_dtype(compute or "float32"))
        real, imag = stft(
            x, self.sequence_length, self.sequence_stride, self.fft_length, self.window, True
        )
        spec = torch.pow(torch.sqrt(torch.square(real) + torch.square(imag)), self.mag_exp)
        mel = torch.matmul(spec, self.mel_matrix.to(spec.dtype))  # (..., frames, mels)
        if self.power_to_db:
            mel = 10.0 * torch.log10(torch.clamp(mel, min=self.min_power)) - self._ref_db
            mel = torch.maximum(mel, torch.max(mel) - self.top_db)
        return mel.transpose(-1, -2).to(to_torch_dtype(self.compute_dtype))

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        *batch, samples = input_shape
        # Keras's count, which can exceed the real `1 + samples // stride` by one.
        stride = self.sequence_stride
        frames = None if samples is None else (samples + stride + 1) // stride
        return (*batch, self.num_mel_bins, frames)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "fft_length": self.fft_length,
            "sequence_stride": self.sequence_stride,
            "sequence_length": self.sequence_length,
            "window": self.window,
            "sampling_rate": self.sampling_rate,
            "num_mel_bins": self.num_mel_bins,
            "min_freq": self.min_freq,
            "max_freq": self.max_freq,
            "power_to_db": self.power_to_db,
            "top_db": self.top_db,
            "mag_exp": self.mag_exp,
            "min_power": self.min_power,
            "ref_power": self.ref_power,
        }
