import numpy as np
import pytest
import torch

from kerastorch import initializers
from kerastorch.initializers import STFT
from tests.oracle import assert_close, keras_or_skip


@pytest.mark.parity
@pytest.mark.parametrize(
    ("window", "scaling", "periodic"),
    [("hann", "density", False), ("hamming", "spectrum", True), (None, None, False)],
)
@pytest.mark.parametrize("side", ["real", "imag"])
def test_stft_matches_keras(side, window, scaling, periodic):
    keras = keras_or_skip()
    ours = STFT(side, window, scaling, periodic)((20, 1, 17))
    theirs = keras.initializers.STFT(side, window, scaling, periodic)((20, 1, 17))
    assert ours.dtype == torch.float32
    assert_close(ours, theirs, atol=1e-7)


@pytest.mark.parity
def test_stft_array_window_float64_and_config_match_keras():
    keras = keras_or_skip()
    window = np.linspace(0.1, 1.0, 12)
    ours = STFT("imag", window, "spectrum")
    theirs = keras.initializers.STFT("imag", window, "spectrum")
    assert_close(ours((12, 1, 7), "float64"), theirs((12, 1, 7), "float64"), atol=1e-12)
    assert ours((12, 1, 7), "float64").dtype == torch.float64
    expected = keras.initializers.STFT("real", "hann", None, True).get_config()
    assert STFT("real", "hann", None, True).get_config() == expected


def test_stft_aliases_and_serialization():
    assert initializers.stft is initializers.STFTInitializer is STFT
    assert isinstance(initializers.get("stft"), STFT)
    config = initializers.serialize(STFT("imag", "hamming", "spectrum", True))
    assert config["class_name"] == "STFT"
    assert config["module"] == "keras.initializers"
    restored = initializers.deserialize(config)
    assert restored.get_config() == {
        "side": "imag",
        "window": "hamming",
        "periodic": True,
        "scaling": "spectrum",
    }
    assert isinstance(
        initializers.deserialize({"class_name": "STFTInitializer", "config": {}}), STFT
    )


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"side": "both"}, "side should be 'real' or 'imag'"),
        ({"scaling": "l2"}, "Scaling is invalid"),
        ({"window": "no_such_window"}, "no_such_window"),
    ],
)
def test_stft_rejects_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        STFT(**kwargs)


def test_stft_rejects_window_of_wrong_length():
    with pytest.raises(
        ValueError, match=r"The shape of `window` must be equal to \[frame_length\]"
    ):
        STFT(window=np.ones(5))((8, 1, 5))
