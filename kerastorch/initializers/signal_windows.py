"""`get_window`: SciPy's `scipy.signal.get_window` for the windows named without parameters.

Keras's `STFTSpectrogram` takes any window name that SciPy knows; kerastorch does not depend
on SciPy, so the windows are computed here in float64 NumPy with SciPy's own formulas (the
same numbers): barthann, bartlett, blackman, blackmanharris, bohman, boxcar, cosine,
exponential, flattop, hamming, hann, lanczos, nuttall, parzen, triang and tukey, with their
SciPy aliases and the `_periodic` / `_symmetric` suffixes. `taylor` (SciPy's default
parameters) is not made here and raises a `ValueError`; the windows that need parameters
(kaiser, gaussian, ...) are refused as SciPy refuses them.

Example:
    >>> [round(v, 6) for v in get_window("hann", 4).tolist()]
    [0.0, 0.5, 1.0, 0.5]
    >>> [round(v, 6) for v in get_window("triang", 3, fftbins=False).tolist()]
    [0.5, 1.0, 0.5]
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

_F64 = np.float64


def _general_cosine(m: int, coefficients: tuple[float, ...]) -> np.ndarray:
    fac = np.linspace(-np.pi, np.pi, m, dtype=_F64)
    w = np.zeros(m, dtype=_F64)
    for k, a in enumerate(coefficients):
        w += a * np.cos(k * fac)
    return w


def _triang(m: int) -> np.ndarray:
    n = np.arange(1, (m + 1) // 2 + 1, dtype=_F64)
    if m % 2 == 0:
        w = (2 * n - 1.0) / m
        return np.concatenate([w, w[::-1]])
    w = 2 * n / (m + 1.0)
    return np.concatenate([w, w[-2::-1]])


def _parzen(m: int) -> np.ndarray:
    n = np.arange(-(m - 1) / 2.0, (m - 1) / 2.0 + 0.5, 1.0, dtype=_F64)
    a = np.abs(n)
    inner = 1 - 6 * (a / (m / 2.0)) ** 2.0 + 6 * (a / (m / 2.0)) ** 3.0
    return np.where(a <= (m - 1) / 4.0, inner, 2 * (1 - a / (m / 2.0)) ** 3.0)


def _bohman(m: int) -> np.ndarray:
    fac = np.abs(np.linspace(-1, 1, m, dtype=_F64)[1:-1])
    w = (1 - fac) * np.cos(np.pi * fac) + 1.0 / np.pi * np.sin(np.pi * fac)
    return np.concatenate([[0.0], w, [0.0]])


def _bartlett(m: int) -> np.ndarray:
    n = np.arange(0, m, dtype=_F64)
    return np.where(n <= (m - 1) / 2.0, 2.0 * n / (m - 1), 2.0 - 2.0 * n / (m - 1))


def _tukey(m: int, alpha: float = 0.5) -> np.ndarray:
    n = np.arange(0, m, dtype=_F64)
    width = math.floor(alpha * (m - 1) / 2.0)
    n1, n2, n3 = n[0 : width + 1], n[width + 1 : m - width - 1], n[m - width - 1 :]
    w1 = 0.5 * (1 + np.cos(np.pi * (-1 + 2.0 * n1 / alpha / (m - 1))))
    w3 = 0.5 * (1 + np.cos(np.pi * (-2.0 / alpha + 1 + 2.0 * n3 / alpha / (m - 1))))
    return np.concatenate([w1, np.ones(n2.shape, dtype=_F64), w3])


def _barthann(m: int) -> np.ndarray:
    fac = np.abs(np.arange(0, m, dtype=_F64) / (m - 1.0) - 0.5)
    return 0.62 - 0.48 * fac + 0.38 * np.cos(2 * np.pi * fac)


def _cosine(m: int) -> np.ndarray:
    return np.sin(np.pi / m * (np.arange(m, dtype=_F64) + 0.5))


def _exponential(m: int) -> np.ndarray:
    return np.exp(-np.abs(np.arange(0, m, dtype=_F64) - (m - 1) / 2))


def _lanczos(m: int) -> np.ndarray:
    half = m / 2 if m % 2 == 0 else (m + 1) / 2
    wh = np.sinc(2.0 * np.arange(half, m, dtype=_F64) / (m - 1) - 1.0)
    middle = [] if m % 2 == 0 else [1.0]
    return np.concatenate([wh[::-1], middle, wh])


def _cosine_window(*coefficients: float) -> Callable[[int], np.ndarray]:
    return lambda m: _general_cosine(m, coefficients)


_MAKERS: dict[tuple[str, ...], Callable[[int], np.ndarray]] = {
    ("barthann", "brthan", "bth"): _barthann,
    ("bartlett", "bart", "brt"): _bartlett,
    ("blackman", "black", "blk"): _cosine_window(0.42, 0.50, 0.08),
    ("blackmanharris", "blackharr", "bkh"): _cosine_window(0.35875, 0.48829, 0.14128, 0.01168),
    ("bohman", "bman", "bmn"): _bohman,
    ("boxcar", "box", "ones", "rect", "rectangular"): lambda m: np.ones(m, dtype=_F64),
    ("cosine", "halfcosine"): _cosine,
    ("exponential", "poisson"): _exponential,
    ("flattop", "flat", "flt"): _cosine_window(
        0.21557895, 0.41663158, 0.277263158, 0.083578947, 0.006947368
    ),
    ("hamming", "hamm", "ham"): _cosine_window(0.54, 1.0 - 0.54),
    ("hann", "han"): _cosine_window(0.5, 1.0 - 0.5),
    ("lanczos", "sinc"): _lanczos,
    ("nuttall", "nutl", "nut"): _cosine_window(0.3635819, 0.4891775, 0.1365995, 0.0106411),
    ("parzen", "parz", "par"): _parzen,
    ("triangle", "triang", "tri"): _triang,
    ("tukey", "tuk"): _tukey,
}
WINDOWS: dict[str, Callable[[int], np.ndarray]] = {
    name: make for names, make in _MAKERS.items() for name in names
}
# SciPy's windows that cannot be named without parameters, and the one not made here.
_NEED_PARAMETERS = (
    "chebwin", "cheb", "dpss", "gaussian", "gauss", "gss", "general cosine", "general_cosine",
    "general gaussian", "general_gaussian", "general gauss", "general_gauss", "ggs",
    "general hamming", "general_hamming", "kaiser", "ksr", "kaiser bessel derived",
    "kaiser_bessel_derived", "kbd",
)  # fmt: skip
_NOT_MADE_HERE = ("taylor", "taylorwin")


def get_window(window: str, length: int, fftbins: bool = True) -> np.ndarray:
    """The window `window` of `length` samples, float64: periodic with `fftbins` (SciPy's).

    Args:
        window: a SciPy window name (see the module docstring), optionally suffixed with
            `_periodic` or `_symmetric` (which overrides `fftbins`).
        length: number of samples.
        fftbins: periodic window (for spectral analysis) if True, else symmetric.

    Returns:
        A float64 NumPy array of `length` values.

    Raises:
        ValueError: an unknown name, a window that needs parameters, or `taylor`.

    Example:
        >>> get_window("boxcar", 3).tolist()
        [1.0, 1.0, 1.0]
    """
    name, symmetric = window, not fftbins
    if name.endswith("_symmetric"):
        name, symmetric = name[: -len("_symmetric")], True
    elif name.endswith("_periodic"):
        name, symmetric = name[: -len("_periodic")], False
    if name in _NEED_PARAMETERS:
        raise ValueError(f"'{name}' must have parameters, but window={window!r}!")
    if name in _NOT_MADE_HERE:
        raise ValueError(
            f"The '{name}' window is not available in kerastorch (it has no SciPy). Pass its "
            "values as an array instead."
        )
    if name not in WINDOWS:
        raise ValueError(f"Invalid window name '{name}' in parameter window={window!r}!")
    if length <= 1:
        return np.ones(length, dtype=_F64)
    m = length if symmetric else length + 1
    w = WINDOWS[name](m)
    return w if symmetric else w[:-1]
