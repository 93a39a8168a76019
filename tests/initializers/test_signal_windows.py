import numpy as np
import pytest

from kerastorch.initializers.signal_windows import WINDOWS, get_window


@pytest.mark.parametrize("length", [1, 2, 7, 16])
@pytest.mark.parametrize("fftbins", [True, False])
def test_windows_match_scipy(length, fftbins):
    signal = pytest.importorskip("scipy.signal")
    for name in WINDOWS:
        np.testing.assert_allclose(
            get_window(name, length, fftbins),
            signal.get_window(name, length, fftbins),
            atol=1e-14,
            err_msg=f"window={name!r}, length={length}, fftbins={fftbins}",
        )
    for suffixed in ("hann_periodic", "hann_symmetric"):
        np.testing.assert_allclose(
            get_window(suffixed, length, fftbins), signal.get_window(suffixed, length, fftbins)
        )


def test_window_errors():
    with pytest.raises(ValueError, match="'gaussian' must have parameters"):
        get_window("gaussian", 8)
    with pytest.raises(ValueError, match="'taylor' window is not available"):
        get_window("taylor", 8)
    with pytest.raises(ValueError, match="Invalid window name 'nope'"):
        get_window("nope", 8)
