"""`STFT`: the DFT kernels of a short-time Fourier transform as a convolution kernel.

Example:
    >>> kernel = STFT("real", "hann", "density", False)((8, 1, 5))
    >>> tuple(kernel.shape)
    (8, 1, 5)
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from kerastorch.initializers.initializer import Initializer, Shape, as_shape, place, torch_dtype
from kerastorch.initializers.signal_windows import get_window

__all__ = ["STFT"]


class STFT(Initializer):
    """Initializer of Conv kernels for the short-time Fourier transform (STFT).

    The kernel of shape `(frame_length, 1, bins)` holds the real (`cos`) or imaginary
    (`-sin`) parts of the DFT basis for `bins = fft_length // 2 + 1` frequencies, times the
    window divided by its L2 (`"density"`) or L1 (`"spectrum"`) norm. The numbers are
    computed in the requested dtype with the same operations as Keras, so they match it.
    Windows are SciPy's (see `signal_windows`), computed without SciPy.

    Args:
        side: `"real"` or `"imag"`.
        window: a SciPy window name, an array of `frame_length` values, or None.
        scaling: `"density"`, `"spectrum"` or None.
        periodic: use the periodic window (else the symmetric one).

    Example:
        >>> STFT("imag", window=None, scaling=None)((4, 1, 3))[:, 0, 1].round().tolist()
        [-0.0, -1.0, 0.0, 1.0]
    """

    def __init__(
        self,
        side: str = "real",
        window: Any = "hann",
        scaling: str | None = "density",
        periodic: bool = False,
    ):
        if side not in ("real", "imag"):
            raise ValueError(f"side should be 'real' or 'imag', not {side}")
        if isinstance(window, str):
            get_window(window, 1)  # raises for an unknown window name
        if scaling is not None and scaling not in ("density", "spectrum"):
            raise ValueError(
                "Scaling is invalid, it must be `None`, 'density' or 'spectrum'. "
                f"Received scaling={scaling}"
            )
        self.side = side
        self.window = window
        self.scaling = scaling
        self.periodic = periodic

    def __call__(self, shape: Shape, dtype: Any = None) -> torch.Tensor:
        frame_length, _, bins = as_shape(shape)
        dt = torch_dtype(dtype)
        win = None
        scale: Any = 1
        if self.window is not None:
            window = self.window
            if isinstance(window, str):
                window = get_window(window, frame_length, self.periodic)
            win = torch.as_tensor(np.asarray(window)).to(dt)
            if win.ndim != 1 or win.shape[-1] != frame_length:
                raise ValueError(
                    "The shape of `window` must be equal to [frame_length]."
                    f"Received: window shape={tuple(win.shape)}"
                )
            win = win.reshape(frame_length, 1, 1)
            if self.scaling == "density":
                scale = torch.sqrt(torch.sum(torch.square(win)))
            elif self.scaling == "spectrum":
                scale = torch.sum(torch.abs(win))
        freq = torch.arange(bins, dtype=dt).reshape(1, 1, bins) / ((bins - 1) * 2)
        time = torch.arange(frame_length, dtype=dt).reshape(frame_length, 1, 1)
        args = (-2 * time) * freq * torch.arccos(torch.tensor(-1, dtype=dt))
        kernel = torch.cos(args) if self.side == "real" else torch.sin(args)
        if win is not None:
            kernel = (kernel * win) / scale
        return place(kernel)

    def get_config(self) -> dict[str, Any]:
        window = self.window.tolist() if isinstance(self.window, np.ndarray) else self.window
        return {
            "side": self.side,
            "window": window,
            "periodic": self.periodic,
            "scaling": self.scaling,
        }
