import numpy as np
import pytest
import torch

from kerastorch.initializers.signal_windows import get_window
from kerastorch.layers.preprocessing import STFTSpectrogram
from tests.layer_checks import check_layer
from tests.oracle import assert_close, keras_or_skip

CASES = [  # (init kwargs, input shape, expected output shape)
    ({"mode": "log", "frame_length": 16, "frame_step": 5, "fft_length": 32, "padding": "same"},
     (2, 60, 2), (2, 12, 34)),
    ({"mode": "psd", "frame_length": 15, "window": "hamming", "periodic": True,
      "scaling": "spectrum", "data_format": "channels_first", "expand_dims": True},
     (2, 3, 64), (2, 3, 8, 9)),
    ({"mode": "angle", "frame_length": 8, "window": None, "scaling": None}, (2, 40, 1),
     (2, 9, 5)),
    ({"mode": "stft", "frame_length": 8, "window": "bartlett", "expand_dims": True},
     (2, 40, 3), (2, 9, 10, 3)),
    ({"mode": "magnitude", "frame_length": 12, "frame_step": 12, "window": "blackman",
      "data_format": "channels_first"}, (1, 2, 50), (1, 18, 4)),
    ({"mode": "magnitude", "frame_length": 16, "frame_step": 4, "window": "tukey",
      "periodic": True}, (2, 40, 1), (2, 7, 9)),
    ({"mode": "real", "frame_length": 10, "window": "boxcar", "trainable": False},
     (2, 30, 1), (2, 5, 9)),
    ({"mode": "imag", "frame_length": 6, "window": list(np.linspace(0.1, 1.0, 6)),
      "padding": "same"}, (2, 20, 2), (2, 7, 10)),
]  # fmt: skip


@pytest.mark.parity
@pytest.mark.parametrize(("kwargs", "shape", "out_shape"), CASES)
def test_stft_spectrogram_matches_keras(kwargs, shape, out_shape):
    keras_or_skip()
    kernels = 1 if kwargs["mode"] in ("real", "imag") else 2
    trainable = kwargs.get("trainable", True)
    result = check_layer(
        STFTSpectrogram, kwargs, shape, expected_output_shape=out_shape,
        expected_num_trainable_weights=kernels if trainable else 0,
        expected_num_non_trainable_weights=0 if trainable else kernels,
        atol=1e-5, rtol=1e-5,
    )  # fmt: skip
    # Our initial kernels are Keras's (its STFT initializer), not only the copied ones.
    ours = STFTSpectrogram(**kwargs)
    ours.build(shape)
    for mine, theirs in zip(ours.get_weights(), result.keras_layer.get_weights(), strict=True):
        np.testing.assert_allclose(mine, theirs, atol=1e-6)


def test_stft_spectrogram_is_the_windowed_fft():
    x = torch.randn(2, 64, 1, dtype=torch.float64)
    layer = STFTSpectrogram(mode="stft", frame_length=16, frame_step=8, window="hann",
                            periodic=True, scaling=None, dtype="float64")  # fmt: skip
    out = layer(x)  # (2, frames, 2 * 9)
    frames = x[:, :, 0].unfold(1, 16, 8) * torch.from_numpy(get_window("hann", 16))
    spectrum = torch.fft.rfft(frames, n=16)
    torch.testing.assert_close(out[..., :9], spectrum.real)
    torch.testing.assert_close(out[..., 9:], spectrum.imag)


@pytest.mark.parity
def test_stft_spectrogram_keras_file_both_ways(tmp_path):
    keras = keras_or_skip()
    import kerastorch as kt

    x = np.random.default_rng(0).standard_normal((2, 64, 2)).astype("float32")
    kwargs = {"frame_length": 16, "fft_length": 16, "padding": "same"}
    ours = kt.Sequential([kt.Input((64, 2)), STFTSpectrogram(**kwargs)])
    with torch.no_grad():  # trained-looking kernels: not the initial values
        ours.layers[0].real_weight.mul_(1.5)
    ours.save(tmp_path / "ours.keras")
    theirs = keras.saving.load_model(tmp_path / "ours.keras")
    assert_close(ours(torch.as_tensor(x)), theirs(x), atol=1e-5)

    ref = keras.Sequential(
        [keras.Input((64, 2)), keras.layers.STFTSpectrogram(mode="psd", frame_length=16)]
    )
    ref.layers[0].imag_kernel.assign(ref.layers[0].imag_kernel * 0.5)
    ref.save(tmp_path / "theirs.keras")
    loaded = kt.saving.load_model(tmp_path / "theirs.keras")
    assert_close(loaded(torch.as_tensor(x)), ref(x), atol=1e-5, rtol=1e-5)


def test_stft_spectrogram_errors():
    with pytest.raises(ValueError, match="`frame_step` should be a positive integer"):
        STFTSpectrogram(frame_length=8, frame_step=9)
    with pytest.raises(ValueError, match="`fft_length` should be not less than"):
        STFTSpectrogram(frame_length=8, fft_length=4)
    with pytest.raises(ValueError, match="Output mode is invalid"):
        STFTSpectrogram(mode="power")
    with pytest.raises(ValueError, match="Scaling is invalid"):
        STFTSpectrogram(scaling="l2")
    with pytest.raises(ValueError, match="Padding is invalid"):
        STFTSpectrogram(padding="causal")
    with pytest.raises(ValueError, match="'kaiser' must have parameters"):
        STFTSpectrogram(window="kaiser")
    with pytest.raises(ValueError, match="Invalid window name 'hanning'"):
        STFTSpectrogram(window="hanning")
    with pytest.warns(UserWarning, match="recommended to be a power of two"):
        STFTSpectrogram(frame_length=8, fft_length=12)
    with pytest.raises(TypeError, match="Expected `float16`, `float32` or `float64`"):
        STFTSpectrogram(frame_length=8)(torch.ones(1, 16, 1, dtype=torch.int32))
