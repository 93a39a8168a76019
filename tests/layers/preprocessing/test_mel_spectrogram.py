import numpy as np
import pytest
import torch

from kerastorch.layers.preprocessing import MelSpectrogram
from kerastorch.layers.preprocessing.mel_spectrogram import linear_to_mel_weight_matrix
from tests.layer_checks import check_layer
from tests.oracle import assert_close, keras_or_skip

CASES = [  # (init kwargs, input shape, expected output shape)
    ({"fft_length": 64, "sequence_stride": 16, "num_mel_bins": 8, "sampling_rate": 8000},
     (2, 160), (2, 8, 11)),
    ({"fft_length": 128, "sequence_length": 100, "sequence_stride": 30, "window": "hamming",
      "num_mel_bins": 16, "min_freq": 50.0, "max_freq": 3000, "power_to_db": False,
      "mag_exp": 1.0}, (2, 300), (2, 16, 11)),
    ({"fft_length": 64, "sequence_stride": 20, "window": None, "num_mel_bins": 12,
      "top_db": 20.0, "ref_power": 2.0, "min_power": 1e-5}, (3, 200), (3, 12, 11)),
]  # fmt: skip


@pytest.mark.parity
@pytest.mark.parametrize(("kwargs", "shape", "out_shape"), CASES)
def test_mel_spectrogram_matches_keras(kwargs, shape, out_shape):
    keras_or_skip()
    check_layer(
        MelSpectrogram, kwargs, shape, expected_output_shape=out_shape,
        expected_num_trainable_weights=0, expected_num_non_trainable_weights=0,
        atol=1e-4, rtol=1e-5,
    )  # fmt: skip


@pytest.mark.parity
def test_mel_spectrogram_unbatched_and_float64_match_keras():
    keras = keras_or_skip()
    x = np.random.default_rng(1).standard_normal(256)
    kwargs = {"fft_length": 64, "sequence_stride": 32, "num_mel_bins": 6}
    ours = MelSpectrogram(**kwargs)(torch.as_tensor(x.astype("float32")))
    assert_close(ours, keras.layers.MelSpectrogram(**kwargs)(x.astype("float32")), atol=1e-4)
    ours64 = MelSpectrogram(dtype="float64", **kwargs)(torch.as_tensor(x))
    theirs64 = keras.layers.MelSpectrogram(dtype="float64", **kwargs)(x)
    assert ours64.dtype == torch.float64
    assert_close(ours64, theirs64, atol=1e-9)
    assert MelSpectrogram(**kwargs).compute_output_shape((None, 255)) == (None, 6, 9)


def test_mel_matrix_is_a_triangular_filterbank():
    matrix = linear_to_mel_weight_matrix(10, 257, 16000, 20.0, 8000.0)
    assert matrix.shape == (257, 10)
    assert float(matrix[0].abs().sum()) == 0.0  # the DC bin gets no weight
    assert float(matrix.min()) >= 0.0
    assert float(matrix.max()) <= 1.0
    peaks = matrix.argmax(dim=0)
    assert torch.all(peaks[1:] > peaks[:-1])  # the bands rise with frequency


def test_mel_spectrogram_db_is_clipped_to_top_db():
    out = MelSpectrogram(fft_length=64, sequence_stride=16, num_mel_bins=8, top_db=30.0)(
        torch.randn(2, 256)
    )
    assert float(out.max() - out.min()) <= 30.0 + 1e-4


@pytest.mark.parity
def test_mel_spectrogram_keras_file_both_ways(tmp_path):
    keras = keras_or_skip()
    import kerastorch as kt

    x = np.random.default_rng(0).standard_normal((2, 128)).astype("float32")
    kwargs = {"fft_length": 32, "sequence_stride": 16, "num_mel_bins": 5, "top_db": 40.0}
    ours = kt.Sequential([kt.Input((128,)), MelSpectrogram(**kwargs)])
    ours.save(tmp_path / "ours.keras")
    assert_close(ours(torch.as_tensor(x)), keras.saving.load_model(tmp_path / "ours.keras")(x),
                 atol=1e-4)  # fmt: skip
    ref = keras.Sequential([keras.Input((128,)), keras.layers.MelSpectrogram(**kwargs)])
    ref.save(tmp_path / "theirs.keras")
    loaded = kt.saving.load_model(tmp_path / "theirs.keras")
    assert_close(loaded(torch.as_tensor(x)), ref(x), atol=1e-4)


def test_mel_spectrogram_errors():
    with pytest.raises(ValueError, match="`fft_length` must be greater than or equal to"):
        MelSpectrogram(fft_length=64, sequence_length=128)
    with pytest.raises(ValueError, match='must be one of "hann", "hamming"'):
        MelSpectrogram(fft_length=64, window="kaiser")(torch.randn(128))
